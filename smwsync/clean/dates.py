"""Dates, times and response timestamps as staff and Google write them.

These readers do not use dateutil's parser: it fills any part it cannot find from today's date
("Tuesday" becomes a real date) and swaps day and month without saying so, and both must be
told to the person who typed the answer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

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
TIME_EXAMPLE = "14:30 or 2:30pm"

_DASHES = re.compile(r"[‐‑‒–—―−]")
_TOKEN = re.compile(
    r"(?P<number>[0-9]+)(?:st|nd|rd|th)?|(?P<word>[a-z]+)|(?P<gap>[\s,/.\-']+)|(?P<other>.)",
    re.DOTALL,
)
_FILLER_WORDS = frozenset({"the", "of", "on"})
# A time after the date, as a date question that also asks for the time writes it.
_TRAILING_TIME = re.compile(
    r"(?:\s*,?\s+(?:at\s+)?|t)"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?|\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?)$"
)


@dataclass(frozen=True)
class _DateParts:
    """What a date answer said, before it is checked: any part may be missing."""

    day: int | None
    month: int | None
    year: int | None
    weekday: int | None = None
    other_order: tuple[int, int] | None = None  # (day, month) when read the other way round


def clean_date(
    text: str, *, day_first: bool = True, default_year: int | None = None
) -> tuple[dt.date | None, Note | None]:
    """Read the event's date: the form's date question or a date typed as free text.

    Takes "23/09/2026", "2026-09-23", "23.09.26", "23rd September 2026", "Tue 23 Sept",
    "September 23, 2026" and the like. `day_first` says how 03/04/2026 is read; a date that
    only makes sense the other way round is read that way with a WARNING. A missing year is
    `default_year`, or an ERROR without one. Nothing is made up: "Tuesday" or "next week" is
    an ERROR, and so is a date that does not exist. A weekday that does not match the date
    gives a WARNING. A time after the date ("23/09/2026 14:00", "23 Sep 2026 at 2pm") is
    left for the time questions. Blank gives (None, None).
    """
    typed = _fold(text)
    if not typed:
        return None, None
    parts = _date_parts(typed, day_first)
    if parts is None:
        message = f"We could not read {quoted(text)} as a date; write it like {DATE_EXAMPLE}"
        return None, Note(Severity.ERROR, "date_format", message)
    if parts.day is None or parts.month is None:
        message = (
            f"{quoted(text)} is not a whole date; give the day, month and year, like {DATE_EXAMPLE}"
        )
        return None, Note(Severity.ERROR, "date_incomplete", message)
    year = parts.year if parts.year is not None else default_year
    date, note = _checked_date(text, parts, year, day_first)
    if date is None or note is not None:
        return date, note
    if parts.weekday is not None and parts.weekday != date.weekday():
        message = (
            f"{quoted(text)}: {_spoken(date)} is a {WEEKDAYS[date.weekday()]}, not a "
            f"{WEEKDAYS[parts.weekday]}; we used {_spoken(date)}, check it"
        )
        return date, Note(Severity.WARNING, "date_weekday_mismatch", message)
    return date, None


def clean_time(text: str) -> tuple[dt.time | None, Note | None]:
    """Read a time: "14:30", "14:30:00", "2pm", "2.30pm", "2:30 PM", "14.30", "1430", "noon".

    An hour from 1 to 6 written without a leading zero or am/pm ("2:30", "2") is read as the
    afternoon, with a WARNING. Blank gives (None, None); anything else, or a time that does
    not exist such as "25:00", is an ERROR.
    """
    typed = _fold(text)
    if not typed:
        return None, None
    read = _read_time(_without_time_fillers(typed))
    if isinstance(read, str):
        return None, _time_error(text, read)
    if read.guessed_afternoon:
        return read.time, _afternoon_note(text, read.time)
    return read.time, None


def clean_time_range(text: str) -> tuple[dt.time | None, dt.time | None, Note | None]:
    """Read a start and an end typed in one box: "2pm-4pm", "10:00 to 12:30", "2-4pm".

    am or pm given on one end only applies to the other where that keeps the end after the
    start. A single time gives just the start. Blank gives (None, None, None); an end before
    the start gives both times with a WARNING.
    """
    typed = _fold(text)
    if not typed:
        return None, None, None
    typed = _without_time_fillers(typed)
    halves = re.split(r"\s*(?:-|\bto\b|\buntil\b|\btill\b|\btil\b)\s*", typed)
    if len(halves) == 1:
        start, note = clean_time(text)
        return start, None, note
    if len(halves) != 2 or not all(halves):
        return None, None, _time_error(text, "format")
    first, second = (_read_time(_without_time_fillers(half)) for half in halves)
    if isinstance(first, str) or isinstance(second, str):
        reason = first if isinstance(first, str) else second
        return None, None, _time_error(text, str(reason))
    start, end = _paired(first, second)
    if end.time <= start.time:
        message = (
            f"{quoted(text)} ends at {_clock(end.time)}, before it starts at "
            f"{_clock(start.time)}; check the times"
        )
        return start.time, end.time, Note(Severity.WARNING, "time_range_order", message)
    if start.guessed_afternoon or end.guessed_afternoon:
        message = (
            f"We read {quoted(text)} as {_clock(start.time)} to {_clock(end.time)} "
            "(afternoon); check it, and write am or pm to be sure"
        )
        return start.time, end.time, Note(Severity.WARNING, "time_afternoon", message)
    return start.time, end.time, None


def parse_timestamp(
    text: str, *, day_first: bool = True, timezone: str = "Europe/London"
) -> dt.datetime | None:
    """Read a response's Timestamp from either Google download, as a time in `timezone`.

    Sheets write the spreadsheet's locale: "30/04/2023 15:31:44" (day first) or
    "9/27/2022 11:39:02" (month first); when `day_first` gives a date that does not exist the
    other order is tried, as one sheet can hold both. The Forms download writes
    "2024/03/26 12:16:41 PM GMT+11" or "2019/11/05 8:49:33 PM EST"; ISO 8601 is read too.
    A time with no zone is in `timezone`. None when the text cannot be read; an unknown
    `timezone` name raises ZoneInfoNotFoundError, as that is a settings mistake.
    """
    zone = ZoneInfo(timezone)
    typed = " ".join(unicodedata.normalize("NFKC", text).split())
    try:
        return _read_timestamp(typed, day_first, zone)
    except (ValueError, OverflowError):
        return None  # a date or offset out of range near year 1 or 9999


# --- dates -------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case, compatibility forms folded, dashes made plain, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        char
        for char in folded
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs")
    )
    return " ".join(_DASHES.sub("-", kept).split())


def _date_parts(typed: str, day_first: bool) -> _DateParts | None:
    """The parts a date answer names, or None when it holds anything we do not understand."""
    typed = _TRAILING_TIME.sub("", typed)
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


def _named_month_parts(
    numbers: list[str], before: int, month: int, weekday: int | None
) -> _DateParts | None:
    """ "23 September 2026", "23 Sep", "September 23, 2026", "2026 September 23"."""
    head, tail = numbers[:before], numbers[before:]
    if not head and not tail:
        return _DateParts(None, month, None, weekday)
    if len(head) == 1 and len(tail) <= 1 and len(head[0]) <= 2:
        year = _year(tail[0]) if tail else None
        if tail and year is None:
            return None
        return _DateParts(int(head[0]), month, year, weekday)
    if not head and len(tail) <= 2:
        if len(tail[0]) == 4 and len(tail) == 1:
            return _DateParts(None, month, int(tail[0]), weekday)  # "September 2026"
        year = _year(tail[1]) if len(tail) == 2 else None
        if len(tail[0]) > 2 or (len(tail) == 2 and year is None):
            return None
        return _DateParts(int(tail[0]), month, year, weekday)
    if len(head) == 1 and len(head[0]) == 4 and len(tail) == 1 and len(tail[0]) <= 2:
        return _DateParts(int(tail[0]), month, int(head[0]), weekday)
    return None


def _numeric_parts(numbers: list[str], weekday: int | None, day_first: bool) -> _DateParts | None:
    """ "23/09/2026", "9/23/26", "2026-09-23", "23.09" (no year)."""
    if not numbers:
        return _DateParts(None, None, None, weekday) if weekday is not None else None
    if len(numbers) == 1:
        return _DateParts(None, None, None, weekday) if len(numbers[0]) in (1, 2, 4) else None
    if len(numbers) == 3 and len(numbers[0]) == 4:
        if len(numbers[1]) > 2 or len(numbers[2]) > 2:
            return None
        return _DateParts(int(numbers[2]), int(numbers[1]), int(numbers[0]), weekday)
    if len(numbers) not in (2, 3) or len(numbers[0]) > 2 or len(numbers[1]) > 2:
        return None
    year = _year(numbers[2]) if len(numbers) == 3 else None
    if len(numbers) == 3 and year is None:
        return None
    first, second = int(numbers[0]), int(numbers[1])
    day, month = (first, second) if day_first else (second, first)
    return _DateParts(day, month, year, weekday, other_order=(month, day))


def _year(number: str) -> int | None:
    """A four-digit year as written; two digits are this century ("26" is 2026)."""
    if len(number) == 2:
        return 2000 + int(number)
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
    """0 for "mon", "monday"; any start of a weekday's name of three letters or more."""
    if word == "weds":
        return 2
    if len(word) < 3:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.casefold().startswith(word):
            return number
    return None


