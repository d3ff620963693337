"""The work cache attacked: kept answers of the wrong shape, a cache others can read, a setting
that names another file, an answer deleted while the guards hold a sync back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import stat
import zlib

import pytest
from click.testing import CliRunner

from smwsync.clean.kept import answer_from_kept, kept_answer
from smwsync.clean.timestamps import parse_timestamp
from smwsync.cli import cli
from smwsync.model import Event

from conftest import leeds_answer, make_event

LEEDS_ANSWERS = [leeds_answer(n) for n in range(1, 4)]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def out_files(folder) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "status.json"
    }


def rewrite(db, key: str, text: str) -> None:
    """Put `text` in a row with a checksum that matches: damage the disk would not show."""
    crc = zlib.crc32(text.encode())
    db.execute("update work set value = ?, crc = ? where key = ?", (text, crc, key))


def change_kept_answers(cache, change) -> None:
    """Apply `change` to every kept answer that has an event, as valid JSON."""
    changed = 0
    with sqlite3.connect(cache) as db:
        for key, text in list(db.execute("select key, value from work")):
            value = json.loads(text) if text.startswith('{"event":') else None
            if isinstance(value, dict) and value.get("event"):
                change(value)
                rewrite(db, key, json.dumps(value))
                changed += 1
    assert changed  # the test changes something


def set_field(kept: dict, name: str, value: object) -> None:
    """Set one field of a kept event, kept as a list in the fields' order without the row."""
    names = [item.name for item in dataclasses.fields(Event) if item.name != "row_number"]
    kept["event"][names.index(name)] = value


def test_a_work_cache_left_readable_by_others_is_made_owner_only(campaign):
    # Restored from a backup, copied with cp, or made by a tool under umask 022.
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    os.chmod(cache, 0o644)
    assert run("sync", "--config", str(config), "--force").exit_code == 0
    assert LEEDS_ANSWERS[0]["submitter_email"].encode() in cache.read_bytes()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "change",
    [
        lambda kept: set_field(kept, "title", 5),  # traceback in the KML writer
        lambda kept: set_field(kept, "formats", "Online"),  # ("O", "n", ...): another map
        lambda kept: kept.update(print=[1, 2, 3]),  # traceback in identity
    ],
    ids=["title-a-number", "formats-a-text", "print-of-numbers"],
)
def test_a_kept_answer_of_the_wrong_shape_costs_time_never_a_different_map(campaign, change):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    change_kept_answers(config.parent / ".smwsync-work.sqlite", change)
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, repr(result.exception)
    assert out_files(out) == first


def test_a_kept_answer_nested_too_deep_costs_time_never_a_traceback(campaign):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    with sqlite3.connect(config.parent / ".smwsync-work.sqlite") as db:
        rows = list(db.execute("select key from work where value like '{\"event\":%'"))
        assert rows
        for (key,) in rows:
            rewrite(db, key, "[" * 100_000 + "]" * 100_000)
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, repr(result.exception)
    assert out_files(out) == first


def test_a_damaged_kept_answer_is_kept_again_once_remade(campaign):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    with sqlite3.connect(cache) as db:
        db.execute("""update work set value = '{"event": {"title": 1}}'""")
    assert run("sync", "--config", str(config), "--force").exit_code == 0
    with sqlite3.connect(cache) as db:
        values = [json.loads(text) for (text,) in db.execute("select value from work where json")]
        texts = [text for (text,) in db.execute("select value from work where not json")]
    assert '{"event": {"title": 1}}' not in texts
    # Otherwise every later sync cleans these answers again: the cache is off for them for good.
    assert {"event": {"title": 1}} not in values


@pytest.mark.parametrize("other_file", ["responses.csv", "smwsync.toml"])
def test_a_work_cache_setting_naming_another_file_never_replaces_that_file(campaign, other_file):
    config = campaign(LEEDS_ANSWERS, extra_config=f'work_cache = "{other_file}"\n')
    before = (config.parent / other_file).read_bytes()
    run("sync", "--config", str(config))
    assert (config.parent / other_file).read_bytes() == before


def test_an_answer_deleted_while_the_guards_hold_the_sync_back_leaves_the_work_cache(campaign):
    # A person asks to be taken off; in a small campaign one answer is more than max_drop.
    answers = [leeds_answer(n) for n in range(1, 4)]
    config = campaign(answers)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    gone = answers[1]["submitter_email"].encode()
    assert gone in cache.read_bytes()
    campaign([answers[0], answers[2]])
    held = run("sync", "--config", str(config))
    assert held.exit_code != 0 and "max_drop" in held.output, held.output
    # README: "a deleted answer leaves it at the next sync". Held back, cron runs keep failing
    # until an organiser forces a sync, and the deleted answer's email stays in the cache.
    assert gone not in cache.read_bytes()


def test_a_kept_answer_sent_in_the_hour_the_clocks_skip_comes_back_as_it_was_cleaned():
    # The Timestamp column can hold a time that did not exist in the time zone (typed, or a
    # sheet in another zone): cleaning keeps it as typed, the cache gives it an hour later.
    event = make_event(3, submitted_at=parse_timestamp("30/03/2025 01:30:00"))
    kept = json.loads(json.dumps(kept_answer(event, [], None)))
    back = answer_from_kept(kept, event.row_number, "Europe/London")[0]
    assert back.submitted_at.replace(tzinfo=None) == dt.datetime(2025, 3, 30, 1, 30)
    assert back == event


@pytest.mark.parametrize("rowid", [2**40, -(2**40)], ids=["far-after", "far-before"])
def test_a_kept_row_numbered_far_from_the_rest_costs_time_never_a_failed_sync(campaign, rowid):
    # Hand-edited, or written by another tool: SQLite takes any number as a row's id.
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    with sqlite3.connect(config.parent / ".smwsync-work.sqlite") as db:
        db.execute(
            "update work set rowid = ? where rowid = (select max(rowid) from work)", (rowid,)
        )
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, repr(result.exception)
    assert out_files(out) == first
    # The cache is whole again: the next sync reads it back.
    assert run("sync", "--config", str(config), "--force").exit_code == 0
    assert out_files(out) == first


def test_a_kept_value_stored_as_bytes_costs_time_never_a_failed_sync(campaign):
    # SQLite keeps whatever it is given in any column: a tool that wrote the value back as a
    # blob leaves bytes where the cache reads text.
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    with sqlite3.connect(config.parent / ".smwsync-work.sqlite") as db:
        db.execute("update work set value = cast(value as blob)")
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, repr(result.exception)
    assert out_files(out) == first
