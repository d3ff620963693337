"""The calendar's VEVENTs are written as text, exactly as the icalendar library writes them:
the same escaping of TEXT values, the same folding of long lines, the same properties in the
same order, for any text in any field."""

from __future__ import annotations

import datetime as dt

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Location, Precision
from smwsync.publish.geojson import has_wgs84_point
from smwsync.publish.ics import (
    CANCELLED_SUMMARY,
    dtstamp,
    escape_ics,
    event_categories,
    event_details,
    event_location,
    event_times,
    event_uid,
    fold_line,
    is_web_address,
    render_ics,
    vevent_text,
)
from smwsync.publish.kml import xml_text

from conftest import make_event

# What escaping and folding must get right: the TEXT specials, icalendar's own "\N", line
# breaks of every kind, the backslash and caret it never leaves at the end of a folded part,
# and characters of 2, 3 and 4 bytes that a fold must not cut.
TROUBLE = ["\\", "\\N", "\\n", ";", ",", ":", "^", "\r\n", "\r", "\n", '"', "é", "–", "😀", "\t"]
any_text = st.lists(
    st.one_of(st.sampled_from(TROUBLE), st.characters(exclude_categories=("Cs",))), max_size=120
).map("".join)


class _Geo(icalendar.vGeo):
    def to_ical(self) -> str:
        return f"{self.latitude:.6f};{self.longitude:.6f}"


def icalendar_vevent(event: Event, sequence: int, cancelled: bool, form_url: str) -> str:
    """The VEVENT built in the icalendar library, the way the calendar was written before its
    text templates."""
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", dtstamp(event))
    start, end = event_times(event)
    vevent.add("dtstart", start)
    vevent.add("sequence", sequence)
    if cancelled:
        vevent.add("status", "CANCELLED")
        vevent.add("summary", CANCELLED_SUMMARY)
        return vevent.to_ical().decode()
    if end is not None:
        vevent.add("dtend", end)
    vevent.add("status", "CONFIRMED")
    vevent.add("summary", " ".join(icalendar_text(event.title).split()))
    vevent.add("description", event_details(event, form_url))
    if event_location(event):
        vevent.add("location", event_location(event))
    location = event.location
    if event.has_venue and location is not None and has_wgs84_point(event):
        vevent.add("geo", _Geo((location.latitude, location.longitude)))
    if is_web_address(event.link):
        vevent.add("url", event.link)
    if event_categories(event):
        vevent.add("categories", event_categories(event))
    return vevent.to_ical().decode()


def icalendar_text(text: str) -> str:
    """Form text as the calendar takes it: no control characters XML forbids, CR as LF."""
    return xml_text(text.replace("\r\n", "\n").replace("\r", "\n"))


@st.composite
def any_event(draw: st.DrawFn) -> Event:
    text = {
        name: draw(any_text)
        for name in (
            *("id", "title", "description", "council", "event_type", "other_format", "venue"),
            *("address", "postcode", "aims", "audience", "contact_email"),
        )
    }
    return make_event(
        1,
        **text,
        link=draw(st.one_of(any_text, any_text.map(lambda url: "https://" + url))),
        formats=draw(st.sampled_from([(), (FACE_TO_FACE,), (ONLINE, PHONE)])),
        date=draw(st.dates()),
        end_date=draw(st.none() | st.dates(max_value=dt.date(9998, 12, 30))),
        start_time=draw(st.none() | st.times()),
        end_time=draw(st.none() | st.times()),
        contact_consent=draw(st.booleans()),
        submitted_at=draw(st.none() | st.datetimes(timezones=st.just(dt.UTC))),
        location=Location(
            draw(st.floats(-91, 91)), draw(st.floats(-181, 181)), Precision.SECTOR, ""
        ),
    )


@settings(max_examples=300, deadline=None)
@given(text=any_text)
def test_any_text_is_escaped_and_folded_as_icalendar_does(text: str) -> None:
    assert escape_ics(text) == icalendar.vText(text).to_ical().decode()
    line = f"DESCRIPTION:{escape_ics(text)}"
    assert fold_line(line) == Contentline(line).to_ical().decode()


def test_folds_never_cut_a_character_or_end_a_part_with_an_escape() -> None:
    for filler in ("", "a", "ab", "abc"):
        for trouble in ("\\\\", "\\;", "^^", "😀", "é", "–"):
            line = "DESCRIPTION:" + filler + trouble * 60
            assert fold_line(line) == Contentline(line).to_ical().decode()
    assert fold_line("SUMMARY:short") == "SUMMARY:short"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=any_event(),
    sequence=st.integers(0, 10**6),
    cancelled=st.booleans(),
    form_url=any_text,
)
def test_any_vevent_is_what_icalendar_writes(
    event: Event, sequence: int, cancelled: bool, form_url: str
) -> None:
    expected = icalendar_vevent(event, sequence, cancelled, form_url)
    assert vevent_text(event, sequence, cancelled, form_url) == expected


def test_the_calendar_holds_each_vevent_as_icalendar_writes_it() -> None:
    events = [make_event(n, title=f"Event {n}, \\ ; {'x' * 20 * n}") for n in range(1, 5)]
    empty = render_ics([], title="Events; all").decode()
    assert empty.endswith("END:VTIMEZONE\r\nEND:VCALENDAR\r\n")
    vevents = "".join(icalendar_vevent(event, 0, False, "") for event in events)
    expected = empty.removesuffix("END:VCALENDAR\r\n") + vevents + "END:VCALENDAR\r\n"
    assert render_ics(events, title="Events; all").decode() == expected
