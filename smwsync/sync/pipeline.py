"""One sync from start to finish: source -> clean -> geocode -> select -> publish.

The stages' modules are imported where they are used: a cron run that finds the sheet
unchanged stops after the read (sync/fingerprint.py) and never loads them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from smwsync.config import Settings
from smwsync.errors import ConfigError, HeldBack
from smwsync.memo import Memo
from smwsync.model import CalendarUpdates, Event, Problem, SyncReport, Table
from smwsync.sources.columns import responses_from_table
from smwsync.sources.download import Download, open_download
from smwsync.sync.changes import SyncOutcome, finished_changes, record_sync, record_unchanged
from smwsync.sync.commit import Commit, Recovery, recover
from smwsync.sync.fingerprint import input_fingerprint
from smwsync.sync.lock import LockHolder, hold_lock
from smwsync.sync.report import report_json
from smwsync.sync.state import (
    SyncFiles,
    SyncState,
    event_hash,
    last_state,
    load_head,
    load_state,
    memory_of,
    outputs_as_left,
    stale_outputs,
    state_of,
    time_text,
    utc_now,
)
from smwsync.sync.status_file import record_emails, recording_failure
from smwsync.sync.work_cache import open_work, remove_left_behind, work_cache_path

if TYPE_CHECKING:
    from smwsync.clean.identity import IdKey
    from smwsync.geocode.chain import ChainResult, Progress
    from smwsync.geocode.gazetteer import Gazetteer
    from smwsync.geocode.online import Online
    from smwsync.google.sheet import ResponseTab
    from smwsync.notify.deliver import Sending
    from smwsync.publish.output_files import OutputFiles, Written
    from smwsync.publish.sheet_writes import SheetResults
    from smwsync.sync.guards import Guards

# The answer a member of staff should look at when a location note is about their row.
LOCATION_FIELDS = {
    "no_location": "address",
    "placed_at_council": "address",
    "place_far_from_council": "address",
    "far_from_council": "postcode",
    "postcode_not_found": "postcode",
    "outside_uk": "address",
    "geocoded_far_from_council": "address",
}


@dataclass
class Prepared:
    """A sync up to, not including, its commit: the report, the files written to publish (by
    path relative to `out`: size and SHA-256) and the write-back to send once they are
    published."""

    report: SyncReport
    files: dict[str, Written]
    sheet_results: SheetResults | None = None

    def publish_write_back(self) -> None:
        """Send the results back to the live sheet, if the sync read one; say so in the report.
        After the files are published: the sheet is not part of their commit."""
        if self.sheet_results is not None:
            from smwsync.google.writes import send_writes

            send_writes(self.sheet_results.read.sheet, self.sheet_results.writes)
            self.report.outputs += (self.sheet_results.description,)


def run(
    settings: Settings,
    *,
    write: bool = True,
    gazetteer: Gazetteer | None = None,
    environ: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    online: Online | None = None,
) -> SyncReport:
    """Read the responses, clean and place every event, and (when `write`) publish the files.

    Problems in rows are returned in the report; a failure raises a SmwsyncError before any file
    is replaced, so the last published files stay exactly as they were. `environ` holds the
    environment variables the caller lets through (Google credentials and endpoint). With
    `today` (and [publish] hide_past_events) events dated before it are left off the map.
    Writing here publishes the files alone, keeping no state: `sync` is the one for cron.
    """
    from smwsync.sync.id_secret import campaign_key

    def prepared(into: OutputFiles | None = None, key: IdKey | None = None) -> Prepared:
        return prepare(
            settings,
            key=key,
            render=write,
            gazetteer=gazetteer,
            environ=environ,
            today=today,
            progress=progress,
            online=online,
            into=into,
        )

    if not write:
        return prepared().report
    out = settings.publish.out
    check_out_folder(out)
    files = SyncFiles.of(settings.publish)
    key, secret_notices = campaign_key(
        files.secret, old=files.old_secret, out=out, environ=environ or {}
    )
    # Each output goes to its temporary file as it is made: under the lock, in the commit.
    with hold_lock(files.lock, command="smwsync publish", started=time_text(utc_now)):
        recover(files.journal, out=out, reserved=files.kept())
        with Commit(files.journal, out) as staged:
            done = prepared(staged, key)
            staged.publish()
    done.publish_write_back()
    done.report.notices += secret_notices
    return done.report


def prepare(
    settings: Settings,
    *,
    render: bool = True,
    gazetteer: Gazetteer | None = None,
    environ: Mapping[str, str] | None = None,
    guards: Guards | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    online: Online | None = None,
    previous: SyncState | None = None,
    read: Table | ResponseTab | None = None,
    key: IdKey | None = None,
    now: str = "",
    clock: Callable[[], dt.datetime] = utc_now,
    memo: Memo | None = None,
    into: OutputFiles | None = None,
) -> Prepared:
    """Everything a sync does before its commit: read, clean, place, select, check the guards
    and (when `render`) write every output into `into` (kept in memory when not given): a
    sync's commit, which touches no published file until it is published.

    `key` is the campaign's secret that ids are keyed with; without it (a run that publishes
    nothing) the secret and the state are read if a sync has left them, and ids come out as
    that sync would give them (before any sync, from an unkeyed hash: the same every run).
    `now` is the sync's time, which an event it takes off the calendar is cancelled at.
    `memo` holds the last sync's work (sync/work_cache.py): answers and events it kept are
    not cleaned or rendered again, and the files come out the same as without it.
    """
    from smwsync.clean.identity import UNKEYED, ids_written_in
    from smwsync.clean.validate import clean_responses
    from smwsync.geocode.chain import with_attribution
    from smwsync.geocode.gazetteer import Gazetteer
    from smwsync.publish.fields import public_record
    from smwsync.select import select_events
    from smwsync.sync.calendar_memory import calendar_updates
    from smwsync.sync.id_secret import known_key
    from smwsync.sync.kept_gazetteer import kept_gazetteer

    if key is None:
        files = SyncFiles.of(settings.publish)
        key = known_key(files.secret, files.old_secret, environ or {}) or UNKEYED
        previous = previous or last_state(files.state)
    if read is None:
        read = read_source(settings, environ or {})
    table = read if isinstance(read, Table) else read.table
    if guards is not None:
        guards.check_sheet(table)  # before the memo is asked for anything (see `sync`)
    if gazetteer is None:
        gazetteer = kept_gazetteer(memo, key) if memo is not None else Gazetteer.load()
    responses, header_problems = responses_from_table(table, settings.columns)
    # A live sheet says which locale and time zone its dates are written in; that wins.
    source = replace(
        settings.source,
        locale=table.locale or settings.source.locale,
        timezone=table.timezone or settings.source.timezone,
    )
    rows_read, source_name, written_ids = len(table.rows), table.name, ids_written_in(table)
    # Each stage's input is let go once the next has what it needs (a download's table, the
    # answers, the events before they were placed): at 100,000 answers each is 100 MB or more.
    # A live sheet's table stays, for the write-back.
    del table
    if isinstance(read, Table):
        read = None
    cleaned = clean_responses(
        responses,
        find_council=gazetteer.find_council,
        nearest_councils=gazetteer.nearest_councils,
        known_postcodes=gazetteer.known_postcodes,
        day_first=source.day_first,
        timezone=source.timezone,
        text_limit=settings.publish.max_text_length,
        today=today,
        key=key,
        memory=replace(memory_of(previous), written=written_ids),
        memo_of_work=memo,
    )
    del responses
    known = cleaned.known
    events, location_problems, geocoding = locate_events(
        cleaned.events, gazetteer, settings, progress=progress, online=online
    )
    problems = tuple(
        sorted(
            (*header_problems, *cleaned.problems, *location_problems),
            key=lambda p: (p.row_number, p.field, p.code),
        )
    )
    del cleaned, location_problems
    selection = select_events(
        events,
        problems,
        layer_by=settings.publish.layer_by,
        require_approval=settings.publish.require_approval,
        today=today if settings.publish.hide_past_events else None,
    )
    records = {event.id: public_record(event) for event in selection.published}
    hashes = {event_id: event_hash(record) for event_id, record in records.items()}
    report = SyncReport(
        rows_read=rows_read,
        source=source_name,
        events=tuple(events),
        published=selection.published,
        unplaced=selection.unplaced,
        rejected=selection.rejected,
        pending=selection.pending,
        hidden=selection.hidden,
        past=selection.past,
        problems=problems,
        dry_run=not render,
        geocoder_stats=geocoding.stats_dict(),
        calendar=calendar_updates(
            previous,
            selection.published,
            today,
            over={e.id for e in selection.past},
            now=now,
            hashes=hashes,
        ),
        known=known,
        records=records,
        record_hashes=hashes,
    )
    if guards is not None:
        guards.check_report(report)
    # Planned before the files are written, so a write-back setting that cannot work stops here.
    sheet_results = None
    if read is not None:  # only a live sheet can be written back to
        from smwsync.publish.sheet_writes import prepare_write_back

        sheet_results = prepare_write_back(read, report, settings)
    files: dict[str, Written] = {}
    if render:
        from smwsync.publish.output_files import InMemory

        files, report.notices = render_files(
            selection.published,
            with_attribution(settings, geocoding),
            report.calendar,
            gazetteer=gazetteer,
            updated=last_change(previous, hashes, clock),
            memo=memo,
            into=into if into is not None else InMemory(),
        )
        report.outputs = tuple(str(settings.publish.out / name) for name in files)
    return Prepared(report, files, sheet_results)


def sync(
    settings: Settings,
    *,
    force: bool = False,
    wait_seconds: float = 0.0,
    gazetteer: Gazetteer | None = None,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    command: str = "smwsync sync",
    today: dt.date | None = None,
    progress: Progress | None = None,
    emailing: Sending | None = None,
) -> tuple[SyncReport | None, SyncOutcome]:
    """A sync safe to leave on cron: one at a time, held back by the guards unless `force`,
    and recorded in the state, the change log and the status file beside the outputs.

    The outputs, the state, the change log and the status file are published in one commit
    (sync/commit.py): a sync that fails or is killed leaves the last set whole, and the next
    sync first finishes or rolls back what a killed one left.

    When what was read is exactly what the last complete sync read (sync/fingerprint.py) and
    its files are all in place, the sync stops there: the report is None, and the outcome
    carries the last sync's report. `force` always does the whole sync.

    With `[notify] enabled` and `emailing` given, staff and organisers are emailed once the map
    is published (or, for a guard that held, the organisers are told); email never holds the
    map back.
    """
    files = SyncFiles.of(settings.publish)
    out = settings.publish.out
    check_out_folder(out)
    with (
        hold_lock(
            files.lock,
            command=command,
            started=time_text(clock),
            wait_seconds=wait_seconds,
        ) as lock,
        recording_failure(files.status, clock),
        contextlib.ExitStack() as cleanup,
    ):
        recovered = recover(files.journal, loose=(files.status,), out=out, reserved=files.kept())
        taken_over = takeover_text(lock.taken_over, recovered)
        finished = finished_changes(recovered, files.change_log)
        # Only the state's head first: an unchanged sheet needs no more of it.
        head = load_head(files.state, out, files.kept())
        given = read_input(settings, environ or {})
        fingerprint = input_fingerprint(settings, given, today)
        if (
            not force
            and head is not None
            and head.fingerprint == fingerprint
            and outputs_as_left(head, out, files.state)
            and (emailing is None or emails_finished_for(settings) == fingerprint)
        ):
            return None, record_unchanged(
                files, head, time=time_text(clock), taken_over=taken_over, finished=finished
            )
        # Something to do: now the whole state, the parsed read, and the modules that use them.
        from smwsync.sync.guards import Guards
        from smwsync.sync.id_secret import campaign_key

        previous = load_state(files.state, out, files.kept()) if head is not None else None
        synced_at = clock()
        key, secret_notices = campaign_key(
            files.secret, old=files.old_secret, out=out, environ=environ or {}
        )
        guards = Guards.of(settings, previous, force=force)
        # Read as it is asked for and written as it is made; saved after the commit, rolled
        # back by a sync that fails.
        work = cleanup.enter_context(open_work(work_cache_path(settings)))
        memo = work.memo
        # Each output goes to its temporary file as it is made, in the commit that publishes
        # it with the state: an error (or a kill) before then leaves the old set as it was.
        also = (files.state, files.change_log, files.status)  # what record_sync adds
        with Commit(files.journal, out, also=also) as staged:
            try:
                prepared = prepare(
                    settings,
                    into=staged,
                    # Parsed here and held by prepare alone, which lets it go once read.
                    read=given.table() if isinstance(given, Download) else given,
                    previous=previous,
                    gazetteer=gazetteer,
                    environ=environ,
                    guards=guards,
                    today=today,
                    progress=progress,
                    key=key,
                    now=time_text(lambda: synced_at),
                    clock=lambda: synced_at,  # the page's "last updated" is the state's time
                    memo=memo,
                )
            except HeldBack as held:
                # What was worked out holds whatever the guards say, and an answer deleted from
                # the sheet leaves the cache now, not at the next sync that is not held back. (A
                # sheet that came back empty asked for nothing: the cache is left as it was.)
                if memo.asked():
                    work.save()
                if emailing is not None and settings.notify.enabled:
                    from smwsync.notify.after_sync import tell_everyone

                    tell_everyone(settings, None, emailing, held_back=str(held))
                raise
            report = prepared.report
            report.notices += secret_notices
            # A sync whose geocoder failed keeps no fingerprint: the next one tries again.
            complete = not any(stats.get("failures") for stats in report.geocoder_stats.values())
            current = state_of(
                report,
                columns=guards.found,
                synced_at=time_text(lambda: synced_at),
                out=out,
                fingerprint=fingerprint if complete else "",
                summary=report_json(report),
                written={name: written.sha256 for name, written in prepared.files.items()},
            )
            from smwsync.publish.outputs import could_write

            removals, left = stale_outputs(
                previous,
                current,
                out,
                lambda name: could_write(name, settings.publish),
                files.kept(),
            )
            report.notices += tuple(
                f"Removed {path}: this sync no longer writes it." for path in removals
            )
            report.notices += left
            outcome = record_sync(
                files,
                previous,
                current,
                outputs=staged,
                removals=removals,
                taken_over=taken_over,
                finished=finished,
            )
        report.notices += tuple(filter(None, [work.save(), remove_left_behind(settings)]))
        prepared.publish_write_back()
        if emailing is not None and settings.notify.enabled:
            from smwsync.notify.after_sync import tell_everyone
            from smwsync.notify.deliver import emails_json

            emails = tell_everyone(
                settings,
                report,
                emailing,
                fingerprint=current.fingerprint,
                changed=bool(outcome.changes),
                added=[(change.id, change.title) for change in outcome.changes.added],
            )
            record_emails(files.status, emails_json(emails))
            outcome = replace(outcome, emails=emails)
        return report, outcome


def emails_finished_for(settings: Settings) -> str:
    """The fingerprint of the last sync whose emails all went ("" when [notify] is off)."""
    if not settings.notify.enabled:
        return ""
    from smwsync.notify.after_sync import emails_finished_for as finished

    return finished(settings)


def takeover_text(holder: LockHolder | None, recovered: Recovery | None) -> str:
    """Whose lock this sync took over, and what it did with the files that sync left."""
    if holder is None and recovered is None:
        return ""
    who = holder.describe() if holder is not None else "a sync"
    done = f"; {recovered.describe()}" if recovered is not None else ""
    return f"{who}, which ended unfinished{done}"


def check_out_folder(out: Path) -> None:
    """Raise ConfigError when `out` (or a folder above it) is a file, not a folder."""
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                raise ConfigError(
                    f"The out folder {out} is not a folder: {folder} is a file. Set [publish] "
                    "out (or --out PATH) to a folder."
                )
            return


def read_source(settings: Settings, environ: Mapping[str, str]) -> Table | ResponseTab:
    """Read the form's responses from the CSV download or the live sheet the settings name."""
    given = read_input(settings, environ)
    return given.table() if isinstance(given, Download) else given


