"""An offline preview of the map: one self-contained HTML page, no network needed to open it.

The page draws the UK as a faint dot map of postcode centroids in an inline SVG, every published
event as a pin coloured by its layer (the KML's colours, in the KML's folder order), a legend, a
list, filters by layer, date and region, and the same info window text as the KML. Events that
are not on the map are listed beside it with the reason. All event data sits in one
`<script type="application/json">` block, escaped so form text can never end the script; the
page's script reads it with JSON.parse and puts form text in the page only as text. A
Content-Security-Policy allows nothing but the page's own inline script and style and data:
images, so opening the page sends no request anywhere. The same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from smwsync.model import Event, Precision, Problem, Severity, SyncReport
from smwsync.publish.fields import date_text, info_window_html, time_range_text, when_text
from smwsync.publish.fields import where_text as fields_where_text
from smwsync.publish.kml import (
    PALETTE,
    UNNAMED_LAYER,
    document_description_html,
    is_mappable,
    kml_layers,
)

PREVIEW_FILE = "preview.html"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)
UNDATED = "undated"
NO_REGION = "No council given"

# Map units per degree of latitude; longitude is scaled by cos(54.5°), the UK's middle, so
# Britain keeps its shape (equirectangular projection).
SCALE = 100.0
LONGITUDE_FACTOR = math.cos(math.radians(54.5))
# Shetland to Scilly, Fermanagh to Lowestoft, with a little sea around them.
UK_BOUNDS = (49.7, 61.0, -8.9, 2.1)  # south, north, west, east
MARGIN_DEGREES = 0.2
# The outline's dots snap to a grid of this many map units (about 4 km), one dot a cell.
OUTLINE_GRID = 4.0
# How far (map units, about 8 km) pins at one spot are set apart; a pin's radius is 7.
PIN_SPREAD = 8.0

# Where an event is drawn less exactly than its venue, the list says so.
_ROUGH_PLACES = {
    Precision.DISTRICT: "postcode district",
    Precision.PLACE: "town or village",
    Precision.COUNCIL: "council",
}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


@dataclass(frozen=True)
class MapFrame:
    """The part of the earth the map shows, and how a latitude and longitude become x, y."""

    south: float
    north: float
    west: float
    east: float

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]]) -> MapFrame:
        """The UK, widened where needed to take in every (latitude, longitude) given."""
        south, north, west, east = UK_BOUNDS
        for latitude, longitude in points:
            south = min(south, latitude - MARGIN_DEGREES)
            north = max(north, latitude + MARGIN_DEGREES)
            west = min(west, longitude - MARGIN_DEGREES)
            east = max(east, longitude + MARGIN_DEGREES)
        return cls(south, north, west, east)

    @property
    def width(self) -> float:
        """The map's width in map units."""
        return round((self.east - self.west) * LONGITUDE_FACTOR * SCALE, 1)

    @property
    def height(self) -> float:
        """The map's height in map units."""
        return round((self.north - self.south) * SCALE, 1)

    def point(self, latitude: float, longitude: float) -> tuple[float, float]:
        """(x, y) in map units of a point, y growing southwards as on a screen."""
        x = (longitude - self.west) * LONGITUDE_FACTOR * SCALE
        y = (self.north - latitude) * SCALE
        return round(x, 1), round(y, 1)


def render_preview(
    report: SyncReport,
    *,
    title: str,
    description: str = "",
    form_url: str = "",
    layer_order: Sequence[str] | None = None,
    outline: Iterable[tuple[float, float]] = (),
) -> bytes:
    """The preview page, as UTF-8 bytes, for the events the report publishes.

    `outline` is the (latitude, longitude) points drawn faintly as the land (postcode
    centroids). Each event's region filter is its own nation or English region.
    """
    placed = [e for e in report.published if is_mappable(e)]
    frame = MapFrame.around(
        (e.location.latitude, e.location.longitude) for e in placed if e.location
    )
    data = preview_data(report, frame, form_url, layer_order)
    on_map = len(data["events"])
    off_map = len(data["offMap"])
    values = {
        "csp": html.escape(CONTENT_SECURITY_POLICY, quote=True),
        "title": html.escape(_no_surrogates(title)),
        "about": _no_surrogates(document_description_html(description, form_url)),
        "counts": html.escape(
            f"{_plural(on_map, 'event')} on the map; {_plural(off_map, 'answer')} not on it."
        ),
        "width": f"{frame.width:g}",
        "height": f"{frame.height:g}",
        "outline": outline_path(outline, frame),
        "data": script_json(data),
    }
    page = re.sub(r"\{\{(\w+)\}\}", lambda match: values[match.group(1)], page_template())
    return page.encode("utf-8")


