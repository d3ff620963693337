"""The live map's page as one self-contained file, for `smwsync preview`: no network needed.

The same page as the public site (page.py, static/site.js), with its scripts, styles, events
and search index inline, and no tiles: a faint dot map of the UK (postcode centroids) is the
base. It adds the organisers' panel the public site never shows: every answer that is not on
the map, and why. A Content-Security-Policy allows only these inline scripts and styles, each
by its hash, and data: images, so opening the page sends no request anywhere. The same report
gives the same bytes.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from smwsync.config import Settings
from smwsync.model import Problem, Severity, SyncReport
from smwsync.publish.site.assets import Asset, scripts, styles
from smwsync.publish.site.data import events_data, script_json
from smwsync.publish.site.files import inline_policy, policy_meta
from smwsync.publish.site.page import PageText, render_page

PREVIEW_FILE = "preview.html"
# The UK from Shetland to Scilly and Fermanagh to Lowestoft, with a little sea: the dot map's
# edges (south, north, west, east).
UK_BOUNDS = (49.7, 61.0, -8.9, 2.1)
# One dot per cell of this many degrees of longitude (about 3 km), and as many Mercator
# degrees of latitude, so the dots line up with the map's own projection.
OUTLINE_CELL = 0.05
PREVIEW_MAX_ZOOM = 12


def render_preview(
    report: SyncReport,
    settings: Settings,
    *,
    search: Mapping[str, Any],
    outline: Iterable[tuple[float, float]] = (),
) -> bytes:
    """The preview page, as UTF-8 bytes, for the events the report publishes. `search` is the
    search index (search.search_index); `outline` the (latitude, longitude) points drawn
    faintly as the land (postcode centroids)."""
    publish = settings.publish
    events = report.published
    off_map = off_map_entries(report)
    text = PageText(
        title=f"{publish.title} (preview)",
        description=publish.description,
        form_url=publish.form_url,
        site_url=settings.site.url,
    )
    config = {
        "tiles": "",
        "outline": outline_image(outline),
        "maxZoom": PREVIEW_MAX_ZOOM,
        "nearbyKm": settings.site.nearby_km,
        "siteUrl": settings.site.url,
    }
    style_assets = [*styles()]
    script_assets = [*scripts()]
    head = "\n".join(
        [
            policy_meta(inline_policy(script_assets, style_assets)),
            *(f"<style>{asset.text}</style>" for asset in style_assets),
        ]
    )
    tail = "\n".join(
        [
            _json_block("site-config", config),
            _json_block("site-data", {"events": events_data(events)}),
            _json_block("site-search", search),
            *(_inline_script(asset) for asset in script_assets),
        ]
    )
    panel = organiser_panel(len(events), off_map)
    page = render_page(events, text, head=head, tail=tail, organiser_panel=panel)
    return page.encode("utf-8", "replace")


def organiser_panel(on_map: int, off_map: Sequence[dict[str, Any]]) -> str:
    """The organisers' panel: how many events are on the map, and each answer that is not,
    with the reasons its member of staff reads. Only the preview has it."""
    items = []
    for entry in off_map:
        name = (
            f"<strong>{html.escape(entry['title'])}</strong> (row {entry['row']})"
            if entry["title"]
            else f"<strong>The answer in row {entry['row']}</strong>"
        )
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in entry["reasons"])
        items.append(f"<li>{name}<ul>{reasons}</ul></li>")
    counts = f"{_plural(on_map, 'event')} on the map; {_plural(len(off_map), 'answer')} not on it."
    listed = f'<ol id="off-map-list">{"".join(items)}</ol>' if items else ""
    return (
        '<section class="organiser-panel" aria-labelledby="organiser-heading">'
        '<h2 id="organiser-heading">For organisers: not on the map '
        f"({len(off_map)})</h2><p>Preview: {html.escape(counts)} The public map never shows "
        f"this panel.</p>{listed}</section>"
    )


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


def outline_image(points: Iterable[tuple[float, float]]) -> dict[str, Any]:
    """The land as a faint dot map: an SVG (as a data: address) and the corners it covers.

    Dots sit on a grid in Web Mercator, the projection of the map itself, so Leaflet can
    stretch the picture between its corners and every dot lands where its place is.
    """
    south, north, west, east = UK_BOUNDS
    top = _mercator(north)
    cells = set()
    for latitude, longitude in points:
        if south <= latitude <= north and west <= longitude <= east:
            x = round((longitude - west) / OUTLINE_CELL)
            y = round((top - _mercator(latitude)) / OUTLINE_CELL)
            cells.add((x, y))
    width = round((east - west) / OUTLINE_CELL)
    height = round((top - _mercator(south)) / OUTLINE_CELL)
    path = "".join(f"M{x} {y}h0" for x, y in sorted(cells, key=lambda cell: (cell[1], cell[0])))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
        f'<path d="{path}" fill="none" stroke="#9aa5b1" stroke-width="0.8" '
        'stroke-linecap="round"/></svg>'
    )
    image = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")
    return {"image": image, "bounds": [[south, west], [north, east]], "dots": len(cells)}


def _mercator(latitude: float) -> float:
    """A latitude's Web Mercator y, in degrees (as longitude is), growing northwards."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))


def _json_block(element_id: str, data: Any) -> str:
    return f'<script type="application/json" id="{element_id}">{script_json(data)}</script>'


def _inline_script(asset: Asset) -> str:
    return f"<script>{asset.text}</script>"


def _off_map(row: int, title: str, why: str, problems: Sequence[Problem]) -> dict[str, Any]:
    reasons = [p.message for p in problems] or [
        "We could not find where this event is; add the venue's full postcode."
    ]
    return {"row": row, "title": title, "why": why, "reasons": reasons}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
