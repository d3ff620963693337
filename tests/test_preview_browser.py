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
    block = re.search(r'<script type="application/json" id="site-data">(.*?)</script>', page)
    assert block is not None
    return json.loads(block.group(1))


def wait_ready(page: cdp.Page) -> str:
    """Wait until the page's script says the list and the markers are in place."""
    return page.evaluate(
        "new Promise(done => { const check = () => {"
        " const ready = document.documentElement.dataset.ready;"
        " ready && ready !== 'no' ? done(ready) : setTimeout(check, 10); }; check();"
        " setTimeout(() => done('not ready after 10 s'), 10000); })"
    )


def markers(page: cdp.Page) -> int:
    """Pins on the map, counting each cluster's members."""
    return page.evaluate(
        "document.querySelectorAll('.leaflet-marker-icon.pin').length +"
        " Array.from(document.querySelectorAll('.cluster > span:first-child'))"
        ".reduce((sum, span) => sum + Number(span.textContent), 0)"
    )


def visible_ids(page: cdp.Page) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('li.event'))"
        ".filter(li => li.offsetParent !== null).map(li => li.id)"
    )


def choose(page: cdp.Page, select_id: str, value: str) -> None:
    """Pick an option as a person would: set the value, then fire a real change event."""
    page.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select_id)});"
        f" s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    assert wait_ready(page) == "yes"


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
        assert wait_ready(page) == "yes"
        yield page, data, out / "preview.html"


def test_the_demo_page_loads_offline_with_no_errors_and_no_requests(demo):
    page, _, path = demo
    assert page.evaluate("document.title") == "Social Media Week 2027 (demo) (preview)"
    assert errors_logged(page) == []
    urls = requests_made(page)
    assert path.as_uri() in urls
    assert all(url.startswith(("file:", "data:")) for url in urls), urls
    # The dot map of the UK is the map's base: no tiles.
    assert page.evaluate("document.querySelectorAll('img.leaflet-image-layer').length") == 1
    assert page.evaluate("document.querySelectorAll('img.leaflet-tile').length") == 0


def test_there_is_one_marker_and_one_list_entry_per_published_event(demo):
    page, data, _ = demo
    assert len(data["events"]) == 66  # what `smwsync sync` publishes from the demo
    assert markers(page) == 66
    assert visible_ids(page) == [event["id"] for event in data["events"]]
    assert page.evaluate("document.getElementById('status').textContent") == (
        "Showing 66 of 66 events."
    )


def test_choosing_a_format_hides_the_other_events(demo):
    page, data, _ = demo
    online = [event["id"] for event in data["events"] if "online" in event["formats"]]
    assert len(online) == 11
    choose(page, "filter-format", "online")
    try:
        assert visible_ids(page) == online
        assert markers(page) == 11
        assert page.evaluate("document.getElementById('status').textContent") == (
            "Showing 11 of 66 events."
        )
        page.screenshot(ARTIFACTS / "preview-online.png")
    finally:
        choose(page, "filter-format", "")
    assert markers(page) == 66


def test_date_and_region_filters_combine(demo):
    page, data, _ = demo
    wanted = [
        event["id"]
        for event in data["events"]
        if event["date"] == "2027-03-23" and event["region"] == "Yorkshire and The Humber"
    ]
    assert wanted  # the demo has Leeds events on Tuesday
    regions = page.evaluate(
        "Array.from(document.getElementById('filter-region').options).map(o => o.value)"
    )
    assert {"Scotland", "Wales", "Northern Ireland", "London"} <= set(regions)
    choose(page, "filter-date", "2027-03-23")
    choose(page, "filter-region", "Yorkshire and The Humber")
    try:
        assert visible_ids(page) == wanted
        assert markers(page) == len(wanted)
    finally:
        choose(page, "filter-date", "")
        choose(page, "filter-region", "")
    assert markers(page) == 66


def test_clicking_a_pin_shows_the_event_as_the_list_shows_it(demo):
    page, data, _ = demo
    event = next(e for e in data["events"] if e["title"] == "Councillor phone-in: rural broadband")
    choose(page, "filter-format", "phone")  # two pins far apart: neither is in a cluster
    try:
        click(page, f'.leaflet-marker-icon.pin[title="{event["title"]}"]')
        popup = page.evaluate("document.querySelector('.leaflet-popup-content').innerText")
        listed = page.evaluate(f"document.getElementById('{event['id']}').innerText")
        assert popup == listed
        assert popup.startswith("Councillor phone-in: rural broadband\n")
        assert page.evaluate(f"document.getElementById('{event['id']}').className") == (
            "event format-phone is-open"
        )
        page.screenshot(ARTIFACTS / "preview.png")
        assert (ARTIFACTS / "preview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        choose(page, "filter-format", "")


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
        page.open((tmp_path / "out" / "preview.html").as_uri() + "#" + data["events"][0]["id"])
        assert wait_ready(page) == "yes"
        assert (
            page.evaluate("document.querySelector('li.event h4').textContent") == (HOSTILE["title"])
        )
        body = page.evaluate("document.querySelector('.leaflet-popup-content').innerText")
        assert HOSTILE["description"] in body
        assert page.evaluate("document.querySelectorAll('iframe, body style').length") == 0
        assert (
            page.evaluate("document.querySelectorAll('img:not(.leaflet-image-layer)').length") == 0
        )
        # The page's own policy stops even a request its script would make.
        blocked = page.evaluate(
            "fetch('http://127.0.0.1:9/x').then(() => 'sent', e => 'blocked: ' + e.name)"
        )
        page.screenshot(ARTIFACTS / "preview-hostile-text.png")
        urls = requests_made(page)
        assert [p for p in page.reported(*PROBLEMS)] == []
    assert blocked == "blocked: TypeError"
    assert all(url.startswith(("file:", "data:")) for url in urls), urls
    assert len(data["events"]) == 1