def read_input(settings: Settings, environ: Mapping[str, str]) -> Download | ResponseTab:
    """Read what the settings name: the download's bytes (parsed only when they are needed),
    or the live sheet's responses.

    From the live sheet, the read also brings what writing results back needs, including the
    events tab ([publish] sheet_tab) in the same request.
    """
    source = settings.source
    if source.csv is not None:
        return open_download(source.csv, encoding=source.encoding, worksheet=source.worksheet)
    if source.sheet:
        # gspread and google-auth load only when a sync reads the live sheet.
        from smwsync.google.access import GoogleAccess
        from smwsync.google.sheet import read_responses

        access = GoogleAccess.from_environ(environ)
        return read_responses(source, access, also_read=settings.publish.sheet_tab)
    raise ConfigError(
        "No source of responses: set [source] sheet or csv in the configuration, "
        "or pass --csv PATH."
    )


def locate_events(
    events: tuple[Event, ...],
    gazetteer: Gazetteer,
    settings: Settings,
    *,
    progress: Progress | None = None,
    online: Online | None = None,
) -> tuple[list[Event], list[Problem], ChainResult]:
    """Place every event through the geocoding chain; say why where one cannot be placed."""
    from smwsync.geocode.area import with_area
    from smwsync.geocode.chain import locate

    geocoding = locate(events, gazetteer, settings.geocode, progress=progress, online=online)
    located: list[Event] = []
    problems: list[Problem] = []
    for event, placed in zip(events, geocoding.placed, strict=True):
        located.append(with_area(event, gazetteer, location=placed.location))
        problems.extend(
            Problem.from_note(note, event.row_number, LOCATION_FIELDS.get(note.code, "postcode"))
            for note in placed.notes
        )
    return located, problems, geocoding


