"""One cleaned answer as plain JSON, so a sync can keep it for the next (smwsync/memo.py).

A row whose answers and settings are unchanged since the last sync is not cleaned again: its
event, its problems and its keyed hashes are read back from what the last sync kept. They are
kept without the row's number (a row deleted above moves every row under it) and given the
row they are read for, so a kept answer gives exactly what cleaning the row again would.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from smwsync.clean.identity import AnswerPrint
from smwsync.model import Event, Location, Precision, Problem, Severity

_DATES = ("date", "end_date")
_TIMES = ("start_time", "end_time")
_LOCATIONS = ("given_location", "location")
_EVERY_FIELD = tuple(item.name for item in fields(Event))
_ROW_AT = _EVERY_FIELD.index("row_number")
_FIELDS = tuple(name for name in _EVERY_FIELD if name != "row_number")
_NOT_TEXT = {*_DATES, *_TIMES, *_LOCATIONS, "submitted_at", "formats", "contact_consent"}
_TEXTS = tuple(name for name in _FIELDS if name not in _NOT_TEXT)
EVERY_DAY = (dt.date.min, dt.date.max)


def kept_answer(
    event: Event | None,
    problems: list[Problem],
    answer: AnswerPrint | None,
    alike: tuple[dt.date, dt.date] = EVERY_DAY,
) -> str:
    """A cleaned row (its event, problems and hashes, and the first and last day that, as
    today, clean it the same) as JSON text, without its row number: text, so a sync that
    cleans every row holds one small string for each, not a tree."""
    kept = {
        "event": None if event is None else _event_json(event),
        "problems": [[p.field, p.severity.value, p.code, p.message] for p in problems],
        "print": None if answer is None else [answer.owner, answer.whole, dict(answer.fields)],
        "alike": [day.isoformat() for day in alike],
    }
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


class DamagedAnswer(ValueError):
    """A kept answer that is not what `kept_answer` writes: it is cleaned again instead."""


def answer_from_kept(
    kept: Any, row_number: int, timezone: str
) -> tuple[Event | None, list[Problem], AnswerPrint | None, tuple[dt.date, dt.date]]:
    """The cleaned row `kept_answer` kept, as the row `row_number`; times in `timezone`; and
    the days that clean it alike. Raises DamagedAnswer unless every value has the type
    cleaning gives it."""
    if isinstance(kept, str):
        kept = json.loads(kept)
    if not isinstance(kept, dict) or kept.keys() != {"event", "problems", "print", "alike"}:
        raise DamagedAnswer("not a kept answer")
    first, last = _list(kept["alike"], 2)
    if not (_is_text(first) and _is_text(last)):
        raise DamagedAnswer("alike")
    alike = (dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    data = kept["event"]
    event = None if data is None else _event_from_json(data, row_number, ZoneInfo(timezone))
    problems = []
    for item in _list(kept["problems"]):
        if not (isinstance(item, list) and len(item) == 4 and all(map(_is_text, item))):
            raise DamagedAnswer("problems")
        field, severity, code, message = item
        problems.append(Problem(row_number, field, Severity(severity), code, message))
    answer = None
    if kept["print"] is not None:
        owner, whole, hashes = _list(kept["print"], 3)
        if not (_is_text(owner) and _is_text(whole) and _is_text_map(hashes)):
            raise DamagedAnswer("print")
        answer = AnswerPrint(owner, whole, hashes)
    return event, problems, answer, alike


def _event_json(event: Event) -> list[Any]:
    """The event's fields (but its row) in `_FIELDS` order: a list reads back faster than an
    object whose every key is repeated in every row."""
    data: list[Any] = []
    for name in _FIELDS:
        value = getattr(event, name)
        if isinstance(value, dt.datetime):
            # Local time and fold, not the instant: a time the clocks skipped stays as typed.
            value = [value.replace(tzinfo=None).isoformat(), value.fold]
        elif isinstance(value, dt.date | dt.time):
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
        data.append(value)
    return data


_text_fields = itemgetter(*_TEXTS)


def _event_from_json(data: Any, row_number: int, zone: ZoneInfo) -> Event:
    if not isinstance(data, list) or len(data) != len(_FIELDS):
        raise DamagedAnswer("event fields")
    # In the fields' order, row and all, as Event's own __init__ would set them.
    values: dict[str, Any] = dict(
        zip(_EVERY_FIELD, [*data[:_ROW_AT], row_number, *data[_ROW_AT:]], strict=True)
    )
    if set(map(type, _text_fields(values))) != {str}:
        raise DamagedAnswer("a text field that is not text")
    # fromisoformat raises TypeError for anything but text.
    for name in _DATES:
        if values[name] is not None:
            values[name] = dt.date.fromisoformat(values[name])
    for name in _TIMES:
        if values[name] is not None:
            values[name] = dt.time.fromisoformat(values[name])
    if values["submitted_at"] is not None:
        values["submitted_at"] = _moment(values["submitted_at"], zone)
    for name in _LOCATIONS:
        if values[name] is not None:
            values[name] = _location(values[name])
    formats = _list(values["formats"])
    if not all(map(_is_text, formats)):
        raise DamagedAnswer("formats")
    values["formats"] = tuple(formats)
    if type(values["contact_consent"]) is not bool:
        raise DamagedAnswer("contact_consent")
    # Every field checked above: made as Event.but makes a copy, without the frozen
    # dataclass's per-field work (a sync reads back every unchanged answer).
    event = object.__new__(Event)
    event.__dict__.update(values)
    return event


def _moment(kept: Any, zone: ZoneInfo) -> dt.datetime:
    local, fold = _list(kept, 2)
    if not _is_text(local) or fold not in (0, 1):
        raise DamagedAnswer("submitted_at")
    return dt.datetime.fromisoformat(local).replace(tzinfo=zone, fold=fold)


def _location(kept: Any) -> Location:
    latitude, longitude, precision, source, label = _list(kept, 5)
    numbers = all(type(n) in (int, float) for n in (latitude, longitude))
    if not (numbers and _is_text(source) and _is_text(label)):
        raise DamagedAnswer("location")
    return Location(float(latitude), float(longitude), Precision(precision), source, label)


def _list(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise DamagedAnswer("not a list of the right length")
    return value


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(map(_is_text, value.values()))
