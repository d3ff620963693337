"""The docs cannot drift from the code: every command and option is documented."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
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


def campaign_commands() -> list[str]:
    """The commands of "Using it for your campaign", as written, in order."""
    section = README.split("\n## Using it for your campaign\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


# The install commands of that section: they fetch from the package index, which no test may;
# the test installs the same checkout the same way without it.
INSTALLS = ("pipx install ", "python3 -m venv ", "~/smwsync-env/bin/pip install ", "source ")


def test_using_it_for_your_campaign_works_as_written(tmp_path):
    commands = campaign_commands()
    installs = [c for c in commands if c.startswith(INSTALLS)]
    assert installs[0] == "pipx install ./smwsync"
    # The checkout installs as pip and pipx install it: a wheel built from it, not this
    # editable copy, so the package must carry its data and its `smwsync` command.
    checkout = tmp_path / "smwsync"
    shutil.copytree(
        ROOT / "smwsync", checkout / "smwsync", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, checkout / name)
    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            str(target),
            str(checkout),
        ],
        check=True,
        capture_output=True,
    )
    # A browser that notes the page it was asked to open.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\necho "$1" >> "{tmp_path / "opened"}"\n', encoding="utf-8")
    opener.chmod(0o755)
    env = {
        **os.environ,
        "PATH": os.pathsep.join((str(target / "bin"), str(bin_dir), os.environ["PATH"])),
        "PYTHONPATH": str(target),
    }
    folder = tmp_path / "campaign"
    folder.mkdir()
    # The download the section names, as the demo's responses.
    download = re.search(r'--csv "([^"]+)"', " ".join(commands)).group(1)
    shutil.copy(ROOT / "examples" / "form-responses.csv", folder / download)
    for command in commands:
        if command.startswith(INSTALLS):
            continue
        done = subprocess.run(
            command, shell=True, cwd=folder, env=env, input="\n", capture_output=True, text=True
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        if command == "smwsync --version":
            # The installed copy, not this checkout's editable one.
            where = subprocess.run(
                ["which", "smwsync"], env=env, capture_output=True, text=True, check=True
            )
            assert where.stdout.startswith(str(target))
    assert (folder / "smwsync.toml").is_file()
    assert (folder / "problems.csv").is_file()
    assert (folder / "out" / "smw-events.kml").is_file()
    assert (tmp_path / "opened").read_text().strip().endswith("preview.html")
