"""The live map in a real headless chromium, served as a web host would serve it.

The demo's site is written by `smwsync sync` with its tiles pointed at a fake tile server on
127.0.0.1, served from a local web server, and driven over the DevTools protocol (tests/cdp.py).
Any request to another host fails the tests. axe-core (installed by .ci/run from the npm
registry into tests/node_modules) checks accessibility in the page. Screenshots go to
tests/artifacts/ (not committed). Without chromium or axe-core the tests are skipped on a
developer's machine and fail on CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.geocode.gazetteer import Gazetteer

import cdp
from conftest import HEADERS, form_csv
from web_servers import Served, serve_folder, serve_tiles

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
PROBLEMS = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Page.javascriptDialogOpening")
NEARBY_KM = 40.0
STARTED: list[str] = []  # the addresses of the servers these tests started

_missing = (
    "chromium is not installed (apt-get install chromium)"
    if cdp.find_chromium() is None
    else "axe-core is not installed (npm install --prefix tests axe-core@4)"
    if not AXE.is_file()
    else ""
)
if _missing:
    if os.environ.get("CI") == "true":
        pytest.fail(f"On CI {_missing}: .ci/run should have installed it.", pytrace=False)
    pytest.skip(_missing, allow_module_level=True)


@dataclass
class Site:
    """The demo's site, served, and a chromium tab on it."""

    page: cdp.Page
    site: Served
    tiles: Served
    events: list[dict]

    def open(self, address: str = "") -> None:
        """Load the page at `address` (say "?near=LS1" or "#smw-...") and wait until the
        script says the list and the markers are in place."""
        self.page.open("about:blank")  # so "#id" after the same page is a new page, too
        self.page.open(f"{self.site.url}/index.html{address}")
        assert self.wait() == "yes"

    def wait(self) -> str:
        return self.page.evaluate(
            "new Promise(done => { const check = () => {"
            " const ready = document.documentElement.dataset.ready;"
            " ready && ready !== 'no' ? done(ready) : setTimeout(check, 10); }; check();"
            " setTimeout(() => done('not ready after 10 s'), 10000); })"
        )

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def visible_ids(self) -> list[str]:
        return self.js(
            "Array.from(document.querySelectorAll('li.event'))"
            ".filter(li => li.offsetParent !== null).map(li => li.id)"
        )

    def nearest_ids(self, group: str = "nearest") -> list[str]:
        return self.js(
            f"Array.from(document.querySelectorAll('#{group} li.event'))"
            ".filter(li => !li.hidden).map(li => li.id)"
        )

    def markers(self) -> int:
        """Pins on the map, counting each cluster's members."""
        return self.js(
            "document.querySelectorAll('.leaflet-marker-icon.pin').length +"
            " Array.from(document.querySelectorAll('.cluster > span:first-child'))"
            ".reduce((sum, span) => sum + Number(span.textContent), 0)"
        )


def write_site(folder: Path, config_text: str) -> Path:
    config = folder / "smwsync.toml"
    config.write_text(config_text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["sync", "--config", str(config), "--out", str(folder / "out")]
    )
    assert result.exit_code == 0, result.output
    return folder / "out" / "map"


def demo_config(tiles: Served) -> str:
    text = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('"../examples/', f'"{ROOT / "examples"}/')
    return text + f'tiles = "{tiles.url}/{{z}}/{{x}}/{{y}}.png"\n'


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("site")
    with serve_tiles() as tiles:
        site_folder = write_site(folder, demo_config(tiles))
        events = json.loads((site_folder / "events.json").read_text(encoding="utf-8"))["events"]
        with serve_folder(site_folder) as site, cdp.headless_page() as page:
            served = Site(page, site, tiles, events)
            STARTED.extend((site.url, tiles.url))
            served.open()
            yield served


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def errors_logged(page: cdp.Page) -> list[dict]:
    logged = page.reported(*PROBLEMS)
    logged += [p for p in page.reported("Log.entryAdded") if p["entry"]["level"] == "error"]
    return logged


