"""Open the response sheet and read its response tab (and the events tab with it), through gspread.

A read costs one token request (the first time), one metadata GET (the sheet's title, locale,
time zone and tabs) and one values GET for the whole response tab, whatever the number of rows.
Values come as the sheet displays them, all text: "07700 900123" stays as typed.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import gspread
from gspread.utils import absolute_range_name

from smwsync.config import SourceSettings, is_safe_endpoint
from smwsync.errors import (
    ConfigError,
    SheetNotFoundError,
)
from smwsync.google.access import GoogleAccess
from smwsync.google.account import GoogleAccount, load_credentials
from smwsync.google.explain import explaining_google_errors
from smwsync.google.http import RetryPolicy, SheetsHTTPClient
from smwsync.model import Table

logger = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class SheetAddress:
    """Which spreadsheet, and (when the address says) which tab: its gid."""

    key: str
    gid: int | None = None


@dataclass(frozen=True)
class OpenSheet:
    """A spreadsheet opened with one metadata request, ready for values requests."""

    client: gspread.Client
    http: SheetsHTTPClient
    account: GoogleAccount
    address: SheetAddress
    metadata: Mapping[str, Any]

    @property
    def key(self) -> str:
        """The spreadsheet's key, as in its address."""
        return self.address.key

    @property
    def title(self) -> str:
        """The spreadsheet's title, e.g. "SMW 2027 (Responses)"."""
        return str(self.metadata.get("properties", {}).get("title", ""))

    @property
    def tabs(self) -> list[Mapping[str, Any]]:
        """Each tab's properties (sheetId, title, index, sheetType), in the sheet's order."""
        sheets = [s.get("properties", {}) for s in self.metadata.get("sheets", [])]
        return sorted(sheets, key=lambda p: p.get("index", 0))


@dataclass(frozen=True)
class ResponseTab:
    """What one read of the sheet gives: the responses, and what writing back needs.

    `values` are the response tab's cells as Google sent them (ragged); `other_tab` holds the
    cells of the tab asked for with `also_read` (None when the sheet has no such tab).
    """

    sheet: OpenSheet
    tab: Mapping[str, Any]
    values: list[list[str]]
    table: Table
    other_tab: list[list[str]] | None = None

    @property
    def tab_title(self) -> str:
        """The response tab's name, e.g. "Form responses 1"."""
        return str(self.tab.get("title", ""))


def read_responses(
    source: SourceSettings, access: GoogleAccess, *, also_read: str = ""
) -> ResponseTab:
    """Read the response tab, and the tab called `also_read` if the sheet has one.

    Costs one metadata GET and one values request, however many tabs: a values GET for the
    response tab alone, or a values:batchGet for both. An empty tab gives a Table with no
    headers. Raises a GoogleError subclass saying what to do when Google says no.
    """
    sheet = open_sheet(source, access)
    gid = _first(source.gid, sheet.address.gid)
    tab = choose_tab(sheet.title, sheet.tabs, source.worksheet, gid)
    tab_title = str(tab.get("title", ""))
    other = find_tab(sheet.tabs, also_read) if also_read else None
    other_values: list[list[str]] | None = None
    with explaining_google_errors(sheet.account, sheet.key, sheet.http):
        if other is None:
            answer = sheet.http.values_get(sheet.key, absolute_range_name(tab_title))
        else:
            ranges = [absolute_range_name(tab_title), absolute_range_name(other["title"])]
            both = sheet.http.values_batch_get(sheet.key, ranges).get("valueRanges", [{}, {}])
            answer = both[0]
            other_values = _cells(both[1].get("values", []))
    properties = sheet.metadata.get("properties", {})
    values = _cells(answer.get("values", []))
    table = table_from_values(
        values,
        name=f"{sheet.title} - {tab_title}",
        locale=str(properties.get("locale", "")),
        timezone=str(properties.get("timeZone", "")),
    )
    return ResponseTab(sheet, tab, values, table, other_values)


def find_tab(tabs: list[Mapping[str, Any]], title: str) -> Mapping[str, Any] | None:
    """The tab called `title`, ignoring case as Google does for tab names; None if none is."""
    for tab in tabs:
        if str(tab.get("title", "")).casefold() == title.casefold():
            return tab
    return None


def open_sheet(source: SourceSettings, access: GoogleAccess) -> OpenSheet:
    """Sign in and fetch the spreadsheet's metadata: one request (plus the token request).

    gspread's `open_by_key` makes this same request but keeps only the spreadsheet's properties,
    so choosing a tab afterwards would cost a second one; the whole answer is kept here.
    """
    address = parse_sheet_address(source.sheet)
    if not source.api_endpoint and access.endpoint and not is_safe_endpoint(access.endpoint):
        raise ConfigError(
            f"SMWSYNC_SHEETS_ENDPOINT = {access.endpoint!r} must be an address starting https://."
        )
    account = load_credentials(
        source, access.credentials_file, user_token_file=access.user_token_file
    )
    for warning in account.warnings:
        logger.warning("%s", warning)
    http_client = functools.partial(
        SheetsHTTPClient,
        endpoint=source.api_endpoint or access.endpoint or "",
        timeout=source.timeout_seconds,
        policy=RetryPolicy(retries=source.retries),
        sleep=access.sleep,
        rng=access.rng,
    )
    client = gspread.Client(auth=account.credentials, http_client=http_client)
    http = cast(SheetsHTTPClient, client.http_client)
    with explaining_google_errors(account, address.key, http):
        metadata = http.fetch_sheet_metadata(address.key)
    return OpenSheet(client, http, account, address, metadata)


