"""Write output files so that a reader never sees half a file and a crash keeps the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from smwsync.errors import PublishError


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a flushed temporary file renamed over it.

    Returns False, touching nothing, when the file already holds exactly these bytes, so an
    unchanged sync leaves modification times alone.
    """
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise PublishError(f"Could not write {path}: {err.strerror}.") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
        _sync_folder(path.parent)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise PublishError(f"Could not write {path}: {err.strerror}.") from err
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
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
