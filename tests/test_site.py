"""The live map's site as `smwsync sync` writes it: its files, what the page says without any
script, what its data and search index hold, and that it follows the sync's publishing rules.

What the page does in a browser is in test_site_browser.py.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.errors import ConfigError
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.publish.site.files import site_policy, tile_source
from smwsync.publish.site.page import event_html
from smwsync.publish.site.search import search_index, search_key

from conftest import ONLINE_CHAT, TEA_CAMP, make_event, read_state

SITE_ON = 'site = "map"\nics = "events.ics"\nform_url = "https://forms.example/add"\n'
HOSTILE = {
    "timestamp": "20/11/2026 11:15:00",
    "council": "Leeds City Council",
    "title": "</script><img src=x onerror=alert(1)><!--",
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "postcode": "LS1 1UR",
    "link": "javascript:alert(2)",
    "description": "<a href='http://evil.example/'>win</a> \u2028",
}
LIBRARIES = {
    "leaflet.js",
    "leaflet.css",
    "leaflet.markercluster.js",
    "MarkerCluster.css",
    "leaflet-gesture-handling.js",
    "leaflet-gesture-handling.css",
}


def sync(config: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


class _Page(HTMLParser):
    """What the page holds for a reader with no script: the events' ids, titles, the tags."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "li" and "event" in (found.get("class") or ""):
            self.ids.append(found["id"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_sync_writes_the_site_with_its_libraries_data_and_calendar(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT], SITE_ON)
    sync(config)
    site = config.parent / "out" / "map"
    names = {path.name for path in site.iterdir()}
    assert names == LIBRARIES | {
        "index.html",
        "site.js",
        "site.css",
        "events.json",
        "search.json",
        "events.ics",
        "numbers.html",
        "numbers.csv",
    }
    # The week in numbers is one link from the map, and leads back to it.
    numbers = (site / "numbers.html").read_text(encoding="utf-8")
    assert '<a href="numbers.html">The week in numbers</a>' in (site / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<a href="index.html">Back to the map</a>' in numbers
    assert "2 events on the map" in numbers
    # The calendar people subscribe to from the page is the sync's own calendar, byte for byte.
    assert (site / "events.ics").read_bytes() == (config.parent / "out" / "events.ics").read_bytes()
    page = read_page(site / "index.html")
    scripts = [attrs["src"] for tag, attrs in page.tags if tag == "script" and "src" in attrs]
    assert [s.split("?")[0] for s in scripts] == [
        "leaflet.js",
        "leaflet.markercluster.js",
        "leaflet-gesture-handling.js",
        "site.js",
    ]
    # Every file the page loads is in the site itself, named by a version that changes with it.
    for address in scripts:
        name, version = address.split("?v=")
        assert (site / name).is_file()
        assert len(version) == 10
    assert not any(
        (attrs.get("src") or attrs.get("href") or "").startswith(("http:", "https:", "//"))
        for tag, attrs in page.tags
        if tag in ("script", "link")
    )


def test_the_page_lists_every_published_event_by_date_without_any_script(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT], SITE_ON)
    sync(config)
    site = config.parent / "out" / "map"
    events = json.loads((site / "events.json").read_text(encoding="utf-8"))["events"]
    page = read_page(site / "index.html")
    assert page.ids == [event["id"] for event in events]
    assert len(page.ids) == 2
    text = " ".join(page.text)
    assert "Tuesday 23 March 2027" in text and "Wednesday 24 March 2027" in text
    assert '<b>Tea & "cake"</b> camp' in text  # the title as typed, shown as text
    assert "Add your own event" in text
    assert "Subscribe to the whole calendar" in text
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Tea &amp; &quot;cake&quot;&lt;/b&gt; camp" not in html  # escaped once
    assert '&lt;b&gt;Tea &amp; "cake"&lt;/b&gt; camp' in html


def test_form_text_is_escaped_and_only_web_links_become_links(campaign):
    config = campaign([HOSTILE], SITE_ON)
    sync(config)
    site = config.parent / "out" / "map"
    html = (site / "index.html").read_text(encoding="utf-8")
    page = read_page(site / "index.html")
    assert HOSTILE["title"] in " ".join(page.text)
    assert not [attrs for tag, attrs in page.tags if tag == "img"]
    assert "javascript:" not in " ".join(str(attrs.get("href")) for _, attrs in page.tags)
    assert "evil.example" not in " ".join(str(attrs.get("href")) for _, attrs in page.tags)
    assert html.count("<script") == 5  # the page's own: its settings and four files
    data = (site / "events.json").read_text(encoding="utf-8")
    assert "<" not in data and "\u2028" not in data
    assert json.loads(data)["events"][0]["title"] == HOSTILE["title"]


def test_nothing_private_reaches_the_site(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT], SITE_ON)
    sync(config)
    site = config.parent / "out" / "map"
    for name in ("index.html", "events.json"):
        text = (site / name).read_text(encoding="utf-8")
        for secret in ("private.person@", "second.person@", "Priya Private", "team@example.org"):
            assert secret not in text, (name, secret)


def test_the_policy_allows_only_the_sites_own_files_and_the_tiles(campaign):
    config = campaign([TEA_CAMP], SITE_ON)
    sync(config)
    html = (config.parent / "out" / "map" / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    assert policy.group(1) == site_policy("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "unsafe-inline" not in policy.group(1)
    assert "script-src 'self';" in policy.group(1)
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in policy.group(1)
    # No inline script or style for the policy to refuse: only JSON blocks and files.
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))", html) == []
    assert "<style" not in html and " style=" not in html


