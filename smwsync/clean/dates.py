"""The event's date and times as staff type them, and the checks on when it happens.

A date answer may hold one day ("23/09/2026", "the 1st day of March 2027"), a run of days
("12-14 June 2027", "June 12-14, 2027") and a time or times before or after the date
("23/03/2027 14.30", "10:06am Dec 11, 2026", "November 19, 2026 at noon"). One day is read in
date_parts, a time in times, a start and end in ranges; this module puts them together with
the time questions' answers and says when the result is worth checking.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from smwsync.clean.date_parts import (
    DATE_EXAMPLE,
    DateParts,
    checked_date,
    date_parts,
    fold,
    full_year,
    spoken,
    unreadable_date,
    weekday_note,
)
from smwsync.clean.ranges import DayRange, clean_time_range, day_range
from smwsync.clean.text import quoted
from smwsync.clean.times import clean_time, clock, has_clock_mark, runs_overnight
from smwsync.model import Note, Severity

# An event date further than this from today is worth checking: the campaign is this year.
FAR_FROM_TODAY = dt.timedelta(days=365)
# Between a date and a time typed with it: a space, a comma, "at", "from", "@" or ISO's "T".
_TIME_BOUNDARY = re.compile(r"\s*[,@]\s*(?:(?:at|from)\s+)?|\s+(?:(?:at|from)\s+)?|(?<=\d)t(?=\d)")
# A clock time between the parts of a date, as Unix's `date` writes one: "Thu Sep 25 10:36:28 2003".
_MIDDLE_TIME = re.compile(r"\s(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?)\s")
# How many boundaries from each end are tried: a time is a few words at most.
_MOST_TIME_SPLITS = 6


@dataclass(frozen=True)
class DateAnswer:
    """What a date answer says: its first (and last) day, any time typed with it, and a note."""

    date: dt.date | None = None
    end_date: dt.date | None = None  # the last day of a range ("12-14 June"), else None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    note: Note | None = None


@dataclass(frozen=True)
class When:
    """When an event happens, from its date and time answers, with the notes for each field."""

    date: dt.date | None = None
    end_date: dt.date | None = None  # a later last day: a run of days, or past midnight
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    notes: tuple[tuple[str, Note], ...] = ()
    # The days that, as today, read these answers exactly as the day given did (see
    # `days_read_alike`): a cleaned answer kept from an earlier sync holds while today is one.
    alike: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max)


def clean_date(
    text: str,
    *,
    day_first: bool = True,
    default_year: int | None = None,
    near_year: int | None = None,
) -> tuple[dt.date | None, Note | None]:
    """Read the event's date: the first day a date answer names (see `read_date_answer`)."""
    answer = read_date_answer(
        text, day_first=day_first, default_year=default_year, near_year=near_year
    )
    return answer.date, answer.note


def read_date_answer(
    text: str,
    *,
    day_first: bool = True,
    default_year: int | None = None,
    near_year: int | None = None,
) -> DateAnswer:
    """Read a date answer: "23/09/2026", "2026-09-23", "23.09.26", "23rd September 2026",
    "Tue 23 Sept", "September 23, 2026", "the 1st day of March 2027", a run of days
    ("12-14 June 2027", "June 12-14, 2027", "30 June - 2 July 2027"), each with or without a
    time or times before or after it ("23/03/2027 14.30", "1 a.m 20.07.2027",
    "2:21 p.m., December 11, 2026", "23 March 2027 at noon", "23/03/2027 14:00-16:00").

    `day_first` says how 03/04/2026 is read; a date that only makes sense the other way round
    is read that way with a WARNING. A missing year is `default_year`, or an ERROR without
    one; a two-digit year is the one nearest `near_year` ("95" near 2026 is 1995; without
    `near_year`, this century). Nothing is made up: "Tuesday" or "next week" is an ERROR, and
    so is a date that does not exist. A weekday that does not match the date gives a WARNING.
    Blank gives an empty answer.
    """
    if len(text) > SHORT_ANSWER:
        return _read_date_answer(text, day_first, default_year, near_year)
    return _remembered_date_answer(text, day_first, default_year, near_year)


