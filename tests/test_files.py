"""Atomic writes: a reader never sees half a file; unchanged bytes touch nothing."""

from __future__ import annotations

import os

import pytest

from smwsync.errors import PublishError
from smwsync.sync.files import write_all_atomically, write_atomically


def test_writes_new_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "out" / "map.kml"
    assert write_atomically(path, b"<kml/>") is True
    assert path.read_bytes() == b"<kml/>"
    assert sorted(p.name for p in path.parent.iterdir()) == ["map.kml"]


def test_same_bytes_keep_the_modification_time(tmp_path):
    path = tmp_path / "map.kml"
    write_atomically(path, b"one")
    os.utime(path, (1_000_000, 1_000_000))
    assert write_atomically(path, b"one") is False
    assert path.stat().st_mtime == 1_000_000
    assert write_atomically(path, b"two") is True
    assert path.read_bytes() == b"two"


def test_failure_is_reported_and_leaves_no_temporary(tmp_path):
    # A folder standing where the file should go: the rename fails, the folder is untouched.
    path = tmp_path / "map.kml"
    path.mkdir()
    (path / "keep.txt").write_bytes(b"old")
    with pytest.raises(PublishError, match="Could not write"):
        write_atomically(path, b"new")
    assert (path / "keep.txt").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.kml"]


def test_a_set_of_files_is_replaced_together_or_not_at_all(tmp_path):
    kml, ics = tmp_path / "map.kml", tmp_path / "map.ics"
    kml.write_bytes(b"old map")
    ics.mkdir()  # something in the way of the second file
    with pytest.raises(PublishError, match=r"map\.ics"):
        write_all_atomically({kml: b"new map", ics: b"new calendar"})
    assert kml.read_bytes() == b"old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.ics", "map.kml"]


def test_only_changed_files_are_written(tmp_path):
    same, other = tmp_path / "same.kml", tmp_path / "other.kml"
    same.write_bytes(b"same")
    os.utime(same, (1_000_000, 1_000_000))
    assert write_all_atomically({same: b"same", other: b"new"}) == [other]
    assert same.stat().st_mtime == 1_000_000
