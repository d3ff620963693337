"""The work cache read and written as a sync goes: a sync killed or failing half-way, a file
damaged where no sync reads first, and answers asked for in a new order never give a wrong
result or leave the next sync an unusable cache."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.sync.work_cache import open_work

from conftest import leeds_answer

LEEDS_ANSWERS = [leeds_answer(n) for n in range(1, 6)]
STOP_AT = Path(__file__).resolve().parent / "stop_at.py"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def out_files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "status.json"
    }


def kept_rows(cache: Path) -> dict[str, str]:
    with sqlite3.connect(cache) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        return dict(db.execute("select key, value from work"))


def twin(config: Path, tmp_path: Path) -> Path:
    """A copy of the campaign as it is now (its state and outputs), without the work cache."""
    copy = tmp_path / "twin"
    shutil.copytree(config.parent, copy)
    (copy / ".smwsync-work.sqlite").unlink()
    return copy / config.name


def maps(out: Path) -> dict[str, bytes]:
    """The published maps and calendar, without the sync's own records (which hold times)."""
    return {
        name: data
        for name, data in out_files(out).items()
        if not name.startswith(".") and name != "changes.jsonl"
    }


def from_scratch(twin_config: Path) -> dict[str, bytes]:
    """What a sync with no work cache publishes for the campaign's twin."""
    result = run("sync", "--config", str(twin_config))
    assert result.exit_code == 0, result.output
    return maps(twin_config.parent / "out")


def test_a_sync_killed_while_publishing_leaves_the_cache_the_last_one_saved(campaign, tmp_path):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    saved = kept_rows(cache)
    # One answer edited, one new: the killed sync has made and asked for work of its own.
    campaign([leeds_answer(1, title="Tea camp, moved"), *LEEDS_ANSWERS[1:], leeds_answer(9)])
    other = twin(config, tmp_path)
    killed = subprocess.run(
        [sys.executable, str(STOP_AT), "kill", "replace:1", "--", "sync", "--config", str(config)],
        cwd=config.parent,
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    assert kept_rows(cache) == saved
    result = run("sync", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "Tea camp, moved" in (config.parent / "out" / "events.kml").read_text("utf-8")
    assert maps(config.parent / "out") == from_scratch(other)
    assert b"person9@leeds.gov.uk" in cache.read_bytes()


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from smwsync.sync.work_cache import open_work

memo = open_work(Path(sys.argv[1])).memo
assert memo.get(memo.key("answer", 1)) == "kept by the last sync"
for number in range(4000):  # far more than SQLite holds in memory: written to the file
    memo.put(memo.key("answer", number + 2), f"made by the killed sync {number} " * 40)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_while_writing_the_cache_leaves_what_the_last_sync_saved(tmp_path):
    cache = tmp_path / "work.sqlite"
    with open_work(cache) as work:
        work.memo.put(work.memo.key("answer", 1), "kept by the last sync")
        work.memo.put(work.memo.key("answer", 0), "kept, never asked for again")
        assert work.save() == ""
    size = cache.stat().st_size
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(cache)], capture_output=True, check=False
    )
    assert killed.returncode == -9, killed.stderr
    assert cache.stat().st_size > size * 100  # what it made reached the file before the kill
    with open_work(cache) as work:
        memo = work.memo
        assert memo.get(memo.key("answer", 1)) == "kept by the last sync"
        assert memo.get(memo.key("answer", 2)) is None  # written, never saved: rolled back
        assert work.save() == ""
    assert list(kept_rows(cache).values()) == ["kept by the last sync"]


def test_a_sync_that_fails_on_a_full_disk_leaves_the_cache_the_last_one_saved(campaign):
    config = campaign(LEEDS_ANSWERS)
    assert run("sync", "--config", str(config)).exit_code == 0
    cache = config.parent / ".smwsync-work.sqlite"
    saved = kept_rows(cache)
    campaign([*LEEDS_ANSWERS, leeds_answer(9)])
    # The disk fills as the sync starts to publish: its first write fails, and every one after.
    failed = subprocess.run(
        [sys.executable, str(STOP_AT), "full", "write:1", "--", "sync", "--config", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1 and "Nothing was published" in failed.stderr, failed.stderr
    assert kept_rows(cache) == saved
    assert run("sync", "--config", str(config)).exit_code == 0
    assert b"person9@leeds.gov.uk" in cache.read_bytes()


def test_a_cache_damaged_in_the_middle_costs_time_never_a_different_map(campaign, tmp_path):
    answers = [leeds_answer(n, aims="Meet the team. " * 60) for n in range(1, 31)]
    config = campaign(answers)
    assert run("sync", "--config", str(config)).exit_code == 0
    out = config.parent / "out"
    first = out_files(out)
    cache = config.parent / ".smwsync-work.sqlite"
    data = bytearray(cache.read_bytes())
    assert len(data) >= 20 * 4096
    middle = len(data) // 8192 * 4096  # a whole page half-way through the file
    data[middle : middle + 4096] = b"\xa5" * 4096
    cache.write_bytes(bytes(data))
    result = run("sync", "--config", str(config), "--force")
    assert result.exit_code == 0, result.output
    assert out_files(out) == first
    # Made afresh: whole, and used by the next sync.
    assert kept_rows(cache)
    campaign([*answers, leeds_answer(40)])
    other = twin(config, tmp_path)
    result = run("sync", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert maps(out) == from_scratch(other)


def test_every_result_read_back_is_the_one_kept_for_its_key_in_any_order(tmp_path):
    # More results than one batch or read-ahead, asked for in another order than they were
    # kept (a re-sorted sheet), some twice, some never kept, one damaged on the disk.
    cache = tmp_path / "work.sqlite"
    numbers = range(3000)
    with open_work(cache) as work:
        memo = work.memo
        for number in numbers:
            memo.put(memo.key("answer", number), f"answer {number}")
        assert work.save() == ""
    with sqlite3.connect(cache) as db:
        db.execute("update work set value = 'answer 7, changed' where value = 'answer 7'")
    asked = [*numbers[::-3], 5000, 5001, *numbers[1::3], 12, 5000]
    with open_work(cache) as work:
        memo = work.memo
        memo.expect([memo.key("answer", number) for number in asked])
        found = {}
        for number in asked:
            value = memo.get(memo.key("answer", number))
            if value is None:
                memo.put(memo.key("answer", number), f"answer {number}, made again")
            else:
                found[number] = value
        kept_ones = {n: f"answer {n}" for n in asked if n < 3000 and n != 7}
        assert found == {**kept_ones, 5000: "answer 5000, made again"}  # the second time
        assert memo.get(memo.key("answer", 7)) == "answer 7, made again"
        assert work.save() == ""
    kept = set(kept_rows(cache).values())
    assert kept == {
        *(f"answer {n}" for n in asked if n < 3000 and n != 7),
        *(f"answer {n}, made again" for n in (7, 5000, 5001)),
    }
