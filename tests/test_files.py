"""Atomic writes: a reader never sees half a file; unchanged bytes touch nothing."""

from __future__ import annotations

import os
import stat

import pytest

from smwsync.errors import PublishError
from smwsync.sync.files import (
    new_token,
    own_temporaries,
    remove_own_temporaries,
    temporary_for,
    write_atomically,
)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_new_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "out" / "map.kml"
    assert write_atomically(path, b"<kml/>") is True
    assert path.read_bytes() == b"<kml/>"
    assert sorted(p.name for p in path.parent.iterdir()) == ["map.kml"]


def test_a_written_file_is_readable_by_everyone_as_an_ordinary_file_is(tmp_path):
    # A web server running as another user must be able to serve what smwsync writes.
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "map.kml", b"<kml/>")
        (tmp_path / "ordinary.txt").write_bytes(b"x")
        os.umask(0o027)
        write_atomically(tmp_path / "map.kml", b"<kml>2</kml>")
    finally:
        os.umask(old)
    assert mode(tmp_path / "ordinary.txt") == 0o644
    assert mode(tmp_path / "map.kml") == 0o640  # the umask decides, as for any new file


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
    with pytest.raises(PublishError, match=f"Could not write {path}: "):
        write_atomically(path, b"new")
    assert (path / "keep.txt").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.kml"]


def test_only_smwsyncs_own_temporaries_are_recognised_and_removed(tmp_path):
    path = tmp_path / "status.json"
    ours = temporary_for(path, new_token())
    ours.write_bytes(b"{")
    theirs = [
        tmp_path / ".status.json.abc123.tmp",  # another program's, or an old version's
        tmp_path / ".status.json.smwsync-notours.tmp",
        tmp_path / ".notes.tmp",
        tmp_path / ".events.kml.smwsync-0123456789abcdef.tmp",  # ours, but another file's
    ]
    for other in theirs:
        other.write_bytes(b"keep")
    assert list(own_temporaries(path)) == [ours]
    remove_own_temporaries(path)
    assert not ours.exists()
    assert all(other.read_bytes() == b"keep" for other in theirs)
