"""The calendar (.ics): read back by icalendar and by vobject, a second, independent reader.

vobject works out times from the VTIMEZONE written in the file (not from the tz database), so
it checks the Europe/London rules the file carries.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smwsync.cli import cli
from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Location, Precision
from smwsync.publish.ics import FALLBACK_DTSTAMP, render_ics

from conftest import ONLINE_CHAT, TEA_CAMP, make_event
from kml_readers import coordinates, extended_data, folders, parse_strict

LONDON = ZoneInfo("Europe/London")


def by_icalendar(data: bytes) -> dict[str, icalendar.Event]:
    """UID -> VEVENT, as icalendar reads the file."""
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def by_vobject(data: bytes) -> dict[str, object]:
    """UID -> VEVENT, as vobject reads the file."""
    calendar = vobject.readOne(data.decode("utf-8"))
    return {event.uid.value: event for event in getattr(calendar, "vevent_list", [])}


def only_event(data: bytes) -> tuple[icalendar.Event, object]:
    (first,) = by_icalendar(data).values()
    (second,) = by_vobject(data).values()
    return first, second


# --- the calendar as a whole ---------------------------------------------------------------


def test_the_calendar_is_named_and_carries_its_time_zone() -> None:
    data = render_ics([make_event(1)], title="SMW 2027", description="Events, all week")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "SMW 2027"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    # Subscribed calendars are asked to fetch the file again every hour.
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    read = vobject.readOne(data.decode("utf-8"))
    assert read.x_wr_calname.value == "SMW 2027"
    assert read.x_wr_caldesc.value == read.description.value == "Events, all week"


def test_lines_end_in_crlf_and_are_folded_at_75_octets() -> None:
    data = render_ics([make_event(1, description="A long description. " * 20)])
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)


def test_same_events_give_identical_bytes_whatever_their_order() -> None:
    events = [make_event(n, title=f"Event {n % 3}") for n in range(6)]
    assert render_ics(events) == render_ics(list(reversed(events)))


def test_undated_events_are_left_out() -> None:
    data = render_ics([make_event(1), make_event(2, date=None)])
    assert set(by_icalendar(data)) == set(by_vobject(data)) == {"smw-000000000001@smwsync"}


def test_no_events_is_still_a_calendar() -> None:
    data = render_ics([])
    assert by_icalendar(data) == {} and by_vobject(data) == {}


# --- one event -----------------------------------------------------------------------------


def test_each_event_has_a_stable_uid_and_the_fields_people_read() -> None:
    first, second = only_event(render_ics([make_event(1)], form_url="https://forms.gle/x"))
    assert str(first["UID"]) == second.uid.value == "smw-000000000001@smwsync"
    assert str(first["SUMMARY"]) == second.summary.value == "Social media surgery 1"
    assert second.location.value == "Civic Hall, Calverley Street, Leeds, LS1 1UR"
    assert second.url.value == "https://example.org/book?event=1&ref=map"
    assert second.categories.value == ["Face-to-face", "Drop-in"]
    assert str(first["STATUS"]) == "CONFIRMED"
    assert (first["GEO"].latitude, first["GEO"].longitude) == (53.79758, -1.55832)
    assert second.geo.value == "53.797580;-1.558320"
    assert second.description.value == (
        "When: Tuesday 23 March 2027, 14:30–16:00\n"
        "Where: Civic Hall, Calverley Street, Leeds, LS1 1UR\n"
        "Format: Face-to-face\n"
        "Type of event: Drop-in\n"
        "\n"
        "Drop in with your questions about the council's pages.\n"
        "\n"
        "Aims: Help residents find services online\n"
        "Who it is for: Residents and councillors\n"
        "Booking link: https://example.org/book?event=1&ref=map\n"
        "Council: Leeds City Council\n"
        "Add your own event: https://forms.gle/x"
    )


def test_times_are_uk_local_times_in_winter_and_summer() -> None:
    events = [
        make_event(1),  # 23 March 2027: GMT
        make_event(2, date=dt.date(2027, 6, 10)),  # BST
    ]
    data = render_ics(events)
    first, second = by_icalendar(data), by_vobject(data)
    expected = {
        "smw-000000000001@smwsync": (
            dt.datetime(2027, 3, 23, 14, 30),
            dt.datetime(2027, 3, 23, 16),
        ),
        "smw-000000000002@smwsync": (
            dt.datetime(2027, 6, 10, 13, 30),
            dt.datetime(2027, 6, 10, 15),
        ),
    }
    for uid, (start, end) in expected.items():
        utc_start, utc_end = start.replace(tzinfo=dt.UTC), end.replace(tzinfo=dt.UTC)
        assert first[uid]["DTSTART"].dt == utc_start
        assert first[uid]["DTSTART"].params["TZID"] == "Europe/London"
        assert first[uid]["DTEND"].dt == utc_end
        assert second[uid].dtstart.value == utc_start
        assert second[uid].dtend.value == utc_end


def test_the_vtimezone_rules_agree_with_the_tz_database_for_years() -> None:
    # Every day of March and October (when the clocks change) and the 15th of every month.
    days = [
        day
        for year in range(2026, 2031)
        for day in (dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(365))
        if day.month in (3, 10) or day.day == 15
    ]
    events = [
        make_event(len(days) * index + number, date=day, start_time=time, end_time=None)
        for index, time in enumerate((dt.time(0, 30), dt.time(12, 0)))
        for number, day in enumerate(days)
    ]
    read = by_vobject(render_ics(events))
    assert len(read) == len(events)
    for event in events:
        local = dt.datetime.combine(event.date, event.start_time, tzinfo=LONDON)
        assert read[f"{event.id}@smwsync"].dtstart.value == local, local


def test_an_event_with_no_time_is_all_day() -> None:
    first, second = only_event(render_ics([make_event(1, start_time=None, end_time=None)]))
    assert first["DTSTART"].dt == dt.date(2027, 3, 23)
    assert first["DTEND"].dt == dt.date(2027, 3, 24)
    assert first["DTSTART"].params["VALUE"] == "DATE"
    assert second.dtstart.value == dt.date(2027, 3, 23)
    assert "When: Tuesday 23 March 2027\n" in second.description.value


def test_an_end_time_alone_is_all_day_with_the_time_in_the_description() -> None:
    _, second = only_event(render_ics([make_event(1, start_time=None)]))
    assert second.dtstart.value == dt.date(2027, 3, 23)
    assert "When: Tuesday 23 March 2027, until 16:00" in second.description.value


@pytest.mark.parametrize("end_time", [None, dt.time(14, 30), dt.time(9, 0)])
def test_without_an_end_after_the_start_there_is_no_dtend(end_time: dt.time | None) -> None:
    first, second = only_event(render_ics([make_event(1, end_time=end_time)]))
    assert "DTEND" not in first
    assert not hasattr(second, "dtend")
    assert second.dtstart.value == dt.datetime(2027, 3, 23, 14, 30, tzinfo=dt.UTC)


def test_an_online_event_says_how_to_join_and_has_no_geo() -> None:
    event = make_event(
        1, formats=(ONLINE, PHONE), venue="", address="", postcode="", layer="Online"
    )
    first, second = only_event(render_ics([event]))
    assert second.location.value == "Online, Phone"
    assert "GEO" not in first
    assert second.categories.value == ["Online", "Phone", "Drop-in"]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://example.org/a b", "www.x.org"])
def test_a_link_that_is_not_a_web_address_is_no_url(link: str) -> None:
    first, second = only_event(render_ics([make_event(1, link=link)]))
    assert "URL" not in first
    assert f"Booking link: {link}" in second.description.value


@pytest.mark.parametrize(("latitude", "longitude"), [(float("nan"), -1.5), (91.0, 0.0), (0, 1e300)])
def test_coordinates_that_are_not_a_real_place_give_no_geo(
    latitude: float, longitude: float
) -> None:
    location = Location(latitude, longitude, Precision.EXACT, "sheet")
    first, _ = only_event(render_ics([make_event(1, location=location)]))
    assert "GEO" not in first


def test_geo_near_greenwich_is_written_as_plain_decimals() -> None:
    location = Location(51.4779, -0.000015, Precision.EXACT, "sheet")
    first, second = only_event(render_ics([make_event(1, location=location)]))
    assert second.geo.value == "51.477900;-0.000015"
    assert (first["GEO"].latitude, first["GEO"].longitude) == (51.4779, -0.000015)


def test_dtstamp_is_when_the_response_was_last_submitted_in_utc() -> None:
    data = render_ics(
        [
            # 10:15 in London in November is 10:15 UTC; a naive time is taken as UTC
            make_event(1, submitted_at=dt.datetime(2026, 11, 20, 10, 15, tzinfo=LONDON)),
            make_event(2, submitted_at=dt.datetime(2026, 6, 1, 9, 15, 30, 123)),
            make_event(3, submitted_at=None),
        ]
    )
    read = by_icalendar(data)
    stamps = {uid: event["DTSTAMP"].dt for uid, event in read.items()}
    assert stamps == {
        "smw-000000000001@smwsync": dt.datetime(2026, 11, 20, 10, 15, tzinfo=dt.UTC),
        "smw-000000000002@smwsync": dt.datetime(2026, 6, 1, 9, 15, 30, tzinfo=dt.UTC),
        "smw-000000000003@smwsync": FALLBACK_DTSTAMP,
    }
    assert b"DTSTAMP:20261120T101500Z\r\n" in data


def test_nothing_private_reaches_the_calendar() -> None:
    data = render_ics([make_event(1)])
    for secret in (b"jo.private@", b"Privateperson", b"Sam Moderator", b"digital@leeds"):
        assert secret not in data
    consented = render_ics([make_event(1, contact_consent=True)])
    _, second = only_event(consented)
    assert "Contact email: digital@leeds.example.gov.uk" in second.description.value


def test_commas_semicolons_line_breaks_and_control_characters_read_back_as_typed() -> None:
    title = 'Tea, cake; and "chat" \\ ☕ <b>bold</b>\x0b'
    description = "Line one,\r\nline two;\rline three\x00"
    _, second = only_event(render_ics([make_event(1, title=title, description=description)]))
    assert second.summary.value == 'Tea, cake; and "chat" \\ ☕ <b>bold</b>'
    assert "\n\nLine one,\nline two;\nline three\n\n" in second.description.value


# --- the sync state: SEQUENCE and cancelled events -----------------------------------------


def test_sequence_comes_from_the_state_and_defaults_to_0() -> None:
    data = render_ics([make_event(1), make_event(2)], sequences={"smw-000000000002": 3})
    read = by_vobject(data)
    assert read["smw-000000000001@smwsync"].sequence.value == "0"
    assert read["smw-000000000002@smwsync"].sequence.value == "3"


def test_cancelled_events_are_published_as_cancelled_with_the_same_uid() -> None:
    cancelled_at = dt.datetime(2026, 11, 25, 10, 30, tzinfo=dt.UTC)
    gone = make_event(2, title="Tea-camp", venue="Quiet Barn", submitted_at=cancelled_at)
    data = render_ics([make_event(1)], cancelled=[gone], sequences={gone.id: 2})
    first, second = by_icalendar(data), by_vobject(data)
    uid = "smw-000000000002@smwsync"
    assert str(first[uid]["STATUS"]) == second[uid].status.value == "CANCELLED"
    assert second[uid].summary.value == "Cancelled event"
    assert second[uid].sequence.value == "2"
    assert first[uid]["DTSTAMP"].dt == cancelled_at
    assert first[uid]["DTSTART"].dt == dt.datetime(
        2027, 3, 23, 14, 30, tzinfo=ZoneInfo("Europe/London")
    )
    # Nothing but what removes it from a calendar: no title, place, text or link.
    assert set(first[uid]) == {"UID", "DTSTAMP", "DTSTART", "SEQUENCE", "STATUS", "SUMMARY"}
    assert b"Tea-camp" not in data and b"Quiet Barn" not in data
    assert str(first["smw-000000000001@smwsync"]["STATUS"]) == "CONFIRMED"


def test_an_event_both_live_and_cancelled_is_live_once() -> None:
    data = render_ics([make_event(1)], cancelled=[make_event(1), make_event(2, date=None)])
    assert data.count(b"BEGIN:VEVENT") == 1
    assert b"CANCELLED" not in data


# --- any text at all -----------------------------------------------------------------------

any_text = st.text(st.characters(codec="utf-8"), max_size=40)


@st.composite
def any_event(draw: st.DrawFn) -> Event:
    start = draw(st.none() | st.times())
    return make_event(
        draw(st.integers(0, 10**6)),
        title=draw(any_text),
        description=draw(any_text),
        venue=draw(any_text),
        event_type=draw(any_text),
        link=draw(
            st.sampled_from(["", "https://example.org/a,b;c"]) | any_text.map("https://".__add__)
        ),
        location=Location(
            draw(st.floats(allow_infinity=True, allow_nan=True)),
            draw(st.floats(-180, 180)),
            Precision.EXACT,
            "sheet",
        ),
        date=draw(st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31))),
        start_time=start,
        end_time=draw(st.none() | st.times()),
        formats=draw(st.sampled_from([(FACE_TO_FACE,), (ONLINE,), (PHONE,), ()])),
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=st.lists(any_event(), max_size=4), title=any_text, description=any_text)
def test_any_text_gives_a_calendar_both_readers_agree_on(
    events: list[Event], title: str, description: str
) -> None:
    data = render_ics(events, title=title, description=description)
    first, second = by_icalendar(data), by_vobject(data)
    uids = {f"{event.id}@smwsync" for event in events}
    assert set(first) == set(second) == uids
    for uid in uids:
        assert str(first[uid]["SUMMARY"]) == second[uid].summary.value
        assert first[uid]["DTSTART"].dt == second[uid].dtstart.value
    assert render_ics(events, title=title, description=description) == data


# --- the whole sync, read back -------------------------------------------------------------

UNDATED = {"council": "York", "title": "Date to be confirmed", "postcode": "YO1 7HH"}


def test_sync_writes_a_calendar_that_matches_the_kml(campaign) -> None:
    tea_camp = {**TEA_CAMP, "title": "Tea, cake & camp"}
    config = campaign([tea_camp, ONLINE_CHAT, UNDATED], 'ics = "events.ics"\n')
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = config.parent / "out"
    data = (out / "events.ics").read_bytes()
    assert f"Wrote {out / 'events.ics'}" in result.output
    first, second = by_icalendar(data), by_vobject(data)
    placemarks = {
        extended_data(mark)["id"]: mark
        for marks in folders(parse_strict((out / "events.kml").read_bytes())).values()
        for mark in marks
    }
    assert len(placemarks) == 3
    dated = {uid for uid, mark in placemarks.items() if extended_data(mark)["date"]}
    assert set(first) == set(second) == {f"{uid}@smwsync" for uid in dated}
    for uid in dated:
        fields = extended_data(placemarks[uid])
        event = second[f"{uid}@smwsync"]
        assert event.summary.value == fields["title"]
        assert event.dtstart.value.isoformat()[:10] == fields["date"]
        if fields["format"] == "Face-to-face":
            latitude, longitude = (float(n) for n in event.geo.value.split(";"))
            assert (longitude, latitude) == pytest.approx(coordinates(placemarks[uid]))
    (tea,) = (event for event in second.values() if event.summary.value == "Tea, cake & camp")
    assert tea.dtstart.value == dt.datetime(2027, 3, 23, 14, tzinfo=dt.UTC)
    assert tea.dtstamp.value == dt.datetime(2026, 11, 20, 10, 15, tzinfo=dt.UTC)
    for secret in (b"private.person@", b"Priya Private", b"second.person@", b"team@example"):
        assert secret not in data
    # A second sync of the same responses leaves the calendar byte for byte the same.
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    assert (out / "events.ics").read_bytes() == data
