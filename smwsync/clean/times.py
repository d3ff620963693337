"""One time of day as typed: "14:30", "2.30pm", "1430", "10h11", "noon"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from smwsync.clean.date_parts import fold
from smwsync.clean.text import quoted
from smwsync.model import Note, Severity

TIME_EXAMPLE = "14:30 or 2:30pm"
# An event that starts in the evening and "ends" in the small hours ends the next day.
EVENING = dt.time(18)
SMALL_HOURS_END = dt.time(6)


@dataclass(frozen=True)
class TimeRead:
    """A time as read, and how sure we are of its half of the day."""

    time: dt.time
    meridiem: str | None  # "am" or "pm" when written
    guessed_afternoon: bool = False
    can_be_afternoon: bool = False  # an hour of 1-12 written without am/pm or a leading zero


_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
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


def clean_time(text: str) -> tuple[dt.time | None, Note | None]:
    """Read a time: "14:30", "14:30:00", "2pm", "2.30pm", "2:30 PM", "14.30", "1430", "noon".

    An hour from 1 to 6 written without a leading zero or am/pm ("2:30", "2") is read as the
    afternoon, with a WARNING. Blank gives (None, None); anything else, or a time that does
    not exist such as "25:00", is an ERROR.
    """
    typed = fold(text)
    if not typed:
        return None, None
    read = read_time(without_time_fillers(typed))
    if isinstance(read, str):
        return None, time_error(text, read)
    if read.guessed_afternoon:
        return read.time, afternoon_note(text, read.time)
    return read.time, None


def runs_overnight(start: dt.time, end: dt.time) -> bool:
    """True when an event from `start` to an earlier `end` goes on past midnight: it starts
    in the evening and ends in the small hours ("22:00-01:00", "8pm to midnight")."""
    return end < start and start >= EVENING and end <= SMALL_HOURS_END


def without_time_fillers(typed: str) -> str:
    """ "from 2pm onwards" -> "2pm"."""
    match = _TIME_FILLERS.match(typed.strip(" ,;"))
    return match.group("time") if match else typed


def read_time(typed: str) -> TimeRead | str:
    """The time in folded text, or why there is none: "format", or "impossible"."""
    named = re.sub(r"^12\s*", "", typed) if typed.endswith(("noon", "midday", "midnight")) else ""
    if named in _NAMED_TIMES:
        return TimeRead(_NAMED_TIMES[named], meridiem="am" if named == "midnight" else "pm")
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
        return TimeRead(_NAMED_TIMES[meridiem_text], meridiem="pm")
    if minute > 59 or second > 59:
        return "impossible"
    if meridiem_text:
        if not 1 <= hour <= 12:
            return "impossible"
        meridiem = "am" if meridiem_text.startswith("a") else "pm"
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
        return TimeRead(dt.time(hour, minute, second), meridiem)
    if hour > 23:
        return "impossible"
    by_hand = not match.group("hour").startswith("0") and 1 <= hour <= 12
    if by_hand and hour <= 6:
        return TimeRead(dt.time(hour + 12, minute, second), None, True, True)
    return TimeRead(dt.time(hour, minute, second), None, can_be_afternoon=by_hand)


def has_clock_mark(typed: str) -> bool:
    """True when folded text is written as a time, not a bare number: "14.30", "2pm", "noon"."""
    return bool(re.search(r"\d[:.h]\d|\d\s*[ap]\.?\s?m\b|noon|midday|midnight", typed))


def time_error(text: str, reason: str) -> Note:
    if reason == "impossible":
        message = f"There is no time {quoted(text)}; write it like {TIME_EXAMPLE}"
        return Note(Severity.ERROR, "time_impossible", message)
    message = f"We could not read {quoted(text)} as a time; write it like {TIME_EXAMPLE}"
    return Note(Severity.ERROR, "time_format", message)


def afternoon_note(text: str, time: dt.time) -> Note:
    message = (
        f"We read {quoted(text)} as {clock(time)} (afternoon); if you meant the early "
        f"morning, write {clock(time.replace(hour=time.hour - 12))}"
    )
    return Note(Severity.WARNING, "time_afternoon", message)


def clock(time: dt.time) -> str:
    """14:30, the way the form's time question shows a time."""
    return f"{time.hour:02d}:{time.minute:02d}"
