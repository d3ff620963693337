"""CSV files for Google My Maps, read back with the csv module (and GDAL when it is here)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.model import ONLINE, PHONE, Location, Precision
from smwsync.publish.fields import PUBLIC_FIELDS, public_record
from smwsync.publish.mymaps_csv import (
    HEADER,
    MAX_ROWS_PER_FILE,
    layer_slug,
    layer_slugs,
    render_mymaps_csv,
)

from conftest import ONLINE_CHAT, TEA_CAMP, leeds_answer, make_event
from kml_readers import extended_data, folders, parse_strict, public_names

LAYERS = ["Face-to-face", "Online", "Phone"]
LABEL_TO_NAME = {field.label: field.name for field in PUBLIC_FIELDS}


def read_rows(data: bytes) -> list[dict[str, str]]:
    """The file's rows as label -> cell, as Python's csv module reads it."""
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == HEADER
        return list(reader)


def test_one_file_per_layer_named_by_prefix_and_layer() -> None:
    events = [
        make_event(1),
        make_event(2, formats=(ONLINE,), layer="Online"),
        make_event(3, formats=(PHONE,), layer="Phone"),
        make_event(4),
    ]
    files = render_mymaps_csv(events, prefix="smw-events", layer_order=LAYERS)
    assert list(files) == [
        "smw-events-face-to-face.csv",
        "smw-events-online.csv",
        "smw-events-phone.csv",
    ]
    assert [r["Event ID"] for r in read_rows(files["smw-events-face-to-face.csv"])] == [
        "smw-000000000001",
        "smw-000000000004",
    ]


# A description typed over two lines: the line break stays inside its quoted cell.
MULTILINE = "Drop in with your questions,\nabout the council's pages."


def test_columns_are_every_public_field_by_label_with_latitude_and_longitude() -> None:
    event = make_event(1, contact_consent=True, description=MULTILINE)
    (data,) = render_mymaps_csv([event], prefix="smw").values()
    (row,) = read_rows(data)
    assert HEADER[0] == "Event ID"
    assert {"Latitude", "Longitude", "Title"} <= set(HEADER)
    assert {LABEL_TO_NAME[label]: cell for label, cell in row.items()} == public_record(event)
    assert row["Latitude"] == "53.797580" and row["Longitude"] == "-1.558320"
    assert row["Description"] == MULTILINE


def test_nothing_private_reaches_a_file() -> None:
    (data,) = render_mymaps_csv([make_event(1, description=MULTILINE)], prefix="smw").values()
    for secret in (b"jo.private@", b"Privateperson", b"Sam Moderator", b"digital@leeds"):
        assert secret not in data


def test_rows_are_crlf_utf8_sorted_like_the_kml_and_bytes_are_stable() -> None:
    events = [
        make_event(1, title="B", date=None, description=MULTILINE),
        make_event(2, title="B ☕", description=MULTILINE),
        make_event(3, title="A", description=MULTILINE),
        make_event(4, title="Z", date=dt.date(2027, 3, 22), description=MULTILINE),
    ]
    (data,) = render_mymaps_csv(events, prefix="smw").values()
    assert data.count(b"\r\n") == 5  # the header and 4 rows; a line break in a cell stays \n
    assert data.count(b"\n") == 5 + 4
    assert [r["Title"] for r in read_rows(data)] == ["Z", "A", "B ☕", "B"]
    assert render_mymaps_csv(list(reversed(events)), prefix="smw") == {"smw-face-to-face.csv": data}


def test_events_without_a_location_are_left_out_and_empty_layers_have_no_file() -> None:
    events = [make_event(1), make_event(2, location=None, formats=(ONLINE,), layer="Online")]
    assert list(render_mymaps_csv(events, prefix="smw")) == ["smw-face-to-face.csv"]
    assert render_mymaps_csv([], prefix="smw") == {}


def test_a_layer_past_2000_rows_is_split_into_numbered_parts() -> None:
    events = [make_event(n, title=f"Event {n:05d}") for n in range(MAX_ROWS_PER_FILE + 1)]
    files = render_mymaps_csv(events, prefix="smw")
    assert list(files) == ["smw-face-to-face.csv", "smw-face-to-face-2.csv"]
    first, second = (read_rows(data) for data in files.values())
    assert len(first) == 2000 and len(second) == 1
    assert second[0]["Title"] == "Event 02000"


def test_parts_keep_the_order_and_lose_no_row() -> None:
    events = [make_event(n, title=f"Event {n}") for n in range(7)]
    files = render_mymaps_csv(events, prefix="smw", max_rows=3)
    assert list(files) == [
        "smw-face-to-face.csv",
        "smw-face-to-face-2.csv",
        "smw-face-to-face-3.csv",
    ]
    titles = [row["Title"] for data in files.values() for row in read_rows(data)]
    assert titles == [f"Event {n}" for n in range(7)]


def test_a_prefix_ending_in_csv_is_not_doubled() -> None:
    assert list(render_mymaps_csv([make_event(1)], prefix="Events.CSV")) == [
        "Events-face-to-face.csv"
    ]


@pytest.mark.parametrize(
    "start", ["=", "+", "-", "@", "\t", "\r"], ids=["equals", "plus", "minus", "at", "tab", "cr"]
)
def test_text_that_could_be_a_formula_gets_a_leading_apostrophe(start: str) -> None:
    formula = f'{start}HYPERLINK("http://evil.example","Click")'
    event = make_event(1, title=formula, venue=formula, description=formula)
    (data,) = render_mymaps_csv([event], prefix="smw").values()
    (row,) = read_rows(data)
    assert row["Title"] == row["Venue"] == row["Description"] == "'" + formula


def test_coordinates_are_numbers_even_when_negative() -> None:
    event = make_event(1, location=Location(-33.9, -70.6, Precision.EXACT, "sheet"))
    (row,) = read_rows(render_mymaps_csv([event], prefix="smw")["smw-face-to-face.csv"])
    assert (row["Latitude"], row["Longitude"]) == ("-33.900000", "-70.600000")


def test_control_characters_are_removed_as_in_the_kml() -> None:
    (data,) = render_mymaps_csv([make_event(1, title="Tea\x00 and\x0b cake")], prefix="p").values()
    assert read_rows(data)[0]["Title"] == "Tea and cake"


@pytest.mark.parametrize(
    ("layer", "slug"),
    [
        ("Face-to-face", "face-to-face"),
        ("Other events", "other-events"),
        ("Bro Morgannwg / Vale of Glamorgan", "bro-morgannwg-vale-of-glamorgan"),
        ("Ynys Môn", "ynys-mon"),
        ("  Tea-camp!  ", "tea-camp"),
    ],
)
def test_layer_slugs_are_plain_lower_case_words(layer: str, slug: str) -> None:
    assert layer_slug(layer) == slug


def test_layers_whose_slugs_clash_or_are_empty_still_get_files_of_their_own() -> None:
    slugs = layer_slugs(["Tea camp", "Tea-camp", "☕", "🎉"])
    assert slugs["Tea camp"] == "tea-camp"
    assert len(set(slugs.values())) == 4
    assert all(s.startswith("tea-camp-") for s in (slugs["Tea-camp"],))
    assert slugs["☕"].startswith("layer-") and slugs["🎉"].startswith("layer-")
    events = [make_event(n, layer=layer) for n, layer in enumerate(slugs)]
    assert len(render_mymaps_csv(events, prefix="smw")) == 4


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_gdal_places_the_rows_by_their_latitude_and_longitude(tmp_path) -> None:
    events = [
        make_event(1, title="=1+1"),
        make_event(2, location=Location(51.5, -0.12, Precision.EXACT, "sheet")),
    ]
    (data,) = render_mymaps_csv(events, prefix="smw").values()
    path = tmp_path / "smw.csv"
    path.write_bytes(data)
    completed = subprocess.run(
        [
            "ogrinfo",
            "-ro",
            "-al",
            "-so",
            "-oo",
            "X_POSSIBLE_NAMES=Longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=Latitude",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Geometry: Point" in completed.stdout
    assert "Feature Count: 2" in completed.stdout
    assert "Extent: (-1.558320, 51.500000) - (-0.120000, 53.797580)" in completed.stdout


# --- the whole sync, read back -------------------------------------------------------------

SECOND_TEA = {**TEA_CAMP, "title": "Second tea", "submitter_email": "third@example.org"}


def test_sync_writes_csv_files_that_match_the_kml_layer_by_layer(campaign) -> None:
    config = campaign([TEA_CAMP, ONLINE_CHAT, SECOND_TEA], 'csv = "events"\n')
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = config.parent / "out"
    kml_folders = folders(parse_strict((out / "events.kml").read_bytes()))
    files = {name: out / f"events-{layer_slug(name)}.csv" for name in kml_folders}
    assert sorted(path.name for path in out.glob("*.csv")) == sorted(p.name for p in files.values())
    for layer, placemarks in kml_folders.items():
        rows = read_rows(files[layer].read_bytes())
        assert f"Wrote {files[layer]}" in result.output
        assert len(rows) == len(placemarks)
        for row, placemark in zip(rows, placemarks, strict=True):
            fields = public_names(extended_data(placemark))
            as_csv = {LABEL_TO_NAME[label]: cell for label, cell in row.items()}
            if fields["title"].startswith("="):
                assert as_csv.pop("title") == "'" + fields.pop("title")
            assert as_csv == fields
    for path in files.values():
        data = path.read_bytes()
        for secret in (b"private.person@", b"Priya Private", b"second.person@", b"team@example"):
            assert secret not in data


def test_a_layer_named_by_a_long_answer_still_gets_its_file(campaign) -> None:
    # An event type typed as a sentence names a layer (layer_by = "event_type"); its file's
    # name, with the temporary mark added while the sync writes it, must fit in 255 bytes.
    long_type = "A very long answer " * 12
    config = campaign(
        [leeds_answer(1, event_type=long_type), leeds_answer(2, event_type=long_type + "too")],
        'csv = "events"\nlayer_by = "event_type"\n',
    )
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (config.parent / "out").glob("events-*.csv"))
    assert len(names) == 2  # one file for each layer, the two long names kept apart
    assert all(len(name) <= 80 and name.startswith("events-a-very-long-answer") for name in names)