# Forms repeat a few dates and times down the whole sheet: an answer up to this long is read
# once for each set of settings it is read with (each is part of the key), longer ones each time.
SHORT_ANSWER = 200


@functools.lru_cache(maxsize=4096)
def _remembered_date_answer(
    text: str, day_first: bool, default_year: int | None, near_year: int | None
) -> DateAnswer:
    return _read_date_answer(text, day_first, default_year, near_year)


def _read_date_answer(
    text: str, day_first: bool, default_year: int | None, near_year: int | None
) -> DateAnswer:
    typed = fold(text)
    if not typed:
        return DateAnswer()
    whole = _days(text, typed, day_first, default_year, near_year)
    if whole.note is None or whole.note.code != "date_format":
        return whole
    no_year: DateAnswer | None = None  # "23rd March, 10am": a date to complete with a year
    for date_text, time_text in _time_splits(typed):
        if not has_clock_mark(time_text):
            continue
        start, end, time_note = clean_time_range(time_text)
        if start is None or (time_note is not None and time_note.severity is Severity.ERROR):
            continue
        days = _days(text, date_text, day_first, default_year, near_year)
        if days.date is None:
            if days.note is not None and days.note.code == "date_no_year":
                no_year = no_year or days
            continue
        note = days.note or _quoting(time_note, text)
        return DateAnswer(days.date, days.end_date, start, end, note)
    return no_year or whole


def clean_when(
    date_text: str,
    start_text: str,
    end_text: str,
    *,
    day_first: bool = True,
    submitted_at: dt.datetime | None = None,
    today: dt.date | None = None,
    timezone: str = "Europe/London",
    date_asked: bool = True,
) -> When:
    """When the event happens, from the date, start-time and end-time answers.

    A time range typed in the start-time box is both times; a time typed with the date is used
    when the time boxes are blank. A date with no year is the next one after the answer was
    sent. An end in the small hours after an evening start is the next day (`end_date`). The
    date gets a WARNING when it is more than a year from `today` or was already past when the
    answer was sent (`submitted_at`), and a time gets one when the clocks skip it that day in
    `timezone`.
    """
    notes: list[tuple[str, Note | None]] = []
    submitted = submitted_at.date() if submitted_at is not None else None
    reference = submitted or today
    answer = DateAnswer()
    if date_text.strip():
        answer = read_date_answer(
            date_text,
            day_first=day_first,
            near_year=reference.year if reference else None,
        )
        if answer.note is not None and answer.note.code == "date_no_year" and submitted:
            answer = _next_date(date_text, submitted, day_first)
        notes.append(("date", answer.note))
    elif date_asked:
        message = "This answer has no date; add the day the event happens."
        notes.append(("date", Note(Severity.WARNING, "date_missing", message)))

    if len(start_text) > SHORT_ANSWER or len(end_text) > SHORT_ANSWER:
        start, end, from_range, time_notes = _times(start_text, end_text)
    else:
        start, end, from_range, time_notes = _remembered_times(start_text, end_text)
    notes.extend(time_notes)
    if start is None and end is None:
        start, end = answer.start_time, answer.end_time
        from_range = True  # a note on the order was given with the date

    date, end_date = answer.date, answer.end_date
    if start is not None and end is not None and end < start:
        if runs_overnight(start, end):
            if date is not None and end_date is None:
                end_date = date + dt.timedelta(days=1)
        elif end_date is None:
            if not from_range:
                notes.append(("end_time", _end_before_start(start, end)))
            end = None
    if date is not None:
        notes.append(("date", _window_note(date_text, date, end_date, submitted, today)))
        notes.append(("start_time", _skipped_time(start, date, timezone)))
        notes.append(("end_time", _skipped_time(end, end_date or date, timezone)))
    kept = tuple((field, note) for field, note in notes if note is not None)
    alike = days_read_alike(date, submitted, today, typed=bool(date_text.strip()))
    return When(date, end_date, start, end, kept, alike)


