"""GeoJSON (RFC 7946) for uMap, Leaflet and GIS tools: one Point Feature per placed event.

Coordinates are WGS84 longitude, latitude (in that order, 6 decimal places, about 10 cm);
each Feature's `id` is the event's id and its properties are the public record only, plus
`name` (the title, which uMap shows as the pin's label) and `when` ("Wednesday 23 September
2026, 14:30–16:00"). The same events always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from smwsync.model import Event
from smwsync.publish.fields import public_record, when_text
from smwsync.publish.kml import is_mappable
from smwsync.publish.pieces import Pieces

# RFC 7946 section 11.2: six decimal places locate a point to about 10 cm.
COORDINATE_DECIMALS = 6
# As json.dumps(..., ensure_ascii=False, allow_nan=False) writes one value, made once.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def render_geojson(events: Sequence[Event], *, pieces: Pieces | None = None) -> bytes:
    """A FeatureCollection of the events that have a location, sorted by date, title and id.

    Events without a location, or with coordinates outside WGS84's range, are left out.
    Written as `json.dumps(collection, ensure_ascii=False, indent=1)` writes it; features kept
    in `pieces` are not written again.
    """
    return "".join(geojson_text(events, pieces=pieces)).encode()


def geojson_text(events: Sequence[Event], *, pieces: Pieces | None = None) -> Iterator[str]:
    """The text of `render_geojson`'s collection, one feature at a time."""
    pieces = pieces or Pieces()
    placed = sorted((e for e in events if has_wgs84_point(e)), key=_feature_order)
    if not placed:
        yield '{\n "type": "FeatureCollection",\n "features": []\n}\n'
        return
    yield '{\n "type": "FeatureCollection",\n "features": [\n'
    for number, event in enumerate(placed):
        if number:
            yield ",\n"
        yield pieces.piece("geojson feature", event, (), partial(feature_text, event))
    yield "\n ]\n}\n"


def feature_text(event: Event) -> str:
    """One event's Feature as it stands in the collection (indented two levels), written as
    `json.dumps` writes it with `indent=1`."""
    feature = event_feature(event)
    longitude, latitude = feature["geometry"]["coordinates"]
    properties = ",\n".join(
        f"    {_json(name)}: {_json(value)}" for name, value in feature["properties"].items()
    )
    return (
        '  {\n   "type": "Feature",\n'
        f'   "id": {_json(event.id)},\n'
        '   "geometry": {\n    "type": "Point",\n    "coordinates": [\n'
        f"     {_number(longitude)},\n     {_number(latitude)}\n    ]\n   }},\n"
        f'   "properties": {{\n{properties}\n   }}\n  }}'
    )


def event_feature(event: Event) -> dict[str, Any]:
    """One event as a GeoJSON Feature with a Point geometry; the event must have a location."""
    location = event.location
    if location is None:
        raise ValueError(f"Event {event.id} has no location to put in a GeoJSON Feature.")
    point = [
        round(location.longitude, COORDINATE_DECIMALS),
        round(location.latitude, COORDINATE_DECIMALS),
    ]
    properties = {"name": event.title, "when": when_text(event), **public_record(event)}
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": point},
        "properties": properties,
    }


def has_wgs84_point(event: Event) -> bool:
    """True when the event's location is a real WGS84 point: finite and within range."""
    location = event.location
    return (
        location is not None
        and is_mappable(event)
        and -90.0 <= location.latitude <= 90.0
        and -180.0 <= location.longitude <= 180.0
    )


def _json(text: str) -> str:
    return _ENCODER.encode(text)


def _number(number: float) -> str:
    return _ENCODER.encode(number)


def _feature_order(event: Event) -> tuple[dt.date, str, str]:
    return (event.date or dt.date.max, event.title, event.id)
