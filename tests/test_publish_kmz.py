"""KMZ (zipped KML), and `smwsync sync` with every file output switched on, each read back."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile

import icalendar
import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.publish.kml import render_kml
from smwsync.publish.kmz import KMZ_MEMBER, render_kmz

from conftest import ONLINE_CHAT, TEA_CAMP, config_toml, form_csv, make_event
from kml_readers import extended_data, fastkml_folders, folders, parse_strict


def unzip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def test_a_kmz_holds_the_kml_as_doc_kml_and_nothing_else() -> None:
    kml = render_kml([make_event(1), make_event(2)], title="SMW")
    archive = unzip(render_kmz(kml))
    assert archive.namelist() == [KMZ_MEMBER] == ["doc.kml"]
    assert archive.read("doc.kml") == kml
    by_folder = folders(parse_strict(archive.read("doc.kml")))
    assert [extended_data(p)["id"] for p in by_folder["Face-to-face"]] == [
        "smw-000000000001",
        "smw-000000000002",
    ]


def test_a_kmz_is_compressed_with_fixed_timestamps_and_permissions() -> None:
    kml = render_kml([make_event(n) for n in range(50)], title="SMW")
    data = render_kmz(kml)
    (entry,) = unzip(data).infolist()
    assert entry.date_time == (1980, 1, 1, 0, 0, 0)
    assert entry.compress_type == zipfile.ZIP_DEFLATED
    assert (entry.external_attr >> 16) & 0o777 == 0o644
    assert len(data) < len(kml) / 4


def test_the_same_kml_gives_the_same_kmz_bytes() -> None:
    kml = render_kml([make_event(1)], title="SMW")
    assert render_kmz(kml) == render_kmz(kml)
    assert render_kmz(kml) != render_kmz(render_kml([make_event(2)], title="SMW"))


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP's unzip is not installed")
def test_info_zip_unzip_tests_the_archive_clean(tmp_path) -> None:
    path = tmp_path / "events.kmz"
    path.write_bytes(render_kmz(render_kml([make_event(1)], title="SMW")))
    completed = subprocess.run(
        ["unzip", "-t", str(path)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout
    assert "testing: doc.kml" in completed.stdout
    assert "No errors detected" in completed.stdout


# --- the whole sync, with every output on ----------------------------------------------------

ALL_OUTPUTS = 'kmz = "events.kmz"\ngeojson = "events.geojson"\nics = "events.ics"\ncsv = "events"\n'
EXPECTED_FILES = [
    "events-face-to-face.csv",
    "events-online.csv",
    "events.geojson",
    "events.ics",
    "events.kml",
    "events.kmz",
]


def map_files(out) -> list:
    """The map files in the output folder (a sync may keep its own state files there too)."""
    return sorted(
        p for p in out.iterdir() if p.suffix in (".kml", ".kmz", ".geojson", ".ics", ".csv")
    )


def sync(*args: str):
    return CliRunner().invoke(cli, ["sync", *args], catch_exceptions=False)


def write_campaign(folder, publish_lines: str):
    """A responses CSV and a configuration whose [publish] table has exactly these lines."""
    (folder / "responses.csv").write_text(
        form_csv([TEA_CAMP, ONLINE_CHAT]), encoding="utf-8", newline=""
    )
    config = config_toml().split("[publish]")[0] + '[publish]\nout = "out"\n' + publish_lines
    path = folder / "smwsync.toml"
    path.write_text(config, encoding="utf-8")
    return path


def test_sync_with_every_output_writes_each_file_and_all_agree(campaign) -> None:
    config = campaign([TEA_CAMP, ONLINE_CHAT], ALL_OUTPUTS)
    result = sync("--config", str(config))
    assert result.exit_code == 0, result.output
    out = config.parent / "out"
    assert [p.name for p in map_files(out)] == EXPECTED_FILES
    for name in EXPECTED_FILES:
        assert f"Wrote {out / name}" in result.output

    kml = (out / "events.kml").read_bytes()
    assert unzip((out / "events.kmz").read_bytes()).read("doc.kml") == kml
    ids = {
        extended_data(mark)["id"] for marks in folders(parse_strict(kml)).values() for mark in marks
    }
    assert len(ids) == 2
    assert {len(marks) for marks in fastkml_folders(kml).values()} == {1}
    geojson = json.loads((out / "events.geojson").read_bytes())
    assert {feature["id"] for feature in geojson["features"]} == ids
    calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    assert {str(event["UID"]) for event in calendar.walk("VEVENT")} == {f"{i}@smwsync" for i in ids}
    csv_ids = set()
    for name in ("events-face-to-face.csv", "events-online.csv"):
        text = (out / name).read_text(encoding="utf-8")
        csv_ids.update(line.split(",")[0] for line in text.splitlines()[1:])
    assert csv_ids == ids
    for path in map_files(out):
        data = path.read_bytes()
        for secret in (b"private.person@", b"Priya Private", b"second.person@", b"team@example"):
            assert secret not in data


def test_a_second_sync_of_the_same_answers_touches_no_file(campaign) -> None:
    config = campaign([TEA_CAMP, ONLINE_CHAT], ALL_OUTPUTS)
    assert sync("--config", str(config)).exit_code == 0
    out = config.parent / "out"
    before = {}
    for path in map_files(out):
        before[path.name] = path.read_bytes()
        os.utime(path, (1_000_000, 1_000_000))
    assert sync("--config", str(config)).exit_code == 0
    assert [p.name for p in map_files(out)] == EXPECTED_FILES
    for path in map_files(out):
        assert path.read_bytes() == before[path.name]
        assert path.stat().st_mtime == 1_000_000


def test_an_empty_file_name_switches_an_output_off(tmp_path) -> None:
    config = write_campaign(tmp_path, 'kml = ""\nkmz = "events.kmz"\n')
    result = sync("--config", str(config))
    assert result.exit_code == 0, result.output
    assert [p.name for p in map_files(tmp_path / "out")] == ["events.kmz"]
    doc = unzip((tmp_path / "out" / "events.kmz").read_bytes()).read("doc.kml")
    assert sum(len(marks) for marks in folders(parse_strict(doc)).values()) == 2


def test_only_the_kml_is_written_unless_other_outputs_are_named(tmp_path) -> None:
    config = write_campaign(tmp_path, "")
    assert sync("--config", str(config)).exit_code == 0
    assert [p.name for p in map_files(tmp_path / "out")] == ["smw-events.kml"]


@pytest.mark.parametrize(
    ("publish_lines", "message"),
    [
        ('geojson = "maps/events.geojson"\n', "[publish] geojson = 'maps/events.geojson'"),
        ('ics = ".."\n', "must be a file name"),
        ('kml = "events.kml"\nkmz = "events.kml"\n', "kmz and kml are both 'events.kml'"),
    ],
)
def test_an_output_name_that_is_not_a_plain_unique_file_name_is_a_configuration_error(
    tmp_path, publish_lines: str, message: str
) -> None:
    config = write_campaign(tmp_path, publish_lines)
    result = sync("--config", str(config))
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()
