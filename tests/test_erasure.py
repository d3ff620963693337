"""Moderation and erasure reach every file: an event hidden, marked spam or deleted leaves no
text behind in the outputs, the state or the change log, and the calendar cancels it with
nothing but what a subscribed calendar needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.sync import pipeline

from conftest import approval_campaign

# Words that appear only in the answer taken off: none may be left in any file afterwards.
SPAM = {
    "timestamp": "21/11/2026 09:00:00",
    "submitter_email": "someone@example.org",
    "council": "Leeds City Council",
    "title": "Zanzibar crypto giveaway",
    "formats": "Face-to-face",
    "date": "24/03/2027",
    "start_time": "18:00",
    "venue": "Quixotic Wallet Hall",
    "postcode": "LS1 1UR",
    "link": "https://zanzibar-giveaway.example/claim",
    "description": "Send bitcoin to the Flibbertigibbet fund",
}
WORDS = ("Zanzibar", "Quixotic", "Flibbertigibbet", "zanzibar-giveaway", "giveaway")
TEA = {
    "timestamp": "20/11/2026 10:15:00",
    "submitter_email": "a@example.org",
    "council": "Leeds City Council",
    "title": "Tea camp",
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "start_time": "14:00",
    "postcode": "LS1 1UR",
    "approved": "Yes",
}
OUTPUTS = (
    'kml = "events.kml"\nkmz = "events.kmz"\ngeojson = "events.geojson"\n'
    'ics = "events.ics"\ncsv = "events"\nmax_drop = 1.0\n'
)
CANCELLED_AT = dt.datetime(2026, 11, 25, 10, 30, tzinfo=dt.UTC)


def write_campaign(folder: Path, rows: list[dict[str, str]]) -> Path:
    return approval_campaign(folder, rows, OUTPUTS)


def every_byte(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize("how", ["hide", "spam", "deleted"])
def test_an_event_taken_off_leaves_no_text_behind(tmp_path, how):
    config = write_campaign(tmp_path, [TEA, {**SPAM, "approved": "Yes"}])
    first = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert first.exit_code == 0, first.output
    out = tmp_path / "out"
    assert any(b"Zanzibar" in data for data in every_byte(out).values())  # it was published

    rows = [TEA] if how == "deleted" else [TEA, {**SPAM, "approved": how}]
    write_campaign(tmp_path, rows)
    report, _ = pipeline.sync(
        load_settings(config), clock=lambda: CANCELLED_AT, today=dt.date(2026, 11, 25)
    )
    assert report is not None and [e.title for e in report.published] == ["Tea camp"]

    for name, data in every_byte(out).items():
        for word in WORDS:
            assert word.encode() not in data, f"{word!r} left in {name}"

    calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    (cancelled,) = [e for e in calendar.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
    assert set(cancelled) == {"UID", "DTSTAMP", "DTSTART", "SEQUENCE", "STATUS", "SUMMARY"}
    assert str(cancelled["SUMMARY"]) == "Cancelled event"
    assert cancelled["DTSTAMP"].dt == CANCELLED_AT  # when it was cancelled
    assert cancelled["DTSTART"].dt.isoformat() == "2027-03-24T18:00:00+00:00"
    assert int(cancelled["SEQUENCE"]) == 1

    # Later syncs keep the cancellation as it was, and bring no text back.
    again = CliRunner().invoke(cli, ["sync", "--config", str(config), "--force"])
    assert again.exit_code == 0, again.output
    for name, data in every_byte(out).items():
        assert b"Zanzibar" not in data, name
    later = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    (kept,) = [e for e in later.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
    assert kept["DTSTAMP"].dt == CANCELLED_AT
