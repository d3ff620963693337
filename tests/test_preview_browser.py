"""`smwsync preview` opened in a real headless chromium with no network, as an organiser would.

Chromium starts with its own empty profile and every host name unresolvable; the tests read
what the page logged and every request it made over the DevTools protocol. A screenshot of
each page goes to tests/artifacts/ (not committed). Without /usr/bin/chromium the tests are
skipped on a developer's machine and fail on CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from smwsync.cli import cli

import cdp

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
DEMO_CONFIG = ROOT / "config" / "demo.toml"
PROBLEMS = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Page.javascriptDialogOpening")

if cdp.find_chromium() is None:
    reason = "chromium is not installed (apt-get install chromium) for the preview's browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(f"On CI {reason}: .ci/run should have installed it.", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def write_preview(config: Path, out: Path) -> dict:
    """Run `smwsync preview` and return the data the page embeds."""
    result = CliRunner().invoke(
        cli, ["preview", "--config", str(config), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    page = (out / "preview.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="preview-data">(.*?)</script>', page)
    assert block is not None
    return json.loads(block.group(1))


def visible_pins(page: cdp.Page) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('#pins circle'))"
        ".filter(c => getComputedStyle(c).display !== 'none').map(c => c.dataset.id)"
    )


def visible_list_titles(page: cdp.Page) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('#event-list li'))"
        ".filter(li => li.offsetParent !== null)"
        ".map(li => li.querySelector('.event-title').textContent)"
    )


def choose(page: cdp.Page, select_id: str, value: str) -> None:
    """Pick an option as a person would: set the value, then fire a real change event."""
    page.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select_id)});"
        f" s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )


def click(page: cdp.Page, selector: str) -> None:
    page.evaluate(
        f"document.querySelector({json.dumps(selector)})"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )


def requests_made(page: cdp.Page) -> list[str]:
    return [params["request"]["url"] for params in page.reported("Network.requestWillBeSent")]


def errors_logged(page: cdp.Page) -> list[dict]:
    logged = page.reported(*PROBLEMS)
    logged += [p for p in page.reported("Log.entryAdded") if p["entry"]["level"] == "error"]
    return logged


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's preview page, loaded in chromium: (page, embedded data, page path)."""
    out = tmp_path_factory.mktemp("preview")
    data = write_preview(DEMO_CONFIG, out)
    with cdp.headless_page() as page:
        page.open((out / "preview.html").as_uri())
        yield page, data, out / "preview.html"


def test_the_demo_page_loads_offline_with_no_errors_and_no_requests(demo):
    page, _, path = demo
    assert page.evaluate("document.title") == "Social Media Week 2027 (demo) (preview)"
    assert errors_logged(page) == []
    urls = requests_made(page)
    assert path.as_uri() in urls
    assert all(url.startswith(("file:", "data:")) for url in urls), urls


def test_there_is_one_pin_and_one_list_entry_per_published_event(demo):
    page, data, _ = demo
    assert len(data["events"]) == 66  # what `smwsync sync` publishes from the demo
    assert visible_pins(page) == [event["id"] for event in data["events"]]
    assert visible_list_titles(page) == [event["title"] for event in data["events"]]
    assert page.evaluate("document.getElementById('showing').textContent") == (
        "Showing 66 of 66 events."
    )
    colours = page.evaluate(
        "Array.from(new Set(Array.from(document.querySelectorAll('#pins circle'))"
        ".map(c => c.getAttribute('fill'))))"
    )
    assert colours == ["#0072B2", "#D55E00", "#009E73"]  # the KML's colours, folder order


def test_choosing_a_layer_hides_the_other_pins(demo):
    page, data, _ = demo
    online = [event["id"] for event in data["events"] if event["layer"] == "Online"]
    assert len(online) == 3
    choose(page, "layer-filter", "Online")
    try:
        assert visible_pins(page) == online
        assert len(visible_list_titles(page)) == 3
        assert page.evaluate("document.getElementById('showing').textContent") == (
            "Showing 3 of 66 events."
        )
        page.screenshot(ARTIFACTS / "preview-online-layer.png")
    finally:
        choose(page, "layer-filter", "")
    assert len(visible_pins(page)) == 66


