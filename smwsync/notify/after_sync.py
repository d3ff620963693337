"""After a sync: email the staff whose entries have news, then the organisers' digest.

Called once the map is published; nothing here can hold back or undo the map. Problems with
email are reported in the outcome (the summary, `--json`, the status file and the digest).

The delivery record keeps the fingerprint of the last sync whose emails all went (`finished`):
a sync stops early only when that is the fingerprint of what it read, so emails left waiting
(the pace, a daily cap, a relay that was down, a sync killed after publishing) are always sent
by a later sync, even when the sheet does not change again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from smwsync.config import Settings
from smwsync.errors import EmailError
from smwsync.model import SyncReport
from smwsync.notify.deliver import Outcome, Sending, deliver, write_drafts
from smwsync.notify.digest import Digest, organisers_digest
from smwsync.notify.ledger import Ledger
from smwsync.notify.messages import Letterhead, organisers_email
from smwsync.notify.notices import staff_notices
from smwsync.notify.smtp import Relay

FINISHED = "finished"  # the fingerprint of the last sync whose emails all went
UNSENT_DIGEST = "unsent digest"  # a digest the relay did not take, as JSON, with its tries
DIGEST_TRIES = 3
HELD_BACK = "held back"  # the guard's message the organisers were last told


def emails_finished_for(settings: Settings) -> str:
    """The fingerprint of the last sync whose emails all went ("" if none, or email is off)."""
    path = settings.notify.ledger
    if not settings.notify.enabled or not path.exists():
        return ""
    with Ledger(path) as ledger:
        return ledger.value(FINISHED)


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


def sending_of(settings: Settings, password: str) -> Sending:
    """How to send, from the configuration, with the relay's password."""
    notify = settings.notify

    def relay() -> Relay:
        if notify.username and not password:
            raise EmailError(
                f"No password for the mail relay: set the environment variable "
                f"{notify.password_env or '[notify] password_env names'} to it."
            )
        return Relay(notify, password)

    return Sending(
        relay=relay,
        per_minute=notify.per_minute,
        max_attempts=notify.max_attempts,
        per_address_per_day=notify.per_address_per_day,
    )


def tell_everyone(
    settings: Settings,
    report: SyncReport | None,
    sending: Sending,
    *,
    fingerprint: str = "",
    changed: bool = False,
    added: Sequence[tuple[str, str]] = (),
    held_back: str = "",
    map_url: str = "",
) -> Outcome:
    """Email each member of staff whose entry has news, then the organisers' digest.

    `fingerprint` is what the sync read; it is kept as finished once nothing is left to send.
    """
    notify = settings.notify
    notices = (
        staff_notices(report, _unsubscribed(notify.unsubscribed), notify.staff_domains)
        if report
        else []
    )
    letterhead = letterhead_of(settings, map_url)
    with Ledger(notify.ledger) as ledger:
        ledger.keep(FINISHED, "")  # said first: a sync killed while emailing is not finished
        # A guard that goes on holding is told once, not at every sync.
        already_told = held_back and ledger.value(HELD_BACK) == held_back
        ledger.keep(HELD_BACK, held_back)
        outcome = deliver(notices, ledger, letterhead, sending)
        digest = organisers_digest(
            settings.publish.title,
            report,
            changed=changed,
            added=added,
            held_back="" if already_told else held_back,
            emails=outcome,
        )
        digest_left = _send_digest(ledger, digest, letterhead, notify.organisers, sending)
        if digest_left:
            outcome = replace(outcome, error=outcome.error or digest_left)
        if not outcome.has_more_to_do and not digest_left:
            ledger.keep(FINISHED, fingerprint)
    return outcome


def _send_digest(
    ledger: Ledger,
    digest: Digest | None,
    letterhead: Letterhead,
    organisers: Sequence[str],
    sending: Sending,
) -> str:
    """Send this sync's digest with any the relay did not take before; "" once all went,
    else why not (the digest is kept, and tried by the next syncs, a few times)."""
    kept = json.loads(ledger.value(UNSENT_DIGEST) or "null")
    if kept is not None:
        earlier = Digest(kept["subject"], kept["body"])
        digest = earlier if digest is None else digest.with_earlier(earlier)
    if digest is None or not organisers:
        ledger.keep(UNSENT_DIGEST, "")
        return ""
    tries = (kept or {}).get("tries", 0) + 1
    message = organisers_email(letterhead, organisers, digest.subject, digest.body, sending.clock())
    try:
        with sending.relay() as relay:
            relay.send(message)
    except EmailError as err:
        if tries >= DIGEST_TRIES:
            ledger.keep(UNSENT_DIGEST, "")
            return f"The organisers' digest was not sent after {tries} tries: {err}"
        unsent = {"subject": digest.subject, "body": digest.body, "tries": tries}
        ledger.keep(UNSENT_DIGEST, json.dumps(unsent))
        return f"The organisers' digest was not sent; the next sync tries again: {err}"
    ledger.keep(UNSENT_DIGEST, "")
    return ""


def draft_everything(
    settings: Settings, report: SyncReport, folder: Path, *, now: dt.datetime, map_url: str = ""
) -> list[Path]:
    """Write the emails a sync would send now as .eml files in `folder`; send nothing, and
    create no delivery record."""
    notify = settings.notify
    notices = staff_notices(report, _unsubscribed(notify.unsubscribed), notify.staff_domains)
    letterhead = letterhead_of(settings, map_url)
    attempts = notify.max_attempts
    if not notify.ledger.exists():
        return write_drafts(notices, None, letterhead, folder, max_attempts=attempts, now=now)
    with Ledger(notify.ledger) as ledger:
        return write_drafts(notices, ledger, letterhead, folder, max_attempts=attempts, now=now)


def _unsubscribed(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