def _days(
    text: str, typed: str, day_first: bool, default_year: int | None, near_year: int | None
) -> DateAnswer:
    """One day or a run of days, read from folded text (with no time in it)."""
    parts = date_parts(typed, day_first)
    if parts is None:
        days = day_range(typed, day_first)
        if days is None:
            return DateAnswer(note=unreadable_date(text))
        return _range_answer(text, days, day_first, default_year, near_year)
    if parts.day is None or parts.month is None:
        message = (
            f"{quoted(text)} is not a whole date; give the day, month and year, like {DATE_EXAMPLE}"
        )
        return DateAnswer(note=Note(Severity.ERROR, "date_incomplete", message))
    date, note = _day(text, parts, day_first, default_year, near_year)
    return DateAnswer(date, note=note)


def _day(
    text: str, parts: DateParts, day_first: bool, default_year: int | None, near_year: int | None
) -> tuple[dt.date | None, Note | None]:
    year = full_year(parts, near_year)
    date, note = checked_date(text, parts, year if year is not None else default_year, day_first)
    if date is None or note is not None:
        return date, note
    return date, weekday_note(text, date, parts.weekday)


def _range_answer(
    text: str, days: DayRange, day_first: bool, default_year: int | None, near_year: int | None
) -> DateAnswer:
    first, first_note = _day(text, days.first, day_first, default_year, near_year)
    last, last_note = _day(text, days.last, day_first, default_year, near_year)
    if first is None or last is None:
        return DateAnswer(note=first_note or last_note)
    if last < first:
        message = (
            f"{quoted(text)} ends on {spoken(last)}, before it starts on {spoken(first)}; "
            "check the dates. We used the first day only until then."
        )
        return DateAnswer(first, note=Note(Severity.WARNING, "date_range_order", message))
    return DateAnswer(first, last if last > first else None, note=first_note or last_note)


def _time_splits(typed: str) -> list[tuple[str, str]]:
    """(date part, time part) for a time after the date, then before it, then inside it."""
    boundaries = list(_TIME_BOUNDARY.finditer(typed))
    splits = [
        (typed[: b.start()], typed[b.end() :]) for b in reversed(boundaries[-_MOST_TIME_SPLITS:])
    ]
    splits += [(typed[b.end() :], typed[: b.start()]) for b in boundaries[:_MOST_TIME_SPLITS]]
    middle = _MIDDLE_TIME.search(typed)
    if middle:
        splits.append((typed[: middle.start()] + typed[middle.end() - 1 :], middle.group(1)))
    return [(date, time) for date, time in splits if date and time]


def _quoting(note: Note | None, text: str) -> Note | None:
    """A time's note about the whole answer, so it quotes what was typed."""
    if note is None:
        return None
    return Note(note.severity, note.code, f"{note.message} (in the date {quoted(text)})")


@functools.lru_cache(maxsize=4096)
def _remembered_times(
    start_text: str, end_text: str
) -> tuple[dt.time | None, dt.time | None, bool, tuple[tuple[str, Note | None], ...]]:
    start, end, from_range, notes = _times(start_text, end_text)
    return start, end, from_range, tuple(notes)


def _times(
    start_text: str, end_text: str
) -> tuple[dt.time | None, dt.time | None, bool, list[tuple[str, Note | None]]]:
    """The start and end times from their own boxes; a range typed in the start box is both."""
    notes: list[tuple[str, Note | None]] = []
    start: dt.time | None = None
    end: dt.time | None = None
    if start_text.strip() and not end_text.strip():
        range_start, range_end, note = clean_time_range(start_text)
        if range_end is not None:
            notes.append(("start_time", note))  # it already says when the end is before the start
            return range_start, range_end, True, notes
    if start_text.strip():
        start, note = clean_time(start_text)
        notes.append(("start_time", note))
    if end_text.strip():
        end, note = clean_time(end_text)
        if note is not None and note.code == "time_afternoon" and start is not None and end:
            morning = end.replace(hour=end.hour - 12)
            if runs_overnight(start, morning):  # "22:00" to "1:00" ends in the small hours
                end, note = morning, None
        notes.append(("end_time", note))
    return start, end, False, notes