def parse_sheet_address(text: str) -> SheetAddress:
    """The key (and gid, if given) from a sheet's full address or from a bare key."""
    text = text.strip()
    if not text:
        raise ConfigError(
            "No sheet to read: set [source] sheet to the response sheet's address (open the "
            "form, Responses, 'View in Sheets', and copy the address from the browser)."
        )
    if KEY_PATTERN.fullmatch(text):
        return SheetAddress(text)
    parts = urlsplit(text if "://" in text else "https://" + text)
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    if "forms" in segments:
        raise ConfigError(
            f"[source] sheet {text!r} is the form's address, not its response sheet's: open the "
            "form, Responses, 'View in Sheets', and copy that sheet's address."
        )
    key = ""
    if "d" in segments and segments.index("d") + 1 < len(segments):
        key = segments[segments.index("d") + 1]
    elif query.get("key"):
        key = query["key"][0]
    if key == "e":
        raise ConfigError(
            f"[source] sheet {text!r} is a 'published to the web' address, which the Sheets API "
            "cannot open: use the address shown in the browser while editing the sheet."
        )
    if not parts.netloc.endswith("google.com") or not KEY_PATTERN.fullmatch(key):
        raise ConfigError(
            f"[source] sheet {text!r} is neither a Google Sheet's address nor its key: copy the "
            "address from the browser while the response sheet is open."
        )
    return SheetAddress(key, _first(_gid(parts.fragment), _gid(parts.query)))


def choose_tab(
    sheet_title: str,
    tabs: list[Mapping[str, Any]],
    worksheet: str = "",
    gid: int | None = None,
) -> Mapping[str, Any]:
    """The tab named `worksheet`, else the one with `gid`, else the first (the form's)."""
    if worksheet:
        exact = [tab for tab in tabs if tab.get("title") == worksheet]
        loose = [tab for tab in tabs if _loose(tab.get("title", "")) == _loose(worksheet)]
        if exact or loose:
            return (exact or loose)[0]
        raise SheetNotFoundError(
            f"The sheet {sheet_title!r} has no tab called {worksheet!r}. Its tabs are: "
            f"{_tab_list(tabs, gids=False)}. Set [source] worksheet to one of them."
        )
    if gid is not None:
        for tab in tabs:
            if tab.get("sheetId") == gid:
                return tab
        raise SheetNotFoundError(
            f"The sheet {sheet_title!r} has no tab with gid {gid} (the number after #gid= in "
            f"its address). Its tabs are: {_tab_list(tabs, gids=True)}. Set [source] worksheet "
            "to the tab's name, or copy the address again with that tab open."
        )
    grids = [tab for tab in tabs if tab.get("sheetType", "GRID") == "GRID"]
    if not grids:
        raise SheetNotFoundError(f"The sheet {sheet_title!r} has no tab of cells to read.")
    return grids[0]


def table_from_values(
    values: list[list[Any]], *, name: str = "", locale: str = "", timezone: str = ""
) -> Table:
    """Rows as the Sheets API gives them (ragged, trailing blanks left out) as a padded Table.

    The first row holds the headers; blank rows are dropped but keep their row numbers.
    """
    if not values:
        return Table(headers=(), rows=(), name=name, locale=locale, timezone=timezone)
    width = max(len(row) for row in values)
    grid = [tuple(_text(cell) for cell in row) + ("",) * (width - len(row)) for row in values]
    rows = tuple(
        (number, cells)
        for number, cells in enumerate(grid[1:], start=2)
        if any(cell.strip() for cell in cells)
    )
    return Table(headers=grid[0], rows=rows, name=name, locale=locale, timezone=timezone)


def _tab_list(tabs: list[Mapping[str, Any]], *, gids: bool) -> str:
    names = [
        f"{tab.get('title', '')!r} (gid {tab.get('sheetId')})" if gids else repr(tab.get("title"))
        for tab in tabs
    ]
    return ", ".join(names) or "none"


def _loose(title: object) -> str:
    return " ".join(str(title).split()).casefold()


def _gid(text: str) -> int | None:
    values = parse_qs(text).get("gid")
    if values and values[0].isdigit():
        return int(values[0])
    return None


def _first(*gids: int | None) -> int | None:
    return next((gid for gid in gids if gid is not None), None)


def _text(cell: Any) -> str:
    return cell if isinstance(cell, str) else str(cell)


def _cells(values: list[list[Any]]) -> list[list[str]]:
    return [[_text(cell) for cell in row] for row in values]
