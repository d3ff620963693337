"""Choose which events go on the public map and on which layer (pure: no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Problem, Severity

FORMAT_LAYERS = {FACE_TO_FACE: "Face-to-face", ONLINE: "Online", PHONE: "Phone"}
NO_VALUE_LAYER = "Other"


@dataclass(frozen=True)
class Selection:
    """Events split by what happens to them on the map."""

    published: tuple[Event, ...]
    unplaced: tuple[Event, ...]
    rejected: tuple[Event, ...]


def select_events(
    events: Sequence[Event],
    problems: Iterable[Problem],
    *,
    layer_by: str = "format",
    council_of: Callable[[str], Any] | None = None,
) -> Selection:
    """Publish every placed event whose row has no error; give each its layer."""
    rows_with_errors = {p.row_number for p in problems if p.severity is Severity.ERROR}
    published, unplaced, rejected = [], [], []
    for event in events:
        if event.row_number in rows_with_errors:
            rejected.append(event)
        elif event.location is None:
            unplaced.append(event)
        else:
            published.append(replace(event, layer=layer_of(event, layer_by, council_of)))
    return Selection(tuple(published), tuple(unplaced), tuple(rejected))


def layer_of(event: Event, layer_by: str, council_of: Callable[[str], Any] | None = None) -> str:
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
        council = council_of(event.council_code) if council_of and event.council_code else None
        return getattr(council, layer_by, "") or NO_VALUE_LAYER
    value = getattr(event, layer_by, "")
    return value or NO_VALUE_LAYER
