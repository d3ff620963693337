"""The `smwsync` command: parse options, call one library function, print what it returns."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from smwsync import __version__
from smwsync.config import Overrides, Settings, load_settings
from smwsync.errors import SmwsyncError
from smwsync.sync import pipeline
from smwsync.sync.files import write_atomically
from smwsync.sync.report import problem_line, problems_csv, report_json, summary_lines


class SmwsyncGroup(click.Group):
    """Turns every SmwsyncError into one message on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmwsyncError as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=SmwsyncGroup)
@click.version_option(__version__, prog_name="smwsync")
def cli() -> None:
    """Keep a campaign's public event map in step with its Google Form.

    \b
    Exit codes: 0 done (problems in rows are not failures), 1 failed and
    nothing written, 2 usage or configuration error.
    """


def settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that reads the responses shares; builds `settings` from them."""

    @click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Configuration file (default: smwsync.toml in this folder).",
    )
    @click.option(
        "--csv",
        "csv_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Read the responses from this CSV download instead of the configured source.",
    )
    @click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder for the published files (default: [publish] out).",
    )
    @click.option(
        "--offline", is_flag=True, default=None, help="Use no online geocoder: only the gazetteer."
    )
    @functools.wraps(command)
    def wrapper(
        config_path: Path | None,
        csv_path: Path | None,
        out_dir: Path | None,
        offline: bool | None,
        **kwargs: Any,
    ) -> Any:
        overrides = Overrides(csv=csv_path, out=out_dir, offline=offline)
        return command(settings=load_settings(config_path, overrides), **kwargs)

    return wrapper


@cli.command()
@settings_options
@click.option("--dry-run", is_flag=True, help="Do everything but write the files.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def sync(settings: Settings, dry_run: bool, as_json: bool) -> None:
    """Read the responses, place every event and publish the map files.

    \b
    Example:
      smwsync sync --config config/demo.toml --out out/
    """
    report = pipeline.run(settings, write=not dry_run, environ=os.environ)
    if as_json:
        click.echo(json.dumps(report_json(report), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(report)))


@cli.command()
@settings_options
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write every problem to this CSV file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def check(settings: Settings, report_path: Path | None, as_json: bool) -> None:
    """Check every response and list every problem, publishing nothing.

    \b
    Example:
      smwsync check --config config/demo.toml --report problems.csv
    """
    report = pipeline.run(settings, write=False, environ=os.environ)
    if report_path is not None:
        write_atomically(report_path, problems_csv(report.problems).encode("utf-8"))
    if as_json:
        click.echo(json.dumps(report_json(report), indent=2, ensure_ascii=False))
        return
    click.echo(summary_lines(report)[0])
    click.echo(f"{len(report.problems)} problems.")
    for problem in report.problems:
        click.echo(problem_line(problem))


def main() -> None:
    """Entry point of the `smwsync` console script."""
    cli(prog_name="smwsync")
