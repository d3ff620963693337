"""A set of files published together or not at all (sync/commit.py), in this process.

What happens when the process is killed half-way is in test_kill_points.py.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from smwsync.errors import PublishError, StateError
from smwsync.sync.commit import commit, recover


def tree(folder) -> dict[str, bytes]:
    """Every file under `folder`, by path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_set_with_subfolders_is_published_and_files_it_no_longer_holds_are_removed(tmp_path):
    out = tmp_path / "out"
    journal = tmp_path / "state.json.journal"
    first = {out / "events.kml": b"kml 1", out / "map" / "index.html": b"page 1"}
    first[out / "map" / "data" / "events.json"] = b"data 1"
    first[out / "map" / "old.js"] = b"js 1"
    assert sorted(commit(journal, first)) == sorted(first)
    second = {out / "events.kml": b"kml 2", out / "map" / "index.html": b"page 1"}
    second[out / "map" / "data" / "events.json"] = b"data 2"
    written = commit(journal, second, [out / "map" / "old.js"])
    assert sorted(written) == sorted(
        [out / "events.kml", out / "map" / "data" / "events.json", out / "map" / "old.js"]
    )
    assert tree(out) == {
        "events.kml": b"kml 2",
        "map/index.html": b"page 1",
        "map/data/events.json": b"data 2",
    }
    assert not journal.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_published_files_and_folders_are_readable_by_everyone_under_the_usual_umask(tmp_path):
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        commit(tmp_path / "journal", {out / "a.kml": b"a", out / "map" / "js" / "app.js": b"j"})
    finally:
        os.umask(old)
    for path in (out / "a.kml", out / "map" / "js" / "app.js"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    for folder in (out / "map", out / "map" / "js"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder


def test_a_failure_before_the_commit_leaves_every_old_file_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "events.kml").write_bytes(b"old map")
    (out / "events.ics").mkdir()  # something in the way of the second file
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(PublishError, match=r"Could not write .*events\.ics: "):
        commit(
            tmp_path / "journal",
            {
                out / "events.kml": b"new map",
                out / "map" / "index.html": b"new page",
                out / "events.ics": b"new calendar",
            },
        )
    assert (out / "events.kml").read_bytes() == b"old map"
    assert sorted(p.name for p in out.iterdir()) == before  # no temporary, no map/ folder
    assert not (tmp_path / "journal").exists()


def test_unchanged_files_keep_their_modification_time(tmp_path):
    same, other = tmp_path / "same.kml", tmp_path / "other.kml"
    same.write_bytes(b"same")
    os.utime(same, (1_000_000, 1_000_000))
    assert commit(tmp_path / "journal", {same: b"same", other: b"new"}) == [other]
    assert same.stat().st_mtime == 1_000_000
    assert commit(tmp_path / "journal", {same: b"same"}, rewrite={same}) == [same]
    assert same.stat().st_mtime != 1_000_000


def test_a_journal_naming_files_that_are_not_smwsyncs_own_temporaries_is_refused(tmp_path):
    victim = tmp_path / "demo.toml"
    victim.write_bytes(b"keep me")
    journal = tmp_path / "state.json.journal"
    record = {
        "format": 1,
        "phase": "prepared",
        "replace": [["demo.toml", "out/events.kml"]],
        "remove": [],
        "folders": [],
    }
    journal.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(StateError, match=r"journal .* is damaged \(demo\.toml is not smwsync's"):
        recover(journal)
    assert victim.read_bytes() == b"keep me"


def test_no_journal_means_nothing_to_recover(tmp_path):
    assert recover(tmp_path / "state.json.journal") is None
