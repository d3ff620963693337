"""Outputs written to their temporary files one at a time, as they are made (sync/commit.py's
Commit, publish/output_files.py): what an organiser sees when a sync stops half-way through.

A sync killed at any point while it writes is in test_kill_points.py.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.config import PublishSettings
from smwsync.publish.kmz import KMZ_MEMBER
from smwsync.publish.outputs import render_outputs

from conftest import form_csv, leeds_answer, make_event

EVERY_OUTPUT = (
    'kmz = "events.kmz"\ngeojson = "events.geojson"\nics = "events.ics"\ncsv = "events"\n'
    'layer_by = "format"\nsite = "map"\n'
)


def everything(out) -> dict[str, bytes]:
    """Every file under `out` by its path there, but the status file (rewritten by every
    run, a failed one too) and the lock."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in ("status.json", ".smwsync-state.json.lock")
    }


def leftovers(out) -> list[str]:
    """smwsync's temporary files and journal: a sync that has ended leaves none."""
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.name.endswith(".journal") or (".smwsync-" in p.name and p.name.endswith(".tmp"))
    )


def sync(config):
    return CliRunner().invoke(cli, ["sync", "--config", str(config)])


def test_a_sync_that_fails_after_writing_most_outputs_leaves_the_old_set_and_no_stray_files(
    campaign,
) -> None:
    config = campaign([leeds_answer(1), leeds_answer(2, formats="Online")], EVERY_OUTPUT)
    assert sync(config).exit_code == 0
    out = config.parent / "out"
    before = everything(out)
    # Every output changes; the map's page, written after the KML, KMZ, GeoJSON, calendar,
    # CSVs and the rest of the site, cannot be: a folder stands in its place.
    rows = [leeds_answer(1, title="Renamed"), leeds_answer(2, formats="Online"), leeds_answer(3)]
    (config.parent / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
    page = out / "map" / "index.html"
    page.unlink()
    page.mkdir()
    del before["map/index.html"]

    failed = sync(config)

    assert failed.exit_code == 1, failed.output
    assert f"Could not write {page}" in failed.output
    assert everything(out) == before  # every other file exactly as it was
    assert leftovers(out) == []  # the outputs written to temporary files are gone
    # With the folder out of the way, the next sync publishes the new set.
    page.rmdir()
    again = sync(config)
    assert again.exit_code == 0, again.output
    after = everything(out)
    assert b"Renamed" in after["events.kml"] and b"Renamed" in after["map/index.html"]
    assert after["map/events.ics"] == after["events.ics"]
    assert leftovers(out) == []


def test_the_kmz_is_the_same_zipped_from_the_kml_file_or_made_without_one() -> None:
    events = tuple(make_event(number) for number in range(30))
    both = PublishSettings(kml="events.kml", kmz="events.kmz", title="Events")
    files = render_outputs(events, both)
    alone = render_outputs(events, replace(both, kml=""))
    assert list(alone) == ["events.kmz"]
    assert alone["events.kmz"] == files["events.kmz"]
    with zipfile.ZipFile(io.BytesIO(files["events.kmz"])) as archive:
        assert archive.read(KMZ_MEMBER) == files["events.kml"]
        # The sizes are in the entry's own header, as a zip made in one write has them.
        assert not archive.getinfo(KMZ_MEMBER).flag_bits & 0x08


def test_a_sync_writes_nothing_to_the_system_temporary_folder(campaign, monkeypatch, tmp_path):
    # A full or missing /tmp must not fail a sync whose out folder has room, with a message
    # naming the state as if its own disk were full.
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    config = campaign([leeds_answer(1), leeds_answer(2)], EVERY_OUTPUT)
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert (config.parent / "out" / ".smwsync-state.json").is_file()
