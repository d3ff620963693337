"""Remember enough between syncs for subscribed calendars to update events, not duplicate them.

RFC 5545 says a calendar replaces an event when it sees the same UID with a higher SEQUENCE,
and shows it cancelled when STATUS:CANCELLED arrives. So each published event's SEQUENCE goes
up by one whenever its public fields change, and an event that leaves the map is published as
cancelled for CANCELLED_FOR_DAYS days (long enough for any subscriber to refresh) with its
SEQUENCE raised once more. Pure: the previous state in, the updates out.

A cancelled event keeps nothing but what a calendar needs to remove it (its id, original start
and SEQUENCE, and when it was cancelled): no title, no description, no place, so an event
hidden as spam, or a response deleted, leaves no text behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from smwsync.model import CalendarUpdates, CancelledEvent, Event
from smwsync.publish.fields import public_record
from smwsync.sync.state import SyncState, event_hash

CANCELLED_FOR_DAYS = 30


def calendar_updates(
    previous: SyncState | None,
    published: Sequence[Event],
    today: dt.date | None,
    over: Collection[str] = (),
    now: str = "",
    hashes: Mapping[str, str] | None = None,
) -> CalendarUpdates:
    """Each published event's SEQUENCE and the cancelled events still worth publishing.

    Events in `over` (ids of events left off the map because they are past) happened: they
    leave the calendar quietly instead of being shown cancelled. `now` ("2026-11-24T02:30:00Z")
    is when an event leaving the map now is cancelled: its DTSTAMP. `hashes` holds each
    published event's `event_hash` by id when the caller has worked them out.
    """
    hashes = hashes or {}
    before = previous.published if previous else {}
    was_cancelled = previous.cancelled if previous else {}
    sequences: dict[str, int] = {}
    for event in published:
        last = before.get(event.id)
        if last is not None:
            kept = hashes.get(event.id) or event_hash(public_record(event))
            changed = kept != last.hash
            sequences[event.id] = last.sequence + (1 if changed else 0)
        elif event.id in was_cancelled:  # back on the map after being taken off
            sequences[event.id] = was_cancelled[event.id].sequence + 1
        else:
            sequences[event.id] = 0
    since = today.isoformat() if today else ""
    cancelled = {
        event_id: CancelledEvent(_start(event_id, last.record), last.sequence + 1, since, now)
        for event_id, last in before.items()
        if event_id not in sequences and event_id not in over
    }
    for event_id, gone in was_cancelled.items():
        if event_id not in sequences and event_id not in cancelled and _recent(gone, today):
            # A state from before cancelled entries were cut down keeps its text no longer.
            cancelled[event_id] = replace(gone, record=_start(event_id, gone.record))
    return CalendarUpdates(sequences, dict(sorted(cancelled.items())))


def cancelled_at(gone: CancelledEvent) -> dt.datetime | None:
    """When an event was cancelled, for its DTSTAMP (the day it left the map, in a state from
    before the time was kept)."""
    for text in (gone.at, gone.since):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return None


def _start(event_id: str, record: Mapping[str, str]) -> dict[str, str]:
    """All a cancelled entry keeps of an event's public fields: its id and original start."""
    return {"id": event_id, **{name: record.get(name, "") for name in ("date", "start_time")}}


def _recent(gone: CancelledEvent, today: dt.date | None) -> bool:
    if today is None or not gone.since:
        return True
    return (today - dt.date.fromisoformat(gone.since)).days <= CANCELLED_FOR_DAYS