def test_tile_hosts_become_policy_sources():
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert tile_source("https://{s}.tiles.example.org/{z}/{x}/{y}.png?key=abc") == (
        "https://*.tiles.example.org"
    )
    assert tile_source("http://127.0.0.1:8123/{z}/{x}/{y}.png") == "http://127.0.0.1:8123"


def test_an_unchanged_sheet_rewrites_nothing_and_the_page_keeps_its_time(campaign):
    config = campaign([TEA_CAMP, ONLINE_CHAT], SITE_ON)
    sync(config)
    site = config.parent / "out" / "map"
    before = {path.name: path.stat().st_mtime_ns for path in site.iterdir()}
    page = (site / "index.html").read_bytes()
    assert b"Last updated <time" in page
    sync(config, "--force")  # even a whole sync, not only the early stop
    assert {path.name: path.stat().st_mtime_ns for path in site.iterdir()} == before
    assert (site / "index.html").read_bytes() == page


def test_the_page_says_when_the_events_last_changed(campaign):
    config = campaign([TEA_CAMP], SITE_ON)
    sync(config)
    state = read_state(config.parent / "out")
    page = (config.parent / "out" / "map" / "index.html").read_text(encoding="utf-8")
    assert f'<time datetime="{state["synced_at"]}">' in page
    # A new event is a change: the time moves on with it, to this sync's.
    config = campaign([TEA_CAMP, ONLINE_CHAT], SITE_ON)
    sync(config)
    later = read_state(config.parent / "out")
    page = (config.parent / "out" / "map" / "index.html").read_text(encoding="utf-8")
    assert f'<time datetime="{later["synced_at"]}">' in page
    assert later["synced_at"] >= state["synced_at"]


def test_switching_the_site_off_removes_its_files(campaign):
    config = campaign([TEA_CAMP], SITE_ON)
    sync(config)
    site = config.parent / "out" / "map"
    assert (site / "index.html").is_file()
    config.write_text(config.read_text().replace('site = "map"\n', ""), encoding="utf-8")
    output = sync(config)
    assert f"Removed {site / 'index.html'}" in output
    assert not [path for path in site.iterdir() if path.is_file()]
    assert (config.parent / "out" / "events.kml").is_file()


def test_site_settings_are_checked(campaign):
    for extra, message in (
        ('site = "out/map"\n', "must be a folder name"),
        ('site = "events.kml"\n', "also the name of another output"),
        # The map keeps a copy of the calendar beside its own files, under the calendar's name.
        ('site = "map"\nics = "events.json"\n', "also the name of one of the live map's files"),
        ('site = "map"\n[site]\ntiles = "ftp://x/{z}/{x}/{y}"\n', "must be a tile address"),
        ('site = "map"\n[site]\ntiles = "https://x.example/{z}.png"\n', "needs {x} and {y}"),
        ('site = "map"\n[site]\nurl = "javascript:alert(1)"\n', "must be a web address"),
        ('site = "map"\n[site]\nmax_zoom = 40\n', "max_zoom"),
        ('site = "map"\n[site]\ntile = "x"\n', "Did you mean 'tiles'?"),
    ):
        config = campaign([TEA_CAMP], extra)
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_settings(config)


def test_the_example_configuration_documents_the_site(campaign):
    root = Path(__file__).resolve().parents[1]
    example = (root / "config" / "smwsync.example.toml").read_text(encoding="utf-8")
    for key in ("site", "tiles", "tile_attribution", "tile_attribution_url", "url", "nearby_km"):
        assert re.search(rf"^# ?{key} = ", example, re.M), key
    assert load_settings(root / "config" / "demo.toml").publish.site == "map"


def test_the_search_index_is_the_gazetteer_trimmed():
    index = search_index(Gazetteer.load())
    assert index["sectors"]["LS11"] == pytest.approx([53.80, -1.55], abs=0.02)
    assert "LS1" in index["districts"] and "EC1A" in index["districts"]
    assert index["places"]["leeds"][2] == "Leeds"
    assert index["places"]["newport"][2] == "Newport"  # the city in Wales, the bigger one
    assert index["places"]["newport"][0] == pytest.approx(51.58, abs=0.05)
    assert index["councils"]["leeds city council"][2] == "Leeds City Council"
    assert search_key("St. Helens & District") == "st helens and district"


def test_sync_prints_the_embed_snippet_when_the_sites_address_is_set(campaign):
    config = campaign([TEA_CAMP], SITE_ON + '\n[site]\nurl = "https://smw.example.org/map/"\n')
    output = sync(config)
    assert "To show the live map in a web page, paste:" in output
    assert '<iframe src="https://smw.example.org/map/" title="Test campaign"' in output
    assert '<a href="https://smw.example.org/map/">Test campaign: see every event' in output
    # Share links use the address too.
    page = (config.parent / "out" / "map" / "index.html").read_text(encoding="utf-8")
    assert 'class="share" href="https://smw.example.org/map/#smw-' in page
    quiet = campaign([TEA_CAMP], SITE_ON)
    assert "<iframe" not in sync(quiet, "--force")


def test_a_link_that_is_not_http_is_shown_as_text_never_as_a_link():
    # The cleaner already refuses such links; the page does not rely on it.
    for link in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "//evil.example",
    ):
        item = event_html(make_event(link=link))
        assert 'href="' + link not in item and f'href="{link.lower()}' not in item
        assert "Booking: " in item
    assert '<a href="https://example.org/book?event=1&amp;ref=map" rel="noopener">' in event_html(
        make_event()
    )
