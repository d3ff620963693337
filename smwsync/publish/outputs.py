"""Every file output `[publish]` switches on, written one piece at a time into the files of
the sync's commit (or kept as bytes: file name -> contents).

An output is on when its file name is set (`kml`, `kmz`, `geojson`, `ics`) and off when it is
"". `csv` is a prefix: My Maps gets one CSV file per layer, "<prefix>-<layer>.csv".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import partial

from smwsync.config import SITE_FILES, PublishSettings
from smwsync.model import Event
from smwsync.publish.geojson import geojson_text
from smwsync.publish.ics import ics_text
from smwsync.publish.kml import kml_text
from smwsync.publish.kmz import write_kmz
from smwsync.publish.mymaps_csv import csv_prefix, mymaps_csv_texts
from smwsync.publish.output_files import BLOCK, InMemory, OutputFiles
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
    """File name -> bytes for each output the settings switch on, in OUTPUT_KEYS order
    (see `write_outputs`)."""
    files = InMemory()
    write_outputs(files, events, settings, sequences=sequences, cancelled=cancelled, pieces=pieces)
    return files.files


def write_outputs(
    files: OutputFiles,
    events: Sequence[Event],
    settings: PublishSettings,
    *,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Event] = (),
    pieces: Pieces | None = None,
) -> None:
    """Write each output the settings switch on into `files`, in OUTPUT_KEYS order, one
    event's piece at a time: no output is ever held whole.

    `sequences` and `cancelled` come from the sync state and only change the calendar.
    Each event's piece of each output kept in `pieces` (from the last sync) is not made again.
    """
    pieces = pieces or Pieces()
    order = layer_order(settings.layer_by)
    csv_files = (
        mymaps_csv_texts(events, prefix=settings.csv, layer_order=order, pieces=pieces)
        if settings.csv
        else []
    )
    named = (settings.kml, settings.kmz, settings.geojson, settings.ics)
    files.expect([*filter(None, named), *(name for name, _ in csv_files)])

    def kml() -> Iterator[str]:
        return kml_text(
            events,
            title=settings.title,
            description=settings.description,
            form_url=settings.form_url,
            layer_order=order,
            pieces=pieces,
        )

    if settings.kml:
        files.text(settings.kml, kml())
    if settings.kmz:
        with files.create(settings.kmz) as kmz:
            if settings.kml:  # zipped from the file just written
                with files.open(settings.kml) as written:
                    write_kmz(kmz, iter(partial(written.read, BLOCK), b""))
            else:
                write_kmz(kmz, (text.encode() for text in kml()))
    if settings.geojson:
        files.text(settings.geojson, geojson_text(events, pieces=pieces))
    if settings.ics:
        calendar = ics_text(
            events,
            sequences=sequences,
            cancelled=cancelled,
            title=settings.title,
            description=settings.description,
            form_url=settings.form_url,
            pieces=pieces,
        )
        files.text(settings.ics, calendar)
    for name, text in csv_files:
        files.text(name, text)


def layer_order(layer_by: str) -> tuple[str, ...] | None:
    """The order of the map's layers: the form's order for formats, so colours stay put."""
    return tuple(FORMAT_LAYERS.values()) if layer_by == "format" else None


# The endings of every file output's name, whatever it is called.
OUTPUT_ENDINGS = (".kml", ".kmz", ".geojson", ".ics", ".csv")


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
