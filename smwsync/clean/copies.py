"""The same event sent more than once: one kept on the map, a warning on each copy.

Staff send the form twice, or again to correct an answer. Answers that come out with the
same id (the same person, the same title) are one event: the newest is kept and each other
copy is left off the map with a warning naming the row kept. The same title for different
dates is an event run more than once: each date stays on the map, with a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from smwsync.clean.identity import IdKey
from smwsync.model import Event, Problem, Severity


def fold_copies(
    cleaned: list[tuple[Event, list[Problem]]], key: IdKey
) -> tuple[list[Event], list[Problem], dict[int, tuple[int, ...]]]:
    """Keep the newest of the events sharing an id; warn on each copy left out.

    The same person sending the same title for different dates is running the event more than
    once (or corrected the date by sending the form again): each date stays on the map, with a
    warning, rather than one being lost. The date in the first row keeps the plain id, so its
    pin keeps its identity when either answer is edited; each later date gets an id of its own.
    Also returns, by the row of each event kept, the rows of every answer folded into it.
    """
    copies: dict[str, list[tuple[Event, list[Problem]]]] = {}
    for event, problems in cleaned:
        copies.setdefault(event.id, []).append((event, problems))
    events: list[Event] = []
    problems: list[Problem] = []
    members: dict[int, tuple[int, ...]] = {}
    for group in copies.values():
        runs = _runs_by_date(group)
        for index, run in enumerate(runs):
            kept, kept_problems = run[0] if len(run) == 1 else max(run, key=_recency_of)
            if index:
                kept = replace(kept, id=key.dated_id(kept.id, kept.date))
            members[kept.row_number] = tuple(
                sorted({kept.row_number} | {event.row_number for event, _ in run})
            )
            if len(runs) > 1:
                kept_problems = [*kept_problems, _other_dates_problem(kept, runs)]
            events.append(kept)
            problems.extend(kept_problems)
            for event, _ in run:
                if event.row_number != kept.row_number:
                    problems.append(_copy_problem(event, kept, run))
    return events, problems, members


def _runs_by_date(
    group: list[tuple[Event, list[Problem]]],
) -> list[list[tuple[Event, list[Problem]]]]:
    """Split answers sharing an id by event date, in sheet order (an answer edited through the
    form keeps its row, though its timestamp changes, so the first date keeps the plain id);
    an undated answer belongs with the newest dated one."""
    by_date: dict[dt.date, list[tuple[Event, list[Problem]]]] = {}
    for item in sorted(group, key=lambda item: item[0].row_number):
        if item[0].date is not None:
            by_date.setdefault(item[0].date, []).append(item)
    if len(by_date) <= 1:
        return [group]
    newest = max(group, key=lambda item: _recency(item[0]) if item[0].date else (False, 0.0, 0))
    runs = list(by_date.values())
    for item in group:
        if item[0].date is None:
            next(run for run in runs if newest in run).append(item)
    return runs


def _other_dates_problem(kept: Event, runs: list[list[tuple[Event, list[Problem]]]]) -> Problem:
    others = sorted(
        (item[0].row_number, item[0].date)
        for run in runs
        for item in run
        if item[0].date != kept.date and item[0].date is not None
    )
    listed = ", ".join(f"row {row} ({date.day} {date:%B %Y})" for row, date in others)
    message = (
        f"The same event title was also sent for another date: {listed}. Both are on the map; "
        "if one answer replaces the other, delete the older row or edit that response instead."
    )
    return Problem(kept.row_number, "date", Severity.WARNING, "same_title_other_date", message)


def _recency_of(item: tuple[Event, list[Problem]]) -> tuple[bool, float, int]:
    return _recency(item[0])


def _recency(event: Event) -> tuple[bool, float, int]:
    submitted_at = event.submitted_at
    if submitted_at is None:
        return False, 0.0, event.row_number
    if submitted_at.tzinfo is None:  # never the machine's own time zone: same input, same output
        submitted_at = submitted_at.replace(tzinfo=dt.UTC)
    return True, submitted_at.timestamp(), event.row_number


def _copy_problem(copy: Event, kept: Event, group: list[tuple[Event, list[Problem]]]) -> Problem:
    other_rows = sorted(
        event.row_number for event, _ in group if event.row_number != copy.row_number
    )
    first = other_rows[0]
    if first == kept.row_number:
        message = (
            f"This looks like a second copy of the event in row {kept.row_number}; we kept "
            "that newer answer and left this one off the map."
        )
    else:
        message = (
            f"This looks like a second copy of the event in row {first}; we kept the newer "
            f"answer (row {kept.row_number}) and left this one off the map."
        )
    return Problem(copy.row_number, "title", Severity.WARNING, "duplicate", message)
