"""Write files so that a reader never sees half a file and a crash keeps the old one.

Every temporary file smwsync makes is named after the file it will replace, in the same
folder, with a mark no other program uses: ".events.kml.smwsync-1a2b3c4d5e6f7a8b.tmp". That is
how smwsync tells its own leftovers from anybody else's files, and removes only its own.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from smwsync.errors import PublishError

TEMPORARY_MARK = ".smwsync-"
TEMPORARY_END = ".tmp"


def new_token() -> str:
    """A random mark for one write's temporary files (16 hex digits)."""
    return secrets.token_hex(8)


def temporary_for(path: Path, token: str) -> Path:
    """The temporary file, beside `path`, that will be renamed over it."""
    return path.with_name(f".{path.name}{TEMPORARY_MARK}{token}{TEMPORARY_END}")


def is_temporary_for(temporary: Path, path: Path) -> bool:
    """True when `temporary` is one of smwsync's temporary files for `path` (same folder)."""
    name = temporary.name
    start = f".{path.name}{TEMPORARY_MARK}"
    token = name[len(start) : -len(TEMPORARY_END)] if name.endswith(TEMPORARY_END) else ""
    return (
        temporary.parent == path.parent
        and name.startswith(start)
        and len(token) == 16
        and all(c in "0123456789abcdef" for c in token)
    )


def own_temporaries(path: Path) -> Iterator[Path]:
    """smwsync's temporary files for `path` that a killed process left beside it."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in sorted(names):
        candidate = path.parent / name
        if is_temporary_for(candidate, path):
            yield candidate


def remove_own_temporaries(path: Path) -> None:
    """Delete smwsync's own leftover temporary files for `path`, and nothing else."""
    for leftover in own_temporaries(path):
        leftover.unlink(missing_ok=True)


def holds(path: Path, data: bytes) -> bool:
    """True when the file at `path` already holds exactly `data`."""
    try:
        if path.is_file() and path.stat().st_size == len(data):
            return path.read_bytes() == data
    except OSError:
        return False
    return False


def write_new_file(path: Path, data: bytes) -> None:
    """Create `path` (which must not exist) holding `data`, flushed to the disk.

    Its permissions are those of any new file (0644 under the usual umask 022), so a web
    server running as another user can read what smwsync publishes.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def check_not_a_folder(path: Path) -> None:
    """Raise IsADirectoryError when a folder stands where the file `path` should go."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(path))


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a flushed temporary file renamed over it.

    Returns False, touching nothing, when the file already holds exactly these bytes, so an
    unchanged sync leaves modification times alone. A failure leaves the old file as it was
    and raises PublishError naming `path`.
    """
    if holds(path, data):
        return False
    temporary = temporary_for(path, new_token())
    try:
        check_not_a_folder(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_new_file(temporary, data)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise write_error(path, err) from err
    sync_folder(path.parent)
    return True


def write_error(path: Path, err: OSError) -> PublishError:
    """A PublishError that names the file smwsync was writing and why it could not."""
    return PublishError(f"Could not write {path}: {err.strerror or err}.")


def sync_folder(folder: Path) -> None:
    """Make renames and removals in `folder` durable (POSIX); a no-op where folders cannot be
    opened."""
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
