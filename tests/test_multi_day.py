"""Events over several days or past midnight: every output that shows dates shows the last day."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import icalendar
import lxml.html
from click.testing import CliRunner

from smwsync.cli import cli

from conftest import leeds_answer
from kml_readers import NS, extended_data, folders, parse_strict

LONDON = ZoneInfo("Europe/London")
OUTPUTS = 'ics = "events.ics"\ngeojson = "events.geojson"\ncsv = "mymaps"\n'


def test_a_run_of_days_and_a_night_event_publish_their_last_day_everywhere(campaign) -> None:
    config = campaign(
        [
            leeds_answer(
                1, title="Festival", date="12-14 June 2027", start_time="10:00", end_time="16:00"
            ),
            leeds_answer(
                2, title="Late gig", date="23/03/2027", start_time="22:00", end_time="1:00"
            ),
            # Started before today (24 November 2026) but still on: it stays on the map.
            leeds_answer(3, title="Open week", date="23-25 November 2026", start_time=""),
            leeds_answer(4, title="Typo year", date="04.04.95 00:22", start_time=""),
        ],
        extra_config=OUTPUTS,
    )
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "row 5 date (warning): We read '04.04.95 00:22' as 4 April 1995" in result.output
    out = config.parent / "out"

    marks = {
        mark.findtext("k:name", namespaces=NS): mark
        for marks in folders(parse_strict((out / "events.kml").read_bytes())).values()
        for mark in marks
    }
    assert set(marks) == {"Festival", "Late gig", "Open week"}  # 1995 is past
    window = lxml.html.fragment_fromstring(
        marks["Festival"].findtext("k:description", namespaces=NS), create_parent="div"
    ).text_content()
    assert "When: Saturday 12 June 2027, 10:00 to Monday 14 June 2027, 16:00" in window
    assert extended_data(marks["Festival"])["end_date"] == "2027-06-14"
    assert extended_data(marks["Late gig"])["end_date"] == "2027-03-24"
    assert extended_data(marks["Open week"])["end_date"] == "2026-11-25"

    calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    times = {
        str(event["SUMMARY"]): (event.decoded("DTSTART"), event.decoded("DTEND"))
        for event in calendar.walk("VEVENT")
    }
    assert times["Festival"] == (
        dt.datetime(2027, 6, 12, 10, tzinfo=LONDON),
        dt.datetime(2027, 6, 14, 16, tzinfo=LONDON),
    )
    assert times["Late gig"] == (
        dt.datetime(2027, 3, 23, 22, tzinfo=LONDON),
        dt.datetime(2027, 3, 24, 1, tzinfo=LONDON),
    )
    assert times["Open week"] == (dt.date(2026, 11, 23), dt.date(2026, 11, 26))  # DTEND exclusive

    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    by_name = {feature["properties"]["name"]: feature["properties"] for feature in features}
    assert by_name["Late gig"]["end_date"] == "2027-03-24"
    assert by_name["Late gig"]["when"] == (
        "Tuesday 23 March 2027, 22:00 to Wednesday 24 March 2027, 01:00"
    )

    (csv_file,) = out.glob("mymaps-*.csv")
    rows = {row["Title"]: row for row in csv.DictReader(io.StringIO(csv_file.read_text("utf-8")))}
    assert (rows["Festival"]["Date"], rows["Festival"]["End date"]) == ("2027-06-12", "2027-06-14")
