"""After a sync: email the staff whose entries have news, then the organisers' digest.

Called once the map is published; nothing here can hold back or undo the map. Problems with
email are reported in the outcome (the summary, `--json`, the status file and the digest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from smwsync.config import Settings
from smwsync.errors import EmailError
from smwsync.model import SyncReport
from smwsync.notify.deliver import Outcome, Sending, deliver, write_drafts
from smwsync.notify.digest import DIGEST_ENTRY, organisers_digest
from smwsync.notify.ledger import SENT, Ledger
from smwsync.notify.messages import Letterhead, organisers_email
from smwsync.notify.notices import staff_notices
from smwsync.notify.smtp import Relay


def ledger_path(settings: Settings) -> Path:
    """Where the delivery record is: `[notify] ledger`, inside `out` unless absolute."""
    return settings.publish.out / settings.notify.ledger


def more_to_send(settings: Settings) -> bool:
    """True when the last run left emails to send or retry (so a sync must not stop early)."""
    path = ledger_path(settings)
    if not settings.notify.enabled or not path.exists():
        return False
    with Ledger(path) as ledger:
        return ledger.more_to_do()


def letterhead_of(settings: Settings, map_url: str = "") -> Letterhead:
    """The campaign's sender, links and words, from the configuration."""
    notify = settings.notify
    return Letterhead(
        sender=notify.sender,
        campaign=settings.publish.title,
        map_url=map_url,
        form_url=settings.publish.form_url,
        hidden_text=notify.hidden_text,
        waiting_text=notify.waiting_text,
        questions=settings.columns,
    )


def sending_of(settings: Settings, password: str, **options: object) -> Sending:
    """How to send, from the configuration; `options` replace the clock, sleep or relay."""
    notify = settings.notify

    def relay() -> Relay:
        if notify.username and not password:
            raise EmailError(
                f"No password for the mail relay: set the environment variable "
                f"{notify.password_env or '[notify] password_env names'} to it."
            )
        return Relay(notify, password)

    sending = Sending(
        relay=relay,
        per_minute=settings.notify.per_minute,
        max_attempts=settings.notify.max_attempts,
    )
    return replace(sending, **options)  # type: ignore[arg-type]


def tell_everyone(
    settings: Settings,
    report: SyncReport | None,
    sending: Sending,
    *,
    changed: bool = False,
    added: Sequence[tuple[str, str]] = (),
    held_back: str = "",
    map_url: str = "",
) -> Outcome:
    """Email each member of staff whose entry has news, then the organisers' digest."""
    notify = settings.notify
    notices = staff_notices(report, _unsubscribed(notify.unsubscribed)) if report else []
    letterhead = letterhead_of(settings, map_url)
    path = ledger_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Ledger(path) as ledger:
        # Said before sending: a sync killed while sending leaves the rest for the next run.
        ledger.set_more_to_do(True)
        outcome = deliver(notices, ledger, letterhead, sending)
        digest = organisers_digest(
            settings.publish.title,
            report,
            changed=changed,
            added=added,
            held_back=held_back,
            emails=outcome,
        )
        last = ledger.get(DIGEST_ENTRY)
        digest_failed = False
        if digest and notify.organisers and (last is None or last.signature != digest.signature):
            now = sending.clock()
            message = organisers_email(
                letterhead, notify.organisers, digest.subject, digest.body, now
            )
            try:
                with sending.relay() as relay:
                    relay.send(message)
                ledger.record(DIGEST_ENTRY, digest.signature, (), SENT, attempts=1, now=now)
            except EmailError as err:
                error = outcome.error or f"The organisers' digest was not sent: {err}"
                outcome = replace(outcome, error=error)
                digest_failed = True
        ledger.set_more_to_do(outcome.has_more_to_do or digest_failed)
    return outcome


def draft_everything(
    settings: Settings, report: SyncReport, folder: Path, *, now: dt.datetime, map_url: str = ""
) -> list[Path]:
    """Write the emails a sync would send now as .eml files in `folder`; send nothing."""
    notices = staff_notices(report, _unsubscribed(settings.notify.unsubscribed))
    path = ledger_path(settings)
    letterhead = letterhead_of(settings, map_url)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    with Ledger(path) as ledger:
        return write_drafts(
            notices,
            ledger,
            letterhead,
            folder,
            max_attempts=settings.notify.max_attempts,
            now=now,
        )


def _unsubscribed(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
