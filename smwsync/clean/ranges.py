"""A start and an end in one answer: times ("2-4pm", "22:00-01:00") and days ("12-14 June").

Every reader here tries a fixed, small number of ways to split the answer, so it runs in time
linear in its length.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from smwsync.clean.date_parts import DateParts, date_parts, exists, fold, weekday_number
from smwsync.clean.text import quoted
from smwsync.clean.times import (
    TimeRead,
    clean_time,
    clock,
    read_time,
    runs_overnight,
    time_error,
    without_time_fillers,
)
from smwsync.model import Note, Severity

_TIME_SEPARATOR = re.compile(r"\s*(?:-|\bto\b|\buntil\b|\btill\b|\btil\b)\s*")
# Between the two days of a range: "12-14 June", "12th to 14th", "12 June until 14 June".
_DATE_SEPARATOR = re.compile(r"\s*-\s*|\s+(?:to|until|till|til|through|thru)\s+")
# One side of a day range that is only a day: "12", "12th", "Mon 12", "14, 2021".
_LONE_DAY = re.compile(
    r"^(?:(?!the\b)(?P<weekday>[a-z]+),?\s+)?(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?$"
)
_HAS_WORD = re.compile(r"[a-z]{3}")
# More splits than this are not tried: a range has one separator, a numeric date two more.
_MOST_SPLITS = 8


@dataclass(frozen=True)
class DayRange:
    """The parts of the first and last day of a range, each completed from the other."""

    first: DateParts
    last: DateParts


def clean_time_range(text: str) -> tuple[dt.time | None, dt.time | None, Note | None]:
    """Read a start and an end typed in one box: "2pm-4pm", "10:00 to 12:30", "2-4pm".

    am or pm given on one end only applies to the other where that keeps the end after the
    start. An end in the small hours after an evening start ("22:00-01:00", "10pm-1") is the
    next day (`runs_overnight`). A single time gives just the start. Blank gives
    (None, None, None); any other end before the start gives both times with a WARNING.
    """
    typed = fold(text)
    if not typed:
        return None, None, None
    typed = without_time_fillers(typed)
    halves = _TIME_SEPARATOR.split(typed)
    if len(halves) == 1:
        start, note = clean_time(text)
        return start, None, note
    if len(halves) != 2 or not all(halves):
        return None, None, time_error(text, "format")
    first, second = (read_time(without_time_fillers(half)) for half in halves)
    if isinstance(first, str) or isinstance(second, str):
        reason = first if isinstance(first, str) else second
        return None, None, time_error(text, str(reason))
    start, end = _paired(first, second)
    if end.time <= start.time and not runs_overnight(start.time, end.time):
        message = (
            f"{quoted(text)} ends at {clock(end.time)}, before it starts at "
            f"{clock(start.time)}; check the times"
        )
        return start.time, end.time, Note(Severity.WARNING, "time_range_order", message)
    if start.guessed_afternoon or end.guessed_afternoon:
        message = (
            f"We read {quoted(text)} as {clock(start.time)} to {clock(end.time)} "
            "(afternoon); check it, and write am or pm to be sure"
        )
        return start.time, end.time, Note(Severity.WARNING, "time_afternoon", message)
    return start.time, end.time, None


def day_range(typed: str, day_first: bool) -> DayRange | None:
    """The first and last day a folded answer names as a range, or None when it is not one.

    "12-14 June 2021", "June 12-14, 2021", "30 June - 2 July 2021", "Mon 12 to Wed 14 June",
    "12/06/2021 - 14/06/2021", "12-14/06/2021". A side's missing month or year comes from the
    other side; a first day that would then come after the last is in the year before
    ("30 Dec - 2 Jan 2027").
    """
    for count, separator in enumerate(_DATE_SEPARATOR.finditer(typed)):
        if count >= _MOST_SPLITS:
            break
        left, right = typed[: separator.start()], typed[separator.end() :]
        first, last = _side(left, day_first), _side(right, day_first)
        if first is None or last is None or first.day is None or last.day is None:
            continue
        if first.month is None and last.month is None:
            continue
        if first.year is None and last.year is None and not _HAS_WORD.search(typed):
            continue  # "1-2-3" is no range: it needs a year or a month named
        return _completed(first, last)
    return None


def _side(text: str, day_first: bool) -> DateParts | None:
    lone = _LONE_DAY.match(text)
    weekday = weekday_number(lone["weekday"]) if lone and lone["weekday"] else None
    if lone and (weekday is not None or not lone["weekday"]):
        year = int(lone["year"]) if lone["year"] else None
        return DateParts(int(lone["day"]), None, year, weekday)
    return date_parts(text, day_first)


def _completed(first: DateParts, last: DateParts) -> DayRange:
    first_filled = replace(
        first,
        # "is not None": a month typed as 0 is still a month given (and an error to name).
        month=first.month if first.month is not None else last.month,
        year=first.year if first.year is not None else last.year,
        short_year=first.short_year if first.year is not None else last.short_year,
        other_order=first.other_order if first.month is not None else None,
    )
    last_filled = replace(
        last,
        month=last.month if last.month is not None else first.month,
        year=last.year if last.year is not None else first.year,
        short_year=last.short_year if last.year is not None else first.short_year,
        other_order=last.other_order if last.month is not None else None,
    )
    if first.year is None and first_filled.year is not None and _after(first_filled, last_filled):
        first_filled = replace(first_filled, year=first_filled.year - 1)
    return DayRange(first_filled, last_filled)


def _after(first: DateParts, last: DateParts) -> bool:
    """True when both name real days of the same year and the first comes after the last."""
    if first.year is None or first.month is None or last.month is None:
        return False
    assert first.day is not None and last.day is not None
    if not (exists(first.year, first.month, first.day) and exists(2000, last.month, last.day)):
        return False
    return (first.month, first.day) > (last.month, last.day)


def _paired(start: TimeRead, end: TimeRead) -> tuple[TimeRead, TimeRead]:
    """Start and end, with am or pm written on one end used for the other where it fits, and
    an end guessed to be afternoon read as the small hours where that follows an evening."""
    if end.guessed_afternoon and end.time <= start.time:
        morning = end.time.replace(hour=end.time.hour - 12)
        if runs_overnight(start.time, morning):
            return start, TimeRead(morning, None)
    if end.meridiem and start.meridiem is None and start.can_be_afternoon:
        start = _in_half(start, end.meridiem)
        if start.time > end.time and end.meridiem == "pm":
            start = _in_half(start, "am")
    elif start.meridiem and end.meridiem is None and end.can_be_afternoon:
        end = _in_half(end, "am")
        if end.time <= start.time and not runs_overnight(start.time, end.time):
            end = _in_half(end, "pm")
    elif (
        start.meridiem is None
        and end.meridiem is None
        and end.can_be_afternoon
        and end.time <= start.time
        and end.time.hour < 12
    ):
        end = TimeRead(end.time.replace(hour=end.time.hour + 12), None, True, True)
    return start, end


def _in_half(read: TimeRead, meridiem: str) -> TimeRead:
    """The same clock time in the morning ("am") or afternoon ("pm"), as if written so."""
    hour = read.time.hour % 12 + (12 if meridiem == "pm" else 0)
    return TimeRead(read.time.replace(hour=hour), meridiem)