def requests_elsewhere(demo: Site) -> list[str]:
    urls = [p["request"]["url"] for p in demo.page.reported("Network.requestWillBeSent")]
    own = (*(f"{url}/" for url in STARTED), "data:", "blob:", "about:")
    return [url for url in urls if not url.startswith(own)]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance, computed here independently of the page's script."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def in_person(event: dict) -> bool:
    return not event["formats"] or "face-to-face" in event["formats"]


def test_the_page_loads_its_own_files_and_tiles_and_nothing_else(demo):
    assert demo.js("document.title") == "Social Media Week 2027 (demo)"
    assert errors_logged(demo.page) == []
    assert requests_elsewhere(demo) == []
    assert demo.tiles.asked, "the map asked for no tiles"
    assert all(path.endswith(".png") for path in demo.tiles.asked)
    assert demo.js("document.cookie") == ""


def test_every_published_event_is_one_marker_or_cluster_member_and_in_the_list(demo):
    demo.open()
    assert len(demo.events) == 66
    assert demo.markers() == 66
    assert demo.visible_ids() == [event["id"] for event in demo.events]
    assert demo.js("document.getElementById('status').textContent") == ("Showing 66 of 66 events.")
    demo.page.screenshot(ARTIFACTS / "live-map-desktop.png")


def test_without_javascript_the_list_holds_every_event(demo):
    demo.page.send("Emulation.setScriptExecutionDisabled", value=True)
    try:
        demo.page.open(f"{demo.site.url}/index.html")
        assert demo.visible_ids() == [event["id"] for event in demo.events]
        assert demo.js("document.querySelector('.finder').offsetParent") is None
        assert demo.js("document.querySelector('.map-box').offsetParent") is None
        titles = demo.js("Array.from(document.querySelectorAll('li.event h4'), h => h.textContent)")
        assert titles == [event["title"] for event in demo.events]
    finally:
        demo.page.send("Emulation.setScriptExecutionDisabled", value=False)


@pytest.mark.parametrize(
    "typed",
    ["LS1 1UR", "ls11ur", "LS1", "M1", "York", "Leeds City Council", "Cardiff Council"],
)
def test_near_puts_the_truly_nearest_events_first(demo, gazetteer, typed):
    compact = typed.upper().replace(" ", "")
    if len(compact) > 4:
        sector = gazetteer.sector(f"{compact[:-3]} {compact[-3]}")
        point = sector or gazetteer.district(compact)
    else:
        point = gazetteer.district(compact)
    if point is None:
        place = gazetteer.find_place(typed)
        council = gazetteer.find_council(typed) if "Council" in typed else None
        found = council or place
        assert found is not None
        point = (found.latitude, found.longitude, "")
    here = (point[0], point[1])
    demo.open("?near=" + quote(typed))
    shown = demo.nearest_ids()
    by_id = {event["id"]: event for event in demo.events}
    expected = sorted(
        (e for e in demo.events if in_person(e)), key=lambda e: km(here, (e["lat"], e["lon"]))
    )
    assert set(shown) == {e["id"] for e in expected}
    distances = [km(here, (by_id[i]["lat"], by_id[i]["lon"])) for i in shown]
    # Nearest first; the index keeps points to about 100 m, so ties may swap within that.
    assert all(b >= a - 0.3 for a, b in itertools.pairwise(distances))
    nearest = km(here, (expected[0]["lat"], expected[0]["lon"]))
    assert distances[0] == pytest.approx(nearest, abs=0.3)
    first_line = demo.js("document.querySelector('#nearest li .distance').textContent")
    assert first_line.endswith("miles away")
    remote = demo.nearest_ids("remote")
    assert remote == [
        e["id"]
        for e in sorted(demo.events, key=lambda e: km(here, (e["lat"], e["lon"])))
        if not in_person(e) and km(here, (e["lat"], e["lon"])) <= NEARBY_KM
    ]
    status = demo.js("document.getElementById('status').textContent")
    assert "nearest to" in status


