"""The campaign in numbers for organisers: which councils take part, how registrations go, and
which answers staff most often get wrong (pure).

Counts come from what a sync already knows. Nothing here holds a submitter's email or name:
events are counted, and rows are named by their number in the sheet.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smwsync.geocode.gazetteer import Council
from smwsync.model import Event, Problem, Severity, SyncReport

# What happened to an event, in the order the report shows them.
PUBLISHED = "published"
WAITING = "waiting for approval"
HIDDEN = "hidden"
PAST = "over"
WITH_ERRORS = "errors outstanding"
STATUSES = (PUBLISHED, WAITING, HIDDEN, PAST, WITH_ERRORS)


@dataclass(frozen=True)
class CouncilEvents:
    """A council and the number of published events it runs."""

    code: str
    name: str
    area: str  # the English region, or the nation outside England
    events: int


@dataclass(frozen=True)
class DayOfRegistrations:
    """The responses sent on one day (UK time), by what has happened to their events since."""

    day: dt.date
    counts: tuple[int, ...]  # one per STATUSES

    @property
    def total(self) -> int:
        """Every response of the day that became an event."""
        return sum(self.counts)


@dataclass(frozen=True)
class CommonProblem:
    """One kind of problem in one question, how often it happens and in which rows."""

    field: str
    code: str
    severity: Severity
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Coverage:
    """The organisers' view of the campaign after a sync."""

    local_councils: int  # of the UK's district, borough, unitary and metropolitan councils
    taking_part: tuple[CouncilEvents, ...]  # local councils with events, most first
    without_events: tuple[tuple[str, tuple[str, ...]], ...]  # (area, council names) by area
    counties: int
    counties_taking_part: tuple[CouncilEvents, ...]
    council_not_known: int  # published events whose council is not a UK council we know
    days: tuple[DayOfRegistrations, ...]
    not_dated: int  # events whose response has no readable timestamp
    problems: tuple[CommonProblem, ...]  # most frequent first


def campaign_coverage(
    report: SyncReport,
    local_councils: Sequence[Council],
    counties: Sequence[Council] = (),
    timezone: dt.tzinfo | None = None,
) -> Coverage:
    """Count councils taking part, registrations per day and the commonest problems.

    A council takes part when a published event names it. `timezone` turns the form's
    timestamps into days (the campaign's, usually Europe/London); None keeps them as read.
    """
    published = Counter(e.council_code for e in report.published)
    taking_part = _with_events(local_councils, published)
    counties_taking_part = _with_events(counties, published)
    known = {c.code for c in (*local_councils, *counties)}
    missing: dict[str, list[str]] = defaultdict(list)
    for council in local_councils:
        if not published[council.code]:
            missing[council.region or council.nation].append(council.name)
    days, not_dated = _registrations(report, timezone)
    return Coverage(
        local_councils=len(local_councils),
        taking_part=taking_part,
        without_events=tuple(
            (area, tuple(sorted(names, key=str.casefold)))
            for area, names in sorted(missing.items())
        ),
        counties=len(counties),
        counties_taking_part=counties_taking_part,
        council_not_known=sum(n for code, n in published.items() if code not in known),
        days=days,
        not_dated=not_dated,
        problems=_common_problems(report.problems),
    )


def event_statuses(report: SyncReport) -> dict[str, str]:
    """Each event's status by id: published, waiting, hidden, over, or errors outstanding."""
    groups = (
        (PUBLISHED, report.published),
        (WAITING, report.pending),
        (HIDDEN, report.hidden),
        (PAST, report.past),
        (WITH_ERRORS, (*report.unplaced, *report.rejected)),
    )
    return {event.id: status for status, events in groups for event in events}


def _with_events(councils: Iterable[Council], published: Counter[str]) -> tuple[CouncilEvents, ...]:
    found = [
        CouncilEvents(c.code, c.name, c.region or c.nation, published[c.code])
        for c in councils
        if published[c.code]
    ]
    return tuple(sorted(found, key=lambda c: (-c.events, c.name.casefold(), c.code)))


def _registrations(
    report: SyncReport, timezone: dt.tzinfo | None
) -> tuple[tuple[DayOfRegistrations, ...], int]:
    statuses = event_statuses(report)
    per_day: dict[dt.date, Counter[str]] = defaultdict(Counter)
    not_dated = 0
    for event in report.events:
        status = statuses.get(event.id)
        if status is None:
            continue
        if event.submitted_at is None:
            not_dated += 1
            continue
        per_day[_day(event, timezone)][status] += 1
    if not per_day:
        return (), not_dated
    # Every day from the first response to the last, quiet days too, so the chart tells time.
    first, last = min(per_day), max(per_day)
    every_day = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    days = tuple(
        DayOfRegistrations(day, tuple(per_day[day][s] for s in STATUSES)) for day in every_day
    )
    return days, not_dated


def _day(event: Event, timezone: dt.tzinfo | None) -> dt.date:
    moment = event.submitted_at
    assert moment is not None
    if timezone is not None and moment.tzinfo is not None:
        moment = moment.astimezone(timezone)
    return moment.date()


def _common_problems(problems: Iterable[Problem]) -> tuple[CommonProblem, ...]:
    rows: dict[tuple[str, str, Severity], list[int]] = defaultdict(list)
    for problem in problems:
        rows[(problem.field, problem.code, problem.severity)].append(problem.row_number)
    found = [
        CommonProblem(field, code, severity, tuple(sorted(set(numbers))))
        for (field, code, severity), numbers in rows.items()
    ]
    return tuple(sorted(found, key=lambda p: (-len(p.rows), p.field, p.code)))