def _checked_date(
    text: str, parts: _DateParts, year: int | None, day_first: bool
) -> tuple[dt.date | None, Note | None]:
    """The date the parts name, or the ERROR saying why there is none."""
    assert parts.day is not None and parts.month is not None
    day, month = parts.day, parts.month
    if year is not None and _exists(year, month, day):
        return dt.date(year, month, day), None
    if parts.other_order is not None and not 1 <= month <= 12:
        other_day, other_month = parts.other_order
        if year is not None and _exists(year, other_month, other_day):
            date = dt.date(year, other_month, other_day)
            order = "day first" if day_first is False else "month first"
            message = f"We read {quoted(text)} as {_spoken(date)} ({order}); check it"
            return date, Note(Severity.WARNING, "date_order", message)
        if 1 <= other_month <= 12:
            day, month = other_day, other_month
    unreadable = f"We could not read {quoted(text)} as a date; write it like {DATE_EXAMPLE}"
    if not 1 <= month <= 12:
        return None, Note(Severity.ERROR, "date_format", unreadable)
    never = not 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    if year is None and not never:
        message = f"{quoted(text)} has no year; give the whole date, like {DATE_EXAMPLE}"
        return None, Note(Severity.ERROR, "date_no_year", message)
    if year is not None and not 1 <= year <= 9999:
        return None, Note(Severity.ERROR, "date_format", unreadable)
    named = f"{day} {MONTHS[month - 1]}" + (f" {year}" if year is not None else "")
    message = f"There is no {named}: check the date {quoted(text)}"
    return None, Note(Severity.ERROR, "date_impossible", message)


