"""One sync at a time per state file: an flock on a lock file beside the state.

The kernel releases an flock when its process ends, however it ends, so a lock left by a killed
sync is free to take. The lock file also holds who has it (pid, start time, command), so a
second sync can name the one it waits for, and a holder that died is reported when its lock is
taken over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from smwsync.errors import StateError, SyncLocked

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class LockHolder:
    """The process that holds (or held) the lock."""

    pid: int | None
    started: str = ""
    command: str = ""

    def describe(self) -> str:
        """ "process 1234 (smwsync sync, started 2026-11-24T02:30:00Z)"."""
        if self.pid is None:
            return "another process"
        started = f"started {self.started}" if self.started else ""
        details = ", ".join(part for part in (self.command, started) if part)
        return f"process {self.pid}" + (f" ({details})" if details else "")


@dataclass
class HeldLock:
    """A lock this process holds; `taken_over` names a holder that died without releasing it."""

    path: Path
    taken_over: LockHolder | None = None


@contextlib.contextmanager
def hold_lock(
    path: Path,
    *,
    command: str,
    started: str,
    wait_seconds: float = 0.0,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[HeldLock]:
    """Hold the lock at `path` for the `with` block; raise SyncLocked if another sync has it.

    With `wait_seconds`, try again until that much time has passed before giving up. When the
    last holder died without letting go, `taken_over` names it; what it left half-done is for
    the caller to finish (sync/commit.py).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _open_lock_file(path)
    except OSError as err:
        raise StateError(
            f"Could not open the lock file {path}: {err.strerror}. It must be a plain file "
            "smwsync made (not a link): remove it and run the sync again."
        ) from err
    try:
        deadline = monotonic() + wait_seconds
        while not _try_lock(handle):
            if monotonic() >= deadline:
                holder = read_holder(path)
                waited = f" after waiting {wait_seconds:g} seconds" if wait_seconds else ""
                raise SyncLocked(
                    f"Another sync is running{waited}: {holder.describe()} holds {path}. "
                    "Wait for it to finish, or pass --wait SECONDS to wait for it.",
                    pid=holder.pid,
                )
            sleep(POLL_SECONDS)
        left = read_holder(path)
        lock = HeldLock(path, taken_over=left if left.pid is not None else None)
        _write_holder(handle, LockHolder(os.getpid(), started, command))
        try:
            yield lock
        finally:
            # An empty lock file means the last holder let go; a filled one, that it died.
            handle.seek(0)
            handle.truncate()
            handle.flush()
    finally:
        handle.close()  # closing releases the flock


def read_holder(path: Path) -> LockHolder:
    """Who the lock file says holds the lock; pid None when it is empty or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return LockHolder(None)
    pid = data.get("pid") if isinstance(data, dict) else None
    if not isinstance(pid, int):
        return LockHolder(None)
    return LockHolder(pid, str(data.get("started", "")), str(data.get("command", "")))


def _open_lock_file(path: Path) -> TextIO:
    """Open (or make) the lock file itself, never a file a link there points to."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "it is not a plain file")
        return open(fd, "r+", encoding="utf-8")  # closed by the caller
    except BaseException:
        os.close(fd)
        raise


def _try_lock(handle: TextIO) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_holder(handle: TextIO, holder: LockHolder) -> None:
    record = {"pid": holder.pid, "started": holder.started, "command": holder.command}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(record) + "\n")
    handle.flush()
