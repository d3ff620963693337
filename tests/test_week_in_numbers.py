"""The public "week in numbers" page: every number checked against an independent count of the
GeoJSON a sync of the demo publishes and the shipped council list."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from lxml import etree, html

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import FACE_TO_FACE, ONLINE
from smwsync.publish.numbers import OTHER, week_in_numbers
from smwsync.publish.numbers_page import render_numbers_csv, render_numbers_page
from smwsync.sync import pipeline

from conftest import ROOT, make_event

DEMO = ROOT / "config" / "demo.toml"
COUNCILS = ROOT / "smwsync" / "data" / "uk_local_authorities.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        cli, ["sync", "--config", str(DEMO), "--out", str(out), "--quiet", "--today", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    geojson = json.loads((out / "smw-events.geojson").read_text(encoding="utf-8"))
    gazetteer = Gazetteer.load()
    report = pipeline.run(
        load_settings(DEMO), write=False, gazetteer=gazetteer, today=dt.date(2026, 11, 24)
    )
    numbers = week_in_numbers(
        report.published, gazetteer.local_councils(), gazetteer.county_councils()
    )
    return numbers, [f["properties"] for f in geojson["features"]]


def tally(numbers, key):
    return dict(next(t for t in numbers.tallies if t.key == key).rows)


def test_events_by_area_format_and_type_match_the_published_geojson(demo):
    numbers, published = demo
    assert numbers.events == len(published)
    assert tally(numbers, "area") == Counter(p["region"] or p["nation"] for p in published)
    formats = Counter(part.strip() for p in published for part in p["format"].split(","))
    counted = tally(numbers, "format")
    assert {name: counted.get(name, 0) for name in ("Face-to-face", "Online", "Phone")} == {
        name: formats.get(name, 0) for name in ("Face-to-face", "Online", "Phone")
    }
    types = Counter(p["event_type"] or "Not given" for p in published)
    shown = tally(numbers, "type")
    top = dict(types.most_common())
    assert sum(shown.values()) == len(published)
    assert {k: v for k, v in shown.items() if k != OTHER}.items() <= top.items()


def test_councils_taking_part_match_the_published_geojson_and_the_council_list(demo):
    numbers, published = demo
    with COUNCILS.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    local = {row["name"]: row for row in rows if row["tier"] == "lower_or_unitary"}
    # The map names a council by its official name; the numbers by its short one.
    short = {row["official_name"]: row["name"] for row in rows}
    names = [short.get(p["council"], p["council"]) for p in published]
    per_council = Counter(name for name in names if name in local)
    assert {d.name: d.events for d in numbers.councils} == dict(per_council)
    assert numbers.local_councils == len(local) == 361
    by_area = Counter(local[name]["region"] or local[name]["nation"] for name in per_council)
    assert tally(numbers, "councils") == dict(by_area)


def test_the_page_has_strict_svg_charts_tables_and_a_csv_with_the_same_numbers(demo):
    numbers, _ = demo
    page = render_numbers_page(numbers, title="SMW", map_link="index.html").decode("utf-8")
    document = html.fromstring(page)
    assert document.xpath("//script") == []
    policy = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert charts
    for chart in charts:
        svg = etree.fromstring(chart.encode("utf-8"))
        assert svg.find("{http://www.w3.org/2000/svg}title").text
    # One dot a council taking part, over the backdrop of every council.
    council_map = etree.fromstring(charts[-1].encode("utf-8"))
    dots = council_map.findall("{http://www.w3.org/2000/svg}circle")
    assert len(dots) == numbers.local_councils + numbers.taking_part
    rows = list(csv.reader(io.StringIO(render_numbers_csv(numbers).decode("utf-8"))))
    assert rows[0] == ["Table", "Label", "Count"]
    assert ["Total", "Events on the map", str(numbers.events)] in rows
    for t in numbers.tallies:
        for label, count in t.rows:
            assert [t.caption, label, str(count)] in rows
    # Each table on the page holds the tally's numbers.
    for t in numbers.tallies:
        if t.has_shared_answers:
            caption = document.xpath(f"//table[caption={json.dumps(t.caption)}]")
            assert len(caption) == 1
            cells = [int(c) for c in caption[0].xpath(".//td[@class='number']/text()")]
            assert cells == [count for _, count in t.rows]


def test_free_text_with_no_shared_answer_is_not_charted():
    events = [make_event(n, aims=f"Aim number {n}", audience="Residents") for n in range(1, 4)]
    numbers = week_in_numbers(events, local_councils=())
    assert not next(t for t in numbers.tallies if t.key == "aims").has_shared_answers
    assert tally(numbers, "audience") == {"Residents": 3}
    page = render_numbers_page(numbers, title="SMW").decode("utf-8")
    assert "Each of the 3 events says this in its own words" in page
    assert "Aim number 1" not in page


def test_answers_are_counted_in_their_commonest_spelling_and_hostile_text_stays_text():
    events = [
        make_event(1, audience="Community groups", formats=(FACE_TO_FACE,)),
        make_event(2, audience="community  groups", formats=(FACE_TO_FACE, ONLINE)),
        make_event(3, audience="<script>alert(1)</script>", formats=(ONLINE,)),
        make_event(4, audience="<script>alert(1)</script>", event_type="=HYPERLINK(1)"),
    ]
    numbers = week_in_numbers(events, local_councils=())
    assert tally(numbers, "audience") == {"Community groups": 2, "<script>alert(1)</script>": 2}
    assert tally(numbers, "format") == {"Face-to-face": 3, "Online": 2}
    page = render_numbers_page(numbers, title="<b>SMW</b>").decode("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>SMW</b>" not in page
    for chart in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        etree.fromstring(chart.encode("utf-8"))
    assert "'=HYPERLINK(1)" in render_numbers_csv(numbers).decode("utf-8")
