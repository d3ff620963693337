"""The live map as files: the page, its data, its search index, Leaflet and the page's own
script and style, written by path inside `out`, published with the sync's other outputs.

A Content-Security-Policy (in a meta tag; the README gives the same as a server header) lets
the page load only its own files and the map tiles: no inline script or style, no other host.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from smwsync.config import Settings, SiteSettings
from smwsync.geocode.gazetteer import Council, Gazetteer
from smwsync.model import Event
from smwsync.publish.numbers import week_in_numbers
from smwsync.publish.numbers_page import NUMBERS_CSV, NUMBERS_PAGE, numbers_files
from smwsync.publish.output_files import OutputFiles
from smwsync.publish.pieces import Pieces
from smwsync.publish.site.assets import VERSION_DIGITS, Asset, scripts, styles
from smwsync.publish.site.data import events_json_text, script_json
from smwsync.publish.site.page import PageText, page_text
from smwsync.publish.site.search import search_index

INDEX = "index.html"
EVENTS_FILE = "events.json"
SEARCH_FILE = "search.json"


@dataclass(frozen=True)
class SiteInput:
    """Everything the site is made from, besides the events."""

    folder: str  # the site's folder in `out`, "map"
    text: PageText
    settings: SiteSettings
    search: dict  # search.search_index(gazetteer)
    calendar: str = ""  # the ics output's name in `out`, copied into the site ("": none)
    # The UK's local councils and England's county councils, for "the week in numbers".
    councils: tuple[Sequence[Council], Sequence[Council]] = ((), ())

    @classmethod
    def of(
        cls,
        settings: Settings,
        gazetteer: Gazetteer,
        *,
        updated: str = "",
        calendar: str = "",
    ) -> SiteInput:
        """What the settings say about the site; `calendar` is the ics output's name, if it
        is on."""
        publish = settings.publish
        text = PageText(
            title=publish.title,
            description=publish.description,
            form_url=publish.form_url,
            calendar=publish.ics if calendar else "",
            site_url=settings.site.url,
            updated=updated,
            numbers=NUMBERS_PAGE,
        )
        councils = (gazetteer.local_councils(), gazetteer.county_councils())
        return cls(publish.site, text, settings.site, search_index(gazetteer), calendar, councils)


def site_names(site: SiteInput) -> list[str]:
    """The paths in `out` of the files `write_site` writes."""
    names = [asset.name for asset in (*styles(), *scripts())]
    names += [EVENTS_FILE, SEARCH_FILE]
    if site.calendar and site.text.calendar:
        names.append(site.text.calendar)
    names.append(INDEX)
    if site.text.numbers:
        names += [NUMBERS_PAGE, NUMBERS_CSV]
    return [f"{site.folder}/{name}" for name in names]


def write_site(
    files: OutputFiles, events: Sequence[Event], site: SiteInput, pieces: Pieces | None = None
) -> None:
    """Write every file of the site into `files`, by relative path in `out`, the page last
    but the week in numbers. The calendar is copied from the output `site.calendar`, written
    already. Events' pieces of the page and its data kept in `pieces` are not written again."""

    def path(name: str) -> str:
        return f"{site.folder}/{name}"

    files.expect(site_names(site))
    for asset in (*styles(), *scripts()):
        files.data(path(asset.name), asset.data)
    events_file = files.text(path(EVENTS_FILE), events_json_text(events, pieces))
    search_file = files.data(path(SEARCH_FILE), script_json(site.search).encode("utf-8"))
    if site.calendar and site.text.calendar:
        files.copy(path(site.text.calendar), site.calendar)
    config = {
        "tiles": site.settings.tiles,
        "attribution": site.settings.tile_attribution,
        "attributionUrl": site.settings.tile_attribution_url,
        "maxZoom": site.settings.max_zoom,
        "nearbyKm": site.settings.nearby_km,
        "siteUrl": site.text.site_url,
        "events": f"{EVENTS_FILE}?v={events_file.sha256[:VERSION_DIGITS]}",
        "search": f"{SEARCH_FILE}?v={search_file.sha256[:VERSION_DIGITS]}",
    }
    head = "\n".join(
        [
            policy_meta(site_policy(site.settings.tiles)),
            # Fetched while the list is read, not after the scripts have run.
            f'<link rel="preload" href="{config["events"]}" as="fetch" crossorigin>',
            *(f'<link rel="stylesheet" href="{asset.address}">' for asset in styles()),
        ]
    )
    tail = "\n".join(
        [
            f'<script type="application/json" id="site-config">{script_json(config)}</script>',
            *(f'<script src="{asset.address}"></script>' for asset in scripts()),
        ]
    )
    page = page_text(events, site.text, head=head, tail=tail, pieces=pieces)
    files.text(path(INDEX), page, errors="replace")
    if site.text.numbers:
        numbers = week_in_numbers(events, *site.councils)
        made = numbers_files(numbers, title=site.text.title, map_link=INDEX)
        for name, data in made.items():
            files.data(path(name), data)


def embed_snippet(url: str, title: str) -> str:
    """HTML for a blog: the map in an <iframe> (a height that shows the map and the start of
    the list on a laptop and a phone), then a plain link for blogs that strip iframes."""
    href = html.escape(url, quote=True)
    name = html.escape(title, quote=True)
    return (
        f'<iframe src="{href}" title="{name}" width="100%" height="640" '
        'style="border:0" loading="lazy"></iframe>\n'
        f'<p><a href="{href}">{html.escape(title)}: see every event on the map</a></p>'
    )


def site_policy(tiles: str) -> str:
    """The site's Content-Security-Policy: its own files, and images from the tile host."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: {tile_source(tiles)}; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'"
    )


def tile_source(tiles: str) -> str:
    """The tile host as a CSP source: "https://tile.openstreetmap.org"; a "{s}" subdomain
    becomes "*" ("https://*.tile.example.org")."""
    parts = urlsplit(tiles.replace("{s}", "s-placeholder"))
    host = (parts.netloc or "").replace("s-placeholder", "*")
    return f"{parts.scheme}://{host}"


def policy_meta(policy: str) -> str:
    """The policy as a meta tag (the single quotes are fine inside a double-quoted value)."""
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def inline_policy(scripts_: Sequence[Asset], styles_: Sequence[Asset]) -> str:
    """The preview's policy: only its own inline scripts and styles, each allowed by hash."""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(a.sha256 for a in scripts_)}; "
        f"style-src {' '.join(a.sha256 for a in styles_)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
