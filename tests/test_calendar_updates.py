"""Subscribed calendars update an event when it changes and show it cancelled when it goes."""

from __future__ import annotations

import datetime as dt

import icalendar
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.model import ONLINE, Event, Location, Precision
from smwsync.publish.fields import event_from_record, public_record

TEA = {
    "timestamp": "20/11/2026 10:15:00",
    "submitter_email": "a@example.org",
    "council": "Leeds",
    "title": "Tea camp",
    "date": "23/03/2027",
    "start_time": "14:00",
    "postcode": "LS1 1UR",
}
CHAT = {
    "timestamp": "21/11/2026 09:00:00",
    "submitter_email": "b@example.org",
    "council": "Cardiff",
    "title": "Online chat",
    "formats": "Online",
    "date": "24/03/2027",
}
CALENDAR = 'ics = "events.ics"\nmax_drop = 1.0\n'  # a removal here is meant


def sync(config, today="2026-11-24"):
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), "--today", today])
    assert result.exit_code == 0, result.output
    return result.output


def calendar(config) -> dict[str, tuple[int, str]]:
    """SUMMARY -> (SEQUENCE, STATUS) of every event in the published calendar."""
    data = (config.parent / "out" / "events.ics").read_bytes()
    return {
        str(event["SUMMARY"]): (int(event.get("SEQUENCE", 0)), str(event.get("STATUS", "")))
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }


def test_an_edited_event_raises_its_sequence_and_the_others_keep_theirs(campaign):
    config = campaign([TEA, CHAT], extra_config=CALENDAR)
    sync(config)
    assert calendar(config) == {"Tea camp": (0, "CONFIRMED"), "Online chat": (0, "CONFIRMED")}
    campaign([{**TEA, "start_time": "15:00"}, CHAT], extra_config=CALENDAR)
    sync(config)
    assert calendar(config) == {"Tea camp": (1, "CONFIRMED"), "Online chat": (0, "CONFIRMED")}
    sync(config)  # nothing changed: nothing raised
    assert calendar(config)["Tea camp"] == (1, "CONFIRMED")


def test_a_removed_event_is_published_cancelled_for_thirty_days(campaign):
    config = campaign([TEA, CHAT], extra_config=CALENDAR)
    sync(config)
    campaign([TEA], extra_config=CALENDAR)  # the chat's row was deleted
    sync(config, today="2026-11-25")
    assert calendar(config) == {
        "Tea camp": (0, "CONFIRMED"),
        "Cancelled event": (1, "CANCELLED"),
    }
    sync(config, today="2026-12-25")  # still within thirty days
    assert "Cancelled event" in calendar(config)
    sync(config, today="2026-12-26")
    assert calendar(config) == {"Tea camp": (0, "CONFIRMED")}


def test_an_event_back_on_the_map_comes_back_with_a_higher_sequence(campaign):
    config = campaign([TEA, CHAT], extra_config=CALENDAR)
    sync(config)
    campaign([TEA], extra_config=CALENDAR)
    sync(config)
    campaign([TEA, CHAT], extra_config=CALENDAR)
    sync(config)
    assert calendar(config)["Online chat"] == (2, "CONFIRMED")


def test_an_event_read_back_from_its_public_fields_publishes_the_same_fields():
    event = Event(
        id="smw-0123456789ab",
        title="Chat",
        row_number=5,
        date=dt.date(2027, 3, 24),
        start_time=dt.time(10, 30),
        formats=(ONLINE,),
        other_format="Twitter chat",
        council="Cardiff",
        nation="Wales",
        region="Wales",
        layer="Online",
        contact_email="team@example.org",
        contact_consent=True,
        location=Location(51.48, -3.18, Precision.COUNCIL, "gazetteer"),
    )
    record = public_record(event)
    assert public_record(event_from_record(record)) == record


def test_an_event_that_is_over_leaves_the_calendar_without_being_cancelled(campaign):
    config = campaign([TEA, CHAT], extra_config=CALENDAR)
    sync(config)
    sync(config, today="2027-03-24")  # the tea camp (23 March) is over
    assert calendar(config) == {"Online chat": (0, "CONFIRMED")}
