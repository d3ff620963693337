"""What the live map's script needs about each event, beside the text the page's HTML shows.

The page's HTML carries each event's text (escaped, see page.py); the data file carries what
the script filters, places and sorts by: where the pin goes, the date, the formats, the type,
audience and region, and the times a one-event calendar file needs. Only public fields (the
allowlist in publish/fields.py) feed either.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from smwsync.model import Event, Precision
from smwsync.publish.fields import public_record, where_text
from smwsync.publish.ics import event_times, event_uid
from smwsync.publish.kml import is_mappable
from smwsync.publish.pieces import Pieces

UNDATED = "undated"
# Pins drawn less exactly than the venue say so in the list.
ROUGH_PLACES = {
    Precision.DISTRICT: "postcode district",
    Precision.PLACE: "town or village",
    Precision.COUNCIL: "council",
}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def site_order(events: Iterable[Event]) -> list[Event]:
    """Events as the list shows them: by date (undated last), start time, title and id."""
    return sorted(
        events,
        key=lambda e: (
            e.date or dt.date.max,
            e.start_time or dt.time.min,
            e.title.casefold(),
            e.id,
        ),
    )


def events_data(events: Sequence[Event]) -> list[dict[str, Any]]:
    """One record per event, in list order, for the page's script."""
    return [event_data(event) for event in site_order(events)]


def events_json(events: Sequence[Event], pieces: Pieces | None = None) -> str:
    """The data file: `script_json({"events": events_data(events)})`, each event's record
    kept in `pieces` from one sync to the next."""
    return "".join(events_json_text(events, pieces))


def events_json_text(events: Sequence[Event], pieces: Pieces | None = None) -> Iterator[str]:
    """The text of `events_json`, one event's record at a time."""
    pieces = pieces or Pieces()
    yield '{"events":['
    for number, event in enumerate(site_order(events)):
        if number:
            yield ","
        yield pieces.piece("site data", event, (), partial(event_json, event))
    yield "]}"


def event_json(event: Event) -> str:
    """One event's record in the data file."""
    return script_json(event_data(event))


def event_data(event: Event) -> dict[str, Any]:
    """The fields the script filters and places by; text the page shows is in its HTML."""
    record = public_record(event)
    location = event.location if is_mappable(event) else None
    data: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "date": record["date"] or UNDATED,
        "formats": list(event.formats),
        "type": event.event_type,
        "audience": event.audience,
        "region": event.region,
    }
    if location is not None:
        data["lat"] = round(location.latitude, 5)
        data["lon"] = round(location.longitude, 5)
    if event.date is not None:
        data["calendar"] = calendar_data(event)
    return data


def calendar_data(event: Event) -> dict[str, str]:
    """What the script needs, beside the page's text, to write a one-event .ics file: the
    calendar's own UID and UTC times (or all-day dates)."""
    start, end = event_times(event)
    times = {"uid": event_uid(event), "start": _ics_time(start)}
    if end is not None:
        times["end"] = _ics_time(end)
    return times


def where_line(event: Event) -> str:
    """The venue, address and postcode, each thing once, as every output says it."""
    return where_text(event)


def rough_place(event: Event) -> str:
    """ "Shown roughly: centre of Cardiff" when the pin is not at the venue; otherwise ""."""
    location = event.location
    rough = ROUGH_PLACES.get(location.precision) if location else None
    if not rough or location is None:
        return ""
    return f"Shown on the map roughly: {location.label or 'the middle of the ' + rough}"


def is_web_link(url: str) -> bool:
    """True only for http(s) addresses: the only links the page ever makes from form text."""
    return url.lower().startswith(("http://", "https://"))


def script_json(data: Any) -> str:
    """JSON that can also sit inside a <script> element: "<", ">", "&" and the JavaScript line
    separators are \\u escapes, so no text can close the element; lone surrogates are escaped
    too, so the bytes are always valid UTF-8. Sorted keys: the same data gives the same bytes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _ics_time(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")
