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


KEPT = (".smwsync-state.json", ".smwsync-state.json.lock", "changes.jsonl", "status.json")


def journal_case(tmp_path, phase: str, remove=(), folders=()):
    """An out folder with a journal naming `remove` and `folders`, and what smwsync keeps."""
    out = tmp_path / "out"
    out.mkdir()
    journal = out / ".smwsync-state.json.journal"
    record = {"format": 1, "phase": phase, "replace": [], "remove": list(remove)}
    record["folders"] = list(folders)
    journal.write_text(json.dumps(record), encoding="utf-8")
    reserved = [out / name for name in KEPT] + [journal]
    for path in reserved[:-1]:
        path.write_text("smwsync's own", encoding="utf-8")
    return out, journal, reserved


@pytest.mark.parametrize(
    ("phase", "remove", "folders", "said"),
    [
        ("committed", ["{outside}/victim.txt"], [], "is not a path relative to"),
        ("committed", ["../keep.toml"], [], "outside"),
        ("committed", ["link/victim3.txt"], [], "outside"),
        ("committed", [".smwsync-state.json"], [], "a file smwsync keeps"),
        ("committed", ["changes.jsonl"], [], "a file smwsync keeps"),
        ("committed", ["events"], [], "not a plain file"),
        ("prepared", [], ["{outside}/emptyvictim"], "is not a path relative to"),
        ("prepared", [], ["../elsewhere/emptyvictim"], "outside"),
        ("prepared", [], ["link/emptyvictim"], "outside"),
        ("prepared", [], ["."], "outside"),
        ("prepared", [], ["events.kml"], "not a folder it made"),
    ],
)
def test_a_journal_naming_anything_but_smwsyncs_published_files_is_damage_and_nothing_moves(
    tmp_path, phase, remove, folders, said
):
    outside = tmp_path / "elsewhere"
    (outside / "emptyvictim").mkdir(parents=True)
    (outside / "victim.txt").write_text("keep me", encoding="utf-8")
    (outside / "victim3.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "keep.toml").write_text("keep me", encoding="utf-8")
    remove = [name.format(outside=outside) for name in remove]
    folders = [name.format(outside=outside) for name in folders]
    out, journal, reserved = journal_case(tmp_path, phase, remove, folders)
    (out / "link").symlink_to(outside)
    (out / "events").mkdir()
    (out / "events.kml").write_text("map", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(StateError) as caught:
        recover(journal, out=out, reserved=reserved)
    assert f"The sync journal {journal} is damaged (" in str(caught.value)
    assert said in str(caught.value)
    assert "delete the journal" in str(caught.value)
    assert tree(tmp_path) == before
    assert (outside / "emptyvictim").is_dir() and (out / "events").is_dir()


def test_a_journal_removing_a_file_it_published_still_finishes(tmp_path):
    out, journal, reserved = journal_case(tmp_path, "committed", ["mymaps-online.csv"])
    (out / "mymaps-online.csv").write_text("old layer", encoding="utf-8")
    recovery = recover(journal, out=out, reserved=reserved)
    assert recovery is not None and recovery.completed
    assert not (out / "mymaps-online.csv").exists() and not journal.exists()


@pytest.mark.parametrize("loader", ["journal", "state"])
def test_deeply_nested_json_in_the_journal_or_state_is_damage_not_a_crash(tmp_path, loader):
    from smwsync.sync.state import load_state

    path = tmp_path / f".smwsync-state.json{'.journal' if loader == 'journal' else ''}"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(StateError, match="is damaged \\(nested too deeply\\)"):
        recover(path) if loader == "journal" else load_state(path)
    assert path.exists()
