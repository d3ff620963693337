"""Real `python -m smwsync` processes, as cron starts them: overlaps, kills and failures.

A sync is stopped inside its lock by tests/stop_at.py, which runs smwsync's own code unchanged
and counts its calls to the standard library's file-system functions: it holds at one of them
(saying "inside" on stderr, then waiting for a line on stdin), kills itself there with SIGKILL,
or makes a write fail as a full disk would. No test sleeps: each waits on a pipe.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from smwsync.cli import cli

from conftest import form_csv, leeds_answer
from kml_readers import folders, parse_strict

STOP_AT = Path(__file__).resolve().parent / "stop_at.py"
KEPT_EVERY_RUN = {"status.json", ".smwsync-state.json.lock"}
ALL_OUTPUTS = (
    'kmz = "events.kmz"\ngeojson = "events.geojson"\nics = "events.ics"\ncsv = "events"\n'
    'layer_by = "format"\n'
)


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


def stopped_sync(config, action: str, at: str, *args: str) -> subprocess.Popen[str]:
    """Start a real sync that holds, or is killed, at the call `at` ("replace:1": its first
    os.replace, which puts its journal in place); for "hold", wait until it is there."""
    process = subprocess.Popen(
        [sys.executable, str(STOP_AT), action, at, "--", "sync", "--config", str(config), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=config.parent,
    )
    if action == "hold":
        assert process.stderr.readline() == "inside\n"
    return process


def published_files(out) -> dict[str, bytes]:
    """The files a reader can see, without the lock and status (rewritten on every run) and
    the journal and temporary files of a commit under way."""
    return {
        p.name: p.read_bytes()
        for p in out.iterdir()
        if p.is_file() and p.name not in KEPT_EVERY_RUN and not under_way(p)
    }


def under_way(path) -> bool:
    name = path.name
    return name.endswith(".journal") or (".smwsync-" in name and name.endswith(".tmp"))


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

    first = stopped_sync(config, "hold", "replace:1")
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


def test_a_sync_killed_before_its_commit_leaves_the_old_set_and_the_next_one_recovers(
    campaign,
):
    config = campaign([leeds_answer(1)])
    first_sync(config)
    out = config.parent / "out"
    before = published_files(out)
    write_rows(config, [leeds_answer(1), leeds_answer(2)])

    # Killed just before the journal says "committed": every new file is written beside
    # its old one, none is in place.
    victim = stopped_sync(config, "kill", "replace:2")
    victim.wait(timeout=60)
    assert victim.returncode == -9
    assert any(".smwsync-" in p.name and p.name.endswith(".tmp") for p in out.iterdir())
    assert published_files(out) == before
    assert placemarks(before["events.kml"]) == 1
    lock = json.loads((out / ".smwsync-state.json.lock").read_text(encoding="utf-8"))
    assert lock["pid"] == victim.pid

    recovered = smwsync("sync", "--config", str(config), cwd=config.parent)
    assert recovered.returncode == 0, recovered.stderr
    assert f"Took over the lock of process {victim.pid} (smwsync sync, started " in recovered.stdout
    assert "which ended unfinished; removed its unpublished files." in recovered.stdout
    assert "1 added, 0 updated, 0 removed, 0 held back" in recovered.stdout
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())
    assert placemarks((out / "events.kml").read_bytes()) == 2
    assert (out / ".smwsync-state.json.lock").read_text(encoding="utf-8") == ""


def test_a_sync_killed_after_its_commit_is_finished_by_the_next_one_which_says_so(campaign):
    config = campaign([leeds_answer(1)])
    first_sync(config)
    out = config.parent / "out"
    write_rows(config, [leeds_answer(1), leeds_answer(2)])

    # Killed just after the journal says "committed", before the first file is renamed.
    victim = stopped_sync(config, "kill", "replace:3")
    victim.wait(timeout=60)
    assert victim.returncode == -9
    assert placemarks((out / "events.kml").read_bytes()) == 1

    log = config.parent / "sync.log"
    options = ("sync", "--config", str(config), "--log-file", str(log))
    finished = smwsync(*options, "--json", cwd=config.parent)
    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)
    # The killed sync's publication was finished: this one found nothing more to change...
    assert report["nothing_changed"] is True
    assert placemarks((out / "events.kml").read_bytes()) == 2
    # ...and still says whose lock it took over, in --json, the summary and the log file.
    assert report["took_over_lock"].startswith(f"process {victim.pid} (smwsync sync, started ")
    assert report["took_over_lock"].endswith(
        "which ended unfinished; finished publishing its 4 files"
    )
    took_over = f"Took over the lock of process {victim.pid} "
    assert took_over in log.read_text(encoding="utf-8")
    changes = (out / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(changes) == 2  # the first sync's line and the killed one's, once each


def test_a_full_disk_names_the_file_leaves_the_old_set_and_the_status_says_failed(campaign):
    config = campaign([leeds_answer(1)])
    first_sync(config)
    out = config.parent / "out"
    before = published_files(out)
    write_rows(config, [leeds_answer(1), leeds_answer(2)])

    # The disk fills while the first file of the set (after the journal), the KML, is
    # written, and stays full.
    failed = stopped_sync(config, "full", "write:2")
    _, stderr = failed.communicate(timeout=60)
    assert failed.returncode == 1
    assert f"Error: Could not write {out / 'events.kml'}: No space left on device." in stderr
    assert published_files(out) == before
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())
    # The status file could not be replaced, so it was rewritten where it was.
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["result"] == "failed"
    assert "No space left on device" in status["last_error"]["message"]
    assert status["counts"]["published"] == 1


def test_a_change_log_that_cannot_be_read_publishes_nothing_and_the_status_says_so(campaign):
    config = campaign([leeds_answer(1)])
    first_sync(config)
    out = config.parent / "out"
    (out / "changes.jsonl").unlink()
    (out / "changes.jsonl").mkdir()
    before = published_files(out)
    write_rows(config, [leeds_answer(1), leeds_answer(2)])

    failed = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert failed.exit_code == 1
    assert "Could not read the change log" in failed.output
    assert published_files(out) == before
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert (status["result"], status["exit_code"]) == ("failed", 1)
    assert "Could not read the change log" in status["last_error"]["message"]


def test_published_files_are_readable_by_everyone(campaign):
    # A web server running as another user must be able to read the map's files.
    config = campaign([leeds_answer(1)], extra_config=ALL_OUTPUTS)
    umask = os.umask(0o022)  # the usual one
    try:
        run = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    finally:
        os.umask(umask)
    assert run.exit_code == 0, run.output
    out = config.parent / "out"
    public = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(public) >= 6
    for path in [*public, out]:
        wanted = 0o755 if path.is_dir() else 0o644
        assert stat.S_IMODE(path.stat().st_mode) == wanted, path


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
