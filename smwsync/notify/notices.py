"""What each member of staff should hear about their entry after a sync (pure).

An entry is one event, known by its id. What it should hear depends on where it stands (on the
map, waiting for approval, hidden, or off the map until fixed) and on its problems; the
`signature` of those is what the delivery record compares, so an email goes out only when it
changes: never twice for the same news, and one update when one problem of two is fixed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smwsync.clean.links import clean_email
from smwsync.model import Event, Problem, Severity, SyncReport

ON_THE_MAP = "on the map"
WAITING = "waiting for approval"
HIDDEN = "hidden"
NOT_ON_THE_MAP = "not on the map"


@dataclass(frozen=True)
class Notice:
    """The news for one entry: where it stands and its problems, for its submitter only."""

    event: Event
    standing: str
    problems: tuple[Problem, ...]

    @property
    def recipient(self) -> str:
        """The address that submitted the entry (the form's collected email), tidied."""
        return self.event.submitter_email.strip()

    @property
    def problem_keys(self) -> tuple[str, ...]:
        """Each problem as "field:code", sorted: what "the same problems" means."""
        return tuple(sorted({f"{p.field}:{p.code}" for p in self.problems}))

    @property
    def signature(self) -> str:
        """A digest of the news (standing, problems, recipient): it changes when the news does."""
        text = json.dumps([self.standing, self.problem_keys, self.recipient.casefold()])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def may_email(address: str, domains: Sequence[str] = ()) -> bool:
    """True for one plain, valid email address in one of `domains` (or any, when empty).

    A form takes whatever address is typed, so the domains keep smwsync from emailing anyone
    but staff: "gov.uk" allows "leeds.gov.uk" and "gov.uk" itself.
    """
    cleaned, note = clean_email(address)
    if not cleaned or note is not None or cleaned.casefold() != address.strip().casefold():
        return False
    host = cleaned.rpartition("@")[2].casefold()
    return not domains or any(
        host == d.casefold().lstrip(".") or host.endswith("." + d.casefold().lstrip("."))
        for d in domains
    )


def staff_notices(
    report: SyncReport, unsubscribed: Iterable[str] = (), domains: Sequence[str] = ()
) -> list[Notice]:
    """The news of every entry whose submitter can be emailed, in event id order.

    Past events, rows with no valid submitter address, addresses outside `domains` and
    addresses that asked for no more email get none. Problems are the row's own.
    """
    opted_out = {address.strip().casefold() for address in unsubscribed if address.strip()}
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for problem in report.problems:
        by_row[problem.row_number].append(problem)
    groups: Sequence[tuple[str, Iterable[Event]]] = (
        (ON_THE_MAP, report.published),
        (WAITING, report.pending),
        (HIDDEN, report.hidden),
        (NOT_ON_THE_MAP, (*report.unplaced, *report.rejected)),
    )
    notices = []
    for standing, events in groups:
        for event in events:
            address = event.submitter_email.strip()
            if not may_email(address, domains) or address.casefold() in opted_out:
                continue
            problems = () if standing == HIDDEN else tuple(by_row.get(event.row_number, ()))
            notices.append(Notice(event, standing, problems))
    return sorted(notices, key=lambda n: n.event.id)


def errors_of(notice: Notice) -> tuple[Problem, ...]:
    """The problems that keep the entry off the map."""
    return tuple(p for p in notice.problems if p.severity is Severity.ERROR)


def warnings_of(notice: Notice) -> tuple[Problem, ...]:
    """The problems that make the entry less useful, though it can be on the map."""
    return tuple(p for p in notice.problems if p.severity is Severity.WARNING)
