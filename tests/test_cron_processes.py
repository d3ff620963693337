"""Real `python -m smwsync` processes, as cron starts them: overlaps, kills and failures.

A sync is held inside its lock by a test-only wrapper that replaces `write_all_atomically` with
one that stops before it writes the outputs (optionally half-way through writing the first) and
says "inside" on stderr, then waits for a line on stdin. No test sleeps: each waits on a pipe.
"""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from smwsync.cli import cli

from conftest import form_csv, leeds_answer
from kml_readers import folders, parse_strict

HOLDING_WRAPPER = """
import os, sys, tempfile
import smwsync.cli
import smwsync.sync.files

original = smwsync.sync.files.write_all_atomically
mode = sys.argv[1]
calls = []


def held_write(files):
    calls.append(files)
    if len(calls) == 1:
        if mode == "half":
            path, data = next(iter(files.items()))
            fd, _ = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.write(fd, data[: len(data) // 2])
            os.fsync(fd)
        print("inside", file=sys.stderr, flush=True)
        sys.stdin.readline()
    return original(files)


for module in list(sys.modules.values()):
    if getattr(module, "write_all_atomically", None) is original:
        module.write_all_atomically = held_write
sys.argv = ["smwsync", *sys.argv[2:]]
smwsync.cli.main()
"""

KEPT_EVERY_RUN = {"status.json", ".smwsync-state.json.lock"}


def first_sync(config) -> None:
    """The sync before the one under test, in this process (only the later ones must be real)."""
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def smwsync(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smwsync", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def held_sync(config, mode: str) -> subprocess.Popen[str]:
    """Start a sync that stops inside the lock, just before its first output; wait till it is."""
    wrapper = config.parent / "held_sync.py"
    wrapper.write_text(HOLDING_WRAPPER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(wrapper), mode, "sync", "--config", str(config)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=config.parent,
    )
    assert process.stderr.readline() == "inside\n"
    return process


def published_files(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.name not in KEPT_EVERY_RUN}


def write_rows(config, rows) -> None:
    (config.parent / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")


def placemarks(kml: bytes) -> int:
    return sum(len(marks) for marks in folders(parse_strict(kml)).values())


def test_two_syncs_at_once_one_publishes_and_the_other_exits_75(campaign):
    config = campaign([leeds_answer(1)])
    first_sync(config)
    out = config.parent / "out"
    before = published_files(out)
    write_rows(config, [leeds_answer(1), leeds_answer(2)])

    first = held_sync(config, "hold")
    try:
        second = smwsync("sync", "--config", str(config), cwd=config.parent)
        assert second.returncode == 75
        assert f"process {first.pid} (smwsync sync, started " in second.stderr
        assert "--wait SECONDS" in second.stderr
        assert second.stdout == ""
        assert published_files(out) == before
        # A third sync asked to wait gets its turn once the first is done.
        third = subprocess.Popen(
            [sys.executable, "-m", "smwsync", "sync", "--config", str(config), "--wait", "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=config.parent,
        )
    finally:
        stdout, stderr = first.communicate("\n", timeout=120)
    assert first.returncode == 0, stderr
    assert "1 added, 0 updated, 0 removed, 0 held back" in stdout
    assert placemarks((out / "events.kml").read_bytes()) == 2
    waited_out, waited_err = third.communicate(timeout=120)
    assert third.returncode == 0, waited_err
    assert waited_out == "No changes since the last sync.\n"


def test_a_sync_killed_while_writing_leaves_whole_files_and_the_next_one_recovers(campaign):
    config = campaign([leeds_answer(1)])
    first_sync(config)
    out = config.parent / "out"
    before = published_files(out)
    write_rows(config, [leeds_answer(1), leeds_answer(2)])

    victim = held_sync(config, "half")
    assert any(p.name.endswith(".tmp") for p in out.iterdir())  # half a new KML on disk
    victim.kill()
    victim.wait(timeout=60)

    after = {name: data for name, data in published_files(out).items() if name in before}
    assert after == before
    assert placemarks(after["events.kml"]) == 1
    json.loads(after[".smwsync-state.json"])
    lock = json.loads((out / ".smwsync-state.json.lock").read_text(encoding="utf-8"))
    assert lock["pid"] == victim.pid

    recovered = smwsync("sync", "--config", str(config), cwd=config.parent)
    assert recovered.returncode == 0, recovered.stderr
    assert f"Took over the lock of process {victim.pid}" in recovered.stdout
    assert "1 added, 0 updated, 0 removed, 0 held back" in recovered.stdout
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())
    assert placemarks((out / "events.kml").read_bytes()) == 2
    assert (out / ".smwsync-state.json.lock").read_text(encoding="utf-8") == ""


def test_a_source_that_vanishes_fails_with_1_and_leaves_every_file_as_it_was(campaign):
    config = campaign([leeds_answer(1), leeds_answer(2)])
    first_sync(config)
    out = config.parent / "out"
    before = published_files(out)
    (config.parent / "responses.csv").unlink()

    failed = smwsync("sync", "--config", str(config), "--quiet", cwd=config.parent)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert "does not exist" in failed.stderr
    assert published_files(out) == before
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["result"] == "failed"
    assert status["exit_code"] == 1
    assert "does not exist" in status["last_error"]["message"]
    assert status["counts"]["published"] == 2


def test_quiet_runs_print_nothing_and_the_log_file_keeps_the_story(campaign):
    config = campaign([leeds_answer(1)])
    log = config.parent / "sync.log"
    options = ("sync", "--config", str(config), "--quiet", "--log-file", str(log))
    first = CliRunner().invoke(cli, list(options), catch_exceptions=False)
    assert (first.exit_code, first.output) == (0, "")
    quiet = smwsync(*options, cwd=config.parent)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert any(line.endswith("Published 1 event.") for line in lines)
    assert lines[-1].endswith("Z No changes since the last sync.")
