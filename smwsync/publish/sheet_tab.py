"""The rows of the sheet tab My Maps imports: one per published event, public fields only (pure).

My Maps' "Import" from Google Sheets asks which columns place the pins (Latitude, Longitude)
and which titles them (Title); "Reimport and merge" matches rows by Event ID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from smwsync.model import Event
from smwsync.publish.fields import PUBLIC_FIELDS, public_record

# Which public fields the tab holds, in this order (every one is on the public allowlist).
SHEET_TAB_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "date",
    "end_date",
    "format",
    "council",
    "venue",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "precision",
    "layer",
    "link",
    "description",
)
_LABELS = {field.name: field.label for field in PUBLIC_FIELDS}
HEADER: tuple[str, ...] = tuple(_LABELS[name] for name in SHEET_TAB_FIELDS)


def sheet_tab_rows(events: Iterable[Event]) -> list[list[str]]:
    """The header row, then one row per event by date, start time, title and id; all text."""
    ordered = sorted(events, key=_when_and_what)
    rows = [list(HEADER)]
    for event in ordered:
        record = public_record(event)
        rows.append([record[name] for name in SHEET_TAB_FIELDS])
    return rows


def is_sheet_tab(cells: list[list[str]]) -> bool:
    """True when a tab is empty or was written by smwsync (its first cell is ours)."""
    first_row = next((row for row in cells if any(cell.strip() for cell in row)), None)
    return first_row is None or (cells[0][:1] == [HEADER[0]])


def _when_and_what(event: Event) -> tuple[bool, dt.date, dt.time, str, str]:
    return (
        event.date is None,
        event.date or dt.date.min,
        event.start_time or dt.time.min,
        event.title.casefold(),
        event.id,
    )
