"""Guards that hold publication back when the sheet looks broken rather than edited (pure).

Each guard compares this sync with the last successful one, so the first sync is never held
back: with nothing published yet there is nothing to protect. A guard raises HeldBack (exit 3)
with what looks wrong and how to go on; `--force` skips them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from smwsync.config import Settings, closest
from smwsync.errors import HeldBack
from smwsync.model import REQUIRED_FIELDS, Severity, SyncReport, Table
from smwsync.sources.columns import header_key
from smwsync.sync.id_secret import RESTORE
from smwsync.sync.state import SyncState

KEPT = "The files from the last sync stay as they were."
MOST = 0.5  # more than this share of the events changing id at once is held back


def found_columns(headers: tuple[str, ...], columns: Mapping[str, str]) -> dict[str, str]:
    """The configured fields whose question title is in the header row: field -> title."""
    keys = {header_key(h) for h in headers}
    return {name: title for name, title in columns.items() if header_key(title) in keys}


def check_sheet(table: Table, columns: Mapping[str, str], previous: SyncState | None) -> None:
    """Hold back a sheet that came back empty, or lost a question the last sync found."""
    if previous is None:
        return
    if not table.rows and previous.counts.get("rows_read", 0) > 0:
        what = "no header row" if not table.headers else "a header row but no responses"
        raise HeldBack(
            f"The responses ({table.name or 'the sheet'}) came back with {what}, but the last "
            f"sync read {previous.counts['rows_read']} rows. {KEPT} If every response really "
            "was deleted, run again with --force to publish an empty map."
        )
    found = found_columns(table.headers, columns)
    lost = [
        name
        for name, title in columns.items()
        if name not in found and previous.columns.get(name) == title
    ]
    if lost and table.headers:
        raise HeldBack(
            " ".join(_lost_message(name, columns[name], table) for name in lost) + f" {KEPT}"
        )


def check_report(
    report: SyncReport,
    previous: SyncState | None,
    *,
    max_drop: float,
    max_failed_rows: float,
) -> None:
    """Hold back a sync where too many rows fail, or the map would lose too many events."""
    if previous is None:
        return
    failed = {p.row_number for p in report.problems if p.severity is Severity.ERROR}
    failed.discard(1)  # the header row's own problems are not a response's
    if report.rows_read and len(failed) / report.rows_read > max_failed_rows:
        raise HeldBack(
            f"{len(failed)} of {report.rows_read} rows ({_percent(len(failed), report.rows_read)}) "
            f"have errors that keep them off the map, more than the {max_failed_rows:.0%} "
            "allowed by [publish] max_failed_rows; a change to the form may be the cause. "
            f"{KEPT} Run `smwsync check` to see every problem; to publish anyway, run again "
            "with --force."
        )
    # Events the organisers took off on purpose (hidden, past, waiting) are not a broken sheet.
    kept = {
        e.id
        for group in (report.published, report.hidden, report.past, report.pending)
        for e in group
    }
    _check_ids(report, previous)
    before = len(previous.published)
    # An edited answer keeps its id (clean/identity.py): an event that leaves is a removal.
    lost = sum(1 for event_id in previous.published if event_id not in kept)
    if before and lost / before > max_drop:
        raise HeldBack(
            f"The map would lose {lost} of its {before} events ({_percent(lost, before)}), more "
            f"than the {max_drop:.0%} allowed by [publish] max_drop (events hidden, past or "
            f"waiting for approval do not count). {KEPT} If those events really were removed, "
            "run again with --force."
        )


def _check_ids(report: SyncReport, previous: SyncState) -> None:
    """Hold back a sync where most events would change their id at once: answers are edited
    one at a time, so that is a sheet that lost who sent each answer, or a lost secret."""
    known = set(previous.published) | set(previous.held_back)
    now = {event.id for event in report.events}
    gone, new = len(known - now), len(now - known)
    changed = min(gone, new)
    if known and changed / len(known) > MOST:
        raise HeldBack(
            f"{changed} of the {len(known)} events would get a new id at once "
            f"({gone} removed, {new} added): the same answers no longer look like the same "
            "events. This happens when a column that says who sent each answer (the email "
            "address) came back blank or changed, or when the id secret was "
            f"lost or replaced. {KEPT} Check the sheet, or {RESTORE}; if the change is real, "
            "run again with --force (each of these events then gets a new id, once)."
        )


def _lost_message(name: str, title: str, table: Table) -> str:
    titles = {header_key(h): h.strip() for h in table.headers if h.strip()}
    key = closest(header_key(title), list(titles))
    hint = f" (the closest header now is {titles[key]!r})" if key else ""
    if name in REQUIRED_FIELDS:
        deleted = f"{name} is required, so if it was deleted, add a question that asks for it."
    else:
        deleted = f"if it was deleted, take {name} out of [columns]."
    return (
        f"The question {title!r} ([columns] {name}) is no longer in the header row of "
        f"{table.name or 'the responses'}{hint}, though the last sync found it. If it was "
        f"renamed in the form, put its new title in [columns] {name}; {deleted}"
    )


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}"


@dataclass
class Guards:
    """The guards of one sync; also notes which configured questions the sheet has."""

    previous: SyncState | None
    columns: Mapping[str, str]
    max_drop: float
    max_failed_rows: float
    force: bool = False
    found: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Settings, previous: SyncState | None, *, force: bool) -> Guards:
        """The guards the settings configure, against the last successful sync."""
        publish = settings.publish
        return cls(previous, settings.columns, publish.max_drop, publish.max_failed_rows, force)

    def check_sheet(self, table: Table) -> None:
        """Run the sheet's guards (unless forced) as soon as it is read."""
        self.found = found_columns(table.headers, self.columns)
        if not self.force:
            check_sheet(table, self.columns, self.previous)

    def check_report(self, report: SyncReport) -> None:
        """Run the guards on what would be published (unless forced), before any file is written."""
        if not self.force:
            check_report(
                report,
                self.previous,
                max_drop=self.max_drop,
                max_failed_rows=self.max_failed_rows,
            )
