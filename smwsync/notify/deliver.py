"""Send what is due, politely: each news at most once, paced, bounded per run and per address.

A run sends at most `per_minute` messages (a minute's worth), so a first run with hundreds of
entries neither floods the relay nor holds the sync's lock for long: the rest go in the next
runs. One address gets at most `per_address_per_day` emails a day, whatever is typed into the
form. A message the relay refuses for good is tried again by the next runs up to
`max_attempts`, then given up and reported; a relay that cannot send now (busy, a refused
sender, a lost connection) costs no attempt: everything waits for the next run. Relay trouble
never raises: it is reported in the outcome, and the map stays published.
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

from smwsync.errors import EmailError, EmailRefused, EmailUncertain
from smwsync.notify.ledger import FAILED, SENDING, SENT, UNCERTAIN, Delivery, Ledger
from smwsync.notify.messages import Letterhead, staff_email
from smwsync.notify.notices import Notice


class Connection(Protocol):
    """What sending needs of an open relay connection (smwsync.notify.smtp.Relay is one)."""

    @property
    def connected(self) -> bool: ...

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class Sending:
    """How to send: the relay, the pace and limits, and the clock; tests replace the clock and
    sleep, so nothing waits."""

    relay: Callable[[], AbstractContextManager[Connection]]
    per_minute: int = 20
    max_attempts: int = 3
    per_address_per_day: int = 5
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Outcome:
    """What a run of emails did, for the summary, `--json`, the status file and the digest."""

    sent: int = 0
    failed: tuple[str, ...] = ()  # refused this run; tried again by the next runs
    gave_up: tuple[str, ...] = ()  # refused for the last time this run
    uncertain: tuple[str, ...] = ()  # may have gone (a sync stopped while sending): not resent
    waiting: int = 0  # not sent this run (the pace, a daily cap, the relay busy): sent later
    error: str = ""  # what stopped sending, if anything did

    @property
    def has_more_to_do(self) -> bool:
        """True when a later run has something to send or retry."""
        return bool(self.waiting or self.failed)


def due(notices: Sequence[Notice], ledger: Ledger, max_attempts: int) -> list[Notice]:
    """The notices whose news has not been told (or was refused, with attempts left)."""
    found = []
    for notice in notices:
        last = ledger.get(notice.event.id)
        if last is not None and last.signature == notice.signature and _settled(last, max_attempts):
            continue
        found.append(notice)
    return found


def deliver(
    notices: Sequence[Notice], ledger: Ledger, letterhead: Letterhead, sending: Sending
) -> Outcome:
    """Send every due notice this run may send; record each in the ledger as it goes."""
    uncertain = tuple(ledger.left_sending())
    today = sending.clock().date()
    capped = 0
    to_send = []
    for notice in due(notices, ledger, sending.max_attempts):
        if ledger.sent_today(notice.recipient, today) >= sending.per_address_per_day:
            capped += 1
        else:
            to_send.append(notice)
    batch = to_send[: sending.per_minute]
    waiting = capped + len(to_send) - len(batch)
    sent, failed, gave_up = 0, [], []
    if not batch:
        return Outcome(uncertain=uncertain, waiting=waiting)
    try:
        with sending.relay() as relay:
            for index, notice in enumerate(batch):
                if index:
                    sending.sleep(60 / sending.per_minute)
                entry = notice.event.id
                try:
                    attempts = _send_one(notice, ledger, letterhead, sending, relay)
                except EmailUncertain as err:
                    rest = len(batch) - index - 1
                    return Outcome(
                        sent,
                        tuple(failed),
                        tuple(gave_up),
                        (*uncertain, entry),
                        waiting + rest,
                        str(err),
                    )
                except EmailError as err:
                    rest = len(batch) - index
                    return Outcome(
                        sent, tuple(failed), tuple(gave_up), uncertain, waiting + rest, str(err)
                    )
                if attempts:
                    (gave_up if attempts >= sending.max_attempts else failed).append(entry)
                    continue
                sent += 1
    except EmailError as err:  # could not connect or sign in: nothing went
        rest = len(batch) - sent - len(failed) - len(gave_up)
        return Outcome(sent, tuple(failed), tuple(gave_up), uncertain, waiting + rest, str(err))
    return Outcome(sent, tuple(failed), tuple(gave_up), uncertain, waiting)


def _settled(last: Delivery, max_attempts: int) -> bool:
    return last.told or (last.status == FAILED and last.attempts >= max_attempts)


def _send_one(
    notice: Notice, ledger: Ledger, letterhead: Letterhead, sending: Sending, relay: Connection
) -> int:
    """Send one notice: 0 when it went; the attempts so far when the relay refused it.

    Raises EmailUncertain (it may have gone) or EmailError (nothing went: try later)."""
    entry = notice.event.id
    last = ledger.get(entry)
    told_before = last.problems if last is not None else ()
    attempts = last.attempts if last is not None and last.signature == notice.signature else 0
    now = sending.clock()
    message = staff_email(notice, letterhead, previous_problems=told_before, now=now)
    # Recorded before it goes: a sync killed mid-send never sends the same news again.
    ledger.record(entry, notice.signature, notice.problem_keys, SENDING, attempts=attempts, now=now)
    try:
        relay.send(message)
    except EmailUncertain:
        ledger.record(
            entry, notice.signature, notice.problem_keys, UNCERTAIN, attempts=attempts, now=now
        )
        raise
    except EmailRefused as err:
        ledger.record(
            entry,
            notice.signature,
            told_before,
            FAILED,
            attempts=attempts + 1,
            now=now,
            error=str(err),
        )
        return attempts + 1
    except EmailError:
        _put_back(ledger, entry, last, now)  # nothing went: as if never tried
        raise
    ledger.record(entry, notice.signature, notice.problem_keys, SENT, attempts=attempts, now=now)
    ledger.count_sent(notice.recipient, now.date())
    return 0


def _put_back(ledger: Ledger, entry: str, last: Delivery | None, now: dt.datetime) -> None:
    if last is None:
        ledger.record(entry, "", (), FAILED, attempts=0, now=now)
    else:
        ledger.record(
            entry,
            last.signature,
            last.problems,
            last.status,
            attempts=last.attempts,
            now=now,
            error=last.error,
        )


def write_drafts(
    notices: Sequence[Notice],
    ledger: Ledger | None,
    letterhead: Letterhead,
    folder: Path,
    *,
    max_attempts: int,
    now: dt.datetime,
) -> list[Path]:
    """Write the emails a run would send as .eml files in `folder` (emptied of earlier drafts
    first); send and record nothing. With no ledger yet, every notice is due."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    written = []
    pending = due(notices, ledger, max_attempts) if ledger is not None else list(notices)
    for notice in pending:
        last = ledger.get(notice.event.id) if ledger is not None else None
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
        "uncertain": len(outcome.uncertain),
        "waiting": outcome.waiting,
        "error": outcome.error,
    }


def emails_line(outcome: Outcome) -> str:
    """One line for the summary, or "" when there is nothing to say."""
    parts = []
    if outcome.sent:
        parts.append(f"emailed {outcome.sent} member{'s' if outcome.sent != 1 else ''} of staff")
    if outcome.failed:
        parts.append(f"{len(outcome.failed)} email(s) refused, to be tried again")
    if outcome.gave_up:
        parts.append(f"gave up on {len(outcome.gave_up)} email(s) after every attempt")
    if outcome.uncertain:
        parts.append(f"{len(outcome.uncertain)} email(s) may not have gone (not sent again)")
    if outcome.waiting:
        parts.append(f"{outcome.waiting} email(s) wait for a later sync")
    line = "; ".join(parts)
    if outcome.error:
        line = f"{line}. {outcome.error}" if line else outcome.error
    return (line[:1].upper() + line[1:] + ("" if line.endswith(".") else ".")) if line else ""
