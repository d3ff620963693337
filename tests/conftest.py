"""Shared test helpers: write a realistic form download and a configuration for it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

HEADERS = {
    "timestamp": "Timestamp",
    "submitter_email": "Email address",
    "submitter_name": "Your name",
    "council": "Which council are you from?",
    "title": "Event title",
    "event_type": "What kind of event is it?",
    "formats": "How can people take part?",
    "date": "Date of event",
    "start_time": "Start time",
    "end_time": "End time",
    "venue": "Venue name",
    "address": "Venue address",
    "postcode": "Venue postcode",
    "link": "Booking or info link",
    "description": "Tell us about the event",
    "contact_email": "Public contact email",
    "contact_consent": "Can we publish the contact email on the map?",
}


def form_csv(rows: list[dict[str, str]]) -> str:
    """A Sheets-style CSV download (CRLF, minimal quoting) with the form's headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS.values())
    for row in rows:
        writer.writerow([row.get(field, "") for field in HEADERS])
    return buffer.getvalue()


def config_toml(csv_name: str = "responses.csv", extra: str = "") -> str:
    columns = "\n".join(f'{field} = "{title}"' for field, title in HEADERS.items())
    return (
        f'[source]\ncsv = "{csv_name}"\n\n[columns]\n{columns}\n\n'
        '[geocode]\noffline = true\n\n[publish]\nout = "out"\nkml = "events.kml"\n'
        'title = "Test campaign"\n' + extra
    )


# The demo and the tests' answers are for March 2027; without a fixed "today" they would drop
# off the map as past events once that week is over.
TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Every smwsync command in the tests, in this process or a child, runs on TODAY."""
    monkeypatch.setenv("SMWSYNC_TODAY", TODAY)


@pytest.fixture
def campaign(tmp_path):
    """A folder with a configuration; call it with rows to write the responses CSV."""

    def write(rows: list[dict[str, str]], extra_config: str = "") -> Path:
        (tmp_path / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
        config = tmp_path / "smwsync.toml"
        config.write_text(config_toml(extra=extra_config), encoding="utf-8")
        return config

    return write