def _next_date(typed: str, submitted: dt.date, day_first: bool) -> DateAnswer:
    """A date typed without a year ("Tuesday 23rd March") is the next one after the answer was
    sent: events are registered ahead of time. A named weekday that fits one year decides."""
    tries = [
        read_date_answer(typed, day_first=day_first, default_year=year, near_year=submitted.year)
        for year in (submitted.year, submitted.year + 1)
    ]
    recent = submitted - dt.timedelta(days=31)
    fitting = [a for a in tries if a.date is not None and a.date >= recent]
    agreeing = [a for a in fitting if a.note is None or a.note.code != "date_weekday_mismatch"]
    return (agreeing or fitting or tries)[0]


def _window_note(
    text: str,
    date: dt.date,
    end_date: dt.date | None,
    submitted: dt.date | None,
    today: dt.date | None,
) -> Note | None:
    """A WARNING for a date far from the campaign (a mistyped year, most often): more than a
    year ahead of today, or already past when the answer was sent. Without the time it was
    sent, a date more than a year before today is questioned instead; with it, an event that
    was ahead when it was registered is never questioned again as the months go by."""
    if today is not None and (_far_ahead(date, today) or _far_behind(date, submitted, today)):
        message = (
            f"We read {quoted(text)} as {spoken(date)}, more than a year from today; check the year"
        )
        return Note(Severity.WARNING, "date_far_off", message)
    if submitted is not None and (end_date or date) < submitted:
        message = (
            f"We read {quoted(text)} as {spoken(date)}, which was already past when this answer "
            f"was sent on {spoken(submitted)}; check the date"
        )
        return Note(Severity.WARNING, "date_before_answer", message)
    return None


def _far_ahead(date: dt.date, today: dt.date) -> bool:
    return date - today > FAR_FROM_TODAY


def _far_behind(date: dt.date, submitted: dt.date | None, today: dt.date) -> bool:
    return submitted is None and today - date > FAR_FROM_TODAY


def days_read_alike(
    date: dt.date | None, submitted: dt.date | None, today: dt.date | None, *, typed: bool
) -> tuple[dt.date, dt.date]:
    """The first and last day that, taken as today, give the same reading of a date answer as
    `today` does, so a cleaned answer need not be cleaned again the next day.

    Today counts in two ways only: a date answer sent at an unknown time is read near today's
    year, and a date is questioned while it is more than a year ahead of today (or, sent at an
    unknown time, more than a year behind). With no today, every day reads alike."""
    first, last = dt.date.min, dt.date.max
    if today is None:
        return first, last
    if submitted is None and typed:
        first, last = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if date is None:
        return first, last
    # Far ahead while today < date - FAR; far behind while today > date + FAR.
    ahead_until, behind_from = _shifted(date, -FAR_FROM_TODAY), _shifted(date, FAR_FROM_TODAY)
    if _far_ahead(date, today):
        last = min(last, _shifted(ahead_until, -dt.timedelta(days=1)))
    else:
        first = max(first, ahead_until)
    if submitted is None:
        if _far_behind(date, submitted, today):
            first = max(first, _shifted(behind_from, dt.timedelta(days=1)))
        else:
            last = min(last, behind_from)
    return first, last


def _shifted(day: dt.date, by: dt.timedelta) -> dt.date:
    """`day` moved `by`, stopping at the first or last day a date can be."""
    try:
        return day + by
    except OverflowError:
        return dt.date.min if by < dt.timedelta(0) else dt.date.max


@functools.lru_cache(maxsize=4096)
def _skipped_time(time: dt.time | None, date: dt.date, timezone: str) -> Note | None:
    """A WARNING for a local time the clocks skip that day (01:30 when they go forward)."""
    if time is None:
        return None
    zone = ZoneInfo(timezone)
    local = dt.datetime.combine(date, time, tzinfo=zone)
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return None
    message = (
        f"There is no {clock(time)} on {spoken(date)}: the clocks go forward that night; "
        "check the time"
    )
    return Note(Severity.WARNING, "time_skipped_by_clocks", message)


def _end_before_start(start: dt.time, end: dt.time) -> Note:
    message = (
        f"The event ends ({end:%H:%M}) before it starts ({start:%H:%M}); check the times. "
        "We have left the end time off until then."
    )
    return Note(Severity.WARNING, "end_before_start", message)
