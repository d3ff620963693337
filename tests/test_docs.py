"""The docs cannot drift from the code: every command and option is documented."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from smwsync import config
from smwsync.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group, prefix: str = "smwsync"):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix} {name}")


COMMANDS = list(all_commands(cli))


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(name, command):
    result = CliRunner().invoke(cli, [*name.split()[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert command.help and len(command.help.strip()) > 20
    assert "Example" in result.output


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(name, command):
    assert f"`{name}" in README, f"{name} is not in README.md"
    for param in command.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in README, f"{name} {option} is not in README.md"


def test_readme_starts_with_the_two_setup_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block
    assert "make test" in first_block


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_example_configuration_documents_every_setting():
    text = (ROOT / "config" / "smwsync.example.toml").read_text(encoding="utf-8")
    sections = [config.SourceSettings, config.GeocodeSettings, config.PublishSettings]
    sections += [config.PostcodesIoSettings, config.NominatimSettings, config.SiteSettings]
    for section in sections:
        for setting in fields(section):
            if is_dataclass(setting.type) or setting.name in ("postcodes_io", "nominatim"):
                continue
            assert re.search(rf"^(\[geocode\.)?#?\s*{setting.name}\s*(=|\])", text, re.M), (
                f"{section.__name__}.{setting.name} is not in config/smwsync.example.toml"
            )
    config.load_settings(ROOT / "config" / "smwsync.example.toml")
