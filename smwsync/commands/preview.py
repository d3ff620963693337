"""`smwsync preview`: run the sync without publishing and write the live map's page as one
self-contained file, with the organisers' panel of answers not on the map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from smwsync.config import Settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import SyncReport
from smwsync.publish.kml import is_mappable
from smwsync.publish.site.preview import PREVIEW_FILE, off_map_entries, render_preview
from smwsync.publish.site.search import search_index
from smwsync.sync import pipeline
from smwsync.sync.files import write_atomically


@dataclass(frozen=True)
class Preview:
    """The preview page written, and the report of the sync it shows."""

    path: Path
    report: SyncReport
    written: bool

    @property
    def on_map(self) -> int:
        """How many events the page shows as pins."""
        return sum(1 for event in self.report.published if is_mappable(event))

    @property
    def off_map(self) -> int:
        """How many answers the page lists as not on the map."""
        return len(off_map_entries(self.report))


def write_preview(
    settings: Settings,
    *,
    gazetteer: Gazetteer | None = None,
    environ: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Preview:
    """Read and place every answer as a sync would, publish nothing, and write preview.html
    into the output folder (atomically: a reader never sees half a page)."""
    gazetteer = gazetteer or Gazetteer.load()
    report = pipeline.run(settings, write=False, gazetteer=gazetteer, environ=environ, today=today)
    page = render_preview(
        report, settings, search=search_index(gazetteer), outline=gazetteer.centroids()
    )
    path = settings.publish.out / PREVIEW_FILE
    written = write_atomically(path, page)
    return Preview(path=path, report=report, written=written)
