"""Check a loaded state file's shape, in one place, before anything uses it.

The state is a file anyone with access to the server can edit, and a disk can damage. Every
value the next sync will use is checked here, so that a damaged one gives the clear "the sync
state is damaged" message, naming the value, instead of a crash deep inside a publisher, and
so that the state can never make smwsync remove a file it did not write.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from smwsync.model import Precision
from smwsync.sync.files import TEMPORARY_END, TEMPORARY_MARK

MAX_SEQUENCE = 2**31 - 1  # RFC 5545's largest INTEGER
MAX_COUNT = 10**9
PRECISIONS = frozenset(precision.value for precision in Precision)


class DamagedState(ValueError):
    """A value in the state file is not what smwsync writes there."""


def check_state(data: Any, out: Path | None = None, reserved: Collection[Path] = ()) -> None:
    """Raise DamagedState, naming the value, unless `data` has the shape of a state file.

    With `out`, every output the state names must be a path inside `out`, written by smwsync:
    not absolute, no "..", not one of the `reserved` files (the state, its lock and journal,
    the change log, the status file), not one of smwsync's temporary files.
    """
    top = _mapping(data, "the state")
    for name in ("published", "held_back"):
        if name not in top:
            raise DamagedState(f"{name} is missing")
    check_head(top, out, reserved)
    for event_id, item in _mapping(top["published"], "published").items():
        where = f"published[{event_id!r}]"
        item = _mapping(item, where)
        _text(item.get("hash"), f"{where}.hash")
        _record(item.get("record"), f"{where}.record")
        _whole(item.get("sequence", 0), f"{where}.sequence", MAX_SEQUENCE)
    for event_id, item in _mapping(top.get("cancelled", {}), "cancelled").items():
        where = f"cancelled[{event_id!r}]"
        item = _mapping(item, where)
        _record(item.get("record"), f"{where}.record")
        _whole(item.get("sequence"), f"{where}.sequence", MAX_SEQUENCE)
        _day(item.get("since", ""), f"{where}.since")
    for event_id, item in _mapping(top["held_back"], "held_back").items():
        where = f"held_back[{event_id!r}]"
        item = _mapping(item, where)
        _text(item.get("title"), f"{where}.title")
        _text(item.get("reason"), f"{where}.reason")
    _mapping(top.get("report", {}), "report")


def check_head(data: Any, out: Path | None = None, reserved: Collection[Path] = ()) -> None:
    """Raise DamagedState unless `data` has the shape of a state's head: what a sync of an
    unchanged sheet reads (its time, fingerprint, counts, questions and outputs), checked as
    `check_state` checks them."""
    top = _mapping(data, "the state")
    for name in ("columns", "counts"):
        if name not in top:
            raise DamagedState(f"{name} is missing")
    for key, value in _mapping(top["columns"], "columns").items():
        _text(value, f"columns[{key!r}]")
    for key, value in _mapping(top["counts"], "counts").items():
        _whole(value, f"counts[{key!r}]", MAX_COUNT)
    _time(top.get("synced_at"), "synced_at")
    _text(top.get("fingerprint", ""), "fingerprint")
    outputs = top.get("outputs", [])
    if not isinstance(outputs, list):
        raise DamagedState(f"outputs is {_shown(outputs)}, not a list of file names")
    for name in outputs:
        check_output_name(name, out, reserved)
    for name, digest in _mapping(top.get("output_hashes", {}), "output_hashes").items():
        if name not in outputs:
            raise DamagedState(f"output_hashes names {_shown(name)}, which is not in outputs")
        if not isinstance(digest, str) or re.fullmatch(r"[0-9a-f]{64}", digest) is None:
            raise DamagedState(f"output_hashes[{name!r}] is {_shown(digest)}, not a SHA-256")


def check_output_name(name: Any, out: Path | None, reserved: Collection[Path] = ()) -> None:
    """Raise DamagedState unless `name` is a file smwsync may have published in `out`."""
    where = f"outputs names {_shown(name)}, which"
    if not isinstance(name, str) or not name:
        raise DamagedState(f"{where} is not a file name")
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or "\\" in name
        or "\0" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise DamagedState(f"{where} is not a file inside the out folder")
    if out is not None and (out / path) in set(reserved):
        raise DamagedState(f"{where} is a file smwsync keeps, not one it publishes")
    if TEMPORARY_MARK in path.name and path.name.endswith(TEMPORARY_END):
        raise DamagedState(f"{where} is one of smwsync's temporary files")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise DamagedState(f"{where} is {_shown(value)}, not an object")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DamagedState(f"{where} is {_shown(value)}, not text")
    return value


def _whole(value: Any, where: str, largest: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= largest:
        raise DamagedState(f"{where} is {_shown(value)}, not a whole number from 0 to {largest}")


def _day(value: Any, where: str) -> None:
    if _text(value, where):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise DamagedState(f"{where} is {_shown(value)}, not a date") from None


def _time(value: Any, where: str) -> None:
    if _text(value, where):
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise DamagedState(f"{where} is {_shown(value)}, not a time") from None


def _record(value: Any, where: str) -> None:
    """An event's public fields: text, with a place on Earth and a known precision."""
    record = _mapping(value, where)
    if not set(map(type, record.values())) <= {str}:  # a message only for a damaged one
        for key, text in record.items():
            _text(text, f"{where}.{key}")
    if not isinstance(record.get("id", ""), str):
        raise DamagedState(f"{where}.id is not text")
    for key, limit in (("latitude", 90.0), ("longitude", 180.0)):
        text = record.get(key, "")
        if text:
            try:
                number = float(text)
            except ValueError:
                raise DamagedState(f"{where}.{key} is {_shown(text)}, not a number") from None
            if not math.isfinite(number) or abs(number) > limit:
                raise DamagedState(f"{where}.{key} is {_shown(text)}, off the Earth")
    precision = record.get("precision", "")
    if precision and precision not in PRECISIONS:
        raise DamagedState(f"{where}.precision is {_shown(precision)}, not a known precision")
    _day(record.get("date", ""), f"{where}.date")


def _shown(value: Any) -> str:
    """A value as the message quotes it, cut short (a damaged file may hold anything)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**12:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
