"""Write output files so that a reader never sees half a file and a crash keeps the old one."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from smwsync.errors import PublishError


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a flushed temporary file renamed over it.

    Returns False, touching nothing, when the file already holds exactly these bytes, so an
    unchanged sync leaves modification times alone.
    """
    return bool(write_all_atomically({path: data}))


def write_all_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files as nearly together as a file system allows; return those changed.

    Every changed file is first written in full to a flushed temporary file beside it; only when
    all of them are written are they renamed over the old ones, one quick rename each. A failure
    while writing (a full disk, a folder in the way) removes the temporary files and leaves
    every old file exactly as it was.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            temporary = _stage(path, data)
            if temporary is not None:
                staged.append((temporary, path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as err:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        name = getattr(err, "filename", None) or "a file"
        raise PublishError(f"Could not write {name}: {err.strerror}.") from err
    for folder in {path.parent for _, path in staged}:
        _sync_folder(folder)
    return [path for _, path in staged]


def _stage(path: Path, data: bytes) -> Path | None:
    """A flushed temporary copy of `data` beside `path`, or None when `path` already holds it."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return None
    if path.is_dir():  # found now, before any file is replaced, not at the rename
        raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _sync_folder(folder: Path) -> None:
    """Make the renames themselves durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
