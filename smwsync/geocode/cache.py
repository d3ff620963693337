"""The persistent geocoding cache: every online answer, found or not, kept in one SQLite file.

Keyed by provider and normalised query, with the time it was fetched, so an unchanged sheet
costs no online lookups at all. "Not found" is kept too, and asked again only once it is older
than the configured time. WAL mode and a busy time-out make two processes (a cron sync and an
organiser's `smwsync geocode`) safe together.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from smwsync.errors import GeocodeCacheError
from smwsync.model import Precision

BUSY_TIMEOUT_SECONDS = 10.0
_SCHEMA = """
create table if not exists answers (
    provider text not null,
    query text not null,
    found integer not null,
    latitude real,
    longitude real,
    precision text,
    label text,
    lad_code text,
    fetched_at real not null,
    primary key (provider, query)
)
"""


@dataclass(frozen=True)
class Answer:
    """A place a provider gave for a query; `lad_code` is its council's GSS code when known."""

    latitude: float
    longitude: float
    precision: Precision
    label: str
    lad_code: str = ""


@dataclass(frozen=True)
class Cached:
    """What the cache holds for a query: an answer, or None for "the provider found nothing"."""

    answer: Answer | None
    fetched_at: float


@dataclass(frozen=True)
class ProviderCount:
    """How many answers the cache holds for one provider, found and not found."""

    provider: str
    found: int
    not_found: int
    oldest: float
    newest: float


def normalise(query: str) -> str:
    """The cache key of a query: case-folded, spaces collapsed."""
    return " ".join(query.casefold().split())


class GeocodeCache:
    """Answers by (provider, query) in an SQLite file; use as a context manager."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            self._db.execute("pragma journal_mode=wal")
            self._db.execute("pragma synchronous=normal")
            self._db.execute(_SCHEMA)
        except (sqlite3.Error, OSError) as err:
            raise GeocodeCacheError(
                f"Cannot open the geocoding cache {path}: {err}. Check the [geocode] cache path, "
                "or delete the file to start an empty cache."
            ) from err

    def __enter__(self) -> GeocodeCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database file."""
        self._db.close()

    def get(self, provider: str, query: str, retry_not_found_after: float) -> Cached | None:
        """The cached answer, or None when there is none or a "not found" is old enough to retry."""
        row = self._run(
            "select found, latitude, longitude, precision, label, lad_code, fetched_at "
            "from answers where provider = ? and query = ?",
            (provider, normalise(query)),
        ).fetchone()
        if row is None:
            return None
        found, latitude, longitude, precision, label, lad_code, fetched_at = row
        if not found:
            if self.clock() - fetched_at >= retry_not_found_after:
                return None
            return Cached(None, fetched_at)
        answer = Answer(latitude, longitude, Precision(precision), label, lad_code or "")
        return Cached(answer, fetched_at)

    def put(self, provider: str, query: str, answer: Answer | None) -> None:
        """Remember a provider's answer (None: it found nothing) with the time now."""
        self.put_many(provider, [(query, answer)])

    def put_many(self, provider: str, answers: Iterable[tuple[str, Answer | None]]) -> None:
        """Remember several answers from one provider in one transaction."""
        now = self.clock()
        rows = [(provider, normalise(query), *_columns(answer), now) for query, answer in answers]
        try:
            with self._db:
                self._db.execute("begin immediate")
                self._db.executemany(
                    "insert or replace into answers values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
        except sqlite3.Error as err:
            raise GeocodeCacheError(
                f"Cannot write to the geocoding cache {self.path}: {err}."
            ) from err

    def counts(self) -> list[ProviderCount]:
        """Per provider: answers found, answers not found, oldest and newest fetch times."""
        rows = self._run(
            "select provider, sum(found), sum(1 - found), min(fetched_at), max(fetched_at) "
            "from answers group by provider order by provider",
            (),
        ).fetchall()
        return [ProviderCount(*row) for row in rows]

    def clear(self, provider: str = "") -> int:
        """Forget every answer (or only one provider's); return how many were forgotten."""
        where, params = ("where provider = ?", (provider,)) if provider else ("", ())
        with self._db:
            return self._run(f"delete from answers {where}", params).rowcount

    def _run(self, sql: str, params: tuple[object, ...]) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as err:
            raise GeocodeCacheError(
                f"Cannot read the geocoding cache {self.path}: {err}. "
                "Delete the file (`smwsync cache clear`) to start an empty cache."
            ) from err


def _columns(answer: Answer | None) -> tuple[object, ...]:
    if answer is None:
        return (0, None, None, None, None, None)
    return (
        1,
        answer.latitude,
        answer.longitude,
        answer.precision.value,
        answer.label,
        answer.lad_code,
    )
