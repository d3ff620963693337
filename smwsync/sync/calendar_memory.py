"""Remember enough between syncs for subscribed calendars to update events, not duplicate them.

RFC 5545 says a calendar replaces an event when it sees the same UID with a higher SEQUENCE,
and shows it cancelled when STATUS:CANCELLED arrives. So each published event's SEQUENCE goes
up by one whenever its public fields change, and an event that leaves the map is published as
cancelled for CANCELLED_FOR_DAYS days (long enough for any subscriber to refresh) with its
SEQUENCE raised once more. Pure: the previous state in, the updates out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from smwsync.model import CalendarUpdates, CancelledEvent, Event
from smwsync.publish.fields import public_record
from smwsync.sync.state import SyncState, event_hash

CANCELLED_FOR_DAYS = 30


def calendar_updates(
    previous: SyncState | None,
    published: Sequence[Event],
    today: dt.date | None,
    over: Collection[str] = (),
) -> CalendarUpdates:
    """Each published event's SEQUENCE and the cancelled events still worth publishing.

    Events in `over` (ids of events left off the map because they are past) happened: they
    leave the calendar quietly instead of being shown cancelled.
    """
    before = previous.published if previous else {}
    was_cancelled = previous.cancelled if previous else {}
    sequences: dict[str, int] = {}
    for event in published:
        last = before.get(event.id)
        if last is not None:
            changed = event_hash(public_record(event)) != last.hash
            sequences[event.id] = last.sequence + (1 if changed else 0)
        elif event.id in was_cancelled:  # back on the map after being taken off
            sequences[event.id] = was_cancelled[event.id].sequence + 1
        else:
            sequences[event.id] = 0
    since = today.isoformat() if today else ""
    cancelled = {
        event_id: CancelledEvent(last.record, last.sequence + 1, since)
        for event_id, last in before.items()
        if event_id not in sequences and event_id not in over
    }
    for event_id, gone in was_cancelled.items():
        if event_id not in sequences and event_id not in cancelled and _recent(gone, today):
            cancelled[event_id] = gone
    return CalendarUpdates(sequences, dict(sorted(cancelled.items())))


def _recent(gone: CancelledEvent, today: dt.date | None) -> bool:
    if today is None or not gone.since:
        return True
    return (today - dt.date.fromisoformat(gone.since)).days <= CANCELLED_FOR_DAYS
