"""The work cache: private, never published, and never the cause of a different map."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import stat
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from smwsync.clean.identity import AnswerPrint
from smwsync.clean.kept import answer_from_kept, kept_answer
from smwsync.cli import cli
from smwsync.model import Event, Location, Precision, Problem, Severity

from conftest import leeds_answer, make_event

LEEDS_ANSWERS = [leeds_answer(n) for n in range(1, 6)]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def out_files(folder) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "status.json"
    }


def test_a_kept_answer_comes_back_as_the_same_event_in_the_row_it_is_in_now():
    london = ZoneInfo("Europe/London")
    event = make_event(
        3,
        end_date=dt.date(2027, 3, 24),
        council_code="E08000035",
        other_format="Radio phone-in",
        given_location=Location(53.8, -1.55, Precision.EXACT, "typed", "Civic Hall"),
        submitted_at=dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london),
        contact_consent=True,
        formats=("face-to-face", "online"),
    )
    # Every field differs from its default, so a field the cache forgot would show.
    defaults = Event(id="", title="", row_number=0)
    for item in dataclasses.fields(Event):
        assert getattr(event, item.name) != getattr(defaults, item.name), item.name
    problem = Problem(event.row_number, "date", Severity.WARNING, "date_far", "Check the date.")
    answer = AnswerPrint("owner", "whole", {"title": "1234abcd"})
    kept = json.loads(json.dumps(kept_answer(event, [problem], answer)))

    back, problems, answer_back, _ = answer_from_kept(kept, 9, "Europe/London")

    assert back == dataclasses.replace(event, row_number=9)
    assert back.submitted_at.utcoffset() == event.submitted_at.utcoffset()  # the clocks went back
    assert problems == [dataclasses.replace(problem, row_number=9)]
    assert answer_back == answer


def test_the_work_cache_is_private_and_beside_the_configuration(campaign):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    published = b"".join(out_files(config.parent / "out").values())
    assert b"work" not in b"".join(p.name.encode() for p in (config.parent / "out").rglob("*"))
    assert LEEDS_ANSWERS[0]["submitter_email"].encode() in cache.read_bytes()
    assert LEEDS_ANSWERS[0]["submitter_email"].encode() not in published


def test_a_work_cache_inside_the_published_folder_is_refused(campaign):
    config = campaign(LEEDS_ANSWERS, extra_config='work_cache = "out/work.json"\n')
    result = run("sync", "--config", str(config))
    assert result.exit_code != 0
    assert "work_cache" in result.output and "published" in result.output
    assert not (config.parent / "out" / "work.json").exists()


def test_an_answer_deleted_from_the_sheet_leaves_the_work_cache(campaign):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    gone = LEEDS_ANSWERS[1]["submitter_email"].encode()
    assert gone in cache.read_bytes()
    campaign([answer for answer in LEEDS_ANSWERS if answer is not LEEDS_ANSWERS[1]])
    assert run("sync", "--config", str(config)).exit_code == 0
    assert gone not in cache.read_bytes()  # not even in the file's free pages
    assert LEEDS_ANSWERS[0]["submitter_email"].encode() in cache.read_bytes()


def kept_answer_keys(cache) -> set[str]:
    with sqlite3.connect(cache) as db:
        return {
            key for (key,) in db.execute("""select key from work where value like '{"event"%'""")
        }


def test_a_sheet_that_came_back_empty_leaves_the_work_cache_as_it_was(campaign):
    # Held back before anything is asked of the cache: the next good sync reads every answer.
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    kept = kept_answer_keys(cache)
    assert len(kept) == len(LEEDS_ANSWERS)
    campaign([])  # a header row and no responses
    held = run("sync", "--config", str(config))
    assert held.exit_code != 0 and "came back with" in held.output, held.output
    assert kept_answer_keys(cache) == kept


def damage_rows(cache) -> None:
    with sqlite3.connect(cache) as db:
        db.execute("""update work set value = '{"event": {"title": 1}}'""")


def other_version(cache) -> None:
    with sqlite3.connect(cache) as db:
        db.execute("update about set value = 'another version' where name = 'salt'")


@pytest.mark.parametrize(
    "damage",
    [
        damage_rows,
        other_version,
        lambda cache: cache.write_bytes(b""),
        lambda cache: cache.write_bytes(cache.read_bytes()[:3000]),
    ],
)
def test_a_damaged_or_old_work_cache_costs_time_never_a_different_map(campaign, damage):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    cache = config.parent / ".smwsync-work.sqlite"
    damage(cache)
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, result.output
    assert out_files(out) == first
    # Made afresh: the next sync reads every answer back from it.
    with sqlite3.connect(cache) as db:
        assert db.execute("select count(*) from work").fetchone()[0] >= len(LEEDS_ANSWERS)


def test_a_file_that_is_no_work_cache_is_left_alone_and_named(campaign):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    cache = config.parent / ".smwsync-work.sqlite"
    cache.write_bytes(b"somebody's notes, not a database\n" * 100)
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, result.output
    assert out_files(out) == first
    campaign([*LEEDS_ANSWERS, leeds_answer(9)])  # a sync that changes something says more
    result = run("sync", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert cache.read_bytes() == b"somebody's notes, not a database\n" * 100
    assert f"Could not keep this sync's work in {cache}" in result.output
    assert "not a work cache" in result.output


def test_an_empty_work_cache_setting_turns_the_cache_off(campaign):
    config = campaign(LEEDS_ANSWERS, extra_config='work_cache = ""\n')
    first = run("sync", "--config", str(config))
    assert first.exit_code == 0, first.output
    campaign([*LEEDS_ANSWERS, leeds_answer(9)], extra_config='work_cache = ""\n')
    assert run("sync", "--config", str(config)).exit_code == 0
    assert not list(config.parent.glob("*work*"))
    assert "Leeds event 9" in (config.parent / "out" / "events.kml").read_text(encoding="utf-8")


def answer_keys(cache) -> set[str]:
    with sqlite3.connect(cache) as db:
        return {key for (key,) in db.execute("select key from work where value like '{\"event\"%'")}


def test_the_next_day_reuses_every_answer_and_cleans_again_only_those_it_reads_otherwise(
    campaign,
):
    from smwsync.config import load_settings
    from smwsync.sync.pipeline import sync

    # Registered on 5 January 2027 for 24 March 2028: more than a year ahead until 24 March.
    far = leeds_answer(9, timestamp="05/01/2027 10:00:00", date="24/03/2028")
    config = campaign([*LEEDS_ANSWERS, far])
    cache = config.parent / ".smwsync-work.sqlite"

    def sync_on(day: dt.date, *, cache_kept: bool = True):
        if not cache_kept:
            cache.unlink()
        clock = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        report, _ = sync(load_settings(config), force=True, today=day, clock=lambda: clock)
        return [problem.code for problem in report.problems], out_files(config.parent / "out")

    codes, _ = sync_on(dt.date(2027, 3, 22))
    assert codes == ["date_far_off"]
    first_day = answer_keys(cache)
    codes, _ = sync_on(dt.date(2027, 3, 23))  # the next day: nothing read otherwise
    assert codes == ["date_far_off"]
    assert answer_keys(cache) == first_day
    codes, files = sync_on(dt.date(2027, 3, 25))  # now less than a year ahead
    assert codes == []
    assert files == sync_on(dt.date(2027, 3, 25), cache_kept=False)[1]


def test_two_configurations_in_one_folder_keep_their_own_work(campaign):
    config = campaign(LEEDS_ANSWERS)
    preview = config.with_name("preview.toml")
    preview.write_text(
        config.read_text(encoding="utf-8").replace('out = "out"', 'out = "preview-out"'),
        encoding="utf-8",
    )
    assert 'out = "preview-out"' in preview.read_text(encoding="utf-8")
    assert run("sync", "--config", str(config)).exit_code == 0
    own = config.parent / ".smwsync-work.sqlite"
    kept = own.read_bytes()
    result = run("sync", "--config", str(preview))
    assert result.exit_code == 0, result.output
    assert (config.parent / ".preview-work.sqlite").is_file()
    assert own.read_bytes() == kept  # the other configuration's sync left it alone
    assert stat.S_IMODE((config.parent / ".preview-work.sqlite").stat().st_mode) == 0o600


def test_the_cache_an_earlier_smwsync_kept_under_the_shared_name_is_removed(campaign):
    # Before each configuration's cache was named after it, every one was
    # .smwsync-work.sqlite; a preview.toml's old one holds answers nothing would read again.
    config = campaign(LEEDS_ANSWERS)
    preview = config.with_name("preview.toml")
    text = config.read_text(encoding="utf-8")
    earlier = config.parent / ".smwsync-work.sqlite"
    preview.write_text(
        text.replace("[publish]\n", '[publish]\nwork_cache = ".smwsync-work.sqlite"\n'),
        encoding="utf-8",
    )
    config.unlink()  # no smwsync.toml beside it that may still use the old name
    assert run("sync", "--config", str(preview)).exit_code == 0
    assert earlier.is_file()
    preview.write_text(text, encoding="utf-8")  # upgraded: the default name, after the file
    campaign([*LEEDS_ANSWERS, leeds_answer(6)]).unlink()  # a new answer: a summary to read
    result = run("sync", "--config", str(preview))
    assert result.exit_code == 0, result.output
    assert f"Removed {earlier}" in result.output
    assert not earlier.exists()
    assert (config.parent / ".preview-work.sqlite").is_file()


@pytest.mark.parametrize("beside", ["smwsync.toml", None])
def test_a_file_under_the_shared_name_that_may_still_be_used_is_left_alone(campaign, beside):
    config = campaign(LEEDS_ANSWERS)
    preview = config.with_name("preview.toml")
    preview.write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    earlier = config.parent / ".smwsync-work.sqlite"
    if beside:  # smwsync.toml's own cache
        assert run("sync", "--config", str(config)).exit_code == 0
    else:  # not a work cache at all
        config.unlink()
        earlier.write_bytes(b"SQLite format 3\x00 but not ours")
    kept = earlier.read_bytes()
    result = run("sync", "--config", str(preview))
    assert result.exit_code == 0, result.output
    assert earlier.read_bytes() == kept
