"""A fingerprint of everything a sync's files depend on, so an unchanged sheet costs a read.

Cron runs a sync every few minutes, and most of those runs find nothing new. The fingerprint
covers what was read (a download's bytes, with the encoding and worksheet it is read with; or,
from the live sheet, every cell of the response tab and of the events tab written back to),
the settings, today's date (past events leave the map, calendars drop cancellations after 30
days, cached "not found" answers fall due), smwsync's own version and files (an upgrade
re-runs, and so does one of the libraries that write the files), and the Code-Point index.
When it matches the last sync's and that sync's files are all as it left them, the sync stops
after the read, without parsing it: nothing it could write would differ. Being per day, it
lets a cached "not found" answer that falls due during the day wait for the next day's first
sync.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import smwsync
from smwsync.config import Settings
from smwsync.model import Table
from smwsync.sources.download import Download

if TYPE_CHECKING:
    from smwsync.google.sheet import ResponseTab

PACKAGE = Path(smwsync.__file__).resolve().parent
# Libraries whose upgrade can change the bytes of an output.
OUTPUT_LIBRARIES = ("lxml", "icalendar")
# Raised when what the fingerprint covers, or how, changes: every state's fingerprint is old.
SCHEME = 2


def input_fingerprint(
    settings: Settings, read: Download | Table | ResponseTab, today: dt.date | None
) -> str:
    """A hash of everything the outputs of a sync of `read` depend on."""
    parts: dict[str, Any] = {
        "scheme": SCHEME,
        "smwsync": smwsync.__version__,
        "libraries": library_stamp(OUTPUT_LIBRARIES),
        "code": code_stamp(),
        "settings": repr(replace(settings, today=None)),
        "today": today.isoformat() if today else "",
        "read": read_stamp(read),
        "codepoint": _stamp(settings.geocode.codepoint),
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_stamp(read: Download | Table | ResponseTab) -> Any:
    """What was read: a download by its bytes (never parsed here), a sheet by its cells."""
    if isinstance(read, Download):
        digest = hashlib.sha256(read.data).hexdigest()
        return ["download", read.path.name, read.encoding, read.worksheet, digest]
    table = read if isinstance(read, Table) else read.table
    cells = [table.name, table.locale, table.timezone, table.headers, table.rows]
    return ["table", cells, None if isinstance(read, Table) else read.other_tab]


def code_stamp() -> list[tuple[str, int, int]]:
    """Name, size and modification time of every file of smwsync itself, data included."""
    stamps: list[tuple[str, int, int]] = []
    start = len(str(PACKAGE)) + 1
    folders = [str(PACKAGE)]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    folders.append(entry.path)
            else:  # code, data, the live map's page, script and style: any can change a file
                name = entry.path[start:].replace(os.sep, "/")
                try:
                    stat = entry.stat()
                    stamps.append((name, stat.st_size, stat.st_mtime_ns))
                except OSError:
                    stamps.append((name, -1, -1))
    return sorted(stamps)


def library_stamp(names: Iterable[str]) -> list[str]:
    """The installed distributions ("lxml-6.1.3.dist-info") of the libraries `names`, as
    found on the import path: an upgrade renames them. Read from the folders' listings, not
    with importlib.metadata, which takes longer to load than a no-op sync has."""
    wanted = {name.lower().replace("-", "_") for name in names}
    found = set()
    for folder in dict.fromkeys(sys.path):
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        found.update(
            entry
            for entry in entries
            if entry.endswith((".dist-info", ".egg-info"))
            and entry.partition("-")[0].lower().replace(".", "_") in wanted
        )
    return sorted(found)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)
