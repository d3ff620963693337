"""Each event's piece of each output (a KML placemark, a GeoJSON feature, a calendar VEVENT,
a CSV row, the live map's list item and data), kept from the last sync in the memo.

A piece is keyed by everything it is made from: every field of the event that an output can
show (all but NOT_SHOWN: its row, the approval answer, the submitter's details, the council's
code and the location typed in the sheet, which no piece shows), and what the output adds
(the layer's colour, the form's address, the calendar's SEQUENCE, ...). So an event whose
public face is unchanged is not rendered again, a re-sorted sheet renders nothing again, and
the bytes are the same with a memo from any earlier sync as with none.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from smwsync.memo import Memo, digest
from smwsync.model import Event

# Fields of an event that no output shows: a change to them renders nothing again.
NOT_SHOWN = frozenset(
    (
        "row_number",
        "submitter_email",
        "submitter_name",
        "approved",
        "council_code",
        "given_location",
    )
)
SHOWN_FIELDS: tuple[str, ...] = tuple(
    field.name for field in dataclasses.fields(Event) if field.name not in NOT_SHOWN
)


class Pieces:
    """Events' pieces of outputs, kept in `memo`; with no memo each piece is simply made."""

    def __init__(self, memo: Memo | None = None) -> None:
        self.memo = memo
        # Keys are made here rather than by memo.key, which would take as long as some pieces:
        # each event's fields are hashed once a sync, with the memo's salt, and each piece's
        # key is that hash with the output's kind and settings.
        self._salted = memo.key("event pieces") if memo is not None else ""
        self._shown: dict[int, tuple[Event, str]] = {}
        self._settings: dict[tuple[str, tuple[Any, ...]], str] = {}

    def piece(
        self, kind: str, event: Event, context: tuple[Any, ...], make: Callable[[], str]
    ) -> str:
        """The `kind` piece of `event` in an output whose settings are `context` (hashable,
        JSON-able): kept from the last sync if it was made from the same, else `make()`, kept
        for the next."""
        if self.memo is None:
            return make()
        settings = self._settings.get((kind, context))
        if settings is None:
            settings = self._settings[(kind, context)] = _ENCODER.encode([kind, *context])
        key = digest(self.shown(event) + settings)
        kept = self.memo.get(key)
        if isinstance(kept, str):  # anything else is a damaged cache: made again
            return kept
        piece = make()
        self.memo.put(key, piece)
        return piece

    def shown(self, event: Event) -> str:
        """A hash of every field of `event` that an output can show, salted as the memo's keys
        are. Of their repr: exact, the same every run for what an Event holds (text, tuples,
        dates, times, a Location), and three times as quick as JSON with a `default`."""
        kept = self._shown.get(id(event))
        if kept is not None and kept[0] is event:
            return kept[1]
        shown = digest(self._salted + repr([getattr(event, name) for name in SHOWN_FIELDS]))
        self._shown[id(event)] = (event, shown)
        return shown


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
