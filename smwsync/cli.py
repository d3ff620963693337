"""The `smwsync` command: parse options, call one library function, print what it returns."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from smwsync import __version__
from smwsync.config import Overrides, Settings, load_settings
from smwsync.errors import ConfigError, SmwsyncError
from smwsync.publish.statuses import write_back_note
from smwsync.sync import pipeline
from smwsync.sync.changes import entry_lines, read_change_log
from smwsync.sync.files import write_atomically
from smwsync.sync.report import (
    problem_line,
    problems_csv,
    report_json,
    summary_lines,
    unchanged_json,
    unchanged_lines,
)
from smwsync.sync.state import SyncFiles, time_text, utc_now
from smwsync.sync.status_file import append_to_log

if TYPE_CHECKING:
    from smwsync.model import SyncReport
    from smwsync.notify.deliver import Sending

# Where `notify --dry-run` and `sync --dry-run` write the emails they would send (not in `out`:
# they hold the staff's addresses).
DRAFTS = Path("email-drafts")

# More online lookups than this in one sync show a progress count on a terminal.
PROGRESS_AFTER = 5


class SmwsyncGroup(click.Group):
    """Turns every SmwsyncError into one message on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmwsyncError as err:
            click.echo(error_text(err), err=True)
            sys.exit(err.exit_code)


def error_text(err: SmwsyncError) -> str:
    """ "Error: ..." and any note added on the way (the status file could not say so...)."""
    return "\n".join([f"Error: {err}", *getattr(err, "__notes__", ())])


@click.group(cls=SmwsyncGroup)
@click.version_option(__version__, prog_name="smwsync")
def cli() -> None:
    """Keep a campaign's public event map in step with its Google Form.

    \b
    Exit codes: 0 published, or nothing to do (problems in rows are not
    failures); 1 failed and nothing written; 2 usage or configuration error;
    3 held back by a guard (the last files stay; --force publishes);
    75 another sync is running (try later, or --wait SECONDS).
    """


DATE_FORMAT = "YYYY-MM-DD"