def test_near_leeds_lists_the_online_event_from_kirklees_in_its_own_group(demo):
    demo.open("?near=Leeds")
    remote = demo.nearest_ids("remote")
    titles = demo.js(
        "Array.from(document.querySelectorAll('#remote li.event h4'), h => h.textContent)"
    )
    assert titles == ["Live Q&A: bins and winter services"]
    assert len(remote) == 1
    assert demo.js("document.getElementById('remote-heading').hidden") is False


def test_a_place_that_is_not_known_says_so_and_shows_every_event(demo):
    demo.open("?near=Atlantis")
    assert "could not find" in demo.js("document.getElementById('status').textContent")
    assert len(demo.visible_ids()) == 66


def test_date_and_format_deep_links_filter_the_list_and_the_map(demo):
    demo.open("?date=2027-03-23")
    tuesday = [e["id"] for e in demo.events if e["date"] == "2027-03-23"]
    assert demo.visible_ids() == tuesday
    assert demo.markers() == len(tuesday)
    assert demo.js("document.getElementById('filter-date').value") == "2027-03-23"
    demo.open("?format=online")
    online = [e["id"] for e in demo.events if "online" in e["formats"]]
    assert demo.visible_ids() == online
    assert demo.markers() == len(online)


def test_an_event_link_opens_that_event(demo):
    event = next(e for e in demo.events if e["title"] == "Ask the web team")
    demo.open("#" + event["id"])
    assert demo.js(f"document.getElementById('{event['id']}').classList.contains('is-open')")
    popup = demo.js("document.querySelector('.leaflet-popup-content h4').textContent")
    assert popup == "Ask the web team"
    demo.page.screenshot(ARTIFACTS / "live-map-event.png")


