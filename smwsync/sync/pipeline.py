"""One sync from start to finish: source -> clean -> geocode -> select -> publish."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from smwsync.clean.validate import clean_responses
from smwsync.config import Settings
from smwsync.errors import ConfigError
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.geocode.offline import locate_offline
from smwsync.model import Event, Problem, SyncReport
from smwsync.publish.kml import render_kml
from smwsync.select import FORMAT_LAYERS, select_events
from smwsync.sources.columns import responses_from_table
from smwsync.sources.csv_export import read_csv
from smwsync.sources.sheets import read_sheet
from smwsync.sources.table import Table
from smwsync.sync.files import write_atomically

# The answer a member of staff should look at when a location note is about their row.
LOCATION_FIELDS = {
    "no_location": "address",
    "placed_at_council": "address",
    "place_far_from_council": "address",
    "far_from_council": "postcode",
    "postcode_not_found": "postcode",
}


def run(
    settings: Settings,
    *,
    write: bool = True,
    gazetteer: Gazetteer | None = None,
    environ: Mapping[str, str] | None = None,
) -> SyncReport:
    """Read the responses, clean and place every event, and (when `write`) publish the files.

    Problems in rows are returned in the report; a failure raises a SmwsyncError before any file
    is replaced, so the last published files stay exactly as they were. `environ` holds the
    environment variables the caller lets through (Google credentials and endpoint).
    """
    gazetteer = gazetteer or Gazetteer.load()
    table = read_source(settings, environ or {})
    responses, header_problems = responses_from_table(table, settings.columns)
    # A live sheet says which locale and time zone its dates are written in; that wins.
    source = replace(
        settings.source,
        locale=table.locale or settings.source.locale,
        timezone=table.timezone or settings.source.timezone,
    )
    cleaned = clean_responses(
        responses,
        find_council=gazetteer.find_council,
        day_first=source.day_first,
        timezone=source.timezone,
    )
    events, location_problems = locate_events(cleaned.events, gazetteer, settings)
    problems = tuple(
        sorted(
            (*header_problems, *cleaned.problems, *location_problems),
            key=lambda p: (p.row_number, p.field, p.code),
        )
    )
    selection = select_events(
        events, problems, layer_by=settings.publish.layer_by, council_of=gazetteer.council
    )
    report = SyncReport(
        rows_read=len(table.rows),
        source=table.name,
        events=tuple(events),
        published=selection.published,
        unplaced=selection.unplaced,
        rejected=selection.rejected,
        problems=problems,
        dry_run=not write,
    )
    if write:
        report.outputs = publish(selection.published, settings)
    return report


def read_source(settings: Settings, environ: Mapping[str, str]) -> Table:
    """Read the form's responses from the CSV download or the live sheet the settings name."""
    source = settings.source
    if source.csv is not None:
        return read_csv(source.csv, source.encoding)
    if source.sheet:
        return read_sheet(
            source,
            credentials_env=environ.get("GOOGLE_APPLICATION_CREDENTIALS") or None,
            endpoint_env=environ.get("SMWSYNC_SHEETS_ENDPOINT") or None,
        )
    raise ConfigError(
        "No source of responses: set [source] sheet or csv in the configuration, "
        "or pass --csv PATH."
    )


def locate_events(
    events: tuple[Event, ...], gazetteer: Gazetteer, settings: Settings
) -> tuple[list[Event], list[Problem]]:
    """Place every event with the offline gazetteer; say why where one cannot be placed."""
    located: list[Event] = []
    problems: list[Problem] = []
    for event in events:
        location, notes = locate_offline(
            event, gazetteer, max_km=settings.geocode.council_distance_km
        )
        located.append(replace(event, location=location))
        problems.extend(
            Problem.from_note(note, event.row_number, LOCATION_FIELDS.get(note.code, "postcode"))
            for note in notes
        )
    return located, problems


def publish(events: tuple[Event, ...], settings: Settings) -> tuple[str, ...]:
    """Write every configured output; return the paths of the files written or kept."""
    out: Path = settings.publish.out
    kml = render_kml(
        events,
        title=settings.publish.title,
        description=settings.publish.description,
        form_url=settings.publish.form_url,
        # Layers in the form's order keep each layer's colour from one sync to the next.
        layer_order=tuple(FORMAT_LAYERS.values())
        if settings.publish.layer_by == "format"
        else None,
    )
    path = out / settings.publish.kml
    write_atomically(path, kml)
    return (str(path),)