def _exists(year: int, month: int, day: int) -> bool:
    return (
        1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
    )


def _spoken(date: dt.date) -> str:
    """23 September 2026, the same whatever the machine's locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


# --- times -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TimeRead:
    """A time as read, and how sure we are of its half of the day."""

    time: dt.time
    meridiem: str | None  # "am" or "pm" when written
    guessed_afternoon: bool = False
    can_be_afternoon: bool = False  # an hour of 1-12 written without am/pm or a leading zero


_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<meridiem>[ap]\.?\s?m\.?|[ap]|noon|midday|midnight)?\s*(?:hrs?|hours)?$"
)
_COMPACT_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?P<minute>\d{2})\s*(?P<meridiem>[ap]\.?\s?m\.?|[ap])?\s*(?:hrs?|hours)?$"
)
_NAMED_TIMES = {"noon": dt.time(12), "midday": dt.time(12), "midnight": dt.time(0)}
_TIME_FILLERS = re.compile(
    r"^(?:(?:from|at|approx\.?|approximately|around|about|starting(?: at)?|starts?(?: at)?)\s+)*"
    r"(?P<time>.*?)(?:\s+(?:onwards|start|ish))*$"
)


def _without_time_fillers(typed: str) -> str:
    """ "from 2pm onwards" -> "2pm"."""
    match = _TIME_FILLERS.match(typed.strip(" ,;"))
    return match.group("time") if match else typed


def _read_time(typed: str) -> _TimeRead | str:
    """The time in folded text, or why there is none: "format", or the impossible time."""
    named = re.sub(r"^12\s*", "", typed) if typed.endswith(("noon", "midday", "midnight")) else ""
    if named in _NAMED_TIMES:
        return _TimeRead(_NAMED_TIMES[named], meridiem="am" if named == "midnight" else "pm")
    match = _TIME.match(typed) or _COMPACT_TIME.match(typed)
    if not match:
        return "format"
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    second = int(match.groupdict().get("second") or 0)
    meridiem_text = (match.group("meridiem") or "").replace(".", "").replace(" ", "")
    if meridiem_text in ("noon", "midday", "midnight"):
        if (hour, minute, second) != (12, 0, 0):
            return "format"
        return _TimeRead(_NAMED_TIMES[meridiem_text], meridiem="pm")
    if minute > 59 or second > 59:
        return "impossible"
    if meridiem_text:
        if not 1 <= hour <= 12:
            return "impossible"
        meridiem = "am" if meridiem_text.startswith("a") else "pm"
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
        return _TimeRead(dt.time(hour, minute, second), meridiem)
    if hour > 23:
        return "impossible"
    by_hand = not match.group("hour").startswith("0") and 1 <= hour <= 12
    if by_hand and hour <= 6:
        return _TimeRead(dt.time(hour + 12, minute, second), None, True, True)
    return _TimeRead(dt.time(hour, minute, second), None, can_be_afternoon=by_hand)


def _paired(start: _TimeRead, end: _TimeRead) -> tuple[_TimeRead, _TimeRead]:
    """Start and end, with am or pm written on one end used for the other where it fits."""
    if end.meridiem and start.meridiem is None and start.can_be_afternoon:
        start = _in_half(start, end.meridiem)
        if start.time > end.time and end.meridiem == "pm":
            start = _in_half(start, "am")
    elif start.meridiem and end.meridiem is None and end.can_be_afternoon:
        end = _in_half(end, "am")
        if end.time <= start.time:
            end = _in_half(end, "pm")
    elif (
        start.meridiem is None
        and end.meridiem is None
        and end.can_be_afternoon
        and end.time <= start.time
        and end.time.hour < 12
    ):
        end = _TimeRead(end.time.replace(hour=end.time.hour + 12), None, True, True)
    return start, end


def _in_half(read: _TimeRead, meridiem: str) -> _TimeRead:
    """The same clock time in the morning ("am") or afternoon ("pm"), as if written so."""
    hour = read.time.hour % 12 + (12 if meridiem == "pm" else 0)
    return _TimeRead(read.time.replace(hour=hour), meridiem)


def _time_error(text: str, reason: str) -> Note:
    if reason == "impossible":
        message = f"There is no time {quoted(text)}; write it like {TIME_EXAMPLE}"
        return Note(Severity.ERROR, "time_impossible", message)
    message = f"We could not read {quoted(text)} as a time; write it like {TIME_EXAMPLE}"
    return Note(Severity.ERROR, "time_format", message)


def _afternoon_note(text: str, time: dt.time) -> Note:
    message = (
        f"We read {quoted(text)} as {_clock(time)} (afternoon); if you meant the early "
        f"morning, write {_clock(time.replace(hour=time.hour - 12))}"
    )
    return Note(Severity.WARNING, "time_afternoon", message)


def _clock(time: dt.time) -> str:
    """14:30, the way the form's time question shows a time."""
    return f"{time.hour:02d}:{time.minute:02d}"


