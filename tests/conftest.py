"""Shared test helpers: write a realistic form download and a configuration for it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smwsync.model import FACE_TO_FACE, Event, Location, Precision
from smwsync.sync.state import state_data_of, state_file_bytes

ROOT = Path(__file__).resolve().parents[1]
# Open data the tests need, carried in the repository with its licences (tests/data/README.md).
DATA = ROOT / "tests" / "data"

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


def make_event(number: int = 1, **changes: object) -> Event:
    """A face-to-face event in Leeds, as the cleaner and geocoder would leave it, with every
    field filled in (private ones too, so tests can check they never leak)."""
    values: dict[str, object] = {
        "id": f"smw-{number:012x}",
        "title": f"Social media surgery {number}",
        "row_number": number + 1,
        "description": "Drop in with your questions about the council's pages.",
        "council": "Leeds City Council",
        "nation": "England",
        "region": "Yorkshire and The Humber",
        "event_type": "Drop-in",
        "formats": (FACE_TO_FACE,),
        "date": dt.date(2027, 3, 23),
        "start_time": dt.time(14, 30),
        "end_time": dt.time(16, 0),
        "venue": "Civic Hall",
        "address": "Calverley Street, Leeds",
        "postcode": "LS1 1UR",
        "link": "https://example.org/book?event=1&ref=map",
        "aims": "Help residents find services online",
        "audience": "Residents and councillors",
        "contact_email": "digital@leeds.example.gov.uk",
        "contact_consent": False,
        "submitter_email": "jo.private@leeds.example.gov.uk",
        "submitter_name": "Jo Privateperson",
        "approved": "Yes, approved by Sam Moderator",
        "submitted_at": dt.datetime(2026, 11, 20, 9, 15, tzinfo=dt.UTC),
        "location": Location(53.797580, -1.558320, Precision.SECTOR, "gazetteer"),
        "layer": "Face-to-face",
    }
    values.update(changes)
    return Event(**values)  # type: ignore[arg-type]


# Two answers as staff type them: a tea-camp in Leeds with markup in its title and private
# details that must not leak, and an online chat in Cardiff with a date in words.
TEA_CAMP = {
    "timestamp": "20/11/2026 10:15:00",
    "submitter_email": "private.person@example.org",
    "submitter_name": "Priya Private",
    "council": "Leeds City Council",
    "title": '<b>Tea & "cake"</b> camp',
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "start_time": "14:00:00",
    "end_time": "16:00:00",
    "venue": "Leeds Central Library",
    "postcode": "ls11ur",
    "contact_email": "team@example.org",
    "contact_consent": "No",
}
ONLINE_CHAT = {
    "timestamp": "21/11/2026 09:00:00",
    "submitter_email": "second.person@example.org",
    "council": "Cardiff",
    "title": "Online chat about open data",
    "formats": "Online (Teams/Zoom)",
    "date": "Wednesday 24 March 2027",
}


def leeds_answer(n: int, **changes: str) -> dict[str, str]:
    """A complete answer for event `n`, by its own person, placed in Leeds."""
    return {
        "timestamp": f"20/11/2026 10:{n % 60:02d}:00",
        "submitter_email": f"person{n}@leeds.gov.uk",
        "council": "Leeds City Council",
        "title": f"Leeds event {n}",
        "formats": "Face-to-face",
        "date": "23/03/2027",
        "start_time": "14:00",
        "postcode": "LS1 1UR",
        **changes,
    }


APPROVAL = "Approved? (organisers only)"


def approval_campaign(folder: Path, rows: list[dict[str, str]], publish: str) -> Path:
    """A responses CSV with the organisers' approval column, and a configuration for it whose
    [publish] table holds `publish` (with an `out` folder beside the configuration)."""
    headers = {**HEADERS, "approved": APPROVAL}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers.values())
    for row in rows:
        writer.writerow([row.get(name, "") for name in headers])
    (folder / "responses.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")
    columns = "\n".join(f'{name} = "{title}"' for name, title in headers.items())
    config = folder / "smwsync.toml"
    config.write_text(
        f'[source]\ncsv = "responses.csv"\n\n[columns]\n{columns}\n\n[geocode]\noffline = true\n\n'
        f'[publish]\nout = "out"\n{publish}',
        encoding="utf-8",
    )
    return config


def form_csv(rows: list[dict[str, str]]) -> str:
    """A Sheets-style CSV download (CRLF, minimal quoting) with the form's headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS.values())
    for row in rows:
        writer.writerow([row.get(field, "") for field in HEADERS])
    return buffer.getvalue()


STATE = ".smwsync-state.json"


def read_state(out: Path) -> dict:
    """The sync state in `out` as plain data (every part of it), as a test inspects it."""
    return state_data_of((out / STATE).read_bytes())


def write_state(out: Path, data: dict) -> None:
    """Write state data back to `out` in the current file form, as someone editing it would."""
    (out / STATE).write_bytes(state_file_bytes(data))


def write_format_1_state(out: Path, data: dict) -> None:
    """Write state data to `out` as smwsync wrote it before the state had a head: one
    indented JSON object, format 1."""
    old = {key: value for key, value in data.items() if key != "rest_bytes"}
    text = json.dumps({**old, "format": 1}, indent=1, sort_keys=True, ensure_ascii=False)
    (out / STATE).write_text(text + "\n", encoding="utf-8")


def config_toml(csv_name: str = "responses.csv", extra: str = "") -> str:
    columns = "\n".join(f'{field} = "{title}"' for field, title in HEADERS.items())
    return (
        f'[source]\ncsv = "{csv_name}"\n\n[columns]\n{columns}\n\n'
        '[geocode]\noffline = true\n\n[publish]\nout = "out"\nkml = "events.kml"\n'
        'title = "Test campaign"\n' + extra
    )


# On CI every test must run: one skipped there for want of chromium, GDAL, unzip or a data file
# would hide the bugs it is there to catch, so .ci/run sets CI=true and each skip becomes a failure.
ON_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _fail_if_skipped_on_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Skipped on CI, where every test must run: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    _fail_if_skipped_on_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    report = yield
    _fail_if_skipped_on_ci(report)
    return report


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


_SYNC_CHILD = """
import sys
from smwsync.cli import cli
try:
    cli(["sync", "--config", sys.argv[1]])
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)))
"""


def sync_in_a_child(config: Path) -> tuple[str, list[str]]:
    """`smwsync sync --config` in a new Python, as cron runs it: what it printed, and every
    module it loaded (to check what a sync does without)."""
    done = subprocess.run(
        [sys.executable, "-c", _SYNC_CHILD, str(config)],
        capture_output=True,
        text=True,
        check=True,
        cwd=config.parent,
    )
    printed, _, modules = done.stdout.rstrip("\n").rpartition("\n")
    return printed, modules.split()