def test_filters_update_the_address_and_back_undoes_them(demo):
    demo.open()
    demo.js(
        "(() => { const s = document.getElementById('filter-format'); s.value = 'phone';"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    demo.wait()
    assert demo.js("location.search") == "?format=phone"
    assert len(demo.visible_ids()) == 2
    demo.js("history.back()")
    demo.wait()
    assert demo.js("location.search") == ""
    assert len(demo.visible_ids()) == 66
    assert demo.js("document.getElementById('filter-format').value") == ""


def test_add_to_calendar_downloads_that_one_event(demo):
    demo.open()
    event = next(e for e in demo.events if e["title"] == "Ask the web team")
    text = demo.js(
        "new Promise(done => { const made = URL.createObjectURL;"
        " URL.createObjectURL = blob => { blob.text().then(done); return made(blob); };"
        f" document.querySelector('button.add-to-calendar[data-id=\"{event['id']}\"]').click();"
        " })"
    )
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert f"UID:{event['calendar']['uid']}\r\n" in text
    assert "SUMMARY:Ask the web team\r\n" in text
    assert f"DTSTART:{event['calendar']['start']}\r\n" in text
    assert text.count("BEGIN:VEVENT") == 1
    unfolded = text.replace("\r\n ", "")
    assert (
        "LOCATION:Leeds Civic Hall\\, Committee Room 6\\, Calverley Street\\, Leeds\\, LS1 1UR\r\n"
        in unfolded
    )
    assert (
        "DESCRIPTION:Monday 22 March 2027\\, 12:00–14:00\\nFace-to-face\\nBring a page" in unfolded
    )
    assert "https://www.example.gov.uk/leeds/ask-the-web-team\r\n" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def axe_violations(demo: Site) -> list[dict]:
    demo.js(AXE.read_text(encoding="utf-8"))
    return demo.js(
        "axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )


def test_axe_finds_no_accessibility_violations_with_an_event_open(demo):
    event = next(e for e in demo.events if e["title"] == "Ask the web team")
    demo.open("#" + event["id"])
    assert axe_violations(demo) == []


def test_at_phone_width_the_list_and_map_are_usable_and_pass_axe(demo):
    event = next(e for e in demo.events if e["title"] == "Ask the web team")
    demo.page.send(
        "Emulation.setDeviceMetricsOverride",
        width=375,
        height=812,
        deviceScaleFactor=1,
        mobile=True,
    )
    try:
        demo.open("#" + event["id"])
        assert demo.js("document.documentElement.scrollWidth") <= 375
        assert demo.js("document.getElementById('map').getBoundingClientRect().width") > 300
        assert axe_violations(demo) == []
        demo.js("window.scrollTo(0, 0)")
        demo.page.screenshot(ARTIFACTS / "live-map-phone.png")
    finally:
        demo.page.send(
            "Emulation.setDeviceMetricsOverride",
            width=1400,
            height=1000,
            deviceScaleFactor=1,
            mobile=False,
        )


HOSTILE = {
    "timestamp": "20/11/2026 10:15:00",
    "council": "Leeds City Council",
    "title": "</script><img src=x onerror=alert(1)><b>bold</b>",
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "venue": "<style>*{display:none}</style>Library",
    "postcode": "LS1 1UR",
    "link": "javascript:alert(2)",
    "description": "<script>alert(3)</script>",
}


def test_a_hostile_title_shows_as_text_in_the_list_and_on_the_map(tmp_path, demo):
    (tmp_path / "responses.csv").write_text(form_csv([HOSTILE]), encoding="utf-8")
    columns = "\n".join(f'{field} = "{title}"' for field, title in HEADERS.items())
    config = (
        f'[source]\ncsv = "responses.csv"\n\n[columns]\n{columns}\n\n[publish]\n'
        f'title = "Hostile"\nkml = ""\nsite = "map"\n\n[site]\n'
        f'tiles = "{demo.tiles.url}/{{z}}/{{x}}/{{y}}.png"\n'
    )
    folder = write_site(tmp_path, config)
    with serve_folder(folder) as site:
        STARTED.append(site.url)
        served = Site(demo.page, site, demo.tiles, [])
        since = len(demo.page.events)
        served.open()
        event_id = demo.js("document.querySelector('li.event').id")
        served.open("#" + event_id)
        assert demo.js("document.querySelector('li.event h4').textContent") == HOSTILE["title"]
        assert (
            demo.js("document.querySelector('.leaflet-popup-content h4').textContent")
            == (HOSTILE["title"])
        )
        assert demo.js("document.querySelectorAll('img:not(.leaflet-tile), b, style').length") == 0
        assert demo.js("document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
        assert [p for p in demo.page.events[since:] if p["method"] in PROBLEMS] == []


def press_tab(page: cdp.Page) -> None:
    """One real Tab key press, as the keyboard sends it."""
    for kind in ("rawKeyDown", "keyUp"):
        page.send(
            "Input.dispatchKeyEvent",
            type=kind,
            key="Tab",
            code="Tab",
            windowsVirtualKeyCode=9,
            nativeVirtualKeyCode=9,
        )


def test_the_keyboard_reaches_the_list_first_sees_its_focus_and_leaves_the_map(demo):
    demo.open()
    press_tab(demo.page)
    assert demo.js("document.activeElement.textContent") == "Skip to the list of events"
    # Every control shows where the focus is.
    assert demo.js("getComputedStyle(document.activeElement).outlineStyle") != "none"
    # Tabbing on from the map's own controls and pins always comes out the other side.
    demo.js("document.getElementById('map').focus()")
    for _ in range(200):
        press_tab(demo.page)
        if not demo.js("document.getElementById('map').contains(document.activeElement)"):
            break
    else:
        pytest.fail("the keyboard is trapped in the map")
    assert demo.js("document.activeElement.tagName") != "BODY"


def test_no_request_in_any_of_these_tests_left_the_two_local_servers(demo):
    # Last in the file: every page these tests opened asked only the site and the tile server.
    assert requests_elsewhere(demo) == []
    assert errors_logged(demo.page) == []
