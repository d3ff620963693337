"""Dates, times and timestamps as staff type them and Google writes them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smwsync.clean.dates import clean_date, clean_when, read_date_answer
from smwsync.clean.ranges import clean_time_range
from smwsync.clean.times import clean_time
from smwsync.clean.timestamps import parse_timestamp
from smwsync.model import Severity

LONDON = ZoneInfo("Europe/London")
SEPT_23 = dt.date(2026, 9, 23)  # a Wednesday


def everything() -> st.SearchStrategy[str]:
    """Any text at all: control characters, lone surrogates, unassigned code points."""
    return st.text(st.characters(codec=None, exclude_categories=()))


def date_like() -> st.SearchStrategy[str]:
    """Text made of the pieces dates and times are written with, in any order."""
    pieces = st.sampled_from(
        ["23", "9", "09", "2026", "26", "31", "0", "/", "-", ".", ":", " ", ",", "sep", "tue",
         "rd", "of", "pm", "am", "to", "noon", "gmt+11", "est", "t", "'"]
    )  # fmt: skip
    return st.lists(pieces, max_size=8).map("".join)


# --- clean_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "23/09/2026",
        "23/9/2026",
        "23-9-2026",
        "23.09.26",
        "23.09.2026",
        "2026-09-23",
        "2026/09/23",
        "23rd September 2026",
        "23rd of September 2026",
        "the 23rd of September, 2026",
        "23 Sept 2026",
        "23 SEP 2026",
        "23sep2026",
        "September 23, 2026",
        "Sept 23rd 2026",
        "Wed 23 Sept 2026",
        "Wednesday, 23 September 2026",
        "Weds 23rd Sept '26",
        "23/09/2026 14:00:00",  # a date question that also asks for the time
        "2026-09-23T14:00:00",
        "23 Sep 2026 at 2.30pm",
        "Wed 23 Sept 2026, 14:00",
        " 23 September 2026 ",
        "23 September\u00a02026",
        "２３/０９/２０２６",
    ],
)
def test_dates_written_any_common_way_are_read_without_a_note(typed: str) -> None:
    assert clean_date(typed) == (SEPT_23, None)


@pytest.mark.parametrize(
    "typed", ["23 Sep", "Wed 23 Sept", "23rd September", "September 23", "23/09"]
)
def test_a_missing_year_is_the_year_of_the_response(typed: str) -> None:
    assert clean_date(typed, default_year=2026) == (SEPT_23, None)


def test_tuesday_23_september_is_right_in_2025_and_questioned_in_2026() -> None:
    assert clean_date("Tue 23 Sept", default_year=2025) == (dt.date(2025, 9, 23), None)
    date, note = clean_date("Tue 23 Sept", default_year=2026)
    assert date == SEPT_23
    assert note is not None and note.severity is Severity.WARNING
    assert note.code == "date_weekday_mismatch"


def test_a_weekday_that_contradicts_the_date_names_both() -> None:
    date, note = clean_date("Monday 23 September 2026")
    assert date == SEPT_23
    assert note is not None and note.severity is Severity.WARNING
    assert note.message == (
        "'Monday 23 September 2026': 23 September 2026 is a Wednesday, not a Monday; "
        "we used 23 September 2026, check it"
    )


def test_a_missing_year_without_a_default_is_an_error() -> None:
    date, note = clean_date("23 Sep")
    assert date is None
    assert note is not None and note.severity is Severity.ERROR and note.code == "date_no_year"
    assert note.message == "'23 Sep' has no year; give the whole date, like 23 September 2026"


@pytest.mark.parametrize(
    ("typed", "day_first", "expected"),
    [
        ("03/04/2026", True, dt.date(2026, 4, 3)),
        ("03/04/2026", False, dt.date(2026, 3, 4)),
        ("9/23/2026", False, SEPT_23),
        ("12/11/26", True, dt.date(2026, 11, 12)),
        ("12/11/26", False, dt.date(2026, 12, 11)),
        ("2026-04-03", False, dt.date(2026, 4, 3)),  # year first is never month-day swapped
        ("3 April 2026", False, dt.date(2026, 4, 3)),
    ],
)
def test_day_first_decides_dates_that_read_both_ways(
    typed: str, day_first: bool, expected: dt.date
) -> None:
    assert clean_date(typed, day_first=day_first) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "day_first", "message"),
    [
        ("9/27/2026", True, "We read '9/27/2026' as 27 September 2026 (month first); check it"),
        ("27/9/2026", False, "We read '27/9/2026' as 27 September 2026 (day first); check it"),
    ],
)
def test_a_date_that_only_reads_the_other_way_is_read_so_with_a_warning(
    typed: str, day_first: bool, message: str
) -> None:
    date, note = clean_date(typed, day_first=day_first)
    assert date == dt.date(2026, 9, 27)
    assert note is not None and note.severity is Severity.WARNING and note.code == "date_order"
    assert note.message == message


@pytest.mark.parametrize(
    ("typed", "default_year", "there_is_no"),
    [
        ("31/02/2026", None, "31 February 2026"),
        ("2026-02-30", None, "30 February 2026"),
        ("30 Feb", 2026, "30 February 2026"),
        ("30 Feb", None, "30 February"),
        ("29/02/2027", None, "29 February 2027"),
        ("29 Feb", 2027, "29 February 2027"),
        ("31 April 2026", None, "31 April 2026"),
        ("02/30/2026", None, "30 February 2026"),  # neither order gives a real date
        ("0/9/2026", None, "0 September 2026"),
    ],
)
def test_a_date_that_does_not_exist_is_an_error_naming_it(
    typed: str, default_year: int | None, there_is_no: str
) -> None:
    date, note = clean_date(typed, default_year=default_year)
    assert date is None
    assert note is not None and note.severity is Severity.ERROR and note.code == "date_impossible"
    assert note.message == f"There is no {there_is_no}: check the date '{typed}'"


def test_29_february_in_a_leap_year_is_fine() -> None:
    assert clean_date("29/02/2028") == (dt.date(2028, 2, 29), None)
    assert clean_date("29 Feb", default_year=2028) == (dt.date(2028, 2, 29), None)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Tuesday", "date_incomplete"),
        ("Tue", "date_incomplete"),
        ("September", "date_incomplete"),
        ("September 2026", "date_incomplete"),
        ("23rd", "date_incomplete"),
        ("next week", "date_format"),
        ("tomorrow", "date_format"),
        ("TBC", "date_format"),
        ("23 & 24 Sep", "date_format"),
        ("13/13/2026", "date_format"),
        ("23/09/2026/1", "date_format"),
        ("23 Septiembre 2026", "date_format"),
        ("23 Sep 5", "date_format"),
        ("23092026", "date_format"),
    ],
)
def test_text_that_is_not_a_whole_date_is_an_error_never_a_made_up_date(
    typed: str, code: str
) -> None:
    date, note = clean_date(typed, default_year=2026)
    assert date is None
    assert note is not None and note.severity is Severity.ERROR and note.code == code
    assert f"'{typed}'" in note.message
    assert "23 September 2026" in note.message  # an example of what to write


@pytest.mark.parametrize(("typed", "year"), [("1/1/00", 2000), ("1/1/99", 2099), ("1/1/26", 2026)])
def test_two_digit_years_are_this_century_when_no_year_is_near(typed: str, year: int) -> None:
    assert clean_date(typed) == (dt.date(year, 1, 1), None)


@pytest.mark.parametrize(
    ("typed", "near_year", "expected"),
    [
        ("04.04.95 00:22", 2026, dt.date(1995, 4, 4)),
        ("7-4-76", 2026, dt.date(1976, 4, 7)),
        ("1/1/27", 2026, dt.date(2027, 1, 1)),
        ("1/1/75", 2026, dt.date(2075, 1, 1)),
        ("1/1/76", 2026, dt.date(1976, 1, 1)),
        ("Weds 23rd Sept '26", 2026, dt.date(2026, 9, 23)),
        ("1/1/05", 2099, dt.date(2105, 1, 1)),
    ],
)
def test_a_two_digit_year_is_the_nearest_one(typed: str, near_year: int, expected: dt.date) -> None:
    assert clean_date(typed, near_year=near_year)[0] == expected


# --- dates with times and runs of days --------------------------------------------------------

# Answers gathered from dateutil's and dateparser's own test suites (the English ones a form
# could plausibly hold, with a whole date) and from the forms this tool reads: see the file.
TYPED_DATES = Path(__file__).parent / "data" / "typed_dates.csv"


def typed_dates() -> list[dict[str, str]]:
    with TYPED_DATES.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize("case", typed_dates(), ids=lambda case: case["typed"].strip())
def test_every_gathered_answer_is_read_as_its_day_time_and_last_day(case: dict[str, str]) -> None:
    answer = read_date_answer(case["typed"], day_first=case["day_first"] == "yes", near_year=2026)
    assert answer.date == dt.date.fromisoformat(case["date"])
    start = answer.start_time.strftime("%H:%M") if answer.start_time else ""
    assert start == case["time"]
    assert answer.end_date == (
        dt.date.fromisoformat(case["end_date"]) if case["end_date"] else None
    )
    assert answer.note is None or answer.note.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("typed", "date", "start", "end"),
    [
        ("23/03/2027 14.30", dt.date(2027, 3, 23), dt.time(14, 30), None),
        ("December 13, 2026 at midnight", dt.date(2026, 12, 13), dt.time(0), None),
        ("1 a.m 20.07.2027", dt.date(2027, 7, 20), dt.time(1), None),
        ("23/03/2027 14:00-16:00", dt.date(2027, 3, 23), dt.time(14), dt.time(16)),
        ("Tue 23 March 2027, 7-9pm", dt.date(2027, 3, 23), dt.time(19), dt.time(21)),
    ],
)
def test_a_time_typed_with_the_date_is_read_too(
    typed: str, date: dt.date, start: dt.time, end: dt.time | None
) -> None:
    answer = read_date_answer(typed)
    assert (answer.date, answer.start_time, answer.end_time, answer.note) == (
        date,
        start,
        end,
        None,
    )


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("12-14 June 2027", dt.date(2027, 6, 12), dt.date(2027, 6, 14)),
        ("June 12-14, 2027", dt.date(2027, 6, 12), dt.date(2027, 6, 14)),
        ("12 – 14 June", dt.date(2027, 6, 12), dt.date(2027, 6, 14)),
        ("30 Dec - 2 Jan 2027", dt.date(2026, 12, 30), dt.date(2027, 1, 2)),
        ("23-24 September 2027", dt.date(2027, 9, 23), dt.date(2027, 9, 24)),
    ],
)
def test_a_run_of_days_gives_its_first_and_last_day(
    typed: str, first: dt.date, last: dt.date
) -> None:
    answer = read_date_answer(typed, default_year=2027)
    assert (answer.date, answer.end_date, answer.note) == (first, last, None)


def test_a_run_of_days_that_ends_before_it_starts_keeps_the_first_day_with_a_warning() -> None:
    answer = read_date_answer("14 June 2027 - 12 June 2027")
    assert (answer.date, answer.end_date) == (dt.date(2027, 6, 14), None)
    assert answer.note is not None and answer.note.code == "date_range_order"
    assert answer.note.message == (
        "'14 June 2027 - 12 June 2027' ends on 12 June 2027, before it starts on 14 June 2027; "
        "check the dates. We used the first day only until then."
    )


@pytest.mark.parametrize("typed", ["1-2-3", "12 and 14 June 2027", "Tuesday 2pm", "2pm"])
def test_what_is_not_a_day_or_a_run_of_days_stays_an_error(typed: str) -> None:
    answer = read_date_answer(typed, default_year=2027)
    assert answer.date is None
    assert answer.note is not None and answer.note.severity is Severity.ERROR


# --- clean_when: the date and time answers together ---------------------------------------------

SENT = dt.datetime(2026, 11, 20, 10, 15, tzinfo=LONDON)
TODAY = dt.date(2026, 11, 24)


def when(date: str, start: str = "", end: str = "", **options: object):
    settings: dict[str, object] = {"submitted_at": SENT, "today": TODAY}
    settings.update(options)
    return clean_when(date, start, end, **settings)  # type: ignore[arg-type]


def codes(found) -> list[tuple[str, str]]:
    return [(field, note.code) for field, note in found.notes]


@pytest.mark.parametrize(
    ("start", "end", "start_time", "end_time"),
    [
        ("22:00", "01:00", dt.time(22), dt.time(1)),
        ("22:00", "1:00", dt.time(22), dt.time(1)),  # not read as 13:00
        ("10pm-1am", "", dt.time(22), dt.time(1)),
        ("22:00-1:00", "", dt.time(22), dt.time(1)),
        ("9pm-2", "", dt.time(21), dt.time(2)),
        ("8pm", "midnight", dt.time(20), dt.time(0)),
    ],
)
def test_an_event_past_midnight_ends_the_next_day(
    start: str, end: str, start_time: dt.time, end_time: dt.time
) -> None:
    found = when("23/03/2027", start, end)
    assert (found.date, found.end_date) == (dt.date(2027, 3, 23), dt.date(2027, 3, 24))
    assert (found.start_time, found.end_time, found.notes) == (start_time, end_time, ())


def test_an_afternoon_end_before_the_start_is_still_questioned_and_left_off() -> None:
    found = when("23/03/2027", "16:00", "14:00")
    assert (found.end_date, found.end_time) == (None, None)
    assert codes(found) == [("end_time", "end_before_start")]


def test_a_run_of_days_keeps_its_daily_hours() -> None:
    found = when("12-14 June 2027", "10:00", "16:00")
    assert (found.date, found.end_date) == (dt.date(2027, 6, 12), dt.date(2027, 6, 14))
    assert (found.start_time, found.end_time, found.notes) == (dt.time(10), dt.time(16), ())


@pytest.mark.parametrize("typed", ["23rd March, 10am", "10am Tue 23 March", "23/03 at 10.00"])
def test_a_date_and_time_without_a_year_is_the_next_such_date(typed: str) -> None:
    found = when(typed)
    assert (found.date, found.start_time, found.notes) == (dt.date(2027, 3, 23), dt.time(10), ())


def test_times_in_the_date_answer_are_used_when_the_time_boxes_are_blank() -> None:
    found = when("23/03/2027 18.30-21.00")
    assert (found.start_time, found.end_time, found.notes) == (dt.time(18, 30), dt.time(21), ())
    boxes_win = when("23/03/2027 18.30", "19:00")
    assert boxes_win.start_time == dt.time(19)


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        (
            "04.04.95 00:22",
            "date_before_answer",
            "We read '04.04.95 00:22' as 4 April 1995, which was already past when this answer "
            "was sent on 20 November 2026; check the date",
        ),
        (
            "23/03/2028",
            "date_far_off",
            "We read '23/03/2028' as 23 March 2028, more than a year from today; check the year",
        ),
        (
            "01/10/2026",
            "date_before_answer",
            "We read '01/10/2026' as 1 October 2026, which was already past when this answer was "
            "sent on 20 November 2026; check the date",
        ),
    ],
)
def test_a_date_far_from_the_campaign_is_questioned(typed: str, code: str, message: str) -> None:
    found = when(typed)
    assert found.date is not None
    assert [(field, note.code, note.message) for field, note in found.notes] == [
        ("date", code, message)
    ]


def test_without_the_time_sent_a_date_a_year_past_is_questioned() -> None:
    found = when("7-4-76", submitted_at=None)
    assert found.date == dt.date(1976, 4, 7)
    assert [(note.code, note.message) for _, note in found.notes] == [
        (
            "date_far_off",
            "We read '7-4-76' as 7 April 1976, more than a year from today; check the year",
        )
    ]


def test_an_event_registered_ahead_is_not_questioned_as_the_years_go_by() -> None:
    assert when("23/03/2027", today=dt.date(2029, 1, 1)).notes == ()


def test_dates_within_the_campaign_and_a_run_still_going_are_not_questioned() -> None:
    assert when("23/11/2027").notes == ()
    assert when("19-21 November 2026").notes == ()  # it was still on when the answer came
    assert when("23/03/2028", today=None, submitted_at=None).notes == ()


def test_a_time_the_clocks_skip_is_questioned() -> None:
    # The clocks go forward at 01:00 on Sunday 28 March 2027: 01:30 never happens in London.
    found = when("28/03/2027", "01:30", "03:00")
    assert codes(found) == [("start_time", "time_skipped_by_clocks")]
    (_, note), *_ = found.notes
    assert note.message == (
        "There is no 01:30 on 28 March 2027: the clocks go forward that night; check the time"
    )
    assert when("28/03/2027", "00:30", "02:30").notes == ()  # 02:30 is BST, and exists
    assert codes(when("28/03/2027", "01:30", timezone="UTC")) == []
    assert codes(when("31/10/2027", "01:30")) == []  # it happens twice when they go back


@pytest.mark.parametrize("typed", ["", "   ", "\u200b", "\x00"])
def test_a_blank_date_is_no_date_and_no_note(typed: str) -> None:
    assert clean_date(typed) == (None, None)


# --- clean_time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("14:30:00", dt.time(14, 30)),
        ("09:05:30", dt.time(9, 5, 30)),
        ("2pm", dt.time(14)),
        ("2 PM", dt.time(14)),
        ("2 p.m.", dt.time(14)),
        ("2.30pm", dt.time(14, 30)),
        ("2:30 PM", dt.time(14, 30)),
        ("10am", dt.time(10)),
        ("10.15 a.m.", dt.time(10, 15)),
        ("14.30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("1430hrs", dt.time(14, 30)),
        ("0930", dt.time(9, 30)),
        ("930", dt.time(9, 30)),
        ("9", dt.time(9)),
        ("14h30", dt.time(14, 30)),
        ("noon", dt.time(12)),
        ("Midday", dt.time(12)),
        ("12 noon", dt.time(12)),
        ("12.00 noon", dt.time(12)),
        ("midnight", dt.time(0)),
        ("12pm", dt.time(12)),
        ("12am", dt.time(0)),
        ("12:30am", dt.time(0, 30)),
        ("00:00", dt.time(0)),
        ("02:30", dt.time(2, 30)),  # a leading zero means the early morning
        ("from 2pm", dt.time(14)),
        ("2pm onwards", dt.time(14)),
        ("10am start", dt.time(10)),
        ("approx 10:30", dt.time(10, 30)),
        ("１４:３０", dt.time(14, 30)),
    ],
)
def test_times_written_any_common_way_are_read_without_a_note(
    typed: str, expected: dt.time
) -> None:
    assert clean_time(typed) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "expected", "message"),
    [
        ("2:30", dt.time(14, 30), "We read '2:30' as 14:30 (afternoon); if you meant the early "
         "morning, write 02:30"),
        ("2", dt.time(14), "We read '2' as 14:00 (afternoon); if you meant the early morning, "
         "write 02:00"),
        ("6.15", dt.time(18, 15), "We read '6.15' as 18:15 (afternoon); if you meant the early "
         "morning, write 06:15"),
    ],
)  # fmt: skip
def test_an_hour_of_1_to_6_without_am_or_pm_is_the_afternoon_with_a_warning(
    typed: str, expected: dt.time, message: str
) -> None:
    time, note = clean_time(typed)
    assert time == expected
    assert note is not None and note.severity is Severity.WARNING
    assert (note.code, note.message) == ("time_afternoon", message)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("25:00", "time_impossible"),
        ("24:00", "time_impossible"),
        ("14:75", "time_impossible"),
        ("13pm", "time_impossible"),
        ("0am", "time_impossible"),
        ("TBC", "time_format"),
        ("all day", "time_format"),
        ("afternoon", "time_format"),
        ("2pm-4pm", "time_format"),  # a range belongs in clean_time_range
        ("14:3", "time_format"),
        ("12345", "time_format"),
        ("1 noon", "time_format"),
    ],
)
def test_junk_or_impossible_times_are_errors_that_name_them(typed: str, code: str) -> None:
    time, note = clean_time(typed)
    assert time is None
    assert note is not None and note.severity is Severity.ERROR and note.code == code
    assert f"'{typed}'" in note.message
    assert "14:30 or 2:30pm" in note.message


def test_a_blank_time_is_no_time_and_no_note() -> None:
    assert clean_time("") == (None, None)
    assert clean_time(" \t") == (None, None)


# --- clean_time_range ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("22:00-01:00", dt.time(22), dt.time(1)),  # past midnight, so no note
        ("10pm - 1am", dt.time(22), dt.time(1)),
        ("2pm-4pm", dt.time(14), dt.time(16)),
        ("2pm - 4pm", dt.time(14), dt.time(16)),
        ("10:00 to 12:30", dt.time(10), dt.time(12, 30)),
        ("10.00 – 12.00", dt.time(10), dt.time(12)),
        ("2-4pm", dt.time(14), dt.time(16)),
        ("7-9pm", dt.time(19), dt.time(21)),
        ("11-1pm", dt.time(11), dt.time(13)),
        ("10-4pm", dt.time(10), dt.time(16)),
        ("12-2pm", dt.time(12), dt.time(14)),
        ("10am-2", dt.time(10), dt.time(14)),
        ("2pm-4", dt.time(14), dt.time(16)),
        ("9-11", dt.time(9), dt.time(11)),
        ("9am until noon", dt.time(9), dt.time(12)),
        ("from 10am till 2pm", dt.time(10), dt.time(14)),
        ("14:00-16:30", dt.time(14), dt.time(16, 30)),
    ],
)
def test_a_start_and_end_in_one_box_are_both_read(typed: str, start: dt.time, end: dt.time) -> None:
    assert clean_time_range(typed) == (start, end, None)


def test_a_range_with_no_am_or_pm_in_the_afternoon_gets_a_warning() -> None:
    start, end, note = clean_time_range("2-4")
    assert (start, end) == (dt.time(14), dt.time(16))
    assert note is not None and note.severity is Severity.WARNING
    assert note.message == (
        "We read '2-4' as 14:00 to 16:00 (afternoon); check it, and write am or pm to be sure"
    )


def test_a_range_that_ends_before_it_starts_is_kept_with_a_warning() -> None:
    start, end, note = clean_time_range("4pm-2pm")
    assert (start, end) == (dt.time(16), dt.time(14))
    assert note is not None and note.severity is Severity.WARNING
    assert note.message == "'4pm-2pm' ends at 14:00, before it starts at 16:00; check the times"


def test_a_single_time_in_the_range_box_is_the_start() -> None:
    assert clean_time_range("2pm") == (dt.time(14), None, None)
    assert clean_time_range("") == (None, None, None)


@pytest.mark.parametrize("typed", ["2pm-", "1-2-3", "2pm-tea", "25:00-26:00", "morning to noon"])
def test_a_range_that_cannot_be_read_is_an_error(typed: str) -> None:
    start, end, note = clean_time_range(typed)
    assert (start, end) == (None, None)
    assert note is not None and note.severity is Severity.ERROR
    assert f"'{typed}'" in note.message


# --- parse_timestamp -------------------------------------------------------------------------


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "day_first", "moment"),
    [
        # Sheets download, en_GB and en_US; summer time in London
        ("30/04/2023 15:31:44", True, utc(2023, 4, 30, 14, 31, 44)),
        ("9/27/2022 11:39:02", False, utc(2022, 9, 27, 10, 39, 2)),
        ("9/27/2022 11:39:02", True, utc(2022, 9, 27, 10, 39, 2)),  # only month first works
        ("30/04/2023 15:31:44", False, utc(2023, 4, 30, 14, 31, 44)),
        ("03/04/2023 09:00:00", True, utc(2023, 4, 3, 8)),
        ("03/04/2023 09:00:00", False, utc(2023, 3, 4, 9)),
        ("15/01/2024 08:05", True, utc(2024, 1, 15, 8, 5)),
        # Forms download
        ("2024/03/26 12:16:41 PM GMT+11", True, utc(2024, 3, 26, 1, 16, 41)),
        ("2019/11/05 8:49:33 PM EST", True, utc(2019, 11, 6, 1, 49, 33)),
        ("2024/03/26 9:05:00 AM GMT", True, utc(2024, 3, 26, 9, 5)),
        ("2024/03/26 12:05:00 AM GMT", True, utc(2024, 3, 26, 0, 5)),
        ("2024/07/01 9:05:00 AM GMT+1", True, utc(2024, 7, 1, 8, 5)),
        ("2024/07/01 9:05:00 AM GMT-5:30", True, utc(2024, 7, 1, 14, 35)),
        ("2024/07/01 9:05:00 AM BST", True, utc(2024, 7, 1, 8, 5)),
        ("2024/07/01 9:05:00 AM", True, utc(2024, 7, 1, 8, 5)),
        # ISO 8601
        ("2024-03-26T12:16:41Z", True, utc(2024, 3, 26, 12, 16, 41)),
        ("2024-07-01 10:00:00", True, utc(2024, 7, 1, 9)),
        ("2024-07-01T10:00:00+02:00", True, utc(2024, 7, 1, 8)),
    ],
)
def test_timestamps_from_both_google_downloads_are_read(
    text: str, day_first: bool, moment: dt.datetime
) -> None:
    read = parse_timestamp(text, day_first=day_first)
    assert read is not None and read.tzinfo is not None
    assert read == moment
    assert read.utcoffset() == moment.astimezone(LONDON).utcoffset()  # given as London time


def test_one_column_mixing_both_orders_reads_every_row() -> None:
    column = ["30/04/2023 15:31:44", "9/27/2022 11:39:02", "12/31/2022 23:59:59"]
    read = [parse_timestamp(text) for text in column]
    assert [moment.date() for moment in read if moment] == [
        dt.date(2023, 4, 30),
        dt.date(2022, 9, 27),
        dt.date(2022, 12, 31),
    ]


def test_a_timestamp_without_a_zone_is_in_the_given_timezone() -> None:
    read = parse_timestamp("26/03/2024 12:16:41", timezone="Australia/Sydney")
    assert read == utc(2024, 3, 26, 1, 16, 41)
    assert read is not None and str(read.tzinfo) == "Australia/Sydney"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "junk",
        "31/02/2024 10:00:00",
        "13/13/2024 10:00:00",
        "30/04/2023",
        "30/04/2023 25:00:00",
        "2024/03/26 13:16:41 PM GMT",
        "2024/03/26 12:16:41 PM XYZT",
        "2024/03/26 12:16:41 PM GMT+24",
        "0001/01/01 12:00:00 AM GMT+11",
        "9999/12/31 11:59:59 PM GMT-11",
        "2024-13-01T00:00:00",
    ],
)
def test_unreadable_timestamps_are_none(text: str) -> None:
    assert parse_timestamp(text) is None


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.one_of(everything(), date_like()), st.booleans(), st.none() | st.integers(-5, 10_005))
@example("0-0/0/00", False, None)  # a range whose month is 0 on one side only
@example("5-0/6/27", True, None)
def test_reading_dates_and_times_never_raises(
    text: str, day_first: bool, default_year: int | None
) -> None:
    date, note = clean_date(text, day_first=day_first, default_year=default_year)
    assert date is not None or note is None or note.severity is Severity.ERROR
    time, note = clean_time(text)
    assert time is not None or note is None or note.severity is Severity.ERROR
    clean_time_range(text)
    moment = parse_timestamp(text, day_first=day_first)
    assert moment is None or moment.tzinfo is not None


@pytest.mark.parametrize(
    "text",
    ["\ud800" * 100_000, "1/" * 50_000, "tue " * 25_000, "2pm-" * 25_000, "12:00 " * 16_000],
)
def test_answers_of_100_kb_never_raise(text: str) -> None:
    date, note = clean_date(text)
    assert date is None
    assert note is None or len(note.message) < 300
    time, note = clean_time(text)
    assert time is None
    assert clean_time_range(text)[:2] == (None, None)
    assert parse_timestamp(text) is None


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_any_date_written_by_the_form_reads_back(date: dt.date) -> None:
    assert clean_date(date.strftime("%d/%m/%Y")) == (date, None)
    assert clean_date(date.strftime("%m/%d/%Y"), day_first=False) == (date, None)
    assert clean_date(date.isoformat()) == (date, None)
    assert clean_date(f"{date:%A} {date.day} {date:%B %Y}") == (date, None)


@settings(max_examples=300, deadline=None)
@given(st.times())
def test_any_time_reads_back_to_the_minute(time: dt.time) -> None:
    minute = time.replace(second=0, microsecond=0)
    assert clean_time(time.strftime("%H:%M")) == (minute, None)
    assert clean_time(time.strftime("%H:%M:%S")) == (time.replace(microsecond=0), None)
    assert clean_time(time.strftime("%I:%M %p")) == (minute, None)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
))  # fmt: skip
def test_any_sheets_or_forms_timestamp_reads_back(moment: dt.datetime) -> None:
    local = moment.replace(tzinfo=LONDON)
    assert parse_timestamp(moment.strftime("%d/%m/%Y %H:%M:%S")) == local
    assert parse_timestamp(moment.strftime("%m/%d/%Y %H:%M:%S"), day_first=False) == local
    forms = moment.strftime("%Y/%m/%d %I:%M:%S %p").replace(" 0", " ") + " GMT+11"
    # Compared as instants: an aware time in the hour the clocks go back is never == to one in
    # another zone (PEP 495), though it is the same moment.
    eleven_ahead = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=11)))
    assert parse_timestamp(forms).timestamp() == eleven_ahead.timestamp()


_SENT_2026 = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("date", "start", "one", "other", "read_one", "read_other"),
    [
        ("03/04/2027", "", {"day_first": True}, {"day_first": False}, "2027-04-03", "2027-03-04"),
        # 01:30 does not exist in London that night; New York changed its clocks on the 14th
        (
            "28/03/2027",
            "01:30",
            {"timezone": "Europe/London"},
            {"timezone": "America/New_York"},
            "2027-03-28 time_skipped_by_clocks",
            "2027-03-28",
        ),
        # no year: the next 23 March after the answer was sent
        (
            "23rd March",
            "",
            {"submitted_at": _SENT_2026},
            {"submitted_at": _SENT_2026.replace(year=2027)},
            "2026-03-23",
            "2027-03-23",
        ),
        # a two-digit year: the one nearest the year the answer was sent
        (
            "1/2/80",
            "",
            {"submitted_at": _SENT_2026},
            {"submitted_at": _SENT_2026.replace(year=2060)},
            "1980-02-01 date_before_answer",
            "2080-02-01",
        ),
    ],
)
def test_an_answer_read_again_under_other_settings_is_read_afresh(
    date: str,
    start: str,
    one: dict[str, object],
    other: dict[str, object],
    read_one: str,
    read_other: str,
) -> None:
    """A sheet repeats its answers, and each is read once; what it was read with is part of
    what is remembered, so the same answer under other settings, in either order, is read
    afresh."""

    def read(settings: dict[str, object]) -> str:
        found = clean_when(date, start, "", **settings)  # type: ignore[arg-type]
        return " ".join([str(found.date), *(note.code for _, note in found.notes)])

    assert (read(one), read(other)) == (read_one, read_other)
    assert (read(other), read(one)) == (read_other, read_one)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("0001-01-01 00:30:00", "Asia/Tokyo"), ("9999-12-31 23:30:00", "America/New_York")],
)
def test_a_timestamp_no_calendar_can_write_in_utc_is_unreadable(typed: str, zone: str) -> None:
    # Once a traceback in the calendar's DTSTAMP on every sync of a sheet that held one.
    assert parse_timestamp(typed, timezone=zone) is None


DATE_ANSWERS = st.sampled_from(
    [
        *["24/03/2027", "24 March", "Tues 24 March", "24/03/2028", "1/1/27", "3 Jan 2026"],
        *["12-14 June", "25/12/25", "next tuesday", "", "31/12/9999", "01/01/0001"],
        *["14 Feb at 2pm", "5/6/76"],
    ]
)
DAYS = st.dates(dt.date(2020, 1, 1), dt.date(2032, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    typed=DATE_ANSWERS,
    sent=st.none() | st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2032, 12, 31)),
    today=DAYS,
    other=DAYS,
)
def test_every_day_said_to_read_an_answer_alike_reads_it_exactly_alike(
    typed: str, sent: dt.datetime | None, today: dt.date, other: dt.date
) -> None:
    # A cleaned answer is kept between syncs for the days that read it alike: a day among them
    # that read it otherwise would publish yesterday's warnings (or miss today's).
    submitted_at = sent.replace(tzinfo=ZoneInfo("Europe/London")) if sent else None
    when = clean_when(typed, "10:00", "", submitted_at=submitted_at, today=today)
    first, last = when.alike
    assert first <= today <= last
    again = clean_when(typed, "10:00", "", submitted_at=submitted_at, today=other)
    read = (when.date, when.end_date, when.start_time, when.end_time, when.notes)
    read_again = (again.date, again.end_date, again.start_time, again.end_time, again.notes)
    if first <= other <= last:
        assert read_again == read


def test_a_date_more_than_a_year_ahead_is_read_alike_until_it_is_a_year_ahead() -> None:
    sent = dt.datetime(2027, 1, 5, 9, tzinfo=ZoneInfo("Europe/London"))
    when = clean_when("24/03/2028", "", "", submitted_at=sent, today=dt.date(2027, 1, 5))
    assert [code for _, note in when.notes for code in [note.code]] == ["date_far_off"]
    assert when.alike == (dt.date.min, dt.date(2027, 3, 24))
    later = clean_when("24/03/2028", "", "", submitted_at=sent, today=dt.date(2027, 3, 25))
    assert later.notes == ()
    assert later.alike == (dt.date(2027, 3, 25), dt.date.max)