def preview_data(
    report: SyncReport,
    frame: MapFrame,
    form_url: str,
    layer_order: Sequence[str] | None,
) -> dict[str, Any]:
    """Everything the page's script shows: layers, events, filter choices, events off the map."""
    layers = kml_layers(report.published, layer_order)
    colours = {layer: PALETTE[i % len(PALETTE)] for i, layer in enumerate(layers)}
    order = {layer: i for i, layer in enumerate(layers)}
    placed = sorted(
        (e for e in report.published if is_mappable(e)),
        key=lambda e: (order[_layer(e)], e.date or dt.date.max, e.title, e.id),
    )
    events = spread_pins([_event_data(e, frame, colours, form_url) for e in placed])
    dates = sorted({e.date for e in placed if e.date})
    date_choices = [{"value": d.isoformat(), "label": date_text(d)} for d in dates]
    if any(e.date is None for e in placed):
        date_choices.append({"value": UNDATED, "label": "No date"})
    return {
        "layers": [
            {"name": layer, "colour": f"#{colours[layer]}", "count": count}
            for layer, count in layers.items()
        ],
        "events": events,
        "dates": date_choices,
        "regions": sorted({event["region"] for event in events}),
        "offMap": off_map_entries(report),
    }


def spread_pins(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pins at exactly the same spot (several events at one council or postcode sector) set
    round it in a small ring, in list order, so each one can be seen and clicked."""
    at: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for event in events:
        at.setdefault((event["x"], event["y"]), []).append(event)
    for (x, y), together in at.items():
        if len(together) < 2:
            continue
        radius = max(PIN_SPREAD, len(together) * PIN_SPREAD / 3)
        for number, event in enumerate(together):
            angle = 2 * math.pi * number / len(together)
            event["x"] = round(x + radius * math.sin(angle), 1)
            event["y"] = round(y - radius * math.cos(angle), 1)
    return events


def off_map_entries(report: SyncReport) -> list[dict[str, Any]]:
    """Every answer that is not on the map, by row, with the reasons its member of staff reads.

    Events with errors, events that could not be placed, and rows that never became an event
    (no title, a second copy of another row) are all listed: nothing is left out in silence.
    """
    by_row: dict[int, list[Problem]] = {}
    for problem in report.problems:
        by_row.setdefault(problem.row_number, []).append(problem)
    event_rows = {e.row_number for e in report.events}
    entries: list[dict[str, Any]] = []
    for event in report.rejected:
        errors = [p for p in by_row.get(event.row_number, []) if p.severity is Severity.ERROR]
        entries.append(_off_map(event.row_number, event.title, "error", errors))
    for event in report.unplaced:
        entries.append(
            _off_map(event.row_number, event.title, "not placed", by_row.get(event.row_number, []))
        )
    for row, problems in by_row.items():
        # Row 1 is the header: its problems are about columns, not answers.
        if row > 1 and row not in event_rows:
            entries.append(_off_map(row, "", "not an event", problems))
    return sorted(entries, key=lambda entry: (entry["row"], entry["title"]))


def outline_path(points: Iterable[tuple[float, float]], frame: MapFrame) -> str:
    """An SVG path of one dot per grid cell that holds a point: the land, drawn lightly.

    Each dot is a zero-length line ("M12 34h0") that a round line cap turns into a circle.
    """
    cells = set()
    for latitude, longitude in points:
        x, y = frame.point(latitude, longitude)
        cells.add((round(x / OUTLINE_GRID), round(y / OUTLINE_GRID)))
    return "".join(
        f"M{_number(x * OUTLINE_GRID)} {_number(y * OUTLINE_GRID)}h0"
        for x, y in sorted(cells, key=lambda cell: (cell[1], cell[0]))
    )


def script_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: "<", ">", "&" and the JavaScript line
    separators are written as \\u escapes, so no text can close the element or open a comment;
    lone surrogates are escaped too, so the page is always valid UTF-8."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


@functools.cache
def page_template() -> str:
    """The page's HTML, style and script, with {{name}} where render_preview fills in."""
    return (
        resources.files("smwsync.publish").joinpath("preview_page.html").read_text(encoding="utf-8")
    )


def _event_data(
    event: Event,
    frame: MapFrame,
    colours: Mapping[str, str],
    form_url: str,
) -> dict[str, Any]:
    location = event.location
    assert location is not None  # only mappable events come here
    x, y = frame.point(location.latitude, location.longitude)
    layer = _layer(event)
    return {
        "id": event.id,
        "title": event.title,
        "layer": layer,
        "colour": f"#{colours[layer]}",
        "x": x,
        "y": y,
        "date": event.date.isoformat() if event.date else UNDATED,
        "when": when_text(event) or time_range_text(event) or "No date given",
        "where": where_text(event),
        "region": event.region or NO_REGION,
        "info": info_window_html(event, form_url),
    }


def where_text(event: Event) -> str:
    """Where the event is, as the list shows it, saying when the pin is only roughly there."""
    venue = fields_where_text(event)  # each part once, as in the info window
    location = event.location
    rough = _ROUGH_PLACES.get(location.precision) if location else None
    if rough and location:
        shown = f"shown roughly: {location.label or 'the middle of the ' + rough}"
        return f"{venue} ({shown})" if venue else shown[0].upper() + shown[1:]
    return venue or event.council


def _off_map(row: int, title: str, why: str, problems: Sequence[Problem]) -> dict[str, Any]:
    reasons = [p.message for p in problems] or [
        "We could not find where this event is; add the venue's full postcode."
    ]
    return {"row": row, "title": title, "why": why, "reasons": reasons}


def _layer(event: Event) -> str:
    return event.layer or UNNAMED_LAYER


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _no_surrogates(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)
