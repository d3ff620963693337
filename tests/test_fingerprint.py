"""An unchanged sheet costs a read: the sync stops there and touches nothing but its status."""

from __future__ import annotations

import datetime as dt
import json
import os

from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.sync import pipeline
from smwsync.sync.fingerprint import PACKAGE, code_stamp

from conftest import sync_in_a_child

ROWS = [
    {"timestamp": "20/11/2026 10:00:00", "title": "Tea camp", "council": "Leeds",
     "postcode": "LS1 1UR", "date": "23/03/2027", "formats": "Face-to-face"},
    {"timestamp": "20/11/2026 11:00:00", "title": "Online chat", "council": "Cardiff",
     "date": "24/03/2027", "formats": "Online"},
]  # fmt: skip


def sync(config, *args: str):
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def stamps(folder):
    """Modification time of every file but the status and lock files, touched on every run."""
    touched = {"status.json", ".smwsync-state.json.lock"}
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name not in touched}


def freeze(folder):
    for path in folder.iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_an_unchanged_sheet_stops_after_the_read(campaign):
    config = campaign(ROWS)
    settings = load_settings(config)
    pipeline.sync(settings, today=None)
    out = config.parent / "out"
    freeze(out)
    before = stamps(out)
    report, outcome = pipeline.sync(settings, today=None)
    assert report is None  # nothing was cleaned, placed or rendered
    assert outcome.nothing_changed and outcome.last_report["published"] == 2
    assert stamps(out) == before
    assert json.loads((out / "status.json").read_text())["result"] == "no changes"


def test_json_of_an_unchanged_sync_still_describes_the_map(campaign):
    config = campaign(ROWS)
    first = json.loads(sync(config, "--json"))
    again = json.loads(sync(config, "--json"))
    assert again["nothing_changed"] is True
    assert again["published"] == first["published"] == 2
    assert again["by_layer"] == first["by_layer"]
    assert again["changes"]["added"] == []


def test_a_missing_output_is_written_again(campaign):
    config = campaign(ROWS)
    sync(config)
    kml = config.parent / "out" / "events.kml"
    data = kml.read_bytes()
    kml.unlink()
    sync(config)
    assert kml.read_bytes() == data


def test_changed_settings_or_a_new_day_mean_a_whole_sync(campaign):
    config = campaign(ROWS)
    sync(config)
    out = config.parent / "out"
    kml = (out / "events.kml").read_bytes()
    # A new day: everything is worked out again (events may be past); the map is the same.
    freeze(out)
    before = stamps(out)
    assert sync(config, "--today", "2026-11-25").strip() == "No changes since the last sync."
    changed = {name for name, stamp in stamps(out).items() if before[name] != stamp}
    assert changed <= {".smwsync-state.json"}  # only to keep the new day's fingerprint
    # New settings: the map's title changes, so the files do.
    text = config.read_text(encoding="utf-8").replace('title = "Test campaign"', 'title = "SMW"')
    config.write_text(text, encoding="utf-8")
    assert "Published 2 events." in sync(config)
    assert (out / "events.kml").read_bytes() != kml


def test_force_always_does_the_whole_sync(campaign):
    config = campaign(ROWS)
    sync(config)
    report, _ = pipeline.sync(load_settings(config), force=True)
    assert report is not None and len(report.published) == 2


def test_an_output_damaged_by_hand_is_put_back_and_then_left_alone(campaign):
    config = campaign(ROWS)
    sync(config)
    kml = config.parent / "out" / "events.kml"
    good = kml.read_bytes()
    kml.write_bytes(b"garbage")
    sync(config)
    assert kml.read_bytes() == good
    # Put back, the files are as the state says again: the same day's next sync stops early.
    report, _ = pipeline.sync(load_settings(config), today=dt.date(2026, 11, 24))
    assert report is None


def test_json_says_whether_anything_changed_on_every_path(campaign):
    config = campaign(ROWS)
    assert json.loads(sync(config, "--json"))["nothing_changed"] is False
    assert json.loads(sync(config, "--json", "--force"))["nothing_changed"] is True
    assert json.loads(sync(config, "--json"))["nothing_changed"] is True


def test_a_download_is_fingerprinted_by_its_bytes(campaign):
    config = campaign(ROWS)
    settings = load_settings(config)
    pipeline.sync(settings)
    csv = config.parent / "responses.csv"
    out = config.parent / "out"
    kml = (out / "events.kml").read_bytes()
    # The same answers saved again with other line endings: other bytes, so a whole sync...
    data = csv.read_bytes()
    csv.write_bytes(data.replace(b"\r\n", b"\n") if b"\r\n" in data else data + b"\n")
    report, outcome = pipeline.sync(settings)
    assert report is not None and not outcome.changes  # ...which finds the map as it was
    assert (out / "events.kml").read_bytes() == kml
    assert pipeline.sync(settings)[0] is None  # and the next sync stops early again
    # One byte of one answer changed: it is on the map.
    csv.write_bytes(csv.read_bytes().replace(b"Tea camp", b"Tea cAmp"))
    report, outcome = pipeline.sync(settings)
    assert report is not None and [c.title for c in outcome.changes.updated] == ["Tea cAmp"]


# What a sync of an unchanged download must not load: the stages after the read, the workbook
# reader, the libraries that write outputs.
STAGES = ("openpyxl", "lxml", "icalendar", "smwsync.clean.", "smwsync.geocode.", "smwsync.select")


def test_an_unchanged_download_loads_none_of_the_stages_after_the_read(campaign):
    config = campaign(ROWS)
    sync(config)
    printed, loaded = sync_in_a_child(config)
    assert printed == "No changes since the last sync."
    assert [name for name in loaded if name.startswith(STAGES)] == []
    assert "smwsync.sync.pipeline" in loaded  # it did run the sync


def test_every_file_of_smwsync_is_in_its_stamp_the_map_s_script_and_style_too():
    # An upgrade that changes only the live map's script must still write the map again.
    shipped = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    stamped = {name for name, _, _ in code_stamp()}
    assert {"publish/site/static/site.js", "publish/site/static/site.css"} <= shipped
    assert stamped == shipped
