"""One date as typed: its day, month and year read and checked, nothing made up.

dateutil's parser is not used: it fills any part it cannot find from today's date ("Tuesday"
becomes a real date) and swaps day and month without saying so, and both must be told to the
person who typed the answer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from smwsync.clean.text import quoted
from smwsync.model import Note, Severity

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATE_EXAMPLE = "23 September 2026"

_DASHES = re.compile(r"[‐‑‒–—―−]")
_TOKEN = re.compile(
    r"(?P<number>[0-9]+)(?:st|nd|rd|th)?|(?P<word>[a-z]+)|(?P<gap>[\s,/.\-']+)|(?P<other>.)",
    re.DOTALL,
)
# "the 1st day of March 2015", "on Tuesday 23rd".
_FILLER_WORDS = frozenset({"the", "of", "on", "day"})


@dataclass(frozen=True)
class DateParts:
    """What a date answer said, before it is checked: any part may be missing."""

    day: int | None
    month: int | None
    year: int | None
    weekday: int | None = None
    other_order: tuple[int, int] | None = None  # (day, month) when read the other way round
    short_year: bool = False  # the year was written with two digits: `year` is 0-99


def fold(text: str) -> str:
    """Lower case, compatibility forms folded, dashes made plain, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        char
        for char in folded
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs")
    )
    return " ".join(_DASHES.sub("-", kept).split())


def date_parts(typed: str, day_first: bool) -> DateParts | None:
    """The parts a folded date answer names, or None when it holds anything else."""
    numbers: list[str] = []
    month: int | None = None
    weekday: int | None = None
    numbers_before_month = 0
    for token in _TOKEN.finditer(typed):
        if token.group("number"):
            numbers.append(token.group("number"))
        elif token.group("word"):
            word = token.group("word")
            if word in _FILLER_WORDS:
                continue
            if _month(word) is not None and month is None:
                month = _month(word)
                numbers_before_month = len(numbers)
            elif _weekday(word) is not None and weekday is None:
                weekday = _weekday(word)
            else:
                return None
        elif token.group("other"):
            return None
    if month is not None:
        return _named_month_parts(numbers, numbers_before_month, month, weekday)
    return _numeric_parts(numbers, weekday, day_first)


def weekday_number(word: str) -> int | None:
    """0 for "mon", "monday"; any start of a weekday's name of three letters or more."""
    return _weekday(word)


def full_year(parts: DateParts, near_year: int | None) -> int | None:
    """The year the parts name. A two-digit year is the one nearest `near_year` (from 50 years
    before it to 49 after: "95" near 2026 is 1995), or this century without one."""
    if parts.year is None or not parts.short_year:
        return parts.year
    if near_year is None:
        return 2000 + parts.year
    low = near_year - 50
    return low + (parts.year - low) % 100


def checked_date(
    text: str, parts: DateParts, year: int | None, day_first: bool
) -> tuple[dt.date | None, Note | None]:
    """The date the parts name in `year`, or the ERROR saying why there is none. A date that
    only exists read the other way round is read so, with a WARNING."""
    assert parts.day is not None and parts.month is not None
    day, month = parts.day, parts.month
    if year is not None and exists(year, month, day):
        return dt.date(year, month, day), None
    if parts.other_order is not None and not 1 <= month <= 12:
        other_day, other_month = parts.other_order
        if year is not None and exists(year, other_month, other_day):
            date = dt.date(year, other_month, other_day)
            order = "day first" if day_first is False else "month first"
            message = f"We read {quoted(text)} as {spoken(date)} ({order}); check it"
            return date, Note(Severity.WARNING, "date_order", message)
        if 1 <= other_month <= 12:
            day, month = other_day, other_month
    unreadable = unreadable_date(text)
    if not 1 <= month <= 12:
        return None, unreadable
    never = not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    if year is None and not never:
        message = f"{quoted(text)} has no year; give the whole date, like {DATE_EXAMPLE}"
        return None, Note(Severity.ERROR, "date_no_year", message)
    if year is not None and not 1 <= year <= 9999:
        return None, unreadable
    named = f"{day} {MONTHS[month - 1]}" + (f" {year}" if year is not None else "")
    message = f"There is no {named}: check the date {quoted(text)}"
    return None, Note(Severity.ERROR, "date_impossible", message)


