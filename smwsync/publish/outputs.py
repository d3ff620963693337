"""Every file output `[publish]` switches on, rendered to bytes: file name -> contents.

An output is on when its file name is set (`kml`, `kmz`, `geojson`, `ics`) and off when it is
"". `csv` is a prefix: My Maps gets one CSV file per layer, "<prefix>-<layer>.csv".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from smwsync.config import PublishSettings
from smwsync.model import Event
from smwsync.publish.geojson import render_geojson
from smwsync.publish.ics import render_ics
from smwsync.publish.kml import render_kml
from smwsync.publish.kmz import render_kmz
from smwsync.publish.mymaps_csv import csv_prefix, render_mymaps_csv
from smwsync.publish.pieces import Pieces
from smwsync.select import FORMAT_LAYERS


def render_outputs(
    events: Sequence[Event],
    settings: PublishSettings,
    *,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Event] = (),
    pieces: Pieces | None = None,
) -> dict[str, bytes]:
    """File name -> bytes for each output the settings switch on, in OUTPUT_KEYS order.

    `sequences` and `cancelled` come from the sync state and only change the calendar.
    Each event's piece of each output kept in `pieces` (from the last sync) is not made again.
    """
    pieces = pieces or Pieces()
    files: dict[str, bytes] = {}
    kml = b""
    if settings.kml or settings.kmz:
        kml = render_kml(
            events,
            title=settings.title,
            description=settings.description,
            form_url=settings.form_url,
            layer_order=layer_order(settings.layer_by),
            pieces=pieces,
        )
    if settings.kml:
        files[settings.kml] = kml
    if settings.kmz:
        files[settings.kmz] = render_kmz(kml)
    if settings.geojson:
        files[settings.geojson] = render_geojson(events, pieces=pieces)
    if settings.ics:
        files[settings.ics] = render_ics(
            events,
            sequences=sequences,
            cancelled=cancelled,
            title=settings.title,
            description=settings.description,
            form_url=settings.form_url,
            pieces=pieces,
        )
    if settings.csv:
        files.update(
            render_mymaps_csv(
                events,
                prefix=settings.csv,
                layer_order=layer_order(settings.layer_by),
                pieces=pieces,
            )
        )
    return files


def layer_order(layer_by: str) -> tuple[str, ...] | None:
    """The order of the map's layers: the form's order for formats, so colours stay put."""
    return tuple(FORMAT_LAYERS.values()) if layer_by == "format" else None


# The endings of every file output's name, whatever it is called.
OUTPUT_ENDINGS = (".kml", ".kmz", ".geojson", ".ics", ".csv")
# The live map's files ([publish] site): one folder of `out` holding a page, its data, its
# scripts and styles, and a copy of the calendar.
SITE_FILES = frozenset(
    (
        "index.html",
        "numbers.html",  # the week in numbers (its CSV has an output's ending)
        "events.json",
        "search.json",
        "site.js",
        "site.css",
        "leaflet.js",
        "leaflet.css",
        "leaflet.markercluster.js",
        "MarkerCluster.css",
        "leaflet-gesture-handling.js",
        "leaflet-gesture-handling.css",
    )
)


def could_write(name: str, settings: PublishSettings) -> bool:
    """True when `name` (relative to the out folder) is a file the outputs could be called:
    one the settings name now, a CSV file of the `csv` prefix ("<prefix>-<layer>[-N].csv"),
    or any name with an output's ending (an output switched off or renamed since), or a file
    of the live map's site folder ("map/index.html")."""
    named = {settings.kml, settings.kmz, settings.geojson, settings.ics} - {""}
    if name in named or name.lower().endswith(OUTPUT_ENDINGS):
        return True
    folder, slash, file = name.partition("/")
    if slash and folder and not folder.startswith(".") and "/" not in file:
        return file in SITE_FILES or file.lower().endswith(".ics")
    stem = csv_prefix(settings.csv) if settings.csv else ""
    return (
        bool(stem) and re.fullmatch(rf"{re.escape(stem)}-[a-z0-9][a-z0-9-]*\.csv", name) is not None
    )
