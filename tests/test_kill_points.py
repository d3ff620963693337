"""A real sync process killed (SIGKILL) at every file-system call it makes.

The sync under test changes every published file, removes one (a My Maps CSV whose layer is
now empty), and rewrites the state, the change log and the status file. It is killed before
each of its calls to os.open, write, fsync, replace, rename, unlink, mkdir and rmdir in turn:
between every pair of file replacements, and everywhere else. After each kill:

- every file on disk is whole: its old bytes or its new ones;
- once the interrupted commit is finished or rolled back (what the next sync does first),
  the set is entirely the old one or entirely the new one, with no file of smwsync's left over;
- the next sync, a real process again, succeeds, says what it did with the files the killed
  one left, and leaves exactly the new set, with the change logged once.

The children are forked from one process that has loaded smwsync (tests/stop_at.py), and the
folders live in /dev/shm when there is one, so the hundred-odd processes take seconds.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from smwsync.sync.commit import Recovery, recover

from conftest import config_toml, form_csv, leeds_answer

HERE = Path(__file__).resolve().parent
BEFORE = "2026-11-24T09:00:00"
AFTER = "2026-11-24T09:10:00"
ALL_OUTPUTS = (
    'kmz = "events.kmz"\ngeojson = "events.geojson"\nics = "events.ics"\ncsv = "events"\n'
    'layer_by = "format"\n'
)
STATE = ".smwsync-state.json"
LOCK = STATE + ".lock"
SECRET = ".smwsync-id-secret"  # kept beside the configuration now; an older version put it here
JOURNAL = STATE + ".journal"


class Server:
    """tests/stop_at.py serve: runs one sync per request in a forked, real process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["sh", "-c", f'umask 022 && exec "{sys.executable}" "{HERE / "stop_at.py"}" serve'],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=HERE,
        )

    def sync(self, folder: Path, time: str, action: str = "kill", at: int | str = 0) -> str:
        """Run a sync in `folder` at `time`, killed at call `at` (0: never); the answer."""
        self.process.stdin.write(f"{action} {at} {folder} {time}\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def server():
    running = Server()
    yield running
    running.close()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A folder for the runs: in memory (/dev/shm) when the machine has one."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path_factory.mktemp("kills")
        return
    folder = Path(tempfile.mkdtemp(prefix="smwsync-kill-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Sets:
    """The campaign before the sync under test, and the sets on disk before and after it."""

    before: Path
    run: Path  # where each run happens: the state keeps the outputs' full paths
    old: dict[str, bytes]
    new: dict[str, bytes]
    calls: int  # the file-system calls the sync under test makes

    def fresh_run(self) -> Path:
        shutil.rmtree(self.run, ignore_errors=True)
        shutil.copytree(self.before, self.run)
        return self.run


@pytest.fixture(scope="module")
def sets(server, scratch) -> Sets:
    before = scratch / "before"
    write_campaign(before, [leeds_answer(1), leeds_answer(2, formats="Online")])
    assert server.sync(before, BEFORE).startswith("exit 0 ")
    old = published(before / "out")
    write_campaign(
        before,
        [leeds_answer(1, title="Leeds event 1, renamed"), leeds_answer(2), leeds_answer(3)],
    )
    run = scratch / "run"
    shutil.copytree(before, run)
    answer = server.sync(run, AFTER)
    assert answer.startswith("exit 0 "), (run / "child.err").read_text()
    new = published(run / "out")
    assert set(old) - set(new) == {"events-online.csv"}
    assert all(old[name] != new[name] for name in new)  # every file of the set changes
    return Sets(before, run, old, new, int(answer.split()[2]))


def published(out: Path) -> dict[str, bytes]:
    """The set: every file under `out` but the lock (which says who holds it), the id secret
    (made once by the first sync) and smwsync's own temporary files and journal (which a
    finished commit leaves none of)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in (LOCK, SECRET) and not leftover(p)
    }


def leftover(path: Path) -> bool:
    return path.name == JOURNAL or (".smwsync-" in path.name and path.name.endswith(".tmp"))


def write_campaign(folder: Path, rows) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
    (folder / "smwsync.toml").write_text(config_toml(extra=ALL_OUTPUTS), encoding="utf-8")


def check_whole_files(sets: Sets, at, *, status: bool = True) -> None:
    """Every file of the set on disk is its old bytes or its new ones (but the status file,
    unless `status`: the one a later sync writes when it finds nothing to change)."""
    for name, data in published(sets.run / "out").items():
        if status or name != "status.json":
            assert data in (sets.old.get(name), sets.new.get(name)), (at, name)


def recovered_set(
    sets: Sets, scratch: Path, at, *, status: bool = True
) -> tuple[str, Recovery | None]:
    """Finish or roll back the interrupted commit (what the next sync does first) in a copy,
    so that the next sync finds what the kill left; "old" or "new" for the set it leaves."""
    looked_at = scratch / "recovered"
    shutil.rmtree(looked_at, ignore_errors=True)
    shutil.copytree(sets.run, looked_at)
    recovered = recover(looked_at / "out" / JOURNAL, loose=(looked_at / "out" / "status.json",))
    after = published(looked_at / "out")
    if not status:
        after["status.json"] = sets.new["status.json"]
    assert after in (sets.old, sets.new), (at, differences(after, sets.old, sets.new))
    assert not any(leftover(p) for p in (looked_at / "out").rglob("*")), at
    if recovered is not None:  # a commit was under way: finished, or rolled back
        assert after == (sets.new if recovered.completed else sets.old), at
    for path in (looked_at / "out").rglob("*"):  # readable by a web server, as any new file
        if path.name != SECRET:  # but the id secret, its owner's alone
            assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path
    return ("new" if after == sets.new else "old"), recovered


def differences(after, old, new) -> dict[str, list[str]]:
    """The files that differ from the old set's, and from the new set's."""
    return {
        label: sorted(name for name in {*after, *other} if after.get(name) != other.get(name))
        for label, other in (("old", old), ("new", new))
    }


def check_next_sync_is_clean(server, sets: Sets, recovered: Recovery | None, at) -> None:
    """The next sync succeeds, says what it did with the files left, and leaves the new set
    with the change logged once."""
    out = sets.run / "out"
    answer = server.sync(sets.run, AFTER)
    assert answer.startswith("exit 0 "), (at, (sets.run / "child.err").read_text())
    final = published(out)
    assert final == {**sets.new, "status.json": final["status.json"]}, at
    assert not any(leftover(p) for p in out.rglob("*")), at
    took_over = (sets.run / "child.out").read_text(encoding="utf-8")
    if recovered is not None:
        assert f"ended unfinished; {recovered.describe()}" in took_over, at


def test_a_sync_killed_at_any_call_leaves_the_old_set_or_the_new_one(server, scratch, sets):
    outcomes = []
    rendering = 0  # kills that left some outputs in temporary files, the state not yet
    for at in range(1, sets.calls + 1):
        sets.fresh_run()
        assert server.sync(sets.run, AFTER, "kill", at) == "killed", at
        check_whole_files(sets, at)
        left = [p.name for p in (sets.run / "out").rglob("*") if leftover(p)]
        rendering += any(".events.kml." in name for name in left) and not any(
            name.startswith((".status.json.", f".{STATE}.")) for name in left
        )
        outcome, recovered = recovered_set(sets, scratch, at)
        outcomes.append(outcome)
        check_next_sync_is_clean(server, sets, recovered, at)

    # Killed early, the old set stays; killed late, the new one is finished: never back again.
    first_new = outcomes.index("new")
    assert outcomes == ["old"] * first_new + ["new"] * (sets.calls - first_new)
    assert 0 < first_new < sets.calls - 10
    # Outputs go to their temporary files as they are made: some kills came while the
    # outputs were being written, and each left the old set (checked above) and no stray file.
    assert rendering > 5
    print(f"{sets.calls} kill points: the old set kept at {first_new}, the new one after")


def test_the_sync_that_finishes_a_killed_ones_commit_can_be_killed_too(server, scratch, sets):
    # Killed just after its journal says "committed" (its third os.replace puts the first
    # new file in place), the sync leaves a commit for the next one to finish...
    sets.fresh_run()
    assert server.sync(sets.run, AFTER, "kill", "replace:3") == "killed"
    left = scratch / "left"
    shutil.rmtree(left, ignore_errors=True)
    shutil.copytree(sets.run, left)
    answer = server.sync(sets.run, AFTER)
    assert answer.startswith("exit 0 ")
    # It reports what the killed sync changed, as that sync would have: not "no changes".
    status = json.loads((sets.run / "out" / "status.json").read_text(encoding="utf-8"))
    unkilled = json.loads(sets.new["status.json"])
    # (Both edited answers keep their ids: a renamed title and a changed format are updates.)
    assert unkilled["changes"].startswith("1 added, 2 updated, 0 removed")
    assert (status["result"], status["changes"]) == ("published", unkilled["changes"])
    calls = int(answer.split()[2])
    # ...and that one is killed at each of its own calls in turn.
    for at in range(1, calls + 1):
        shutil.rmtree(sets.run)
        shutil.copytree(left, sets.run)
        assert server.sync(sets.run, AFTER, "kill", at) == "killed", at
        check_whole_files(sets, at, status=False)
        outcome, recovered = recovered_set(sets, scratch, at, status=False)
        assert outcome == "new", at
        check_next_sync_is_clean(server, sets, recovered, at)
    print(f"{calls} kill points in the sync that finishes a commit")
