"""What a monitor reads: `status.json` (last attempt, last success, counts, last error).

The status file is rewritten on every sync that gets the lock, changed or not: its
`last_attempt` is the heartbeat that shows cron is still running smwsync. A failed sync keeps
the last success's time and counts, so the file always says how stale the map is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from smwsync.errors import SmwsyncError, StateError
from smwsync.sync.files import write_atomically
from smwsync.sync.state import time_text

PUBLISHED = "published"
NO_CHANGES = "no changes"
HELD_BACK = "held back"
FAILED = "failed"


def read_status(path: Path) -> dict[str, Any]:
    """The status file's contents; empty when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def success_status(
    path: Path, *, time: str, result: str, counts: Mapping[str, int], changes: str
) -> bytes:
    """The status file's bytes after a sync that published (or found nothing to publish): to
    be written with the rest of the sync's files, in the same commit."""
    status = read_status(path)
    status.update(
        last_attempt=time,
        result=result,
        exit_code=0,
        last_success=time,
        counts=dict(counts),
        changes=changes,
    )
    return status_bytes(status)


def record_success(
    path: Path, *, time: str, result: str, counts: Mapping[str, int], changes: str
) -> None:
    """Record a sync that published (or found nothing to publish)."""
    write_atomically(
        path, success_status(path, time=time, result=result, counts=counts, changes=changes)
    )


def record_failure(path: Path, *, time: str, error: BaseException) -> None:
    """Record a sync that failed or was held back; keep the last success as it was.

    On a full disk, where no temporary copy can be made, the file is rewritten in place: a
    monitor must learn that the sync failed, and the record is small enough to fit where the
    last one was.
    """
    exit_code = error.exit_code if isinstance(error, SmwsyncError) else 1
    result = HELD_BACK if exit_code == 3 else FAILED
    status = read_status(path)
    status.update(
        last_attempt=time,
        result=result,
        exit_code=exit_code,
        last_error={"time": time, "exit_code": exit_code, "message": str(error)},
    )
    status.setdefault("last_success", None)
    data = status_bytes(status)
    try:
        write_atomically(path, data)
    except SmwsyncError:
        _overwrite_in_place(path, data)


def record_emails(path: Path, emails: Mapping[str, Any]) -> None:
    """Add what the emails after a sync did (sent, failed, waiting, error) to the status."""
    status = read_status(path)
    status["emails"] = dict(emails)
    write_atomically(path, status_bytes(status))


def status_bytes(status: Mapping[str, Any]) -> bytes:
    """The status file's bytes: sorted, indented JSON."""
    ordered = {key: status[key] for key in sorted(status)}
    return (json.dumps(ordered, indent=2, ensure_ascii=False) + "\n").encode()


def _overwrite_in_place(path: Path, data: bytes) -> None:
    """Rewrite an existing status file in place, which needs no free space for a copy."""
    try:
        # Written first, then cut to length: a kill in between never leaves an empty file.
        with path.open("r+b") as handle:
            handle.write(data)
            handle.flush()
            handle.truncate(len(data))
            os.fsync(handle.fileno())
    except OSError as err:
        raise StateError(f"Could not write the status file {path}: {err.strerror}.") from err


def append_to_log(path: Path, time: str, lines: list[str]) -> None:
    """Add a sync's summary (or error) to a plain-text log file, each line stamped with `time`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.writelines(f"{time} {line}\n" for line in lines)
    except OSError as err:
        raise StateError(f"Could not write the log file {path}: {err.strerror}.") from err


@contextlib.contextmanager
def recording_failure(path: Path, clock: Callable[[], dt.datetime]) -> Iterator[None]:
    """Record in the status file any error that ends the `with` block, then let it go on."""
    try:
        yield
    except Exception as error:
        try:
            record_failure(path, time=time_text(clock), error=error)
        except SmwsyncError as unrecorded:
            error.add_note(f"The status file could not say so either: {unrecorded}")
        raise
