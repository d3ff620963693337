"""Guards hold publication back (exit 3) when the sheet looks broken; --force publishes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.errors import HeldBack
from smwsync.model import Event, Problem, Severity, SyncReport, Table
from smwsync.sync.guards import check_report, check_sheet
from smwsync.sync.state import PublishedEvent, SyncState

from conftest import HEADERS, config_toml, form_csv, leeds_answer


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def published_before(count: int, rows_read: int | None = None) -> SyncState:
    return SyncState(
        published={f"e{n}": PublishedEvent("h", {"title": f"E{n}"}) for n in range(count)},
        columns={"title": "Event title", "postcode": "Venue postcode"},
        counts={"rows_read": count if rows_read is None else rows_read},
    )


def report_with(published: int, rows_read: int, failed_rows: int = 0) -> SyncReport:
    return SyncReport(
        rows_read=rows_read,
        published=tuple(Event(f"e{n}", f"E{n}", n + 2) for n in range(published)),
        problems=tuple(
            Problem(n + 2, "date", Severity.ERROR, "no_such_date", "No such date")
            for n in range(failed_rows)
        ),
    )


def files_of(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


# The guards themselves (pure).


@pytest.mark.parametrize(
    ("before", "after", "held"),
    [(4, 3, False), (4, 2, True), (10, 6, True), (10, 8, False), (0, 0, False), (3, 5, False)],
)
def test_the_map_may_shrink_by_at_most_the_share_allowed(before, after, held):
    report = report_with(published=after, rows_read=10)
    if held:
        with pytest.raises(HeldBack, match="max_drop") as caught:
            check_report(report, published_before(before), max_drop=0.25, max_failed_rows=0.5)
        assert caught.value.exit_code == 3
        assert f"lose {before - after} of its {before} events" in str(caught.value)
        assert "--force" in str(caught.value)
    else:
        check_report(report, published_before(before), max_drop=0.25, max_failed_rows=0.5)


def test_too_many_rows_with_errors_hold_the_sync_back():
    with pytest.raises(HeldBack, match=r"6 of 10 rows \(60%\) have errors.*max_failed_rows"):
        check_report(
            report_with(published=4, rows_read=10, failed_rows=6),
            published_before(4),
            max_drop=1,
            max_failed_rows=0.5,
        )
    check_report(
        report_with(published=5, rows_read=10, failed_rows=5),
        published_before(5),
        max_drop=1,
        max_failed_rows=0.5,
    )


def test_a_first_sync_is_never_held_back():
    check_report(report_with(0, 10, failed_rows=10), None, max_drop=0, max_failed_rows=0)
    check_sheet(Table(headers=(), rows=()), {"title": "Event title"}, None)


def test_a_sheet_that_lost_a_question_is_held_back_but_a_changed_config_is_not():
    table = Table(headers=("Event title", "Postcode"), rows=((2, ("Tea", "LS1 1UR")),), name="r")
    with pytest.raises(HeldBack, match="closest header now is 'Postcode'"):
        check_sheet(
            table, {"title": "Event title", "postcode": "Venue postcode"}, published_before(1)
        )
    # A title the last sync never found is a configuration mistake, for the column check.
    check_sheet(table, {"title": "Event title", "postcode": "Venue post code"}, published_before(1))


# Whole syncs, as cron runs them.


# A file of blank lines is not a sheet at all: it fails with its own message (test_downloads.py).
@pytest.mark.parametrize(
    ("text", "what"),
    [(",".join(HEADERS.values()) + "\r\n", "no responses")],
    ids=["header only"],
)
def test_an_empty_sheet_is_held_back_and_force_publishes_it(campaign, text, what):
    config = campaign([leeds_answer(1), leeds_answer(2)])
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    before = files_of(out)
    (config.parent / "responses.csv").write_text(text, encoding="utf-8", newline="")

    result = run("sync", "--config", str(config))
    assert result.exit_code == 3
    assert what in result.output and "--force" in result.output
    after = files_of(out)
    for name in before.keys() - {"status.json", ".smwsync-state.json.lock"}:
        assert after[name] == before[name], name
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["result"] == "held back" and status["exit_code"] == 3
    assert what in status["last_error"]["message"]
    # The monitor still sees when the map was last good, and what it held.
    assert status["last_success"] is not None
    assert status["counts"]["published"] == 2

    if what == "no responses":
        forced = run("sync", "--config", str(config), "--force")
        assert forced.exit_code == 0, forced.output
        assert "Published 0 events." in forced.output
        assert "0 added, 0 updated, 2 removed, 0 held back" in forced.output


def test_a_renamed_question_after_a_good_sync_is_held_back(campaign):
    config = campaign([leeds_answer(1)])
    assert run("sync", "--config", str(config)).exit_code == 0
    kml = (config.parent / "out" / "events.kml").read_bytes()
    path = config.parent / "responses.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Venue postcode", "Postcode"), encoding="utf-8"
    )
    result = run("sync", "--config", str(config))
    assert result.exit_code == 3
    assert "'Venue postcode' ([columns] postcode) is no longer in the header row" in result.output
    assert "closest header now is 'Postcode'" in result.output
    assert (config.parent / "out" / "events.kml").read_bytes() == kml


def test_a_drop_of_40_percent_is_held_back_and_force_publishes(campaign):
    config = campaign([leeds_answer(n) for n in range(1, 11)])
    assert run("sync", "--config", str(config)).exit_code == 0
    kml_path = config.parent / "out" / "events.kml"
    kml = kml_path.read_bytes()
    (config.parent / "responses.csv").write_text(
        form_csv([leeds_answer(n) for n in range(1, 7)]), encoding="utf-8", newline=""
    )
    held = run("sync", "--config", str(config))
    assert held.exit_code == 3
    assert "The map would lose 4 of its 10 events (40%)" in held.output
    assert kml_path.read_bytes() == kml

    forced = run("sync", "--config", str(config), "--force")
    assert forced.exit_code == 0, forced.output
    assert "0 added, 0 updated, 4 removed, 0 held back" in forced.output
    assert kml_path.read_bytes() != kml
    # The next sync compares with the forced one: nothing more to hold back.
    assert run("sync", "--config", str(config)).exit_code == 0


def test_the_share_allowed_to_drop_is_configurable(campaign):
    config = campaign([leeds_answer(n) for n in range(1, 11)], extra_config="max_drop = 0.5\n")
    assert run("sync", "--config", str(config)).exit_code == 0
    (config.parent / "responses.csv").write_text(
        form_csv([leeds_answer(n) for n in range(1, 7)]), encoding="utf-8", newline=""
    )
    assert run("sync", "--config", str(config)).exit_code == 0


def test_a_sheet_where_most_rows_fail_is_held_back(campaign):
    config = campaign([leeds_answer(n) for n in range(1, 5)])
    assert run("sync", "--config", str(config)).exit_code == 0
    (config.parent / "responses.csv").write_text(
        form_csv([leeds_answer(n, date="31/02/2027") for n in range(1, 5)]),
        encoding="utf-8",
        newline="",
    )
    result = run("sync", "--config", str(config))
    assert result.exit_code == 3
    assert "4 of 4 rows (100%) have errors" in result.output
    assert "smwsync check" in result.output


def test_events_the_organisers_hid_or_that_are_over_do_not_count_as_lost():
    report = SyncReport(
        rows_read=10,
        published=tuple(Event(f"e{n}", f"E{n}", n + 2) for n in range(2)),
        hidden=tuple(Event(f"e{n}", f"E{n}", n + 2) for n in range(2, 6)),
        past=tuple(Event(f"e{n}", f"E{n}", n + 2) for n in range(6, 10)),
    )
    check_report(report, published_before(10), max_drop=0.25, max_failed_rows=0.5)


def test_an_edited_title_on_a_small_map_is_not_a_drop(campaign):
    # Three events; one title edited: the event keeps its id, so it is an update.
    config = campaign([leeds_answer(n) for n in range(1, 4)])
    assert run("sync", "--config", str(config)).exit_code == 0
    (config.parent / "responses.csv").write_text(
        form_csv([leeds_answer(1), leeds_answer(2), leeds_answer(3, title="A brand new title")]),
        encoding="utf-8",
        newline="",
    )
    result = run("sync", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "0 added, 1 updated, 0 removed" in result.output


def test_a_blank_email_column_changing_every_id_is_held_back(campaign):
    # Who sent each answer is part of what makes it the same event: a column that comes back
    # blank in every row must not pass as every event removed and a new one added.
    rows = [leeds_answer(n) for n in range(1, 9)]
    config = campaign(rows)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    before = files_of(out)
    blank = [{**row, "submitter_email": ""} for row in rows]
    (config.parent / "responses.csv").write_text(form_csv(blank), encoding="utf-8", newline="")
    result = run("sync", "--config", str(config), "--json")
    assert result.exit_code == 3, result.output
    assert "8 of the 8 events would get a new id at once (8 removed, 8 added)" in result.output
    assert "email address" in result.output and "--force" in result.output
    after = files_of(out)
    for name in before.keys() - {"status.json", ".smwsync-state.json.lock"}:
        assert after[name] == before[name], name


def test_a_drop_counts_events_removed_even_when_as_many_are_new(campaign):
    # Three of eight answers deleted and three new ones sent: three removed is more than 25%.
    config = campaign([leeds_answer(n) for n in range(1, 9)])
    assert run("sync", "--config", str(config)).exit_code == 0
    rows = [leeds_answer(n) for n in range(4, 12)]
    (config.parent / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
    result = run("sync", "--config", str(config))
    assert result.exit_code == 3, result.output
    assert "The map would lose 3 of its 8 events (38%)" in result.output


def test_events_now_waiting_for_approval_are_not_lost(tmp_path):
    # Switching require_approval on, with no answer approved yet, sends every published event
    # to wait for approval: that is the organisers' decision, not a broken sheet.
    approval = "Approved? (organisers only)"
    headers = [*HEADERS.values(), approval]
    rows = [leeds_answer(n) for n in range(1, 5)]
    lines = [",".join(headers)] + [
        ",".join([*(row.get(name, "") for name in HEADERS), ""]) for row in rows
    ]
    (tmp_path / "responses.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    config = tmp_path / "smwsync.toml"
    columns = f'[columns]\napproved = "{approval}"\n'
    config.write_text(config_toml().replace("[columns]\n", columns), encoding="utf-8")
    assert run("sync", "--config", str(config)).exit_code == 0
    config.write_text(
        config_toml(extra="require_approval = true\n").replace("[columns]\n", columns),
        encoding="utf-8",
    )
    result = run("sync", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "Published 0 events." in result.output
    assert "Waiting for approval: 4." in result.output