# --- timestamps --------------------------------------------------------------------------

_CLOCK = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6})\d*)?)?"
    r"\s*(?P<meridiem>[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?P<zone>(?:GMT|UTC|Z)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|[A-Za-z]{2,5}))?"
)
_FORMS_TIMESTAMP = re.compile(
    rf"^(?P<year>\d{{4}})[/.-](?P<month>\d{{1,2}})[/.-](?P<day>\d{{1,2}})[ T,]+{_CLOCK}$",
    re.IGNORECASE,
)
_SHEETS_TIMESTAMP = re.compile(
    rf"^(?P<first>\d{{1,2}})[/.-](?P<second_part>\d{{1,2}})[/.-](?P<year>\d{{4}}|\d{{2}})"
    rf"[ ,]+{_CLOCK}$",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"^(?:GMT|UTC)?\s*(?P<sign>[+-])(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?$")
# Zone names the Forms download writes for places that have them; everywhere else it writes
# an offset such as GMT+11. Fixed offsets, as each name says whether summer time applied.
ZONE_ABBREVIATIONS = {
    "GMT": 0,
    "UTC": 0,
    "UT": 0,
    "Z": 0,
    "BST": 60,
    "IST": 60,  # Irish Standard Time, summer time in Ireland; India's IST is written GMT+5:30
    "WET": 0,
    "WEST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
    "AEST": 600,
    "AEDT": 660,
    "ACST": 570,
    "ACDT": 630,
    "AWST": 480,
    "NZST": 720,
    "NZDT": 780,
}


