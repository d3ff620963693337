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
from smwsync.select import FORMAT_LAYERS


def render_outputs(
    events: Sequence[Event],
    settings: PublishSettings,
    *,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Event] = (),
) -> dict[str, bytes]:
    """File name -> bytes for each output the settings switch on, in OUTPUT_KEYS order.

    `sequences` and `cancelled` come from the sync state and only change the calendar.
    """
    files: dict[str, bytes] = {}
    kml = b""
    if settings.kml or settings.kmz:
        kml = render_kml(
            events,
            title=settings.title,
            description=settings.description,
            form_url=settings.form_url,
            layer_order=layer_order(settings.layer_by),
        )
    if settings.kml:
        files[settings.kml] = kml
    if settings.kmz:
        files[settings.kmz] = render_kmz(kml)
    if settings.geojson:
        files[settings.geojson] = render_geojson(events)
    if settings.ics:
        files[settings.ics] = render_ics(
            events,
            sequences=sequences,
            cancelled=cancelled,
            title=settings.title,
            description=settings.description,
            form_url=settings.form_url,
        )
    if settings.csv:
        files.update(
            render_mymaps_csv(
                events, prefix=settings.csv, layer_order=layer_order(settings.layer_by)
            )
        )
    return files


def layer_order(layer_by: str) -> tuple[str, ...] | None:
    """The order of the map's layers: the form's order for formats, so colours stay put."""
    return tuple(FORMAT_LAYERS.values()) if layer_by == "format" else None


# The endings of every file output's name, whatever it is called.
OUTPUT_ENDINGS = (".kml", ".kmz", ".geojson", ".ics", ".csv")


def could_write(name: str, settings: PublishSettings) -> bool:
    """True when `name` (relative to the out folder) is a file the outputs could be called:
    one the settings name now, a CSV file of the `csv` prefix ("<prefix>-<layer>[-N].csv"),
    or any name with an output's ending (an output switched off or renamed since)."""
    named = {settings.kml, settings.kmz, settings.geojson, settings.ics} - {""}
    if name in named or name.lower().endswith(OUTPUT_ENDINGS):
        return True
    stem = csv_prefix(settings.csv) if settings.csv else ""
    return (
        bool(stem) and re.fullmatch(rf"{re.escape(stem)}-[a-z0-9][a-z0-9-]*\.csv", name) is not None
    )
