"""Choose which events go on the public map and on which layer (pure: no I/O)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Problem, Severity

FORMAT_LAYERS = {FACE_TO_FACE: "Face-to-face", ONLINE: "Online", PHONE: "Phone"}
NO_VALUE_LAYER = "Other"


# What the organisers' approval column says (clean/choices.py `moderation`).
APPROVED, HIDDEN, PENDING = "approved", "hidden", "pending"


@dataclass(frozen=True)
class Selection:
    """Events split by what happens to them on the map; each event is in exactly one group.

    Off the map on purpose, and not problems: `hidden` (the approval column says hide,
    cancelled, no ...), `past` (the date has gone, with `hide_past_events`) and `pending`
    (waiting for approval, with `require_approval`). Off the map until fixed: `rejected` (the
    row has an error) and `unplaced` (no location).
    """

    published: tuple[Event, ...]
    unplaced: tuple[Event, ...]
    rejected: tuple[Event, ...]
    pending: tuple[Event, ...] = ()
    hidden: tuple[Event, ...] = ()
    past: tuple[Event, ...] = ()


def select_events(
    events: Sequence[Event],
    problems: Iterable[Problem],
    *,
    layer_by: str = "format",
    require_approval: bool = False,
    today: dt.date | None = None,
) -> Selection:
    """Publish every placed event whose row has no error, and give each its layer.

    The organisers' word comes first: a hidden event is off the map whatever else is true of
    it. Then an event dated before `today` (None: keep past events) is over, with nothing to
    fix. Then errors, then a missing location; only an event that could go on the map waits
    for approval when `require_approval` is on. Undated events are never past.
    """
    rows_with_errors = {p.row_number for p in problems if p.severity is Severity.ERROR}
    groups: dict[str, list[Event]] = {
        name: [] for name in ("published", "unplaced", "rejected", "pending", "hidden", "past")
    }
    for event in events:
        if event.approved == HIDDEN:
            group = "hidden"
        elif today is not None and event.date is not None and _last_day(event) < today:
            group = "past"
        elif event.row_number in rows_with_errors:
            group = "rejected"
        elif event.location is None:
            group = "unplaced"
        elif require_approval and event.approved != APPROVED:
            group = "pending"
        else:
            group = "published"
            event = event.but(layer=layer_of(event, layer_by))
        groups[group].append(event)
    return Selection(**{name: tuple(group) for name, group in groups.items()})


def layer_of(event: Event, layer_by: str) -> str:
    """The map layer an event belongs on.

    By format, an event people can attend in person is on the face-to-face layer even when it is
    also streamed; online-only and phone-only events have layers of their own, so they still show
    up, at their council, for people browsing their area.
    """
    if layer_by == "format":
        for name in (FACE_TO_FACE, ONLINE, PHONE):
            if name in event.formats:
                return FORMAT_LAYERS[name]
        return FORMAT_LAYERS[FACE_TO_FACE]
    if layer_by in ("nation", "region"):
        return getattr(event, layer_by) or NO_VALUE_LAYER
    value = getattr(event, layer_by, "")
    return value or NO_VALUE_LAYER


def _last_day(event: Event) -> dt.date:
    """The day an event is over after: its last day when it runs over several."""
    assert event.date is not None
    return max(event.end_date or event.date, event.date)