def _read_timestamp(typed: str, day_first: bool, zone: ZoneInfo) -> dt.datetime | None:
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", typed):
        try:
            iso = dt.datetime.fromisoformat(typed)
        except ValueError:
            iso = None
        if iso is not None:
            return _in_zone(iso, None, zone) if iso.tzinfo is None else iso.astimezone(zone)
    forms = _FORMS_TIMESTAMP.match(typed)
    if forms:
        date = _valid_date(int(forms["year"]), int(forms["month"]), int(forms["day"]))
        return _at(date, forms, zone)
    sheets = _SHEETS_TIMESTAMP.match(typed)
    if not sheets:
        return None
    year = int(sheets["year"]) + (2000 if len(sheets["year"]) == 2 else 0)
    first, second = int(sheets["first"]), int(sheets["second_part"])
    orders = [(first, second), (second, first)] if day_first else [(second, first), (first, second)]
    for day, month in orders:
        date = _valid_date(year, month, day)
        if date is not None:
            return _at(date, sheets, zone)
    return None


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    return dt.date(year, month, day) if _exists(year, month, day) else None


def _at(date: dt.date | None, match: re.Match[str], zone: ZoneInfo) -> dt.datetime | None:
    """The moment `match`'s clock names on `date`, in `zone`; None if it cannot be."""
    if date is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    microsecond = int((match["fraction"] or "0").ljust(6, "0"))
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["meridiem"][0] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    local = dt.datetime.combine(date, dt.time(hour, minute, second, microsecond))
    if match["zone"] is None:
        return _in_zone(local, None, zone)
    offset = _offset(match["zone"])
    return None if offset is None else _in_zone(local, offset, zone)


def _offset(name: str) -> dt.timezone | None:
    """The fixed offset a zone written in a timestamp names, or None if we do not know it."""
    minutes = ZONE_ABBREVIATIONS.get(name.upper())
    if minutes is None:
        offset = _OFFSET.match(name.upper())
        if not offset:
            return None
        minutes = int(offset["hours"]) * 60 + int(offset["minutes"] or 0)
        if minutes >= 24 * 60:
            return None
        minutes = -minutes if offset["sign"] == "-" else minutes
    return dt.timezone(dt.timedelta(minutes=minutes))


def _in_zone(local: dt.datetime, offset: dt.timezone | None, zone: ZoneInfo) -> dt.datetime:
    """`local` read at `offset` (or in `zone` when None), given as a time in `zone`."""
    if offset is None:
        return local.replace(tzinfo=zone)
    return local.replace(tzinfo=offset).astimezone(zone)