def last_change(
    previous: SyncState | None, hashes: Mapping[str, str], clock: Callable[[], dt.datetime]
) -> str:
    """When the published events last changed: the last sync's time when they are the same
    events with the same public fields, by `event_hash` (so an unchanged map keeps its
    bytes), else now."""
    kept = (
        {event_id: event.hash for event_id, event in previous.published.items()} if previous else {}
    )
    if previous is not None and previous.synced_at and hashes == kept:
        return previous.synced_at
    return time_text(clock)


def render_files(
    events: tuple[Event, ...],
    settings: Settings,
    calendar: CalendarUpdates | None = None,
    *,
    into: OutputFiles,
    gazetteer: Gazetteer | None = None,
    updated: str = "",
    memo: Memo | None = None,
) -> tuple[dict[str, Written], tuple[str, ...]]:
    """Write every configured output, the live map's site among them, into `into`, one at a
    time; return each one's size and SHA-256 by path relative to the out folder, and what the
    organiser should know about them before importing into My Maps. Each event's piece of
    each output is kept in `memo`, so an event whose public face did not change since the
    last sync is not rendered again."""
    from smwsync.publish.fields import event_from_record
    from smwsync.publish.kml import kml_layers
    from smwsync.publish.mymaps_limits import limit_notices
    from smwsync.publish.outputs import layer_order, write_outputs
    from smwsync.publish.pieces import Pieces
    from smwsync.sync.calendar_memory import cancelled_at

    calendar = calendar or CalendarUpdates()
    pieces = Pieces(memo)
    write_outputs(
        into,
        events,
        settings.publish,
        sequences={
            **calendar.sequences,
            **{event_id: gone.sequence for event_id, gone in calendar.cancelled.items()},
        },
        cancelled=[
            replace(event_from_record(gone.record), submitted_at=cancelled_at(gone))
            for gone in calendar.cancelled.values()
        ],
        pieces=pieces,
    )
    embed = ""
    if settings.publish.site:
        from smwsync.geocode.gazetteer import Gazetteer
        from smwsync.publish.site.files import SiteInput, write_site

        site = SiteInput.of(
            settings,
            gazetteer or Gazetteer.load(),
            updated=updated,
            calendar=settings.publish.ics,
        )
        write_site(into, events, site, pieces)
        if settings.site.url:
            from smwsync.publish.site.files import embed_snippet

            snippet = embed_snippet(settings.site.url, settings.publish.title)
            embed = "To show the live map in a web page, paste:\n" + snippet
    kml = into.written.get(settings.publish.kml) if settings.publish.kml else None
    notices = limit_notices(
        kml_layers(events, layer_order(settings.publish.layer_by)),
        kml.size if kml is not None else None,
    )
    return dict(into.written), (*notices, *([embed] if embed else []))
