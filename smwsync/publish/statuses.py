"""What happened to each response, in a few words for the sheet's status column (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from smwsync.config import PublishSettings, Settings
from smwsync.model import Problem, Severity, SyncReport

ON_THE_MAP = "On the map"
WAITING = "Waiting for approval"
HIDDEN = "Not on the map: hidden by the organisers"
PAST = "Not on the map: the event is over"
NOT_ON_THE_MAP = "Not on the map"
NOT_PLACED = "we could not tell where it is; add the venue's postcode"


def response_statuses(report: SyncReport, row_numbers: Iterable[int]) -> dict[int, str]:
    """The status of each response row: "On the map", "Waiting for approval", or what to fix.

    A row that is on the map says so even when it has warnings; a row left off says why: held
    back by the organisers, over, or else the first error found in it (failing that, its first
    warning, e.g. that it is a second copy of another row).
    """
    on_purpose = {
        **{event.row_number: PAST for event in report.past},
        **{event.row_number: HIDDEN for event in report.hidden},
        **{event.row_number: WAITING for event in report.pending},
        **{event.row_number: ON_THE_MAP for event in report.published},
    }
    first_error = _first_message(report.problems, Severity.ERROR)
    first_warning = _first_message(report.problems, Severity.WARNING)
    statuses: dict[int, str] = {}
    for row in row_numbers:
        if row in on_purpose:
            statuses[row] = on_purpose[row]
        else:
            reason = first_error.get(row) or first_warning.get(row) or NOT_PLACED
            statuses[row] = f"{NOT_ON_THE_MAP}: {reason}"
    return statuses


def write_back_wanted(publish: PublishSettings) -> bool:
    """True when the configuration asks for a tab of events or a status column."""
    return bool(publish.sheet_tab or publish.status_column)


def write_back_note(settings: Settings) -> str:
    """The one line a sync prints when write-back is configured but cannot happen, else ""."""
    if write_back_wanted(settings.publish) and settings.source.csv is not None:
        return (
            "Not written back to the sheet: the responses came from a CSV file, and "
            "[publish] sheet_tab and status_column only work when reading the live sheet."
        )
    return ""


def _first_message(problems: Iterable[Problem], severity: Severity) -> dict[int, str]:
    first: dict[int, str] = {}
    for problem in problems:
        if problem.severity is severity and problem.row_number not in first:
            first[problem.row_number] = problem.message
    return first
