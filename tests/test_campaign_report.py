"""`smwsync report`: every number checked against an independent count of the demo's response
rows, the GeoJSON a sync publishes and the shipped council list."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

from smwsync.cli import cli
from smwsync.model import Problem, Severity, SyncReport
from smwsync.publish.coverage import campaign_coverage
from smwsync.publish.coverage_page import render_coverage_page

from conftest import ROOT, make_event

DEMO = ROOT / "config" / "demo.toml"
RESPONSES = ROOT / "examples" / "form-responses.csv"
COUNCILS = ROOT / "smwsync" / "data" / "uk_local_authorities.csv"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo synced (for its GeoJSON) and reported on, with the report's JSON and page."""
    out = tmp_path_factory.mktemp("out")
    # A copy of the demo's configuration: a sync keeps its secret and work beside it, and the
    # repository's config/ folder is no place for a test to write.
    config = tmp_path_factory.mktemp("config") / "demo.toml"
    text = DEMO.read_text(encoding="utf-8")
    config.write_text(text.replace('"../examples/', f'"{RESPONSES.parent.as_posix()}/'), "utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SMWSYNC_TODAY", "2026-11-24")
        invoke("sync", "--config", str(config), "--out", str(out), "--quiet")
        numbers = json.loads(invoke("report", "--config", str(config), "--out", str(out), "--json"))
        checked = json.loads(invoke("check", "--config", str(config), "--out", str(out), "--json"))
    geojson = json.loads((out / "smw-events.geojson").read_text(encoding="utf-8"))
    page = (out / "campaign-report.html").read_text(encoding="utf-8")
    return numbers, checked, geojson, page


def council_rows() -> list[dict[str, str]]:
    with COUNCILS.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_councils_taking_part_are_the_published_events_councils(demo):
    numbers, _, geojson, _ = demo
    local = {row["name"] for row in council_rows() if row["tier"] == "lower_or_unitary"}
    # The map names a council by its official name; the report by its short one.
    short = {row["official_name"]: row["name"] for row in council_rows()}
    per_council = Counter(
        short.get(f["properties"]["council"], f["properties"]["council"])
        for f in geojson["features"]
        if f["properties"]["council"]
    )
    expected = {name: n for name, n in per_council.items() if name in local}
    assert {c["name"]: c["events"] for c in numbers["taking_part"]} == expected
    assert numbers["local_councils"] == len(local) == 361
    not_local = sum(n for name, n in per_council.items() if name not in local)
    no_council = sum(1 for f in geojson["features"] if not f["properties"]["council"])
    assert numbers["council_not_known"] == not_local + no_council
    events = [c["events"] for c in numbers["taking_part"]]
    assert events == sorted(events, reverse=True)


def test_every_council_without_an_event_is_listed_once_under_its_area(demo):
    numbers, _, _, _ = demo
    local = [row for row in council_rows() if row["tier"] == "lower_or_unitary"]
    taking = {c["name"] for c in numbers["taking_part"]}
    expected: dict[str, list[str]] = {}
    for row in local:
        if row["name"] not in taking:
            expected.setdefault(row["region"] or row["nation"], []).append(row["name"])
    assert {area: sorted(names) for area, names in numbers["without_events"].items()} == {
        area: sorted(names) for area, names in expected.items()
    }


def test_registrations_per_day_count_every_response_that_became_an_event(demo):
    numbers, checked, geojson, _ = demo
    not_events = {
        p["row"] for p in checked["problems"]["list"] if p["code"] in ("title_missing", "duplicate")
    }
    with RESPONSES.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))[1:]
    per_day = Counter(
        dt.datetime.strptime(cells[0], "%d/%m/%Y %H:%M:%S").date().isoformat()
        for number, cells in enumerate(rows, start=2)
        if number not in not_events and any(cell.strip() for cell in cells)
    )
    days = numbers["registrations"]
    totals = {d["day"]: sum(v for k, v in d.items() if k != "day") for d in days}
    assert {day: n for day, n in totals.items() if n} == dict(per_day)
    # Quiet days are there too, with nothing, so the chart reads as time.
    assert [d["day"] for d in days] == [
        (dt.date.fromisoformat(min(per_day)) + dt.timedelta(days=n)).isoformat()
        for n in range(len(days))
    ]
    assert days[-1]["day"] == max(per_day)
    assert sum(d["published"] for d in days) == len(geojson["features"])
    assert sum(d["hidden"] for d in days) == checked["hidden"]


def test_problems_are_counted_by_question_and_kind(demo):
    numbers, checked, _, _ = demo
    expected = Counter((p["field"], p["code"]) for p in checked["problems"]["list"])
    assert {(p["field"], p["code"]): p["count"] for p in numbers["problems"]} == expected
    counts = [p["count"] for p in numbers["problems"]]
    assert counts == sorted(counts, reverse=True)


def test_the_page_is_self_contained_and_names_no_submitter(demo):
    _, _, _, page = demo
    with RESPONSES.open(encoding="utf-8", newline="") as file:
        answers = list(csv.DictReader(file))
    names = {a["Your name"].strip() for a in answers if a["Your name"].strip()}
    assert names and not [name for name in names if name in page]
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", page)
    document = html.fromstring(page)
    assert document.xpath("//script") == []
    assert not document.xpath("//*[@src or @href]")
    policy = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_every_chart_is_strict_svg_with_a_title_and_a_table_beside_it(demo):
    _, _, _, page = demo
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) == 2
    for chart in charts:
        svg = etree.fromstring(chart.encode("utf-8"))  # strict XML: raises on any flaw
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        title = svg.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text
        assert svg.get("role") == "img"
        assert title.get("id") in svg.get("aria-labelledby").split()
    assert page.count("<table>") >= 3


def test_hostile_council_and_field_names_stay_text():
    hostile = make_event(1, council_code="X<script>", submitted_at=dt.datetime(2027, 1, 2, 9))
    report = SyncReport(
        events=(hostile,),
        published=(hostile,),
        problems=(Problem(2, 'date"><b>', Severity.ERROR, "message", "bad_</svg>"),),
    )
    coverage = campaign_coverage(report, local_councils=())
    page = render_coverage_page(coverage, title="<i>SMW</i>", today=dt.date(2027, 1, 3))
    text = page.decode("utf-8")
    assert "<i>SMW</i>" not in text and "&lt;i&gt;SMW&lt;/i&gt;" in text
    assert '"><b>' not in text and '</svg>"' not in text
    for chart in re.findall(r"<svg.*?</svg>", text, flags=re.S):
        etree.fromstring(chart.encode("utf-8"))


def test_the_report_goes_where_it_is_told_and_nowhere_public(tmp_path):
    target = tmp_path / "private" / "numbers.html"
    target.parent.mkdir()
    output = invoke(
        "report", "--config", str(DEMO), "--out", str(tmp_path / "out"), "--output", str(target)
    )
    assert f"Wrote {target}" in output
    assert re.match(r"\d+ of 361 councils have an event on the map; \d+ have none yet\.", output)
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert not Path(tmp_path / "out" / "campaign-report.html").exists()