def test_date_and_region_filters_combine(demo):
    page, data, _ = demo
    wanted = [
        event["id"]
        for event in data["events"]
        if event["date"] == "2027-03-23" and event["region"] == "Yorkshire and The Humber"
    ]
    assert wanted  # the demo has Leeds events on Tuesday
    regions = page.evaluate(
        "Array.from(document.getElementById('region-filter').options).map(o => o.value)"
    )
    assert {"Scotland", "Wales", "Northern Ireland", "London"} <= set(regions)
    choose(page, "date-filter", "2027-03-23")
    choose(page, "region-filter", "Yorkshire and The Humber")
    try:
        assert visible_pins(page) == wanted
    finally:
        choose(page, "date-filter", "")
        choose(page, "region-filter", "")
    assert len(visible_pins(page)) == 66


def test_clicking_a_pin_shows_the_kml_info_window(demo):
    page, data, _ = demo
    event = next(e for e in data["events"] if e["title"] == "Ask the web team")
    click(page, f'#pins circle[data-id="{event["id"]}"]')
    assert page.evaluate("document.getElementById('info').hidden") is False
    # The KML's info window HTML, as the browser reads it (it writes &#x27; back as ').
    as_read = page.evaluate(
        "(() => { const d = document.createElement('div');"
        f" d.innerHTML = {json.dumps(event['info'])}; return d.innerHTML; }})()"
    )
    assert page.evaluate("document.getElementById('info-body').innerHTML") == as_read
    assert "can't yet" in as_read
    text = page.evaluate("document.getElementById('info-body').innerText")
    assert text.startswith("Ask the web team\nWhen: Monday 22 March 2027, 12:00–14:00")
    selected = page.evaluate("document.querySelector('#event-list button.selected').textContent")
    assert selected.startswith("Ask the web team")
    page.screenshot(ARTIFACTS / "preview.png")
    assert (ARTIFACTS / "preview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_answers_off_the_map_are_listed_with_the_reason(demo):
    page, _, _ = demo
    entries = page.evaluate(
        "Array.from(document.querySelectorAll('#off-map-list > li')).map(li => li.innerText)"
    )
    assert len(entries) == 3
    assert entries[1].startswith("Writing for social media (row 26)")
    assert "There is no 31 February 2027" in entries[1]
    assert entries[2].startswith("The answer in row 48")
    assert "no event title" in entries[2]


HOSTILE = {
    "timestamp": "20/11/2026 10:15:00",
    "council": "Leeds City Council",
    "title": "</script><img src=http://127.0.0.1:9/t.png onerror=alert(1)>",
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "venue": "<style>*{display:none}</style>Library \u2028 <!-- hall",
    "postcode": "LS1 1UR",
    "description": "<script>alert(2)</script><iframe src=http://127.0.0.1:9/></iframe>",
}


def test_form_text_is_shown_as_text_and_can_make_no_request(campaign, tmp_path):
    config = campaign([HOSTILE])
    data = write_preview(config, tmp_path / "out")
    with cdp.headless_page() as page:
        page.open((tmp_path / "out" / "preview.html").as_uri())
        assert visible_list_titles(page) == [HOSTILE["title"]]
        click(page, "#event-list button")
        body = page.evaluate("document.getElementById('info-body').innerText")
        assert HOSTILE["description"] in body
        assert page.evaluate("document.querySelectorAll('img, iframe, style').length") == 1
        assert page.evaluate("document.querySelectorAll('script').length") == 2
        # The page's own policy stops even a request its script would make.
        blocked = page.evaluate(
            "fetch('http://127.0.0.1:9/x').then(() => 'sent', e => 'blocked: ' + e.name)"
        )
        page.screenshot(ARTIFACTS / "preview-hostile-text.png")
        urls = requests_made(page)
    assert blocked == "blocked: TypeError"
    assert all(url.startswith(("file:", "data:")) for url in urls), urls
    assert len(data["events"]) == 1
