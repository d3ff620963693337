"""The organisers' digest: after a sync that changed something, what needs them (pure).

Events added, events waiting for approval (with the rows to look at), errors outstanding, a
guard that held the map back, and emails that could not be sent. It names rows and titles,
never a submitter's email address or name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smwsync.model import Severity, SyncReport
from smwsync.notify.deliver import Outcome


@dataclass(frozen=True)
class Digest:
    """The digest's subject and text."""

    subject: str
    body: str

    def with_earlier(self, earlier: Digest) -> Digest:
        """This digest, with one the relay did not take before added at the end."""
        return Digest(
            self.subject, f"{self.body}\nFrom an earlier sync, not sent then:\n\n{earlier.body}"
        )


def organisers_digest(
    campaign: str,
    report: SyncReport | None,
    *,
    changed: bool = False,
    added: Sequence[tuple[str, str]] = (),
    held_back: str = "",
    emails: Outcome | None = None,
) -> Digest | None:
    """The digest of one sync, or None when nothing in it needs the organisers.

    `changed` says the sync changed the map or what is held back; `added` holds (id, title) of
    the events new to the map; `held_back` is the message of a guard that held; `emails` is
    what the staff emails did.
    """
    sections: list[str] = []
    if held_back:
        sections.append(f"A guard held the map back; the last map stays published:\n  {held_back}")
    if added:
        sections.append(
            f"New on the map ({len(added)}):\n"
            + "\n".join(f"  - {title} ({entry})" for entry, title in added)
        )
    if report is not None and report.pending:
        sections.append(
            f"Waiting for your approval ({len(report.pending)}):\n"
            + "\n".join(f"  - row {e.row_number}: {e.title}" for e in report.pending)
        )
    if report is not None:
        rows = sorted({p.row_number for p in report.problems if p.severity is Severity.ERROR})
        if rows:
            sections.append(
                f"Rows with errors, off the map until fixed ({len(rows)}): "
                + ", ".join(str(row) for row in rows)
                + ". `smwsync check` lists what to fix."
            )
    trouble = emails is not None and bool(emails.gave_up or emails.error or emails.uncertain)
    if emails is not None and trouble:
        lines = []
        if emails.error:
            lines.append(f"  {emails.error}")
        if emails.gave_up:
            lines.append(
                "  The relay refused these every time, so they were given up: "
                + ", ".join(emails.gave_up)
                + "."
            )
        if emails.uncertain:
            lines.append(
                "  These may not have gone (a sync stopped while sending them); they are not "
                "sent again, so check with their submitters: " + ", ".join(emails.uncertain) + "."
            )
        sections.append("Emails to staff:\n" + "\n".join(lines))
    if not sections or not (changed or added or held_back or trouble):
        return None
    body = "\n\n".join(
        [
            f"What the last sync of the {campaign} map needs from you.",
            *sections,
            f"-- \nsmwsync, for the {campaign} organisers",
        ]
    )
    if held_back:
        subject = f"{campaign}: the map was held back"
    elif added:
        subject = f"{campaign}: {len(added)} new on the map"
    else:
        subject = f"{campaign}: what needs you after the last sync"
    return Digest(subject, body + "\n")
