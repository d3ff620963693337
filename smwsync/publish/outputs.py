"""Every file output `[publish]` switches on, rendered to bytes: file name -> contents.

An output is on when its file name is set (`kml`, `kmz`, `geojson`, `ics`) and off when it is
"". `csv` is a prefix: My Maps gets one CSV file per layer, "<prefix>-<layer>.csv".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from smwsync.errors import ConfigError
from smwsync.model import Event
from smwsync.publish.geojson import render_geojson
from smwsync.publish.ics import render_ics
from smwsync.publish.kml import render_kml
from smwsync.publish.kmz import render_kmz
from smwsync.publish.mymaps_csv import render_mymaps_csv
from smwsync.select import FORMAT_LAYERS

if TYPE_CHECKING:
    from smwsync.config import PublishSettings

OUTPUT_KEYS = ("kml", "kmz", "geojson", "ics", "csv")


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


def check_output_names(settings: PublishSettings) -> None:
    """Raise ConfigError unless every output's name is a plain file name used only once."""
    seen: dict[str, str] = {}
    for key in OUTPUT_KEYS:
        name = getattr(settings, key)
        if not name:
            continue
        if "/" in name or "\\" in name or name in (".", ".."):
            raise ConfigError(
                f"[publish] {key} = {name!r} must be a file name, without a folder: the files "
                "go in [publish] out (or --out PATH)."
            )
        if name in seen:
            raise ConfigError(
                f"[publish] {key} and {seen[name]} are both {name!r}: give each output its own "
                "file name."
            )
        seen[name] = key
