"""`smwsync preview`: one self-contained page, its embedded data, escaping and projection.

What the page does in a browser is tested in test_preview_browser.py; here is what can be
read from the file itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.cli import cli
from smwsync.config import Settings, load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event, Location, Precision, SyncReport
from smwsync.publish.site.assets import scripts, styles
from smwsync.publish.site.data import rough_place, script_json, where_line
from smwsync.publish.site.preview import OUTLINE_CELL, UK_BOUNDS, outline_image, render_preview
from smwsync.sync import pipeline

from conftest import ONLINE_CHAT

ROOT = Path(__file__).resolve().parents[1]
DATA_BLOCK = re.compile(r'<script type="application/json" id="site-data">(.*?)</script>', re.S)

TEA_CAMP = {
    "timestamp": "20/11/2026 10:15:00",
    "submitter_email": "private.person@example.org",
    "submitter_name": "Priya Private",
    "council": "Leeds City Council",
    "title": '<b>Tea & "cake"</b> camp',
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "start_time": "14:00:00",
    "end_time": "16:00:00",
    "venue": "Leeds <i>Central</i> Library",
    "address": "Calverley Street, Leeds",
    "postcode": "ls11ur",
    "link": "https://example.org/book",
    "description": "Bring a laptop and a question ☕",
    "contact_email": "team@example.org",
    "contact_consent": "No",
}
NO_TITLE = {"timestamp": "21/11/2026 09:05:00", "council": "Leeds", "postcode": "LS1 1UR"}
NOWHERE = {
    "timestamp": "21/11/2026 09:06:00",
    "council": "Parish of Nowhere",
    "title": "Coffee morning",
    "formats": "Face-to-face",
    "date": "25/03/2027",
}


def preview(config: Path, *args: str) -> tuple[str, str]:
    """Run `smwsync preview`; return what it printed and the page written."""
    result = CliRunner().invoke(cli, ["preview", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    page = (config.parent / "out" / "preview.html").read_text(encoding="utf-8")
    return result.output, page


def embedded(page: str) -> dict:
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_preview_writes_one_page_and_says_what_is_on_the_map(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT, NO_TITLE, NOWHERE])
    output, page = preview(config)
    path = config.parent / "out" / "preview.html"
    assert output == f"Wrote {path}: 2 events on the map, 2 not on it.\n"
    # A preview publishes nothing.
    assert sorted(p.name for p in path.parent.iterdir()) == ["preview.html"]
    assert "<title>Test campaign (preview)</title>" in page
    assert "2 events on the map; 2 answers not on it." in page


def test_the_page_is_the_live_maps_page_with_each_event_listed_and_embedded(campaign):
    config = campaign(
        [TEA_CAMP, ONLINE_CHAT, NO_TITLE, NOWHERE], 'form_url = "https://f.example/x"\n'
    )
    page = preview(config)[1]
    tea, chat = embedded(page)["events"]
    assert tea["title"] == '<b>Tea & "cake"</b> camp'
    assert (tea["formats"], tea["date"], tea["region"]) == (
        ["face-to-face"],
        "2027-03-23",
        "Yorkshire and The Humber",
    )
    assert (chat["formats"], chat["region"]) == (["online"], "Wales")
    # The list is the site's: each event by date, its text escaped once.
    assert f'<li id="{tea["id"]}" class="event format-face-to-face">' in page
    assert '<h4>&lt;b&gt;Tea &amp; "cake"&lt;/b&gt; camp</h4>' in page
    assert "Leeds &lt;i&gt;Central&lt;/i&gt; Library, Calverley Street, Leeds, LS1 1UR" in page
    assert "Shown on the map roughly: centre of Cardiff" in page
    assert '<a href="https://f.example/x">Add your own event</a>' in page
    assert page.index("Tuesday 23 March 2027") < page.index("Wednesday 24 March 2027")


def test_answers_off_the_map_are_listed_with_the_reason(campaign):
    config = campaign([TEA_CAMP, NO_TITLE, NOWHERE])
    page = preview(config)[1]
    panel = re.search(r'<section class="organiser-panel".*?</section>', page, re.S)
    assert panel is not None
    items = re.findall(r"<li><strong>(.*?)</strong>(.*?)<ul>(.*?)</ul></li>", panel.group(0))
    assert [(name, where) for name, where, _ in items] == [
        ("The answer in row 3", ""),
        ("Coffee morning", " (row 4)"),
    ]
    assert "no event title" in items[0][2]
    assert "Parish of Nowhere" in items[1][2]


def test_nothing_private_is_in_the_page(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT])
    page = preview(config)[1]
    for secret in ("private.person@", "second.person@", "Priya Private", "team@example.org"):
        assert secret not in page


def test_the_page_loads_nothing_from_anywhere_and_allows_only_its_own_inline_code(campaign):
    page = preview(campaign([TEA_CAMP]))[1]
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert "unsafe-inline" not in policy.group(1)
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    # Each inline script and style is allowed by the hash of exactly its text, and only those.
    inline_scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    inline_styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert inline_scripts == [asset.text for asset in scripts()]
    assert inline_styles == [asset.text for asset in styles()]
    assert directives["script-src"].split() == [asset.sha256 for asset in scripts()]
    assert directives["style-src"].split() == [asset.sha256 for asset in styles()]
    assert "\r" not in "".join(inline_styles)  # a parser would read CRLF as LF: a wrong hash
    static = re.sub(r"<script.*?</script>|<style>.*?</style>", "", page, flags=re.S)
    assert not re.search(r"\bsrc\s*=", static)
    assert re.findall(r"<link[^>]*>", static) == ['<link rel="icon" href="data:,">']


def test_the_same_responses_give_the_same_bytes(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT, NO_TITLE])
    first = preview(config)[1]
    path = config.parent / "out" / "preview.html"
    before = path.stat().st_mtime_ns
    assert preview(config)[1] == first
    assert path.stat().st_mtime_ns == before  # an unchanged page is not rewritten


def test_the_demo_page_holds_everything_it_needs(tmp_path):
    result = CliRunner().invoke(
        cli, ["preview", "--config", str(ROOT / "config" / "demo.toml"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith("66 events on the map, 3 not on it.\n")
    size = (tmp_path / "preview.html").stat().st_size
    # Leaflet (about 200 kB), the search index (about 600 kB) and the demo's events.
    assert 500_000 < size < 1_500_000


HOSTILE_TITLES = [
    "Alpha </script><script>alert(1)</script>",
    "Bravo </SCRIPT >",
    "Charlie <!-- <script>",
    "Delta a\u2028b\u2029c",
    "Echo ]]></x>&amp;",
]


def test_form_text_cannot_end_the_data_block(campaign):
    rows = [
        dict(TEA_CAMP, title=title, venue=title, timestamp=f"20/11/2026 10:1{n}:00")
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    config = campaign(rows)
    page = preview(config)[1]
    # The page's own: its settings, events and search index, and its four scripts.
    assert len(re.findall(r"</script", page, re.I)) == 3 + len(scripts())
    assert "<!--" not in page
    published = pipeline.run(load_settings(config), write=False).published
    assert len(published) == len(HOSTILE_TITLES)
    assert sorted(e["title"] for e in embedded(page)["events"]) == sorted(
        e.title for e in published
    )


FORM_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(FORM_TEXT, max_size=4))
def test_script_json_is_inert_in_html_and_reads_back_the_same(texts):
    data = {"events": [{"title": text, "info": text} for text in texts]}
    written = script_json(data)
    assert not re.search("[<>&\u2028\u2029\ud800-\udfff]", written)
    written.encode("utf-8")  # always valid UTF-8, lone surrogates included
    assert json.loads(written) == data


def event_at(latitude: float, longitude: float, **changes: object) -> Event:
    values: dict[str, object] = {
        "id": f"smw-{latitude}-{longitude}",
        "title": "Surgery",
        "row_number": 2,
        "venue": "Civic Hall",
        "council": "Leeds",
        "council_code": "E08000035",
        "formats": ("face-to-face",),
        "date": dt.date(2027, 3, 23),
        "location": Location(latitude, longitude, Precision.POSTCODE, "gazetteer"),
        "layer": "Face-to-face",
    }
    values.update(changes)
    return Event(**values)  # type: ignore[arg-type]


def mercator(latitude: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))


def test_the_outline_is_one_dot_per_grid_cell_where_the_map_puts_the_place():
    near = [(53.8, -1.55), (53.8001, -1.5501), (53.8002, -1.5502)]
    assert outline_image(near)["dots"] == 1
    south, north, west, east = UK_BOUNDS
    svg = base64.b64decode(outline_image(near)["image"].split(",", 1)[1]).decode("ascii")
    x, y = map(float, re.search(r'd="M([\d.]+) ([\d.]+)h0"', svg).groups())
    # Leeds is drawn where Web Mercator (Leaflet's projection) puts it between the corners.
    assert x * OUTLINE_CELL + west == pytest.approx(-1.55, abs=OUTLINE_CELL)
    assert mercator(north) - y * OUTLINE_CELL == pytest.approx(mercator(53.8), abs=OUTLINE_CELL)
    outline = outline_image(Gazetteer.load().centroids())
    assert outline["dots"] > 3000
    assert outline["bounds"] == [[south, west], [north, east]]


def test_where_says_each_part_once_and_when_a_pin_is_only_roughly_placed():
    exact = event_at(53.8, -1.55, address="Calverley Street, Leeds LS1 1UR", postcode="LS1 1UR")
    assert where_line(exact) == "Civic Hall, Calverley Street, Leeds LS1 1UR"
    assert rough_place(exact) == ""
    rough = event_at(
        53.8,
        -1.55,
        venue="",
        location=Location(53.8, -1.55, Precision.COUNCIL, "gazetteer", "centre of Leeds"),
    )
    assert rough_place(rough) == "Shown on the map roughly: centre of Leeds"


def test_a_report_with_nothing_on_the_map_still_gives_a_page():
    page = render_preview(SyncReport(), Settings(), search={}).decode("utf-8")
    assert embedded(page) == {"events": []}
    assert "0 events on the map; 0 answers not on it." in page


def fake_browser(folder: Path, said: Path) -> Path:
    """A folder holding an `xdg-open` that writes the page it was asked to open to `said`."""
    folder.mkdir()
    program = folder / "xdg-open"
    program.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{said}"\n', encoding="utf-8")
    program.chmod(0o755)
    return folder


def test_open_shows_the_page_in_the_browser(campaign, tmp_path):
    config = campaign([TEA_CAMP])
    said = tmp_path / "opened"
    os.mkfifo(said)
    browser = fake_browser(tmp_path / "bin", said)
    result = CliRunner().invoke(
        cli,
        ["preview", "--config", str(config), "--open"],
        env={"PATH": f"{browser}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.exit_code == 0, result.output
    with said.open(encoding="utf-8") as pipe:  # waits for the browser to be started
        assert pipe.read() == str(config.parent / "out" / "preview.html")


def test_open_without_a_browser_says_where_the_page_is(campaign, tmp_path):
    config = campaign([TEA_CAMP])
    nothing = tmp_path / "empty"
    nothing.mkdir()
    result = CliRunner().invoke(
        cli, ["preview", "--config", str(config), "--open"], env={"PATH": str(nothing)}
    )
    assert result.exit_code == 0, result.output
    page = (config.parent / "out" / "preview.html").resolve()
    assert result.output.splitlines()[-1] == (
        f"Could not start a web browser: open {page.as_uri()} in yours."
    )
