"""One sync at a time: the lock names who holds it, waits when asked, and survives a kill."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.errors import StateError, SyncLocked
from smwsync.sync.lock import hold_lock, read_holder

from conftest import leeds_answer


class FakeClock:
    """A monotonic clock that moves only when the code under test sleeps."""

    def __init__(self, on_sleep=None):
        self.now = 100.0
        self.slept = 0.0
        self.on_sleep = on_sleep

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds
        if self.on_sleep:
            self.on_sleep()


def test_a_second_sync_is_refused_with_the_holder_named(tmp_path):
    path = tmp_path / "state.json.lock"
    with hold_lock(path, command="smwsync sync", started="2026-11-24T02:30:00Z"):
        assert read_holder(path).pid == os.getpid()
        with (
            pytest.raises(SyncLocked) as caught,
            hold_lock(path, command="smwsync sync", started="2026-11-24T02:31:00Z"),
        ):
            pytest.fail("two syncs held the lock at once")
    error = caught.value
    assert error.exit_code == 75
    assert error.pid == os.getpid()
    message = str(error)
    assert f"process {os.getpid()} (smwsync sync, started 2026-11-24T02:30:00Z)" in message
    assert "--wait SECONDS" in message


def test_the_lock_is_free_again_after_the_sync_and_its_file_says_nobody_has_it(tmp_path):
    path = tmp_path / "state.json.lock"
    with hold_lock(path, command="first", started="t1"):
        pass
    assert path.read_text(encoding="utf-8") == ""
    with hold_lock(path, command="second", started="t2") as lock:
        assert lock.taken_over is None
        assert read_holder(path).command == "second"


def test_waiting_gets_the_lock_when_the_other_sync_finishes(tmp_path):
    path = tmp_path / "state.json.lock"
    first = hold_lock(path, command="first", started="t1")
    first.__enter__()
    clock = FakeClock(on_sleep=lambda: first.__exit__(None, None, None))
    with hold_lock(
        path,
        command="second",
        started="t2",
        wait_seconds=30,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    ):
        assert read_holder(path).command == "second"
    assert 0 < clock.slept < 30


def test_waiting_gives_up_after_the_time_given(tmp_path):
    path = tmp_path / "state.json.lock"
    clock = FakeClock()
    with (
        hold_lock(path, command="first", started="t1"),
        pytest.raises(SyncLocked, match="after waiting 5 seconds"),
        hold_lock(
            path,
            command="second",
            started="t2",
            wait_seconds=5,
            monotonic=clock.monotonic,
            sleep=clock.sleep,
        ),
    ):
        pytest.fail("took a held lock")
    assert 5 <= clock.slept < 5.5


def test_a_lock_left_by_a_killed_sync_is_taken_over_and_its_holder_named(tmp_path):
    # A killed process's flock is gone, but its record is not.
    path = tmp_path / "state.json.lock"
    path.write_text(json.dumps({"pid": 4242, "started": "t0", "command": "smwsync sync"}))
    with hold_lock(path, command="smwsync sync", started="t1") as lock:
        assert lock.taken_over is not None
        assert lock.taken_over.pid == 4242
        assert lock.taken_over.describe() == "process 4242 (smwsync sync, started t0)"


def test_a_sync_taking_over_a_lock_removes_its_own_temporaries_and_no_other_file(campaign):
    config = campaign([leeds_answer(1)])
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    out = config.parent / "out"
    lock = out / ".smwsync-state.json.lock"
    lock.write_text(json.dumps({"pid": 4242, "started": "t0", "command": "smwsync sync"}))
    (out / ".status.json.smwsync-0123456789abcdef.tmp").write_bytes(b"{")  # smwsync's own
    others = {
        ".status.json.abc123.tmp": b"another program's",
        ".notes.tmp": b"an organiser's",
        ".events.kml.swp.tmp": b"an editor's",
    }
    for name, data in others.items():
        (out / name).write_bytes(data)
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "No changes since the last sync.\n"
        "Took over the lock of process 4242 (smwsync sync, started t0), which ended unfinished.\n"
    )
    left = {p.name: p.read_bytes() for p in out.iterdir() if p.name.endswith(".tmp")}
    assert left == others


def test_an_unreadable_lock_record_does_not_stop_a_sync(tmp_path):
    path = tmp_path / "state.json.lock"
    path.write_bytes(b"\xff not json")
    with hold_lock(path, command="smwsync sync", started="t1") as lock:
        assert lock.taken_over is None


def test_a_lock_file_that_is_a_link_is_refused_and_what_it_points_to_is_untouched(tmp_path):
    victim = tmp_path / "victim2.txt"
    victim.write_text("keep me", encoding="utf-8")
    lock = tmp_path / "out" / ".smwsync-state.json.lock"
    lock.parent.mkdir()
    lock.symlink_to(victim)
    held = hold_lock(lock, command="smwsync sync", started="2026-11-24T02:30:00Z")
    with pytest.raises(StateError, match=r"Could not open the lock file .* remove it"), held:
        pass
    assert victim.read_text(encoding="utf-8") == "keep me"
