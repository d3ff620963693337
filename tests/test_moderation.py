"""Organisers decide what goes on the map: approval, hiding, and events that are over."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event, Location, Precision, Problem, Severity
from smwsync.select import select_events
from smwsync.sync import pipeline
from smwsync.sync.report import summary_lines

from conftest import approval_campaign
from kml_readers import NS, folders, parse_strict

GAZETTEER = Gazetteer.load()
# Past events stay on where the clock decides: March 2027 will not always be ahead.
KEEP_PAST = "hide_past_events = false\n"
LEEDS = Location(53.8, -1.55, Precision.POSTCODE, "gazetteer")


def answer(title: str, approved: str = "", date: str = "23/03/2027") -> dict[str, str]:
    return {
        "timestamp": "20/11/2026 10:15:00",
        "submitter_email": f"{title.lower().replace(' ', '.')}@example.org",
        "council": "Leeds City Council",
        "title": title,
        "formats": "Face-to-face",
        "date": date,
        "venue": "Civic Hall",
        "postcode": "LS1 1UR",
        "approved": approved,
    }


def write_campaign(folder: Path, rows: list[dict[str, str]], publish: str = "") -> Path:
    """A responses CSV with the organisers' approval column, and a configuration for it."""
    return approval_campaign(folder, rows, 'kml = "events.kml"\n' + publish)


def sync(config: Path, *args: str):
    return CliRunner().invoke(cli, ["sync", "--config", str(config), *args], catch_exceptions=False)


def titles_on_map(config: Path) -> set[str]:
    root = parse_strict((config.parent / "out" / "events.kml").read_bytes())
    return {
        mark.findtext("k:name", namespaces=NS) for marks in folders(root).values() for mark in marks
    }


MODERATED = [
    answer("Approved tea", "Yes"),
    answer("Not looked at yet", ""),
    answer("Undecided", "maybe next week"),
    answer("Spam", "hide"),
    answer("Called off", "Cancelled"),
]


def test_require_approval_publishes_only_approved_rows_and_counts_the_rest(tmp_path) -> None:
    config = write_campaign(tmp_path, MODERATED, KEEP_PAST + "require_approval = true\n")
    result = sync(config)
    assert result.exit_code == 0, result.output
    assert titles_on_map(config) == {"Approved tea"}
    assert "Published 1 event." in result.output
    assert "Waiting for approval: 2." in result.output
    assert "Hidden by the organisers: 2." in result.output
    assert "error" not in result.output  # waiting is not a problem


def test_the_json_report_counts_waiting_and_hidden_events(tmp_path) -> None:
    config = write_campaign(tmp_path, MODERATED, KEEP_PAST + "require_approval = true\n")
    report = json.loads(sync(config, "--json").output)
    assert (report["published"], report["waiting_for_approval"], report["hidden"]) == (1, 2, 2)
    reasons = {item["title"]: item["reason"] for item in report["not_on_map"]}
    assert reasons == {
        "Not looked at yet": "waiting for approval",
        "Undecided": "waiting for approval",
        "Spam": "hidden",
        "Called off": "hidden",
    }
    assert report["problems"]["errors"] == 0


def test_hide_and_cancelled_take_events_off_even_without_require_approval(tmp_path) -> None:
    config = write_campaign(tmp_path, MODERATED, KEEP_PAST)
    result = sync(config)
    assert result.exit_code == 0, result.output
    assert titles_on_map(config) == {"Approved tea", "Not looked at yet", "Undecided"}
    assert "Hidden by the organisers: 2." in result.output
    assert "Waiting for approval" not in result.output


def test_require_approval_without_an_approval_column_is_a_configuration_error(campaign) -> None:
    config = campaign([answer("Tea")], extra_config="require_approval = true\n")
    result = sync(config)
    assert result.exit_code == 2
    assert "[columns] approved" in result.output


def run_on(config: Path, today: dt.date | None):
    return pipeline.run(load_settings(config), gazetteer=GAZETTEER, today=today)


def test_past_events_leave_the_map_and_undated_ones_stay_with_a_warning(tmp_path) -> None:
    rows = [
        answer("Last week", "Yes", "16/03/2027"),
        answer("Yesterday", "Yes", "23/03/2027"),
        answer("Today", "Yes", "24/03/2027"),
        answer("Undated", "Yes", ""),
    ]
    config = write_campaign(tmp_path, rows)
    report = run_on(config, dt.date(2027, 3, 24))
    assert {e.title for e in report.published} == {"Today", "Undated"}
    assert {e.title for e in report.past} == {"Last week", "Yesterday"}
    assert titles_on_map(config) == {"Today", "Undated"}
    undated_row = next(e.row_number for e in report.events if e.title == "Undated")
    assert any(
        (p.row_number, p.code, p.severity) == (undated_row, "date_missing", Severity.WARNING)
        for p in report.problems
    )
    assert "Past events left off the map: 2." in summary_lines(report)