def settings_options(
    command: Callable[..., Any] | None = None,
    *,
    responses: bool = True,
    out: bool = True,
    offline: bool = True,
    today: bool = True,
) -> Any:
    """Options a command shares with the others, building `settings` from them.

    Every command takes --config; the others are offered only where they do something. A
    command that reads no responses (`responses=False`) runs on the default settings when there
    is no configuration file.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(config_path: Path | None, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name, None) for name in ("csv_path", "out_dir", "offline")}
            day = kwargs.pop("today", None)
            overrides = Overrides(
                csv=given["csv_path"],
                out=given["out_dir"],
                offline=given["offline"],
                today=day.date() if day else None,
            )
            settings = load_settings(config_path, overrides, required=responses)
            return command(settings=settings, **kwargs)

        options = [
            click.option(
                "--config",
                "config_path",
                type=click.Path(path_type=Path, dir_okay=False),
                default=None,
                help="Configuration file (default: smwsync.toml in this folder).",
            )
        ]
        if responses:
            options.append(
                click.option(
                    "--csv",
                    "csv_path",
                    type=click.Path(path_type=Path, dir_okay=False, exists=True),
                    help="Read the responses from this download (CSV, Excel .xlsx or "
                    "Unicode Text) instead of the configured source.",
                )
            )
        if out:
            options.append(
                click.option(
                    "--out",
                    "out_dir",
                    type=click.Path(path_type=Path, file_okay=False),
                    help="Folder for the published files (default: [publish] out).",
                )
            )
        if offline:
            options.append(
                click.option(
                    "--offline",
                    is_flag=True,
                    default=None,
                    help="Use no online geocoder: only the gazetteer.",
                )
            )
        if today:
            options.append(
                click.option(
                    "--today",
                    type=click.DateTime(formats=["%Y-%m-%d"]),
                    metavar=DATE_FORMAT,
                    envvar="SMWSYNC_TODAY",
                    help="Treat this date as today: which events count as past. "
                    "Default: today where the campaign is.",
                )
            )
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate(command) if command is not None else decorate


@cli.command()
@settings_options
@click.option("--dry-run", is_flag=True, help="Do everything but write the files.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--force", is_flag=True, help="Publish even when a guard would hold it back.")
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    default=0,
    help="If another sync is running, wait up to this many seconds for it (default: exit 75).",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@click.option(
    "--log-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also append the summary, or the error, to this file, each line timed.",
)
def sync(
    settings: Settings,
    dry_run: bool,
    as_json: bool,
    force: bool,
    wait_seconds: float,
    quiet: bool,
    log_file: Path | None,
) -> None:
    """Read the responses, place every event and publish the map files.

    \b
    Example:
      smwsync sync --config config/demo.toml --out out/
      smwsync sync --quiet --log-file sync.log   # from cron
    """
    progress = None if quiet or not sys.stderr.isatty() else lookup_progress
    try:
        drafts: list[Path] = []
        if dry_run:
            today = campaign_today(settings)
            report = pipeline.run(
                settings, write=False, environ=google_environment(), today=today, progress=progress
            )
            outcome = None
            drafts = email_drafts(settings, report, DRAFTS)
        else:
            report, outcome = pipeline.sync(
                settings,
                force=force,
                wait_seconds=wait_seconds,
                environ=google_environment(),
                today=campaign_today(settings),
                progress=progress,
                emailing=emailing_of(settings),
            )
    except SmwsyncError as err:
        if log_file is not None:
            append_to_log(log_file, time_text(utc_now), error_text(err).splitlines())
        raise
    # No report: the sync stopped after the read, as the sheet was as the last sync found it.
    lines = unchanged_lines(outcome) if report is None else summary_lines(report, outcome)
    lines += [note for note in (write_back_note(settings),) if note]
    if outcome is not None and outcome.emails is not None:
        from smwsync.notify.deliver import emails_line

        lines += [line for line in (emails_line(outcome.emails),) if line]
    if drafts:
        lines.append(f"Wrote {len(drafts)} emails it would send to {DRAFTS}/ (nothing sent).")
    if log_file is not None:
        append_to_log(log_file, time_text(utc_now), lines)
    if quiet:
        return
    if as_json:
        data = unchanged_json(outcome) if report is None else report_json(report, outcome)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(lines))


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
    report = pipeline.run(
        settings, write=False, environ=google_environment(), today=campaign_today(settings)
    )
    if report_path is not None:
        write_atomically(report_path, problems_csv(report.problems).encode("utf-8"))
    if as_json:
        click.echo(json.dumps(report_json(report), indent=2, ensure_ascii=False))
        return
    click.echo(summary_lines(report)[0])
    click.echo(count_line(len(report.problems), "problem") + ".")
    for problem in report.problems:
        click.echo(problem_line(problem))


@cli.command()
@settings_options
@click.option("--open", "open_page", is_flag=True, help="Open the preview in your web browser.")
def preview(settings: Settings, open_page: bool) -> None:
    """Write preview.html: the map, its list and filters, in one page that works offline.

    Publishes nothing: it shows what a sync would publish, and what it would
    leave off the map and why.

    \b
    Example:
      smwsync preview --config config/demo.toml --out out/ --open
    """
    from smwsync.commands.browser import open_in_browser
    from smwsync.commands.preview import write_preview

    page = write_preview(settings, environ=google_environment(), today=campaign_today(settings))
    click.echo(f"Wrote {page.path}: {page.on_map} events on the map, {page.off_map} not on it.")
    if open_page and not open_in_browser(page.path):
        click.echo(f"Could not start a web browser: open {page.path.resolve().as_uri()} in yours.")


@cli.command()
@settings_options
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the emails to files instead of sending them (the only way this command runs).",
)
@click.option(
    "--drafts",
    "drafts_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=DRAFTS,
    show_default=True,
    help="Folder for the .eml files.",
)
def notify(settings: Settings, dry_run: bool, drafts_folder: Path) -> None:
    """Write the emails the next sync would send, as .eml files to read first. Sends nothing.

    Emails go out from `smwsync sync` itself, once the map is published, when the
    configuration says [notify] enabled = true; `doctor` checks the mail relay.

    \b
    Example:
      smwsync notify --dry-run --config smwsync.toml
    """
    if not dry_run:
        raise click.UsageError(
            "Emails are sent by `smwsync sync` after it publishes the map, once [notify] "
            "enabled = true. Add --dry-run to write them to files and read them first."
        )
    if not settings.notify.sender:
        raise ConfigError(
            "Set [notify] sender to the address the emails come from, such as "
            '"smw-map@your-council.gov.uk".'
        )
    today = campaign_today(settings)
    report = pipeline.run(settings, write=False, environ=google_environment(), today=today)
    written = email_drafts(settings, report, drafts_folder, always=True)
    click.echo(f"Wrote {len(written)} emails to {drafts_folder}/ (nothing sent).")


@cli.command()
@settings_options
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page here instead of campaign-report.html in the out folder.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as one JSON object.")
def report(settings: Settings, output_path: Path | None, as_json: bool) -> None:
    """Write the campaign in numbers for organisers: councils with no event yet, registrations
    per day, the problems staff most often make. Publishes nothing.

    The page names rows and councils, never an email address or a name; keep it among the
    organisers.

    \b
    Example:
      smwsync report --config config/demo.toml
    """
    from smwsync.commands.report import write_campaign_report
    from smwsync.publish.coverage_page import coverage_json

    written = write_campaign_report(
        settings, today=campaign_today(settings), environ=google_environment(), path=output_path
    )
    coverage = written.coverage
    if as_json:
        click.echo(json.dumps(coverage_json(coverage), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{len(coverage.taking_part)} of {coverage.local_councils} councils have an event on the "
        f"map; {sum(len(names) for _, names in coverage.without_events)} have none yet."
    )
    click.echo(f"Wrote {written.path}")


@cli.command()
@settings_options(responses=False, offline=False, today=False)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]),
    metavar=DATE_FORMAT,
    help="Only the syncs from this date (UTC) on.",
)
def changes(settings: Settings, since: dt.datetime | None) -> None:
    """List what each sync added, updated, removed and held back, from the change log.

    \b
    Example:
      smwsync changes --config config/demo.toml --since 2027-03-01
    """
    entries = read_change_log(SyncFiles.of(settings.publish).change_log, since)
    if not entries:
        click.echo("No changes logged" + (f" since {since:%Y-%m-%d %H:%M}." if since else "."))
    for line in entry_lines(entries):
        click.echo(line)


@cli.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Configuration file (default: smwsync.toml in this folder).",
)
def doctor(config_path: Path | None) -> None:
    """Check the configuration, Google account, sheet, columns and geocoder.

    Prints one line per check, with what to do about each failure; exits 0
    only when every check passes.

    \b
    Example:
      smwsync doctor --config smwsync.toml
    """
    from smwsync.commands.doctor import run_checks

    checks = run_checks(config_path, google_environment(), secret=os.environ.get)
    for outcome in checks:
        click.echo(outcome.line())
    if not all(outcome.ok for outcome in checks):
        raise click.exceptions.Exit(1)


@cli.group()
def auth() -> None:
    """Sign in to Google with your own account instead of a service account's key.

    \b
    Example:
      smwsync auth login --client-file client_secret.json
    """


@auth.command()
@click.option(
    "--client-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The OAuth client (Desktop app) JSON file from Google Cloud "
    "(default: credentials.json in gspread's folder, ~/.config/gspread).",
)
def login(client_file: Path | None) -> None:
    """Sign in once in the browser; later syncs use the saved sign-in.

    \b
    Example:
      smwsync auth login --client-file client_secret.json
    """
    from smwsync.commands.auth import CLIENT_FILE, sign_in  # Google's sign-in libraries load slowly

    path = sign_in(client_file or CLIENT_FILE)
    click.echo(f"Signed in. The sign-in is kept in {path}, readable by you alone.")
    click.echo("Leave [source] credentials unset and smwsync uses it to read and write the sheet.")


@cli.command()
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A download of the form's responses (CSV, Excel .xlsx or Unicode Text) to read the "
    "questions and answers from.",
)
@click.option(
    "--encoding",
    default="",
    help="The text encoding of a CSV download, such as cp1252 (default: found from the file).",
)
@click.option("--sheet", default="", help="Or the response sheet's address or key.")
@click.option(
    "--credentials",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Service-account key file for reading --sheet.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("smwsync.toml"),
    show_default=True,
    help="Where to write the configuration.",
)
@click.option("--force", is_flag=True, help="Replace an existing configuration file.")
@click.option("--yes", is_flag=True, help="Write the file without asking.")
def init(
    csv_path: Path | None,
    encoding: str,
    sheet: str,
    credentials: Path | None,
    config_path: Path,
    force: bool,
    yes: bool,
) -> None:
    """Propose a configuration from the form's questions and answers, and write it.

    Each field smwsync knows is matched to the question that asks for it, by the question's
    words and by what its answers look like; check the table, then correct the file if a guess
    is wrong.

    \b
    Example:
      smwsync init --csv "Social Media Week (Responses).csv"
    """
    from smwsync.commands import init as init_config

    init_config.check_free(config_path, force=force)
    form, encoding = init_config.read_form(
        csv=csv_path,
        encoding=encoding,
        sheet=sheet,
        credentials=credentials,
        environ=google_environment(),
    )
    proposal = init_config.propose_columns(form.headers, [cells for _, cells in form.rows])
    click.echo(f"Read the questions and {count_line(len(form.rows), 'response')} of {form.name}.")
    click.echo("\n".join(init_config.proposal_table(proposal)))
    csv_text = init_config.relative_to_config(csv_path, config_path) if csv_path else ""
    text = init_config.config_text(proposal, csv=csv_text, sheet=sheet, encoding=encoding)
    if not yes and not click.confirm(f"Write this to {config_path}?", default=True):
        return
    init_config.write_config(config_path, text, force=force)
    click.echo(f"Wrote {config_path}: check [columns], then run `smwsync check`.")


@cli.command()
@settings_options(responses=False, out=False, today=False)
@click.argument("text")
@click.option("--council", default="", help="The council named on the form, as staff typed it.")
def geocode(settings: Settings, text: str, council: str) -> None:
    """Show what each step of the geocoding chain answers for an address or postcode.

    \b
    Example:
      smwsync geocode "LS1 1UR" --council Leeds
      smwsync geocode "Civic Centre, Barnsley" --council "Barnsley MBC" --offline
    """
    from smwsync.geocode import chain
    from smwsync.geocode.gazetteer import Gazetteer

    for step in chain.explain(text, council, Gazetteer.load(), settings.geocode):
        click.echo(f"{step.name + ':':<18} {step.answer}")


@cli.group()
def cache() -> None:
    """Look after the geocoding cache ([geocode] cache): every online answer, kept.

    \b
    Example:
      smwsync cache stats
    """


@cache.command("stats")
@settings_options(responses=False, out=False, offline=False, today=False)
def cache_stats(settings: Settings) -> None:
    """Say how many answers the geocoding cache holds for each provider.

    \b
    Example:
      smwsync cache stats --config smwsync.toml
    """
    path = settings.geocode.cache
    if not path.is_file():
        click.echo(f"No geocoding cache yet at {path}.")
        return
    from smwsync.geocode.cache import GeocodeCache

    with GeocodeCache(path) as answers:
        counts = answers.counts()
    click.echo(f"Geocoding cache {path}:")
    for count in counts:
        click.echo(f"  {count.provider}: {count.found} found, {count.not_found} not found")
    if not counts:
        click.echo("  empty")


@cache.command("clear")
@settings_options(responses=False, out=False, offline=False, today=False)
@click.option("--provider", default="", help="Forget only this provider's answers.")
def cache_clear(settings: Settings, provider: str) -> None:
    """Forget the cached geocoding answers, so the next sync asks again.

    \b
    Example:
      smwsync cache clear --provider nominatim
    """
    path = settings.geocode.cache
    if not path.is_file():
        click.echo(f"No geocoding cache at {path}: nothing to clear.")
        return
    from smwsync.geocode.cache import GeocodeCache

    with GeocodeCache(path) as answers:
        forgotten = answers.clear(provider)
    click.echo(f"Forgot {forgotten} answers from {path}.")


@cli.group()
def gazetteer() -> None:
    """Manage the offline postcode data ([geocode] codepoint): OS Code-Point Open.

    \b
    Example:
      smwsync gazetteer import codepo_gb.zip
    """


@gazetteer.command("import")
@settings_options(responses=False, out=False, offline=False, today=False)
@click.argument("zip_path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def gazetteer_import(settings: Settings, zip_path: Path) -> None:
    """Build the postcode index from OS Code-Point Open (codepo_gb.zip).

    \b
    Example:
      smwsync gazetteer import ~/Downloads/codepo_gb.zip
    """
    from smwsync.geocode.codepoint import import_codepoint  # pyproj loads slowly

    done = import_codepoint(zip_path, settings.geocode.codepoint)
    click.echo(
        f"Imported {done.info.postcodes:,} postcodes from {done.info.areas} areas of Code-Point "
        f"Open {done.info.release} ({done.info.release_date}) into {done.info.path} "
        f"in {done.seconds:.1f} s."
    )


@gazetteer.command("info")
@settings_options(responses=False, out=False, offline=False, today=False)
def gazetteer_info(settings: Settings) -> None:
    """Say which offline data places events, and its date.

    \b
    Example:
      smwsync gazetteer info --config smwsync.toml
    """
    click.echo("Built in: postcode sectors and districts, places and councils (see ATTRIBUTION).")
    path = settings.geocode.codepoint
    if not path.is_file():
        click.echo(f"Code-Point index: none at {path} (smwsync gazetteer import codepo_gb.zip).")
        return
    from smwsync.geocode.codepoint import CodePointIndex

    index = CodePointIndex(path)
    try:
        info = index.info()
    finally:
        index.close()
    click.echo(
        f"Code-Point index: {path}: {info.postcodes:,} postcodes, Code-Point Open "
        f"{info.release} ({info.release_date}), from {info.imported_from}."
    )


def count_line(count: int, thing: str) -> str:
    """ "1 problem", "2 problems"."""
    return f"{count} {thing}" + ("" if count == 1 else "s")


def lookup_progress(done: int, total: int) -> None:
    """A one-line progress count on stderr while more than a handful of lookups go online."""
    if total <= PROGRESS_AFTER:
        return
    end = "\n" if done >= total else ""
    click.echo(f"\rLooking up venues online: {done}/{total}{end}", err=True, nl=False)


# The only environment variables the library is given: where Google's credentials and API are,
# and the id secret a CI job keeps in a repository secret (sync/id_secret.py).
GOOGLE_VARIABLES = (
    "GOOGLE_APPLICATION_CREDENTIALS",
    "SMWSYNC_SHEETS_ENDPOINT",
    "SMWSYNC_ID_SECRET",
)


def google_environment() -> dict[str, str]:
    """The Google settings that may come from the environment, and nothing else from it."""
    return {name: os.environ[name] for name in GOOGLE_VARIABLES if os.environ.get(name)}


def emailing_of(settings: Settings) -> Sending | None:
    """How a sync sends email, with the password from the variable [notify] password_env
    names; None when [notify] is off."""
    if not settings.notify.enabled:
        return None
    from smwsync.notify.after_sync import sending_of

    variable = settings.notify.password_env
    return sending_of(settings, os.environ.get(variable, "") if variable else "")


def email_drafts(
    settings: Settings, report: SyncReport, folder: Path, *, always: bool = False
) -> list[Path]:
    """Write the emails due now as .eml files (when [notify] is on, or `always`)."""
    if not (settings.notify.enabled or always):
        return []
    from smwsync.notify.after_sync import draft_everything

    return draft_everything(settings, report, folder, now=utc_now())


def campaign_today(settings: Settings) -> dt.date:
    """Today's date where the campaign is (its time zone, Europe/London by default), unless
    --today says otherwise."""
    if settings.today is not None:
        return settings.today
    return dt.datetime.now(ZoneInfo(settings.source.timezone)).date()


def main() -> None:
    """Entry point of the `smwsync` console script."""
    # A sync builds a large heap that lives until it ends (the gazetteer, the state, every
    # event) and makes little cyclic garbage; Python's full collections would scan all of it
    # again and again, about a sixth of a sync's time at 10,000 answers. Young objects are
    # still collected as usual.
    gc.set_threshold(700, 10, 1000)
    cli(prog_name="smwsync")
