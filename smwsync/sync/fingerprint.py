"""A fingerprint of everything a sync's files depend on, so an unchanged sheet costs a read.

Cron runs a sync every few minutes, and most of those runs find nothing new. The fingerprint
covers the answers as read (every cell of the response tab, and of the events tab written back
to), the settings, today's date (past events leave the map, calendars drop cancellations after
30 days, cached "not found" answers fall due), smwsync's own version and files (an upgrade
re-runs, and so does one of the libraries that write the files), and the Code-Point index.
When it matches the last sync's and that sync's files are all as it left them, the sync stops
after the read: nothing it could write would differ. Being per day, it lets a cached "not
found" answer that falls due during the day wait for the next day's first sync.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import smwsync
from smwsync.config import Settings
from smwsync.model import Table

if TYPE_CHECKING:
    from smwsync.google.sheet import ResponseTab

PACKAGE = Path(smwsync.__file__).resolve().parent
# Libraries whose upgrade can change the bytes of an output.
OUTPUT_LIBRARIES = ("lxml", "icalendar")


def input_fingerprint(settings: Settings, read: Table | ResponseTab, today: dt.date | None) -> str:
    """A hash of everything the outputs of a sync of `read` depend on."""
    table = read if isinstance(read, Table) else read.table
    parts: dict[str, Any] = {
        "smwsync": smwsync.__version__,
        "libraries": library_stamp(),
        "code": code_stamp(),
        "settings": repr(replace(settings, today=None)),
        "today": today.isoformat() if today else "",
        "table": [table.name, table.locale, table.timezone, table.headers, table.rows],
        "events_tab": None if isinstance(read, Table) else read.other_tab,
        "codepoint": _stamp(settings.geocode.codepoint),
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def code_stamp() -> list[tuple[str, int, int]]:
    """Name, size and modification time of every file of smwsync itself, data included."""
    return [
        (str(path.relative_to(PACKAGE)), *_stamp(path))
        for path in sorted(PACKAGE.rglob("*"))
        if path.suffix in (".py", ".csv", ".html") and "__pycache__" not in path.parts
    ]


def library_stamp() -> list[str]:
    """The versions of the libraries that write the outputs."""
    return [_version(name) for name in OUTPUT_LIBRARIES]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)
