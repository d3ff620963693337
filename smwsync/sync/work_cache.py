"""The work cache: what the last sync worked out, kept for the next one (smwsync/memo.py).

An SQLite file beside the configuration (`[publish] work_cache`), never in `out`: it holds
the cleaned answers, email addresses included, as the sheet does, so it is readable by its
owner only and its deleted rows are overwritten. It is a cache and nothing more: a missing,
damaged or out-of-date one costs a sync the time to do everything again, never a different
file. A sync reads a kept result when it asks for it (with the few the last sync kept after
it), writes what it makes in batches as it goes, and at the end deletes what it did not ask
for: it holds no more of the cache than it is using, and a sync where one answer changed
writes a few rows, not the whole cache.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import sys
import unicodedata
import zlib
import zoneinfo
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import smwsync
from smwsync.config import DEFAULT_CONFIG, Settings, work_cache_name
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
# Results read ahead at a time (more while they are used), and made ones written at a time.
_FIRST_WINDOW, _LEAST_WINDOW, _MOST_WINDOW = 32, 8, 1024
_EXPECTED = 500  # keys said to be asked for next, read at a time (SQLite takes 999 at most)
_BATCH, _BATCH_BYTES = 512, 1 << 20
_UNREAD = object()  # a key not read ahead
# The highest row number a kept table may reach, in rows kept and spare (the rows a sync
# deletes leave gaps: years of syncs); past it the table is made afresh, like another version's.
_ROWIDS_PER_ROW, _ROWIDS_SPARE = 4, 1 << 20


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
                "its own, or leave the setting out for the default (named after the "
                'configuration file: ".smwsync-work.sqlite" beside smwsync.toml).'
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


class WorkCache:
    """The work cache file, open for one sync: the `Kept` of its `memo`.

    A result is read when it is asked for, with the results the last sync kept after it (a
    sync asks for its work in much the order the last one made it: the sheet's rows, then each
    output's events), so reading the cache is a few queries, not one a result, and never the
    whole file at once. A result made is written in a batch with the next few. Everything
    happens in one transaction, ended by `save` (which first deletes what this sync did not
    ask for) or, for a sync that fails or is killed, rolled back: the file is then what the
    last saved sync left.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.memo = Memo(self, salt=salt())
        self._db: sqlite3.Connection | None = None
        self._problem = ""  # why the cache is not used, said when the sync would save it
        # Rows read ahead, by key (None: a key expected but not kept).
        self._window: dict[str, tuple[int, str, int, int] | None] = {}
        self._expected: Iterator[str] | None = None
        self._window_size = _FIRST_WINDOW
        self._window_hits = 0
        self._unwritten: dict[str, Any] = {}  # made, written with the next batch
        self._unwritten_size = 0
        self._asked = bytearray()  # 1 for each kept row (by rowid) this sync asked for
        self._first_made = 1  # rows from this rowid on were made by this sync
        self._next = 1
        if path is None:
            return
        try:
            if path.is_file() and not _ours(path):
                raise ValueError("it is not a work cache; is [publish] work_cache another file?")
            self._begin(path)
        except (sqlite3.Error, OSError, ValueError) as err:
            self._give_up(err)

    def find(self, key: str) -> Any | None:
        """The kept result for `key`, or None (none, or a damaged row: made again)."""
        if self._db is None:
            return None
        made = self._unwritten.get(key)
        if made is not None:
            return made
        try:
            row = self._window.get(key, _UNREAD)
            if row is _UNREAD and self._expected is not None:
                self._read_expected()
                row = self._window.get(key, _UNREAD)
            if row is _UNREAD:
                row = self._db.execute(
                    "select rowid, value, json, crc from work where key = ?", (key,)
                ).fetchone()
                if row is not None:
                    self._read_after(row[0])
            else:
                self._window_hits += 1
        except sqlite3.Error as err:
            self._damaged(err)
            return None
        if row is None:
            return None
        rowid, text, is_json, crc = row
        value = _value(text, is_json, crc)
        if value is not None and rowid < self._first_made:
            self._asked[rowid] = 1
        return value

    def keep(self, key: str, value: Any) -> None:
        """Keep `value` for `key`: written with the next batch of results made."""
        if self._db is None:
            return
        self._window.pop(key, None)  # read as missing or damaged: this is what it is now
        self._unwritten[key] = value
        self._unwritten_size += len(value) if isinstance(value, str) else _BATCH_BYTES // 64
        if len(self._unwritten) >= _BATCH or self._unwritten_size >= _BATCH_BYTES:
            try:
                self._write()
            except sqlite3.Error as err:
                self._damaged(err)

    def keeps(self) -> bool:
        """True while the file is open: what is made now is kept for the next sync."""
        return self._db is not None

    def expect(self, keys: Iterable[str]) -> None:
        """The keys this sync will ask for next, in that order (the sheet's answers): read a
        batch at a time as they are asked for, whatever order the last sync kept them in."""
        self._expected = iter(keys)

    def save(self) -> str:
        """Keep what this sync asked for and made, and nothing else, for the next sync.
        Returns "" or, when it could not, a notice that the next sync will take longer (the
        map is published either way)."""
        if self._db is None:
            return self._notice()
        try:
            self._write()
            unasked = array("q")  # rowids, a few bytes each even if none was asked for
            kept = self._db.execute("select rowid from work indexed by sqlite_autoindex_work_1")
            for (rowid,) in kept:
                if rowid < self._first_made and not self._asked[rowid]:
                    unasked.append(rowid)
            self._db.executemany("delete from work where rowid = ?", ((r,) for r in unasked))
            self._db.execute("commit")
        except sqlite3.Error as err:
            self._give_up(err)
            if self.path is not None and _is_damaged(err):
                with contextlib.suppress(OSError):
                    if _ours(self.path):
                        self.path.unlink()  # made afresh by the next sync
            return self._notice()
        finally:
            self.close()
        return ""

    def close(self) -> None:
        """Close the file; what was not saved is rolled back."""
        db, self._db = self._db, None
        self._window.clear()
        self._expected = None
        self._unwritten.clear()
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()  # rolls back a transaction not committed

    def __enter__(self) -> WorkCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _begin(self, path: Path) -> None:
        _owner_only(path)  # made owner-only before SQLite opens it; its journal takes the same
        try:
            self._open(path)
        except sqlite3.DatabaseError as err:
            if not _is_damaged(err):
                raise
            self.close()
            path.unlink()  # a damaged work cache: made afresh
            _owner_only(path)
            self._open(path)

    def _open(self, path: Path) -> None:
        self._db = db = sqlite3.connect(path, isolation_level=None)
        db.execute("pragma secure_delete = on")  # a deleted answer's text is overwritten
        db.execute("begin immediate")
        for statement in _SCHEMA:
            db.execute(statement)
        about = dict(db.execute("select name, value from about"))
        if about.get("salt") != self.memo.salt or about.get("format") != FORMAT or _far_apart(db):
            db.execute("drop table work")  # another version's results, in any form
            db.execute(_WORK)
            db.executemany(
                "insert or replace into about (name, value) values (?, ?)",
                (("salt", self.memo.salt), ("format", FORMAT)),
            )
        last = db.execute("select max(rowid) from work").fetchone()[0] or 0
        self._first_made = self._next = last + 1
        self._asked = bytearray(last + 1)

    def _read_after(self, rowid: int) -> None:
        """Read ahead the rows after `rowid`: more of them while what was read is used."""
        assert self._db is not None
        if self._window_hits * 2 >= len(self._window):
            self._window_size = min(_MOST_WINDOW, self._window_size * 2)
        else:
            self._window_size = max(_LEAST_WINDOW, self._window_size // 4)
        rows = self._db.execute(
            "select rowid, key, value, json, crc from work where rowid > ? and rowid <= ?",
            (rowid, rowid + self._window_size),
        )
        self._window = {key: (at, text, is_json, crc) for at, key, text, is_json, crc in rows}
        self._window_hits = 0

    def _read_expected(self) -> None:
        """Read the next batch of the keys this sync said it would ask for."""
        assert self._db is not None and self._expected is not None
        keys = list(itertools.islice(self._expected, _EXPECTED))
        if not keys:
            self._expected = None
            return
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"select rowid, key, value, json, crc from work where key in ({marks})", keys
        )
        window: dict[str, tuple[int, str, int, int] | None] = dict.fromkeys(keys)
        for at, key, text, is_json, crc in rows:
            window[key] = (at, text, is_json, crc)
        self._window = window
        self._window_hits = 0

    def _write(self) -> None:
        assert self._db is not None
        rows = [
            (self._next + offset, *_row(key, value))
            for offset, (key, value) in enumerate(self._unwritten.items())
        ]
        self._db.executemany(
            "insert or replace into work (rowid, key, value, json, crc) values (?, ?, ?, ?, ?)",
            rows,
        )
        self._next += len(rows)
        self._unwritten.clear()
        self._unwritten_size = 0

    def _damaged(self, err: sqlite3.Error) -> None:
        """A failure in the middle of a sync: a damaged file is made afresh, for what is made
        from now on; otherwise the cache is not used for the rest of the sync."""
        self.close()
        path = self.path
        problem: Exception = err
        try:
            if path is not None and _is_damaged(err) and _ours(path):
                path.unlink()
                self._begin(path)
                return
        except (sqlite3.Error, OSError) as again:
            problem = again
        self._give_up(problem)

    def _give_up(self, err: Exception) -> None:
        self.close()
        self._problem = str(err)

    def _notice(self) -> str:
        if not self._problem:
            return ""
        return (
            f"Could not keep this sync's work in {self.path} ({self._problem}): the next sync "
            "will clean and render every answer again."
        )


# The one name every configuration's work cache had before each was named after its file.
EARLIER_NAME = ".smwsync-work.sqlite"


def remove_left_behind(settings: Settings) -> str:
    """Delete the work cache an earlier smwsync kept for this configuration under the name
    all configurations shared, now that this one keeps its own (`work_cache_name`): it holds
    the answers, and nothing would ever read it again. Only a file that is a work cache, and
    only when no smwsync.toml beside it may still use it. What was done, for the summary."""
    config = settings.config_path
    if config is None:
        return ""
    folder = config.resolve().parent
    old = folder / EARLIER_NAME
    if (
        settings.publish.work_cache != folder / work_cache_name(config)
        or work_cache_name(config) == EARLIER_NAME
        or (folder / DEFAULT_CONFIG.name).exists()
        or not old.is_file()
        or not _is_work_cache(old)
    ):
        return ""
    try:
        old.unlink()
    except OSError:
        return ""
    return (
        f"Removed {old}: the work cache an earlier smwsync kept for this configuration, "
        f"which now keeps its own in {settings.publish.work_cache.name}."
    )


def _is_work_cache(path: Path) -> bool:
    """True for an SQLite file holding a work cache's tables, and nothing else."""
    try:
        with path.open("rb") as file:
            if file.read(len(SQLITE_START)) != SQLITE_START:
                return False
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            tables = {name for (name,) in db.execute("select name from sqlite_master")}
    except (OSError, sqlite3.Error):
        return False
    return {"work", "about"} <= tables


def open_work(path: Path | None) -> WorkCache:
    """The work cache at `path` (None: the cache is off), open for one sync; its `memo` is
    empty when there is none, it cannot be read, or another version of smwsync made it."""
    return WorkCache(path)


def _is_damaged(err: sqlite3.Error) -> bool:
    """True for SQLite's word that a file is not a database, or a damaged one."""
    return err.sqlite_errorcode in _DAMAGED


def _far_apart(db: sqlite3.Connection) -> bool:
    """True when the rows are not numbered from 1 up, one after another but for the rows
    since deleted, as syncs number them (a hand-edited or foreign table): a sync marks each
    row it asks for in a byte by its number, and 2**40 of them would not fit in memory."""
    count, first, last = db.execute("select count(*), min(rowid), max(rowid) from work").fetchone()
    return count > 0 and (first < 1 or last > _ROWIDS_PER_ROW * count + _ROWIDS_SPARE)


def _value(text: str, is_json: int, crc: int) -> Any | None:
    """A kept row's value; None for a damaged one (bytes among them), which is made again."""
    if not isinstance(text, str) or _crc(text) != crc:
        return None
    if not is_json:
        return text
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


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


def _row(key: str, value: Any) -> tuple[str, str, int, int]:
    if isinstance(value, str):
        return key, value, 0, _crc(value)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return key, text, 1, _crc(text)


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))
