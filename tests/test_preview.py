"""`smwsync preview`: one self-contained page, its embedded data, escaping and projection.

What the page does in a browser is tested in test_preview_browser.py; here is what can be
read from the file itself.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event, Location, Precision, SyncReport
from smwsync.publish.fields import info_window_html
from smwsync.publish.preview import (
    CONTENT_SECURITY_POLICY,
    OUTLINE_GRID,
    MapFrame,
    outline_path,
    render_preview,
    script_json,
    where_text,
)
from smwsync.sync import pipeline

from conftest import ONLINE_CHAT

ROOT = Path(__file__).resolve().parents[1]
DATA_BLOCK = re.compile(r'<script type="application/json" id="preview-data">(.*?)</script>', re.S)

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


def test_the_page_embeds_each_published_event_with_its_kml_info_window(campaign):
    config = campaign(
        [TEA_CAMP, ONLINE_CHAT, NO_TITLE, NOWHERE], 'form_url = "https://f.example/x"\n'
    )
    data = embedded(preview(config)[1])
    assert data["layers"] == [
        {"name": "Face-to-face", "colour": "#0072B2", "count": 1},
        {"name": "Online", "colour": "#D55E00", "count": 1},
    ]
    tea, chat = data["events"]
    assert tea["title"] == '<b>Tea & "cake"</b> camp'
    assert (tea["layer"], tea["colour"], tea["date"]) == ("Face-to-face", "#0072B2", "2027-03-23")
    assert tea["when"] == "Tuesday 23 March 2027, 14:00–16:00"
    assert tea["where"] == "Leeds <i>Central</i> Library, Calverley Street, Leeds, LS1 1UR"
    assert tea["region"] == "Yorkshire and The Humber"
    assert "Leeds &lt;i&gt;Central&lt;/i&gt; Library" in tea["info"]
    assert '<a href="https://f.example/x">Add your own event</a>' in tea["info"]
    assert (chat["layer"], chat["region"]) == ("Online", "Wales")
    assert chat["where"] == "Shown roughly: centre of Cardiff"
    assert data["dates"] == [
        {"value": "2027-03-23", "label": "Tuesday 23 March 2027"},
        {"value": "2027-03-24", "label": "Wednesday 24 March 2027"},
    ]
    assert data["regions"] == ["Wales", "Yorkshire and The Humber"]
    # Leeds is east and a little north of Cardiff on the map (y grows southwards).
    assert tea["x"] > chat["x"] and tea["y"] < chat["y"]


def test_answers_off_the_map_are_listed_with_the_reason(campaign):
    config = campaign([TEA_CAMP, NO_TITLE, NOWHERE])
    off_map = embedded(preview(config)[1])["offMap"]
    assert [(entry["row"], entry["title"], entry["why"]) for entry in off_map] == [
        (3, "", "not an event"),
        (4, "Coffee morning", "error"),
    ]
    assert "no event title" in off_map[0]["reasons"][0]
    assert any("Parish of Nowhere" in reason for reason in off_map[1]["reasons"])


def test_nothing_private_is_in_the_page(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT])
    page = preview(config)[1]
    for secret in ("private.person@", "second.person@", "Priya Private", "team@example.org"):
        assert secret not in page


def test_the_page_loads_nothing_from_anywhere(campaign):
    page = preview(campaign([TEA_CAMP]))[1]
    assert (
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'.replace(
            "'", "&#x27;"
        )
        in page
    )
    static = DATA_BLOCK.sub("", page)
    assert not re.search(r"\bsrc\s*=", static)
    assert re.findall(r"<link[^>]*>", static) == ['<link rel="icon" href="data:,">']
    assert "@import" not in static and "url(" not in static


def test_the_same_responses_give_the_same_bytes(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT, NO_TITLE])
    first = preview(config)[1]
    path = config.parent / "out" / "preview.html"
    before = path.stat().st_mtime_ns
    assert preview(config)[1] == first
    assert path.stat().st_mtime_ns == before  # an unchanged page is not rewritten


def test_the_demo_page_is_small(tmp_path):
    result = CliRunner().invoke(
        cli, ["preview", "--config", str(ROOT / "config" / "demo.toml"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith("66 events on the map, 3 not on it.\n")
    size = (tmp_path / "preview.html").stat().st_size
    assert 50_000 < size < 300_000


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
    assert len(re.findall(r"</script", page, re.I)) == 2  # the data block's and the script's
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


def test_the_map_frame_keeps_places_in_their_places():
    frame = MapFrame.around([])
    london, edinburgh, cardiff = (51.507, -0.128), (55.953, -3.189), (51.481, -3.179)
    assert frame.point(*edinburgh)[1] < frame.point(*london)[1]
    assert frame.point(*cardiff)[0] < frame.point(*london)[0]
    for place in (london, edinburgh, cardiff, (60.8, -0.8), (49.9, -6.3), (54.6, -8.1)):
        x, y = frame.point(*place)
        assert 0 < x < frame.width and 0 < y < frame.height
    # A pin far outside the UK (a typed-in location) widens the map rather than falling off it.
    madeira = MapFrame.around([(32.65, -16.9)])
    x, y = madeira.point(32.65, -16.9)
    assert 0 < x < madeira.width and 0 < y < madeira.height


def test_the_outline_is_one_dot_per_grid_cell():
    frame = MapFrame.around([])
    near = [(53.8, -1.55), (53.8001, -1.5501), (53.8002, -1.5502)]
    assert outline_path(near, frame).count("M") == 1
    outline = outline_path(Gazetteer.load().centroids(), frame)
    dots = re.findall(r"M([\d.]+) ([\d.]+)h0", outline)
    assert 3000 < len(dots) == outline.count("M")
    assert len(set(dots)) == len(dots)
    assert all(float(x) % OUTLINE_GRID == 0 == float(y) % OUTLINE_GRID for x, y in dots)
    assert all(0 <= float(x) <= frame.width and 0 <= float(y) <= frame.height for x, y in dots)


def test_where_says_when_a_pin_is_only_roughly_placed():
    exact = event_at(53.8, -1.55)
    assert where_text(exact) == "Civic Hall"
    rough = event_at(
        53.8,
        -1.55,
        venue="",
        location=Location(53.8, -1.55, Precision.COUNCIL, "gazetteer", "centre of Leeds"),
    )
    assert where_text(rough) == "Shown roughly: centre of Leeds"


def test_render_preview_uses_the_kml_info_window_and_layer_order():
    phone = event_at(51.5, -0.12, layer="Phone", formats=("phone",), title="Call-in")
    here = event_at(53.8, -1.55)
    report = SyncReport(events=(phone, here), published=(phone, here))
    page = render_preview(
        report,
        title="T",
        form_url="https://f.example/x",
        layer_order=("Face-to-face", "Online", "Phone"),
    ).decode("utf-8")
    data = embedded(page)
    assert [e["layer"] for e in data["events"]] == ["Face-to-face", "Phone"]
    assert [layer["colour"] for layer in data["layers"]] == ["#0072B2", "#D55E00"]
    assert data["events"][1]["info"] == info_window_html(phone, "https://f.example/x")
    assert data["events"][0]["region"] == "No council given"


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


def test_events_at_one_spot_get_pins_of_their_own_around_it():
    frame = MapFrame.around([])
    spot = frame.point(53.8, -1.55)
    events = [event_at(53.8, -1.55, id=f"smw-{n}", title=f"Surgery {n}") for n in range(3)]
    alone = event_at(51.5, -0.12)
    report = SyncReport(events=(*events, alone), published=(*events, alone))
    data = embedded(render_preview(report, title="T").decode("utf-8"))
    pins = {e["id"]: (e["x"], e["y"]) for e in data["events"]}
    assert len(set(pins.values())) == 4
    for n in range(3):
        x, y = pins[f"smw-{n}"]
        assert 7 < math.dist((x, y), spot) < 9  # apart, but still where the events are
    assert pins[alone.id] == frame.point(51.5, -0.12)


def test_a_report_with_nothing_on_the_map_still_gives_a_page():
    page = render_preview(SyncReport(), title="Nothing yet").decode("utf-8")
    data = embedded(page)
    assert data == {"layers": [], "events": [], "dates": [], "regions": [], "offMap": []}
    assert "0 events on the map; 0 answers not on it." in page