def test_past_events_stay_when_hide_past_events_is_off_or_no_today_is_given(tmp_path) -> None:
    rows = [answer("Last week", "Yes", "16/03/2027"), answer("Today", "Yes", "24/03/2027")]
    config = write_campaign(tmp_path, rows, "hide_past_events = false\n")
    assert len(run_on(config, dt.date(2027, 3, 24)).published) == 2
    config = write_campaign(tmp_path, rows)
    assert len(run_on(config, None).published) == 2


def test_the_command_takes_today_from_the_clock(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SMWSYNC_TODAY")  # set for every other test; here the clock decides
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    # Two days either side, so that the test holds whatever the time of day and time zone.
    rows = [
        answer("Long ago", "Yes", "01/03/2001"),
        answer("Two days ago", "Yes", f"{today - dt.timedelta(days=2):%d/%m/%Y}"),
        answer("In two days", "Yes", f"{today + dt.timedelta(days=2):%d/%m/%Y}"),
    ]
    config = write_campaign(tmp_path, rows)
    result = sync(config)
    assert result.exit_code == 0, result.output
    assert "Past events left off the map: 2." in result.output
    assert titles_on_map(config) == {"In two days"}


# --- select_events on its own (pure) -------------------------------------------------------


def event(row: int, **changes) -> Event:
    values = {"location": LEEDS, "date": dt.date(2027, 3, 23), "formats": ("face-to-face",)}
    return Event(id=f"smw-{row:012d}", title=f"Event {row}", row_number=row, **values | changes)


def error(row: int) -> Problem:
    return Problem(row, "date", Severity.ERROR, "date_invalid", "There is no 31 February.")


def test_hidden_beats_everything_and_past_beats_errors() -> None:
    today = dt.date(2027, 3, 20)
    events = [
        event(2, approved="hidden", date=dt.date(2027, 3, 1)),
        event(3, date=dt.date(2027, 3, 1)),
        event(4, approved="pending", location=None),
        event(5, approved="approved"),
        event(6, approved="pending"),
        event(7, approved="approved", date=None),
    ]
    selection = select_events(events, [error(3), error(4)], require_approval=True, today=today)
    rows = {
        name: [e.row_number for e in getattr(selection, name)]
        for name in ("published", "unplaced", "rejected", "pending", "hidden", "past")
    }
    assert rows == {
        "published": [5, 7],
        "unplaced": [],
        "rejected": [4],
        "pending": [6],
        "hidden": [2],
        "past": [3],
    }
    assert all(e.layer == "Face-to-face" for e in selection.published)


MODERATION = st.sampled_from(["approved", "pending", "hidden"])


@settings(max_examples=100, deadline=None)
@given(
    answers=st.lists(
        st.tuples(
            MODERATION,
            st.one_of(st.none(), st.dates(dt.date(2027, 3, 20), dt.date(2027, 3, 28))),
            st.booleans(),
            st.booleans(),
        ),
        max_size=12,
    ),
    require_approval=st.booleans(),
    today=st.one_of(st.none(), st.just(dt.date(2027, 3, 24))),
)
def test_every_event_lands_in_exactly_one_group(answers, require_approval, today) -> None:
    events = [
        event(row, approved=approved, date=date, location=LEEDS if placed else None)
        for row, (approved, date, placed, _) in enumerate(answers, start=2)
    ]
    problems = [error(row) for row, (*_, bad) in enumerate(answers, start=2) if bad]
    selection = select_events(events, problems, require_approval=require_approval, today=today)
    groups = (
        selection.published,
        selection.unplaced,
        selection.rejected,
        selection.pending,
        selection.hidden,
        selection.past,
    )
    rows = sorted(e.row_number for group in groups for e in group)
    assert rows == [e.row_number for e in events]
    for published in selection.published:
        assert published.approved != "hidden"
        assert not require_approval or published.approved == "approved"
        assert today is None or published.date is None or published.date >= today


def test_today_on_the_command_line_decides_which_events_are_past(campaign):
    config = campaign(
        [
            {
                "timestamp": "20/11/2026 10:00:00",
                "title": "Tea camp",
                "council": "Leeds",
                "postcode": "LS1 1UR",
                "date": "23/03/2027",
            }
        ]
    )
    before = CliRunner().invoke(cli, ["sync", "--config", str(config), "--dry-run", "--json"])
    after = CliRunner().invoke(
        cli, ["sync", "--config", str(config), "--dry-run", "--json", "--today", "2027-03-24"]
    )
    assert json.loads(before.output)["published"] == 1
    assert json.loads(after.output)["published"] == 0
    assert json.loads(after.output)["past"] == 1
