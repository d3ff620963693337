"""The state beside the outputs and the change report: added, updated, removed, held back."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.cli import cli
from smwsync.errors import StateError
from smwsync.model import Event, Problem, Severity, SyncReport
from smwsync.sync.changes import (
    Change,
    Changes,
    append_change_log,
    diff_states,
    entry_lines,
    read_change_log,
    record_unchanged,
)
from smwsync.sync.report import unchanged_lines
from smwsync.sync.state import (
    HeldBackEvent,
    PublishedEvent,
    SyncFiles,
    SyncState,
    event_hash,
    held_back_events,
    load_state,
    state_data_of,
    state_from_json,
    state_json_bytes,
)

from conftest import form_csv, leeds_answer


def state(published=None, held_back=None) -> SyncState:
    return SyncState(
        published={
            event_id: PublishedEvent(event_hash(record), record)
            for event_id, record in (published or {}).items()
        },
        held_back=held_back or {},
    )


def record(title: str, **fields: str) -> dict[str, str]:
    return {"title": title, "date": "2027-03-23", "start_time": "14:00", **fields}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_rows(config, rows):
    (config.parent / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")


# The diff itself (pure).


def test_diff_names_each_kind_of_change_and_the_fields_that_changed():
    before = state({"a": record("Tea camp"), "b": record("Chat"), "c": record("Gone")})
    after = state(
        {
            "a": record("Tea camp"),
            "b": record("Chat", date="2027-03-24", start_time="10:00"),
            "d": record("New one"),
        },
        held_back={"e": HeldBackEvent("Broken", "There is no 31 February 2027")},
    )
    changes = diff_states(before, after)
    assert [(c.id, c.title) for c in changes.added] == [("d", "New one")]
    assert [(c.id, c.fields) for c in changes.updated] == [("b", ("date", "start_time"))]
    assert [(c.id, c.title) for c in changes.removed] == [("c", "")]  # no text of it kept
    assert [(c.id, c.reason) for c in changes.held_back] == [("e", "There is no 31 February 2027")]
    assert changes.counts_text() == "1 added, 1 updated, 1 removed, 1 held back"


def test_an_event_that_gets_an_error_is_held_back_not_removed():
    before = state({"a": record("Tea camp")})
    after = state(held_back={"a": HeldBackEvent("Tea camp", "This answer has no date")})
    changes = diff_states(before, after)
    assert changes.removed == ()
    assert [c.id for c in changes.held_back] == ["a"]
    # Still held back for the same reason next time: nothing new to report.
    assert not diff_states(after, after)


def test_a_first_sync_adds_every_event():
    changes = diff_states(None, state({"a": record("One"), "b": record("Two")}))
    assert [c.title for c in changes.added] == ["One", "Two"]


RECORDS = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.builds(record, st.sampled_from(["One", "Two"]), date=st.sampled_from(["x", "y"])),
)


@settings(max_examples=100, deadline=None)
@given(before=RECORDS, after=RECORDS)
def test_the_changes_take_the_last_map_to_the_new_one(before, after):
    changes = diff_states(state(before), state(after))
    kept = set(before) - {c.id for c in changes.removed}
    assert kept | {c.id for c in changes.added} == set(after)
    assert {c.id for c in changes.updated} == {
        i for i in before if i in after and before[i] != after[i]
    }
    assert not diff_states(state(after), state(after))


# The state file and the change log.


def test_the_state_file_reads_back_as_it_was_written(tmp_path):
    original = SyncState(
        published={"a": PublishedEvent(event_hash(record("T")), record("T"))},
        held_back={"b": HeldBackEvent("B", "why")},
        columns={"title": "Event title"},
        counts={"published": 1},
        synced_at="2026-11-24T02:30:00Z",
    )
    path = tmp_path / "state.json"
    path.write_bytes(state_json_bytes(original))
    assert load_state(path) == original
    assert load_state(tmp_path / "missing.json") is None
    assert original.same_content(state_from_json(state_data_of(path.read_bytes()))) is True


def test_a_damaged_state_file_says_how_to_start_afresh(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"format": 1, "published": ', encoding="utf-8")
    with pytest.raises(StateError, match="Delete it to start afresh") as caught:
        load_state(path)
    assert str(path) in str(caught.value)


def test_the_change_log_gets_a_line_per_sync_that_changed_something(tmp_path):
    path = tmp_path / "changes.jsonl"
    one = diff_states(None, state({"a": record("Tea camp")}))
    append_change_log(path, one, "2026-11-20T09:00:00Z")
    append_change_log(path, Changes(), "2026-11-21T09:00:00Z")
    two = diff_states(state({"a": record("Tea camp")}), state())
    append_change_log(path, two, "2026-11-22T09:00:00Z")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
    assert [time for time, _ in read_change_log(path)] == [
        "2026-11-20T09:00:00Z",
        "2026-11-22T09:00:00Z",
    ]
    later = read_change_log(path, since=dt.datetime(2026, 11, 21))
    assert entry_lines(later) == [
        "2026-11-22T09:00:00Z: 0 added, 0 updated, 1 removed, 0 held back",
        "  removed a",
    ]
    # The event's response was deleted: its title leaves the earlier line as well.
    assert "Tea camp" not in path.read_text(encoding="utf-8")
    assert entry_lines(read_change_log(path))[1] == "  added a"


def test_erasing_an_event_leaves_the_other_lines_of_the_log_byte_for_byte(tmp_path):
    path = tmp_path / "changes.jsonl"
    append_change_log(
        path, diff_states(None, state({"a": record("Tea camp")})), "2026-11-20T09:00:00Z"
    )
    both = state({"a": record("Tea camp"), "b": record("Chat")})
    append_change_log(
        path, diff_states(state({"a": record("Tea camp")}), both), "2026-11-21T09:00:00Z"
    )
    first = path.read_bytes().splitlines(keepends=True)[0]
    hidden = state(
        {"a": record("Tea camp")}, held_back={"b": HeldBackEvent("", "Hidden by the organisers")}
    )
    append_change_log(path, diff_states(both, hidden), "2026-11-22T09:00:00Z")
    lines = path.read_bytes().splitlines(keepends=True)
    assert lines[0] == first
    assert b"Chat" not in path.read_bytes()
    assert entry_lines(read_change_log(path))[-1] == "  held back b: Hidden by the organisers"


# Whole syncs, as cron runs them.


def test_a_second_sync_of_an_unchanged_sheet_touches_no_file_and_says_so_in_one_line(campaign):
    config = campaign([leeds_answer(1), leeds_answer(2), leeds_answer(3, date="31/02/2027")])
    first = run("sync", "--config", str(config))
    assert first.exit_code == 0, first.output
    assert (
        "Changes since the last sync: 2 added, 0 updated, 0 removed, 1 held back." in first.output
    )
    out = config.parent / "out"
    kept = {p.name for p in out.iterdir()} - {"status.json", ".smwsync-state.json.lock"}
    assert {"events.kml", ".smwsync-state.json", "changes.jsonl"} <= kept
    for name in kept:
        os.utime(out / name, ns=(1_000_000_000, 1_000_000_000))
    before = {name: (out / name).read_bytes() for name in kept}

    second = run("sync", "--config", str(config))
    assert second.exit_code == 0
    assert second.output == "No changes since the last sync.\n"
    for name in kept:
        assert (out / name).stat().st_mtime_ns == 1_000_000_000, name
        assert (out / name).read_bytes() == before[name], name
    report = json.loads(run("sync", "--config", str(config), "--json").output)
    assert report["changes"] == {"added": [], "updated": [], "removed": [], "held_back": []}
    assert run("sync", "--config", str(config), "--quiet").output == ""
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["result"] == "no changes"
    assert status["counts"]["published"] == 2
    assert status["last_success"] == status["last_attempt"]


def test_an_edited_answer_shows_as_updated_with_the_fields_that_changed(campaign):
    config = campaign([leeds_answer(1), leeds_answer(2)])
    assert run("sync", "--config", str(config)).exit_code == 0
    write_rows(config, [leeds_answer(1), leeds_answer(2, date="24/03/2027", start_time="10:30")])
    result = run("sync", "--config", str(config), "--json")
    assert result.exit_code == 0
    changes = json.loads(result.output)["changes"]
    assert changes["added"] == changes["removed"] == []
    assert [(c["title"], c["fields"]) for c in changes["updated"]] == [
        ("Leeds event 2", ["date", "start_time"])
    ]
    log = run("changes", "--config", str(config))
    assert "0 added, 1 updated, 0 removed, 0 held back" in log.output
    assert "updated smw-" in log.output and "'Leeds event 2': date, start_time" in log.output


def test_a_deleted_row_shows_as_removed_and_the_summary_lists_it(campaign):
    config = campaign([leeds_answer(n) for n in range(1, 6)])
    assert run("sync", "--config", str(config)).exit_code == 0
    write_rows(config, [leeds_answer(n) for n in range(1, 5)])
    result = run("sync", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert (
        "Changes since the last sync: 0 added, 0 updated, 1 removed, 0 held back." in result.output
    )
    # A deleted response leaves no text behind: the removal names the id alone.
    assert "removed smw-" in result.output and "Leeds event 5" not in result.output


def test_changes_since_a_date_leaves_out_older_syncs(campaign):
    config = campaign([leeds_answer(1)])
    assert run("sync", "--config", str(config)).exit_code == 0
    everything = run("changes", "--config", str(config))
    assert "1 added, 0 updated, 0 removed, 0 held back" in everything.output
    assert "added smw-" in everything.output
    future = run("changes", "--config", str(config), "--since", "2999-01-01")
    assert future.exit_code == 0
    assert future.output == "No changes logged since 2999-01-01 00:00.\n"


def test_events_kept_off_the_map_on_purpose_are_held_back_with_the_reason():
    report = SyncReport(
        rejected=(Event("a", "Broken", 2),),
        unplaced=(Event("b", "Nowhere", 3),),
        pending=(Event("c", "Waiting", 4),),
        hidden=(Event("d", "Hidden", 5),),
        past=(Event("e", "Over", 6),),
        problems=(
            Problem(2, "date", Severity.WARNING, "month_first", "We read it month first"),
            Problem(2, "date", Severity.ERROR, "no_such_date", "There is no 31 February 2027"),
        ),
    )
    held = held_back_events(report)
    assert {event_id: h.reason for event_id, h in held.items()} == {
        "a": "There is no 31 February 2027",
        "b": "We could not place it on the map",
        "c": "Waiting for approval",
        "d": "Hidden by the organisers",
        "e": "The event is over",
    }


def test_a_csv_file_no_longer_written_is_removed_not_left_to_be_imported(campaign):
    tea = {
        "title": "Tea camp",
        "council": "Leeds",
        "postcode": "LS1 1UR",
        "date": "23/03/2027",
        "formats": "Face-to-face",
    }
    chat = {"title": "Online chat", "council": "Cardiff", "date": "24/03/2027", "formats": "Online"}
    extra = 'csv = "mymaps"\nmax_drop = 1.0\n'
    config = campaign([tea, chat], extra_config=extra)
    out = config.parent / "out"
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    assert (out / "mymaps-online.csv").is_file()
    campaign([tea], extra_config=extra)  # the only online event was withdrawn
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert not (out / "mymaps-online.csv").exists()
    assert (out / "mymaps-face-to-face.csv").is_file()
    assert f"Note: Removed {out / 'mymaps-online.csv'}: this sync no longer writes it." in (
        result.output
    )


def test_a_sync_that_finished_a_killed_ones_set_says_what_that_sync_changed(tmp_path):
    files = SyncFiles(
        state=tmp_path / "state.json",
        lock=tmp_path / "state.json.lock",
        change_log=tmp_path / "changes.jsonl",
        status=tmp_path / "status.json",
        journal=tmp_path / "state.json.journal",
        secret=tmp_path / ".smwsync-id-secret",
        old_secret=tmp_path / "out" / ".smwsync-id-secret",
    )
    finished = Changes(added=(Change("smw-1a2b", "Tea camp"),))
    outcome = record_unchanged(files, SyncState(), time="2026-11-24T09:10:00Z", finished=finished)
    lines = unchanged_lines(outcome)
    assert lines[0] == "Changes since the last sync: 1 added, 0 updated, 0 removed, 0 held back."
    assert "added smw-1a2b 'Tea camp'" in lines[1]
    status = json.loads(files.status.read_text(encoding="utf-8"))
    assert status["result"] == "published"
    assert unchanged_lines(record_unchanged(files, SyncState(), time="2026-11-24T09:20:00Z")) == [
        "No changes since the last sync."
    ]