def weekday_note(text: str, date: dt.date, weekday: int | None) -> Note | None:
    """A WARNING when the weekday written is not the date's."""
    if weekday is None or weekday == date.weekday():
        return None
    message = (
        f"{quoted(text)}: {spoken(date)} is a {WEEKDAYS[date.weekday()]}, not a "
        f"{WEEKDAYS[weekday]}; we used {spoken(date)}, check it"
    )
    return Note(Severity.WARNING, "date_weekday_mismatch", message)


def unreadable_date(text: str) -> Note:
    message = f"We could not read {quoted(text)} as a date; write it like {DATE_EXAMPLE}"
    return Note(Severity.ERROR, "date_format", message)


def exists(year: int, month: int, day: int) -> bool:
    """True when the day is on the calendar (years 1 to 9999)."""
    return (
        1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    )


def spoken(date: dt.date) -> str:
    """23 September 2026, the same whatever the machine's locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def _named_month_parts(
    numbers: list[str], before: int, month: int, weekday: int | None
) -> DateParts | None:
    """ "23 September 2026", "23 Sep", "September 23, 2026", "2026 September 23"."""
    head, tail = numbers[:before], numbers[before:]
    if not head and not tail:
        return DateParts(None, month, None, weekday)
    if len(head) == 1 and len(tail) <= 1 and len(head[0]) <= 2:
        if tail and _year(tail[0]) is None:
            return None
        return _with_year(DateParts(int(head[0]), month, None, weekday), tail[0] if tail else "")
    if not head and len(tail) <= 2:
        if len(tail[0]) == 4 and len(tail) == 1:
            return DateParts(None, month, int(tail[0]), weekday)  # "September 2026"
        if len(tail[0]) > 2 or (len(tail) == 2 and _year(tail[1]) is None):
            return None
        parts = DateParts(int(tail[0]), month, None, weekday)
        return _with_year(parts, tail[1] if len(tail) == 2 else "")
    if len(head) == 1 and len(head[0]) == 4 and len(tail) == 1 and len(tail[0]) <= 2:
        return DateParts(int(tail[0]), month, int(head[0]), weekday)
    return None


def _numeric_parts(numbers: list[str], weekday: int | None, day_first: bool) -> DateParts | None:
    """ "23/09/2026", "9/23/26", "2026-09-23", "23.09" (no year)."""
    if not numbers:
        return DateParts(None, None, None, weekday) if weekday is not None else None
    if len(numbers) == 1:
        return DateParts(None, None, None, weekday) if len(numbers[0]) in (1, 2, 4) else None
    if len(numbers) == 3 and len(numbers[0]) == 4:
        if len(numbers[1]) > 2 or len(numbers[2]) > 2:
            return None
        return DateParts(int(numbers[2]), int(numbers[1]), int(numbers[0]), weekday)
    if len(numbers) not in (2, 3) or len(numbers[0]) > 2 or len(numbers[1]) > 2:
        return None
    if len(numbers) == 3 and _year(numbers[2]) is None:
        return None
    first, second = int(numbers[0]), int(numbers[1])
    day, month = (first, second) if day_first else (second, first)
    parts = DateParts(day, month, None, weekday, other_order=(month, day))
    return _with_year(parts, numbers[2] if len(numbers) == 3 else "")


def _with_year(parts: DateParts, number: str) -> DateParts:
    if not number:
        return parts
    year = _year(number)
    return DateParts(
        parts.day, parts.month, year, parts.weekday, parts.other_order, len(number) == 2
    )


def _year(number: str) -> int | None:
    """A four-digit year as written, or two digits as written (resolved by `full_year`)."""
    if len(number) == 2:
        return int(number)
    if len(number) == 4 and int(number) >= 1:
        return int(number)
    return None


def _month(word: str) -> int | None:
    """1 for "jan", "january"; any start of a month's name of three letters or more."""
    if len(word) < 3:
        return None
    for number, name in enumerate(MONTHS, start=1):
        if name.casefold().startswith(word):
            return number
    return None


def _weekday(word: str) -> int | None:
    if word == "weds":
        return 2
    if len(word) < 3:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.casefold().startswith(word):
            return number
    return None
