"""One cleaned answer as plain JSON, so a sync can keep it for the next (smwsync/memo.py).

A row whose answers and settings are unchanged since the last sync is not cleaned again: its
event, its problems and its keyed hashes are read back from what the last sync kept. They are
kept without the row's number (a row deleted above moves every row under it) and given the
row they are read for, so a kept answer gives exactly what cleaning the row again would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any
from zoneinfo import ZoneInfo

from smwsync.clean.identity import AnswerPrint
from smwsync.model import Event, Location, Precision, Problem, Severity

_DATES = ("date", "end_date")
_TIMES = ("start_time", "end_time")
_LOCATIONS = ("given_location", "location")
_FIELDS = tuple(item.name for item in fields(Event) if item.name != "row_number")


def kept_answer(event: Event | None, problems: list[Problem], answer: AnswerPrint | None) -> Any:
    """A cleaned row (its event, problems and hashes) as plain JSON, without its row number."""
    return {
        "event": None if event is None else _event_json(event),
        "problems": [[p.field, p.severity.value, p.code, p.message] for p in problems],
        "print": None if answer is None else [answer.owner, answer.whole, dict(answer.fields)],
    }


def answer_from_kept(
    kept: Any, row_number: int, timezone: str
) -> tuple[Event | None, list[Problem], AnswerPrint | None]:
    """The cleaned row `kept_answer` kept, as the row `row_number`; times in `timezone`."""
    data = kept["event"]
    event = None if data is None else _event_from_json(data, row_number, ZoneInfo(timezone))
    problems = [
        Problem(row_number, field, Severity(severity), code, message)
        for field, severity, code, message in kept["problems"]
    ]
    answer = None if kept["print"] is None else AnswerPrint(*kept["print"])
    return event, problems, answer


def _event_json(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(event, name)
        if isinstance(value, dt.date | dt.time):  # datetimes too
            value = value.isoformat()
        elif isinstance(value, Location):
            value = [
                value.latitude,
                value.longitude,
                value.precision.value,
                value.source,
                value.label,
            ]
        elif isinstance(value, tuple):
            value = list(value)
        data[name] = value
    return data


def _event_from_json(data: dict[str, Any], row_number: int, zone: ZoneInfo) -> Event:
    values: dict[str, Any] = dict(data, row_number=row_number)
    for name in _DATES:
        if values[name] is not None:
            values[name] = dt.date.fromisoformat(values[name])
    for name in _TIMES:
        if values[name] is not None:
            values[name] = dt.time.fromisoformat(values[name])
    if values["submitted_at"] is not None:
        values["submitted_at"] = dt.datetime.fromisoformat(values["submitted_at"]).astimezone(zone)
    for name in _LOCATIONS:
        if values[name] is not None:
            lat, lon, precision, source, label = values[name]
            values[name] = Location(lat, lon, Precision(precision), source, label)
    values["formats"] = tuple(values["formats"])
    return Event(**values)
