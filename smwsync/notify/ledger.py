"""The delivery record: which news each entry was last sent, so no email goes out twice.

An SQLite file beside the configuration (not in `out`, which people delete and publish). A
message is recorded as "sending" (on disk) before it is handed to the relay and as "sent" after
the relay took it. A sync killed between the two, or a connection lost while the relay was
taking the message, leaves it "sending": it may have gone, so it is never sent again (at most
once), and the organisers' digest says so once. The record holds entry ids, signatures, counts
and a digest of each address (to cap how many emails one address gets a day), never an address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from smwsync.errors import StateError

SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNCERTAIN = "uncertain"  # was "sending" when a sync stopped: reported once, never resent
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
CREATE TABLE IF NOT EXISTS sent_to (address TEXT NOT NULL, day TEXT NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (address, day));
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
        """True when this news was sent, or may have been (never to be sent again)."""
        return self.status in (SENT, SENDING, UNCERTAIN)


class Ledger:
    """The delivery record of one campaign. Use as a context manager; every change commits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as err:
            raise StateError(
                f"Cannot open the email delivery record {path} ({err}). Keep it: without it "
                "smwsync would email each member of staff about their entry once more."
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

    def left_sending(self) -> list[str]:
        """Entries a stopped sync left "sending", now marked uncertain: each is listed once."""
        rows = self._db.execute(
            "SELECT entry FROM delivery WHERE status = ? ORDER BY entry", (SENDING,)
        ).fetchall()
        self._db.execute("UPDATE delivery SET status = ? WHERE status = ?", (UNCERTAIN, SENDING))
        return [row[0] for row in rows]

    def sent_today(self, address: str, day: dt.date) -> int:
        """How many emails went to `address` on `day`."""
        row = self._db.execute(
            "SELECT count FROM sent_to WHERE address = ? AND day = ?",
            (_address_key(address), day.isoformat()),
        ).fetchone()
        return row[0] if row else 0

    def count_sent(self, address: str, day: dt.date) -> None:
        """One more email to `address` on `day`."""
        self._db.execute(
            "INSERT INTO sent_to VALUES (?, ?, 1) ON CONFLICT(address, day) DO UPDATE SET "
            "count = count + 1",
            (_address_key(address), day.isoformat()),
        )

    def value(self, key: str) -> str:
        """A value the last run kept ("" when none)."""
        row = self._db.execute("SELECT value FROM run WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    def keep(self, key: str, value: str) -> None:
        """Keep a value for the next run."""
        self._db.execute(
            "INSERT INTO run VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _address_key(address: str) -> str:
    return hashlib.sha256(address.strip().casefold().encode("utf-8")).hexdigest()[:24]
