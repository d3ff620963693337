"""What a monitor reads: `status.json` (last attempt, last success, counts, last error).

The status file is rewritten on every sync that gets the lock, changed or not: its
`last_attempt` is the heartbeat that shows cron is still running smwsync. A failed sync keeps
the last success's time and counts, so the file always says how stale the map is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
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


def record_success(
    path: Path, *, time: str, result: str, counts: Mapping[str, int], changes: str
) -> None:
    """Record a sync that published (or found nothing to publish)."""
    status = read_status(path)
    status.update(
        last_attempt=time,
        result=result,
        exit_code=0,
        last_success=time,
        counts=dict(counts),
        changes=changes,
    )
    _write(path, status)


def record_failure(path: Path, *, time: str, error: BaseException) -> None:
    """Record a sync that failed or was held back; keep the last success as it was."""
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
    _write(path, status)


def record_emails(path: Path, emails: Mapping[str, Any]) -> None:
    """Add what the emails after a sync did (sent, failed, waiting, error) to the status."""
    status = read_status(path)
    status["emails"] = dict(emails)
    _write(path, status)


def _write(path: Path, status: Mapping[str, Any]) -> None:
    ordered = {key: status[key] for key in sorted(status)}
    write_atomically(path, (json.dumps(ordered, indent=2, ensure_ascii=False) + "\n").encode())


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
        with contextlib.suppress(SmwsyncError):
            record_failure(path, time=time_text(clock), error=error)
        raise
