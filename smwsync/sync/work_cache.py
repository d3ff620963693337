"""The work cache: what the last sync worked out, kept for the next one (smwsync/memo.py).

An SQLite file beside the configuration (`[publish] work_cache`), never in `out`: it holds
the cleaned answers, email addresses included, as the sheet does, so it is readable by its
owner only and its deleted rows are overwritten. It is a cache and nothing more: a missing,
damaged or out-of-date one costs a sync the time to do everything again, never a different
file. A sync reads every kept result's text in one query, decodes only what it asks for, and
afterwards adds what it made and deletes what it did not ask for: a sync where one answer
changed writes a few rows, not the whole cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import unicodedata
import zlib
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import smwsync
from smwsync.config import Settings
from smwsync.errors import ConfigError
from smwsync.memo import Memo
from smwsync.sync.fingerprint import OUTPUT_LIBRARIES, code_stamp, library_stamp

FORMAT = "2"
SQLITE_START = b"SQLite format 3\x00"
# SQLite's codes for a file that is not a database, or a damaged one.
_DAMAGED = {sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT}
# A text result (a rendered piece) is kept as it is, any other as JSON (`json` = 1); `crc` is
# a checksum of the value, so a row damaged on the disk is made again, never published.
_WORK = (
    "create table if not exists work "
    "(key text primary key, value text not null, json int not null, crc int not null)"
)
_SCHEMA = (_WORK, "create table if not exists about (name text primary key, value text not null)")


def work_cache_path(settings: Settings) -> Path | None:
    """Where the settings keep the work cache: beside the configuration file (settings made in
    code: beside the out folder); None when it is off. Raises ConfigError when that is inside
    `out`, which is published, or is a file smwsync reads or keeps for something else."""
    publish = settings.publish
    if publish.work_cache is None:
        return None
    path = publish.out.parent / publish.work_cache
    out = publish.out.resolve()
    if path.resolve() == out or path.resolve().is_relative_to(out):
        raise ConfigError(
            f"[publish] work_cache = {path} is inside the out folder {publish.out}, which is "
            "published, and the work cache holds the answers: keep it beside the configuration "
            "file (the default)."
        )
    others = {
        "the configuration file": settings.config_path,
        "[source] csv": settings.source.csv,
        "[source] credentials": settings.source.credentials,
        "[publish] id_secret": publish.out.parent / publish.id_secret,
        "[geocode] cache": settings.geocode.cache,
        "[geocode] codepoint": settings.geocode.codepoint,
        "[notify] ledger": settings.notify.ledger,
        "[notify] unsubscribed": settings.notify.unsubscribed,
    }
    for what, other in others.items():
        if other is not None and Path(other).resolve() == path.resolve():
            raise ConfigError(
                f"[publish] work_cache = {path} is also {what}: give the work cache a file of "
                'its own (the default is ".smwsync-work.sqlite").'
            )
    return path


def salt() -> str:
    """What every kept result depends on: smwsync's version and files, the libraries that
    write the outputs, and Python's own rules for text and time (its version, its Unicode
    tables, the time zone database). A change to any of them makes the whole cache unusable."""
    stamp = [
        smwsync.__version__,
        code_stamp(),
        library_stamp(OUTPUT_LIBRARIES),
        sys.version,
        unicodedata.unidata_version,
        time_zone_rules(),
    ]
    return json.dumps(stamp, default=str)


def time_zone_rules() -> str:
    """The version of the time zone database zoneinfo reads (the system's, else tzdata's)."""
    for folder in zoneinfo.TZPATH:
        try:
            with open(os.path.join(folder, "tzdata.zi"), encoding="utf-8") as file:
                return file.readline().strip()
        except OSError:
            continue
    try:
        import tzdata  # the package zoneinfo falls back to

        return str(tzdata.IANA_VERSION)
    except ImportError:
        return ""


class _Kept(Mapping[str, Any]):
    """The kept results by key: texts as they are, others as JSON decoded when asked for."""

    def __init__(self, rows: Iterable[tuple[str, str, int, int]]) -> None:
        self._texts: dict[str, str] = {}
        self._json: dict[str, str] = {}
        self._crc: dict[str, int] = {}
        for key, value, is_json, crc in rows:
            (self._json if is_json else self._texts)[key] = value
            self._crc[key] = crc

    def _whole(self, key: str, value: str) -> bool:
        return _crc(value) == self._crc[key]

    def __getitem__(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        text = self._texts.get(key)
        if text is not None:
            return text if self._whole(key, text) else default
        kept = self._json.get(key)
        if kept is None or not self._whole(key, kept):
            return default  # a damaged row: made again
        try:
            return json.loads(kept)
        except (ValueError, RecursionError):
            return default

    def __contains__(self, key: object) -> bool:
        return key in self._texts or key in self._json

    def __iter__(self) -> Iterator[str]:
        yield from self._texts
        yield from self._json

    def __len__(self) -> int:
        return len(self._texts) + len(self._json)


def load_work(path: Path | None) -> Memo:
    """The work the last sync kept at `path`: an empty memo when there is none, it cannot be
    read, or it was made by another version of smwsync (or the cache is off: None)."""
    current = salt()
    if path is None or not path.is_file():
        return Memo(salt=current)
    try:
        with _opened(path) as db:
            row = db.execute("select value from about where name = 'salt'").fetchone()
            made_by = db.execute("select value from about where name = 'format'").fetchone()
            if row is None or row[0] != current or made_by is None or made_by[0] != FORMAT:
                return Memo(salt=current)
            kept = _Kept(db.execute("select key, value, json, crc from work"))
    except (sqlite3.Error, OSError):
        return Memo(salt=current)
    return Memo(kept, salt=current)


def save_work(path: Path | None, memo: Memo) -> str:
    """Keep what `memo` was asked for at `path` for the next sync: add what it made, delete
    what it did not ask for. Returns "" or, when it could not, a notice that the next sync
    will take longer (the map is published either way). None: the cache is off."""
    if path is None:
        return ""
    try:
        if path.is_file() and not _ours(path):
            raise ValueError("it is not a work cache; is [publish] work_cache another file?")
        _owner_only(path)
        try:
            _save(path, memo)
        except sqlite3.DatabaseError as err:
            if err.sqlite_errorcode not in _DAMAGED or not _ours(path):
                raise
            path.unlink()  # a damaged work cache: made afresh
            _save(path, memo)  # a new file: everything asked for is written
    except (sqlite3.Error, OSError, ValueError) as err:
        return (
            f"Could not keep this sync's work in {path} ({err}): the next sync will clean and "
            "render every answer again."
        )
    return ""


def _owner_only(path: Path) -> None:
    """Make the file (a new one, or one copied or restored with other permissions) readable
    by its owner only; refuse a link or a file that is not this user's."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        if os.fstat(fd).st_uid != os.getuid():
            raise OSError(f"{path} belongs to another user")
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _ours(path: Path) -> bool:
    """True for an empty file or one that starts as SQLite files do: never another file."""
    with path.open("rb") as file:
        start = file.read(len(SQLITE_START))
    return start in (b"", SQLITE_START)


def _save(path: Path, memo: Memo) -> None:
    if not path.is_file():
        # Made owner-only before SQLite opens it; its journal takes the same permissions.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600))
    with _opened(path) as db:
        about = dict(db.execute("select name, value from about"))
        db.execute("begin")
        if about.get("salt") != memo.salt or about.get("format") != FORMAT:
            db.execute("drop table work")  # another version's results, in any form
            db.execute(_WORK)
            made = memo.used()
        else:
            db.executemany("delete from work where key = ?", ((key,) for key in memo.unused()))
            made = memo.made_now()
        db.executemany(
            "insert or replace into work (key, value, json, crc) values (?, ?, ?, ?)",
            (_row(key, value) for key, value in made.items()),
        )
        db.executemany(
            "insert or replace into about (name, value) values (?, ?)",
            (("salt", memo.salt), ("format", FORMAT)),
        )
        db.execute("commit")


def _row(key: str, value: Any) -> tuple[str, str, int, int]:
    if isinstance(value, str):
        return key, value, 0, _crc(value)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return key, text, 1, _crc(text)


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("pragma secure_delete = on")  # a deleted answer's text is overwritten
        for statement in _SCHEMA:
            db.execute(statement)
        yield db
    finally:
        db.close()
