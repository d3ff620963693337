"""CSV files for Google My Maps' "Import" and "Reimport and merge": one file per layer.

My Maps imports one file into one layer, at most 2,000 rows at a time, so each layer gets its
own file, "<prefix>-<layer-slug>.csv", split beyond 2,000 rows into "<prefix>-<layer-slug>-2.csv"
and so on. The columns are the public fields' labels, always all of them in the same order
("Event ID" first; My Maps finds "Latitude" and "Longitude" itself), so a reimport matches
rows by "Event ID". Rows are in the KML's order: date (undated last), title, id.

Text from the form cannot become a formula: a cell starting = + - @ (or a tab or CR) gets a
leading apostrophe. Only the coordinates, which smwsync writes itself, are left as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import partial

from smwsync.model import Event
from smwsync.publish.fields import PUBLIC_FIELDS, public_record
from smwsync.publish.kml import UNNAMED_LAYER, is_mappable, kml_layers, xml_text
from smwsync.publish.pieces import Pieces
from smwsync.publish.text_safety import neutralise_formula

MAX_ROWS_PER_FILE = 2000
# Numbers smwsync formats itself ("-1.558000"): never neutralised, or My Maps cannot place them.
NUMBER_FIELDS = frozenset({"latitude", "longitude"})
HEADER: tuple[str, ...] = tuple(field.label for field in PUBLIC_FIELDS)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def render_mymaps_csv(
    events: Sequence[Event],
    *,
    prefix: str,
    layer_order: Sequence[str] | None = None,
    max_rows: int = MAX_ROWS_PER_FILE,
    pieces: Pieces | None = None,
) -> dict[str, bytes]:
    """File name -> CSV bytes (UTF-8, CRLF) for each layer's events that have a location.

    Layers follow `layer_order` as in the KML; a layer with no events has no file. Rows kept
    in `pieces` are not written again.
    """
    return {
        name: "".join(text).encode("utf-8")
        for name, text in mymaps_csv_texts(
            events, prefix=prefix, layer_order=layer_order, max_rows=max_rows, pieces=pieces
        )
    }


def mymaps_csv_texts(
    events: Sequence[Event],
    *,
    prefix: str,
    layer_order: Sequence[str] | None = None,
    max_rows: int = MAX_ROWS_PER_FILE,
    pieces: Pieces | None = None,
) -> list[tuple[str, Iterator[str]]]:
    """Each CSV file of `render_mymaps_csv`: its name and its text, one row at a time (made
    only as it is read)."""
    if max_rows < 1:
        raise ValueError("max_rows must be 1 or more.")
    stem = csv_prefix(prefix)
    by_layer: dict[str, list[Event]] = {}
    for event in events:
        if is_mappable(event):
            by_layer.setdefault(event.layer or UNNAMED_LAYER, []).append(event)
    files: list[tuple[str, Iterator[str]]] = []
    slugs = layer_slugs(kml_layers(events, layer_order))
    for layer, slug in slugs.items():
        rows = sorted(by_layer[layer], key=_row_order)
        for part, start in enumerate(range(0, len(rows), max_rows), start=1):
            suffix = "" if part == 1 else f"-{part}"
            text = csv_text(rows[start : start + max_rows], pieces)
            files.append((f"{stem}-{slug}{suffix}.csv", text))
    return files


def csv_bytes(events: Sequence[Event], pieces: Pieces | None = None) -> bytes:
    """One CSV file: the header row, then one row per event, in the order given."""
    return "".join(csv_text(events, pieces)).encode("utf-8")


def csv_text(events: Sequence[Event], pieces: Pieces | None = None) -> Iterator[str]:
    """The text of `csv_bytes`, one row at a time."""
    pieces = pieces or Pieces()
    lines = _Lines()
    yield lines.line(list(HEADER))
    for event in events:
        yield pieces.piece("csv row", event, (), partial(lines.row, event))


class _Lines:
    """Rows as the csv module writes them, one at a time."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def line(self, cells: list[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        return self._buffer.getvalue()

    def row(self, event: Event) -> str:
        return self.line(csv_row(event))


def csv_row(event: Event) -> list[str]:
    """The event's public fields as cells, safe to open in a spreadsheet."""
    return [
        value if name in NUMBER_FIELDS else neutralise_formula(xml_text(value))
        for name, value in public_record(event).items()
    ]


# The longest layer part of a CSV file's name.
MAX_SLUG = 60


def csv_prefix(prefix: str) -> str:
    """The start of every CSV file's name: the configured name without any ".csv" ending."""
    return prefix[:-4] if prefix.lower().endswith(".csv") else prefix


def layer_slug(layer: str) -> str:
    """A layer's name as a file-name part: "Face-to-face" -> "face-to-face", "Caerdydd" kept.
    A long one (an event type typed as a sentence) is cut to MAX_SLUG characters, ending in a
    short hash of the whole name: a file name, with the temporary mark a sync adds while it
    writes it, must fit the 255 bytes file systems allow."""
    ascii_name = unicodedata.normalize("NFKD", layer).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(layer.encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"


def layer_slugs(layers: Sequence[str] | dict[str, int]) -> dict[str, str]:
    """Layer -> a slug no other layer has: a clash or an empty slug gets a short hash."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for layer in layers:
        slug = layer_slug(layer)
        if not slug or slug in taken:
            digest = hashlib.sha256(layer.encode("utf-8")).hexdigest()[:8]
            slug = f"{slug}-{digest}" if slug else f"layer-{digest}"
        taken.add(slug)
        slugs[layer] = slug
    return slugs


def _row_order(event: Event) -> tuple[dt.date, str, str]:
    return (event.date or dt.date.max, event.title, event.id)
