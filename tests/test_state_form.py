"""The state file's form: a head a cron run reads alone, then the report, then the events.

A sync of an unchanged sheet reads only the head; every other sync reads it all. A state from
before the head (format 1) is read as it is and written anew, keeping every id; damage to any
part of the new form is the clear "the sync state is damaged" message, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.sync import pipeline
from smwsync.sync.state import load_head, load_state, state_json_bytes

from conftest import STATE, TODAY, leeds_answer, read_state, write_format_1_state

ICS = 'ics = "events.ics"\n'
DAMAGED = "Error: The sync state {} is damaged ("
NO_CHANGES = "No changes since the last sync."


def sync(config, *args: str):
    return CliRunner().invoke(cli, ["sync", "--config", str(config), *args])


def synced(config, *args: str) -> str:
    result = sync(config, *args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def published(campaign):
    """A campaign synced twice: three events on the map, one held back (its date cannot be),
    and one taken off the calendar (kept as cancelled)."""
    bad = leeds_answer(5, date="31/02/2027")
    synced(campaign([leeds_answer(n) for n in (1, 2, 3, 4)] + [bad], ICS))
    config = campaign([leeds_answer(n) for n in (1, 2, 3)] + [bad], ICS)
    synced(config, "--force")  # a quarter of the map gone: a guard would hold it back
    return config


def outputs_of(out) -> dict[str, tuple[bytes, int]]:
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in out.iterdir()
        if path.name in ("events.kml", "events.ics")
    }


def test_the_head_comes_first_and_every_event_has_a_line_of_its_own(published):
    path = published.parent / "out" / STATE
    lines = path.read_bytes().split(b"\n")
    head, report = json.loads(lines[0]), json.loads(lines[1])
    assert head["format"] == 2 and len(head["fingerprint"]) == 64
    assert head["outputs"] == ["events.ics", "events.kml"]
    assert head["counts"]["published"] == 3 and head["counts"]["held_back"] == 1
    assert report["published"] == 3
    state = load_state(path)
    assert state is not None and len(state.cancelled) == 1 and len(state.held_back) == 1
    for event_id in [*state.published, *state.held_back, *state.cancelled]:
        # An event's line starts with its id: a diff of two states shows the events changed.
        assert any(line.startswith(json.dumps(event_id).encode()) for line in lines[2:])
    # Read back and written again, it is the same bytes: nothing is lost on the way.
    assert state_json_bytes(state) == path.read_bytes()


def test_the_head_alone_says_what_the_whole_state_says(published):
    path = published.parent / "out" / STATE
    whole, head = load_state(path), load_head(path)
    assert whole is not None and head is not None
    assert head.fingerprint == whole.fingerprint
    assert head.outputs == whole.outputs and head.output_hashes == whole.output_hashes
    assert head.counts == whole.counts and head.synced_at == whole.synced_at
    assert dict(head.report) == whole.report


@pytest.mark.parametrize("fingerprint", ["kept", "from an older smwsync"])
def test_a_format_1_state_keeps_every_id_and_reports_no_change(published, fingerprint):
    out = published.parent / "out"
    data = read_state(out)
    if fingerprint != "kept":
        data["fingerprint"] = "0" * 64
    write_format_1_state(out, data)
    assert (out / STATE).read_text(encoding="utf-8").startswith("{\n")
    before, log = outputs_of(out), (out / "changes.jsonl").read_bytes()

    report, outcome = pipeline.sync(load_settings(published), today=dt.date.fromisoformat(TODAY))
    assert outcome.nothing_changed
    assert outputs_of(out) == before  # not one output rewritten
    assert (out / "changes.jsonl").read_bytes() == log
    after = read_state(out)
    for part in ("published", "held_back", "cancelled", "known"):
        assert after[part] == data[part], part
    if fingerprint == "kept":  # nothing was read anew: it stopped early, on the old form
        assert report is None
    else:  # a whole sync, which writes the state in the new form
        assert report is not None and after["format"] == 2
    assert NO_CHANGES in synced(published)


def test_a_forced_sync_writes_a_format_1_state_in_the_new_form(published):
    out = published.parent / "out"
    data = read_state(out)
    write_format_1_state(out, data)
    before = outputs_of(out)
    assert NO_CHANGES in synced(published, "--force")
    assert (out / STATE).read_bytes().startswith(b'{"columns"')
    assert read_state(out)["published"] == data["published"]
    assert outputs_of(out) == before


def cut_head(text: bytes) -> bytes:
    return text[:40] + text[text.index(b"\n") :]


def bad_count(text: bytes) -> bytes:
    return text.replace(b'"published":3', b'"published":"3"', 1)


def cut_short(text: bytes) -> bytes:
    return text[:-200]


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (cut_head, "its first line is not JSON"),
        (bad_count, "counts['published'] is '3', not a whole number"),
        (cut_short, "bytes follow it, but"),
    ],
)
def test_damage_a_cron_run_reads_is_said_on_that_run(published, damage, said):
    out = published.parent / "out"
    path = out / STATE
    path.write_bytes(damage(path.read_bytes()))
    before = outputs_of(out)
    result = sync(published)  # the sheet is unchanged: only the head is read
    assert result.exit_code == 1
    assert DAMAGED.format(path) in result.output and said in result.output
    assert "Delete it to start afresh" in result.output
    assert "Traceback" not in result.output
    assert outputs_of(out) == before


def scramble_an_event(text: bytes) -> bytes:
    """An event's line garbled in place, its length kept (a bad disk block, a bad edit)."""
    lines = text.split(b"\n")
    lines[4] = b"#" * len(lines[4])
    return b"\n".join(lines)


def test_damaged_events_are_said_by_the_first_sync_that_needs_them(published):
    out = published.parent / "out"
    path = out / STATE
    path.write_bytes(scramble_an_event(path.read_bytes()))
    before = outputs_of(out)
    # An unchanged sheet needs only the head: the map stays as it is, and so do the files.
    assert synced(published).strip() == NO_CHANGES
    # An answer changes: now the events are needed, and the damage is said, naming the line.
    csv = published.parent / "responses.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Leeds event 1", "Leeds event one"))
    result = sync(published)
    assert result.exit_code == 1
    assert DAMAGED.format(path) in result.output
    assert "its events, from line 3: Expecting" in result.output and "at line 5" in result.output
    assert "Traceback" not in result.output
    assert outputs_of(out) == before


def test_a_damaged_report_is_said_when_the_report_is_asked_for(published):
    path = published.parent / "out" / STATE
    lines = path.read_bytes().split(b"\n")
    lines[1] = b"{" + b"?" * (len(lines[1]) - 1)
    path.write_bytes(b"\n".join(lines))
    result = sync(published, "--json")
    assert result.exit_code == 1
    assert DAMAGED.format(path) in result.output
    assert "its second line (the last report) is not JSON" in result.output
    assert "Traceback" not in result.output
