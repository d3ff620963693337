"""Send what is due, politely: each news once, paced, bounded per run, retried a few times.

A run sends at most `per_minute` messages (a minute's worth), so a first run with hundreds of
entries neither floods the relay nor holds the sync's lock for long: the rest go in the next
runs. A failed message is retried on the next runs up to `max_attempts`, then given up and
reported. Relay trouble never raises: it is reported in the outcome, and the map stays published.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from smwsync.errors import EmailError
from smwsync.notify.ledger import FAILED, SENDING, SENT, Ledger
from smwsync.notify.messages import Letterhead, staff_email
from smwsync.notify.notices import Notice


class Relay(Protocol):
    """What sending needs of a relay connection (smwsync.notify.smtp.Relay is one)."""

    @property
    def connected(self) -> bool: ...

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class Sending:
    """How to send: the relay, the pace, and the clock; tests replace the clock and sleep."""

    relay: Callable[[], AbstractContextManager[Relay]]
    per_minute: int = 20
    max_attempts: int = 3
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Outcome:
    """What a run of emails did, for the summary, `--json`, the status file and the digest."""

    sent: int = 0
    failed: tuple[str, ...] = ()  # entries whose email failed this run; retried next run
    gave_up: tuple[str, ...] = ()  # entries whose email failed every attempt
    waiting: int = 0  # news not sent this run (the pace, or the relay lost): sent next run
    error: str = ""  # what stopped sending, if anything did

    @property
    def has_more_to_do(self) -> bool:
        """True when a later run has something to send or retry."""
        return bool(self.waiting or self.failed)


def due(notices: Sequence[Notice], ledger: Ledger, max_attempts: int) -> list[Notice]:
    """The notices whose news has not been told yet (or failed, with attempts left)."""
    found = []
    for notice in notices:
        last = ledger.get(notice.event.id)
        same_news = last is not None and last.signature == notice.signature
        if same_news and (last.told or (last.status == FAILED and last.attempts >= max_attempts)):
            continue
        found.append(notice)
    return found


def deliver(
    notices: Sequence[Notice], ledger: Ledger, letterhead: Letterhead, sending: Sending
) -> Outcome:
    """Send every due notice this run may send; record each in the ledger as it goes."""
    to_send = due(notices, ledger, sending.max_attempts)
    gave_up = tuple(
        entry for entry, last in ledger.failed().items() if last.attempts >= sending.max_attempts
    )
    if not to_send:
        return Outcome(gave_up=gave_up)
    batch, later = to_send[: sending.per_minute], len(to_send) - sending.per_minute
    sent, failed = 0, []
    try:
        with sending.relay() as relay:
            for index, notice in enumerate(batch):
                if not relay.connected:
                    return Outcome(
                        sent,
                        tuple(failed),
                        gave_up,
                        len(batch) - index + max(later, 0),
                        "The mail relay closed the connection; the rest wait for the next sync.",
                    )
                if index:
                    sending.sleep(60 / sending.per_minute)
                if _send_one(notice, ledger, letterhead, sending, relay):
                    sent += 1
                else:
                    failed.append(notice.event.id)
    except EmailError as err:
        return Outcome(sent, tuple(failed), gave_up, len(to_send) - sent - len(failed), str(err))
    return Outcome(sent, tuple(failed), gave_up, max(later, 0))


def _send_one(
    notice: Notice, ledger: Ledger, letterhead: Letterhead, sending: Sending, relay: Relay
) -> bool:
    entry = notice.event.id
    last = ledger.get(entry)
    previous = last.problems if last is not None and last.told else ()
    if last is not None and last.status == FAILED:
        previous = last.problems
    attempts = last.attempts if last is not None and last.signature == notice.signature else 0
    now = sending.clock()
    message = staff_email(notice, letterhead, previous_problems=previous, now=now)
    # Recorded before it goes: a sync killed mid-send never sends the same news again.
    ledger.record(
        entry, notice.signature, notice.problem_keys, SENDING, attempts=attempts + 1, now=now
    )
    try:
        relay.send(message)
    except EmailError as err:
        ledger.record(
            entry,
            notice.signature,
            previous,
            FAILED,
            attempts=attempts + 1,
            now=now,
            error=str(err),
        )
        return False
    ledger.record(
        entry, notice.signature, notice.problem_keys, SENT, attempts=attempts + 1, now=now
    )
    return True


def write_drafts(
    notices: Sequence[Notice],
    ledger: Ledger,
    letterhead: Letterhead,
    folder: Path,
    *,
    max_attempts: int,
    now: dt.datetime,
) -> list[Path]:
    """Write the emails a run would send as .eml files in `folder`; send and record nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for notice in due(notices, ledger, max_attempts):
        last = ledger.get(notice.event.id)
        previous = last.problems if last is not None else ()
        message = staff_email(notice, letterhead, previous_problems=previous, now=now)
        path = folder / f"{notice.event.id}.eml"
        path.write_bytes(bytes(message))
        written.append(path)
    return written


def emails_json(outcome: Outcome) -> dict[str, object]:
    """The outcome for `--json` and the status file."""
    return {
        "sent": outcome.sent,
        "failed": len(outcome.failed),
        "gave_up": len(outcome.gave_up),
        "waiting": outcome.waiting,
        "error": outcome.error,
    }


def emails_line(outcome: Outcome) -> str:
    """One line for the summary, or "" when there is nothing to say."""
    parts = []
    if outcome.sent:
        parts.append(f"emailed {outcome.sent} member{'s' if outcome.sent != 1 else ''} of staff")
    if outcome.failed:
        parts.append(f"{len(outcome.failed)} email(s) failed and will be tried again")
    if outcome.gave_up:
        parts.append(f"gave up on {len(outcome.gave_up)} email(s) after every attempt")
    if outcome.waiting:
        parts.append(f"{outcome.waiting} email(s) wait for the next sync")
    line = "; ".join(parts)
    if outcome.error:
        line = f"{line}. {outcome.error}" if line else outcome.error
    return (line[:1].upper() + line[1:] + ("" if line.endswith(".") else ".")) if line else ""
