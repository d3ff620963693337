"""GeoJSON for uMap, Leaflet and GIS tools, checked against RFC 7946 by an independent reader.

geojson-pydantic (a test dependency) checks the structure: a FeatureCollection of Features with
Point geometries and valid positions. The RFC's rules it does not check (longitude first and in
range, no `crs` member, an `id` on each Feature, UTF-8 JSON without NaN) are checked here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from geojson_pydantic import FeatureCollection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from smwsync.cli import cli
from smwsync.model import FACE_TO_FACE, ONLINE, Event, Location, Precision
from smwsync.publish.fields import PUBLIC_FIELDS, public_record, when_text
from smwsync.publish.geojson import render_geojson

from conftest import ONLINE_CHAT, TEA_CAMP, make_event
from kml_readers import coordinates, extended_data, folders, parse_strict, public_names

PUBLIC_NAMES = {field.name for field in PUBLIC_FIELDS} | {"name", "when"}


def rfc7946_errors(data: bytes) -> list[str]:
    """Every RFC 7946 rule the document breaks ([] when it keeps them all)."""
    errors = []
    try:
        text = data.decode("utf-8")  # section 11: UTF-8, and no byte-order mark
    except UnicodeDecodeError as err:
        return [f"not UTF-8: {err}"]
    if text.startswith("\ufeff"):
        errors.append("starts with a byte-order mark")

    def no_constants(name: str) -> float:
        raise ValueError(f"{name} is not JSON")

    document = json.loads(text, parse_constant=no_constants)
    FeatureCollection.model_validate(document)  # raises on any structural error
    if document.get("type") != "FeatureCollection":
        errors.append("not a FeatureCollection")
    if "crs" in document:
        errors.append("has a crs member (section 4: WGS84 only)")
    for feature in document["features"]:
        if not isinstance(feature.get("id"), str | int):
            errors.append(f"feature without a string or number id: {feature.get('id')!r}")
        longitude, latitude = feature["geometry"]["coordinates"]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            errors.append(f"position out of range: {longitude}, {latitude}")
    return errors


def parse(data: bytes) -> dict:
    assert rfc7946_errors(data) == []
    return json.loads(data)


def test_the_rfc_checks_catch_a_broken_document() -> None:
    broken = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:27700"}},
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [53.8, -181.5]},
                "properties": {},
            }
        ],
    }
    errors = rfc7946_errors(json.dumps(broken).encode("utf-8"))
    assert len(errors) == 3
    with pytest.raises(ValidationError):
        rfc7946_errors(b'{"type": "FeatureCollection", "features": [{"type": "Feature"}]}')


def test_each_placed_event_is_a_point_feature_with_longitude_first() -> None:
    document = parse(render_geojson([make_event(1)]))
    (feature,) = document["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == "smw-000000000001"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-1.55832, 53.79758]}


def test_properties_are_the_public_record_with_a_name_and_when() -> None:
    event = make_event(1, contact_consent=True)
    (feature,) = parse(render_geojson([event]))["features"]
    assert feature["properties"] == {
        "name": "Social media surgery 1",
        "when": "Tuesday 23 March 2027, 14:30–16:00",
        **public_record(event),
    }
    assert feature["properties"]["contact_email"] == "digital@leeds.example.gov.uk"


def test_nothing_private_reaches_the_file() -> None:
    data = render_geojson([make_event(1)])
    (feature,) = parse(data)["features"]
    assert set(feature["properties"]) <= PUBLIC_NAMES
    for secret in (b"jo.private@", b"Privateperson", b"Sam Moderator", b"digital@leeds"):
        assert secret not in data


def test_events_without_a_location_or_with_impossible_coordinates_are_left_out() -> None:
    events = [
        make_event(1),
        make_event(2, location=None),
        make_event(3, location=Location(math.nan, -1.5, Precision.EXACT, "sheet")),
        make_event(4, location=Location(53.8, 181.0, Precision.EXACT, "sheet")),
        make_event(5, location=Location(-91.0, 0.0, Precision.EXACT, "sheet")),
    ]
    document = parse(render_geojson(events))
    assert [f["id"] for f in document["features"]] == ["smw-000000000001"]


def test_no_events_is_an_empty_feature_collection() -> None:
    assert parse(render_geojson([])) == {"type": "FeatureCollection", "features": []}


def test_features_are_sorted_by_date_title_and_id_and_bytes_are_stable() -> None:
    events = [
        make_event(1, title="B", date=None),
        make_event(2, title="B"),
        make_event(3, title="A"),
        make_event(4, title="Z", date=dt.date(2027, 3, 22)),
    ]
    data = render_geojson(events)
    assert [f["id"] for f in parse(data)["features"]] == [
        "smw-000000000004",
        "smw-000000000003",
        "smw-000000000002",
        "smw-000000000001",
    ]
    assert render_geojson(list(reversed(events))) == data


def test_markup_quotes_and_emoji_are_kept_as_text() -> None:
    title = '<script>alert("x")</script> Tea & cake ☕ مرحبا'
    (feature,) = parse(render_geojson([make_event(1, title=title)]))["features"]
    assert feature["properties"]["name"] == title
    assert feature["properties"]["title"] == title


def test_when_is_the_same_text_the_map_shows() -> None:
    event = make_event(1, end_time=None)
    (feature,) = parse(render_geojson([event]))["features"]
    assert feature["properties"]["when"] == when_text(event) == "Tuesday 23 March 2027, 14:30"


any_text = st.text(st.characters(codec="utf-8"), max_size=30)


@st.composite
def any_event(draw: st.DrawFn) -> Event:
    number = draw(st.integers(0, 10**6))
    return make_event(
        number,
        title=draw(any_text),
        description=draw(any_text),
        venue=draw(any_text),
        layer=draw(any_text),
        date=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
        formats=draw(st.sampled_from([(FACE_TO_FACE,), (ONLINE,), ()])),
        location=Location(
            draw(st.floats(-90, 90)), draw(st.floats(-180, 180)), Precision.EXACT, "sheet"
        ),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=st.lists(any_event(), max_size=4))
def test_any_text_and_any_coordinates_give_a_valid_rfc7946_document(events: list[Event]) -> None:
    data = render_geojson(events)
    document = parse(data)
    assert len(document["features"]) == len(events)
    assert sorted(f["properties"]["title"] for f in document["features"]) == sorted(
        e.title for e in events
    )
    assert render_geojson(events) == data


# --- the whole sync, read back -----------------------------------------------------------


def test_sync_writes_geojson_that_matches_the_kml(campaign) -> None:
    config = campaign([TEA_CAMP, ONLINE_CHAT], 'geojson = "events.geojson"\n')
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = config.parent / "out"
    data = (out / "events.geojson").read_bytes()
    assert f"Wrote {out / 'events.geojson'}" in result.output
    features = {f["id"]: f for f in parse(data)["features"]}
    placemarks = [
        mark
        for marks in folders(parse_strict((out / "events.kml").read_bytes())).values()
        for mark in marks
    ]
    assert len(features) == len(placemarks) == 2
    for mark in placemarks:
        fields = public_names(extended_data(mark))
        feature = features[fields["id"]]
        assert {k: v for k, v in feature["properties"].items() if k in fields} == fields
        assert tuple(feature["geometry"]["coordinates"]) == pytest.approx(coordinates(mark))
    for secret in (b"private.person@", b"Priya Private", b"second.person@", b"team@example"):
        assert secret not in data


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_gdal_reads_the_file_as_wgs84_points(tmp_path) -> None:
    path = tmp_path / "events.geojson"
    path.write_bytes(render_geojson([make_event(1), make_event(2, title="Tea & cake")]))
    completed = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    )
    assert "Geometry: Point" in completed.stdout
    assert "Feature Count: 2" in completed.stdout
    assert "WGS 84" in completed.stdout
    # GDAL gives the extent as (x, y): longitude first, as the file says.
    assert "Extent: (-1.558320, 53.797580) - (-1.558320, 53.797580)" in completed.stdout
