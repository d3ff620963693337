"""The delivery record: which news each entry was last sent, so no email goes out twice.

An SQLite file beside the sync's state. A message is recorded as "sending" (committed to disk)
before it is handed to the relay and as "sent" after, so a sync killed between the two never
sends it again: it counts as sent (at most once, never twice). It holds entry ids, signatures
and counts, never an email address.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from smwsync.errors import StateError

SENDING = "sending"
SENT = "sent"
FAILED = "failed"
SCHEMA = """
CREATE TABLE IF NOT EXISTS delivery (
    entry TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    problems TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Delivery:
    """What the record says of one entry's last news."""

    signature: str
    problems: tuple[str, ...]
    status: str
    attempts: int
    error: str = ""

    @property
    def told(self) -> bool:
        """True when this news was sent (or may have been: a sync stopped while sending)."""
        return self.status in (SENT, SENDING)


class Ledger:
    """The delivery record of one campaign. Use as a context manager; every change commits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as err:
            raise StateError(
                f"Cannot open the email delivery record {path} ({err}): if it is damaged, move "
                "it away; smwsync then emails each member of staff about their entry once more."
            ) from err

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def get(self, entry: str) -> Delivery | None:
        """The last news recorded for `entry`, or None if it was never emailed."""
        row = self._db.execute(
            "SELECT signature, problems, status, attempts, error FROM delivery WHERE entry = ?",
            (entry,),
        ).fetchone()
        if row is None:
            return None
        return Delivery(row[0], tuple(json.loads(row[1])), row[2], row[3], row[4])

    def record(
        self,
        entry: str,
        signature: str,
        problems: tuple[str, ...],
        status: str,
        *,
        attempts: int,
        now: dt.datetime,
        error: str = "",
    ) -> None:
        """Record the news of `entry` and where its email stands; on disk when this returns."""
        self._db.execute(
            "INSERT INTO delivery VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(entry) DO UPDATE SET "
            "signature = excluded.signature, problems = excluded.problems, "
            "status = excluded.status, attempts = excluded.attempts, error = excluded.error, "
            "updated = excluded.updated",
            (
                entry,
                signature,
                json.dumps(list(problems)),
                status,
                attempts,
                error,
                now.isoformat(),
            ),
        )

    def failed(self) -> dict[str, Delivery]:
        """Every entry whose last email failed, by entry."""
        rows = self._db.execute(
            "SELECT entry, signature, problems, status, attempts, error FROM delivery "
            "WHERE status = ? ORDER BY entry",
            (FAILED,),
        ).fetchall()
        return {r[0]: Delivery(r[1], tuple(json.loads(r[2])), r[3], r[4], r[5]) for r in rows}

    def more_to_do(self) -> bool:
        """True when the last run left emails to send or retry."""
        row = self._db.execute("SELECT value FROM run WHERE key = 'more_to_do'").fetchone()
        return row is not None and row[0] == "yes"

    def set_more_to_do(self, more: bool) -> None:
        """Say whether the next run has emails to send or retry."""
        self._db.execute(
            "INSERT INTO run VALUES ('more_to_do', ?) ON CONFLICT(key) DO UPDATE SET "
            "value = excluded.value",
            ("yes" if more else "no",),
        )
