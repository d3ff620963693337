"""`smwsync doctor`: check everything a sync needs, one line per check with what to do.

Checks the configuration, the responses file or the Google account, the sheet and its tab, that
every configured question is a header, the write-back settings and the geocoder. Reading the
sheet costs a token request, one metadata GET and one values request (the header rows only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gspread.utils import absolute_range_name

from smwsync.config import Settings, load_settings
from smwsync.errors import SmwsyncError
from smwsync.geocode.chain import online_services
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.google.access import GoogleAccess
from smwsync.google.account import USER_TOKEN_FILE, load_credentials
from smwsync.google.explain import explaining_google_errors
from smwsync.google.sheet import OpenSheet, choose_tab, find_tab, open_sheet
from smwsync.notify.after_sync import sending_of
from smwsync.publish.sheet_tab import is_sheet_tab
from smwsync.publish.statuses import write_back_note, write_back_wanted
from smwsync.sources.columns import column_letter, header_key, map_columns
from smwsync.sources.download import read_download


@dataclass(frozen=True)
class Check:
    """One check's outcome: what was checked, whether it passed, and what was found or to do."""

    name: str
    ok: bool
    message: str

    def line(self) -> str:
        """The check as `smwsync doctor` prints it."""
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.message}"


def run_checks(
    config_path: Path | None,
    environ: Mapping[str, str] | None = None,
    *,
    user_token_file: Path = USER_TOKEN_FILE,
    load_gazetteer: Callable[[], Gazetteer] = Gazetteer.load,
    secret: Callable[[str], str | None] = lambda name: None,
) -> list[Check]:
    """Every check, in the order a sync needs them; a failure stops the checks that depend on it.

    `environ` holds GOOGLE_APPLICATION_CREDENTIALS and SMWSYNC_SHEETS_ENDPOINT if set;
    `secret(name)` gives the environment variable [notify] password_env names.
    """
    environ = environ or {}
    try:
        settings = load_settings(config_path)
    except SmwsyncError as err:
        return [Check("configuration", False, str(err))]
    checks = [Check("configuration", True, f"{settings.config_path} is complete and valid")]
    if settings.source.csv is not None:
        checks.extend(_csv_checks(settings))
    elif settings.source.sheet:
        checks.extend(_sheet_checks(settings, environ, user_token_file))
    else:
        checks.append(
            Check("responses", False, "no source: set [source] sheet (or csv) in the configuration")
        )
    checks.append(_geocoder_check(settings, load_gazetteer))
    if settings.notify.enabled:
        checks.append(_email_check(settings, secret))
    return checks


def _email_check(settings: Settings, secret: Callable[[str], str | None]) -> Check:
    """Connect to the mail relay and sign in, sending nothing."""
    notify = settings.notify
    password = (secret(notify.password_env) or "") if notify.password_env else ""
    try:
        with sending_of(settings, password).relay():
            pass
    except SmwsyncError as err:
        return Check("email", False, str(err))
    who = f" as {notify.username}" if notify.username else ""
    return Check(
        "email",
        True,
        f"signed in to {notify.smtp_host}:{notify.smtp_port}{who} ({notify.smtp_security}); "
        "nothing was sent",
    )


def _csv_checks(settings: Settings) -> list[Check]:
    source = settings.source
    assert source.csv is not None
    try:
        table = read_download(source.csv, encoding=source.encoding, worksheet=source.worksheet)
    except SmwsyncError as err:
        return [Check("responses file", False, str(err))]
    checks = [Check("responses file", True, f"{source.csv}: {len(table.rows)} responses")]
    checks.append(_columns_check(table.headers, settings))
    note = write_back_note(settings)
    if note:
        checks.append(Check("write-back", True, note))
    return checks


def _sheet_checks(
    settings: Settings, environ: Mapping[str, str], user_token_file: Path
) -> list[Check]:
    source = settings.source
    access = GoogleAccess.from_environ(environ, user_token_file=user_token_file)
    try:
        account = load_credentials(
            source, access.credentials_file, user_token_file=access.user_token_file
        )
    except SmwsyncError as err:
        return [Check("Google account", False, str(err))]
    checks = [Check("Google account", True, " ".join((account.describe(), *account.warnings)))]
    try:
        sheet = open_sheet(source, access)
    except SmwsyncError as err:
        return [*checks, Check("sheet", False, str(err))]
    who = sheet.account.email or "your Google account"
    checks.append(Check("sheet", True, f"{sheet.title!r} opened as {who}"))
    try:
        gid = source.gid if source.gid is not None else sheet.address.gid
        tab = choose_tab(sheet.title, sheet.tabs, source.worksheet, gid)
        map_tab = (
            find_tab(sheet.tabs, settings.publish.sheet_tab) if settings.publish.sheet_tab else None
        )
        first_rows = _first_rows(sheet, str(tab.get("title", "")), map_tab)
    except SmwsyncError as err:
        return [*checks, Check("response tab", False, str(err))]
    headers = tuple(first_rows[0])
    checks.append(
        Check("response tab", True, f"{tab.get('title')!r}, {len(headers)} columns in row 1")
    )
    checks.append(_columns_check(headers, settings))
    if write_back_wanted(settings.publish):
        checks.append(_write_back_check(settings, sheet, tab, headers, map_tab, first_rows))
    return checks


def _first_rows(
    sheet: OpenSheet, tab_title: str, map_tab: Mapping[str, object] | None
) -> list[list[str]]:
    """Row 1 of the response tab, and of the events tab when there is one: one request."""
    ranges = [absolute_range_name(tab_title, "1:1")]
    if map_tab is not None:
        ranges.append(absolute_range_name(str(map_tab.get("title", "")), "1:1"))
    with explaining_google_errors(sheet.account, sheet.key, sheet.http):
        answer = sheet.http.values_batch_get(sheet.key, ranges)
    rows = [value_range.get("values", [[]])[0] for value_range in answer.get("valueRanges", [])]
    return [[str(cell) for cell in row] for row in rows] + [[]] * (len(ranges) - len(rows))


def _columns_check(headers: tuple[str, ...], settings: Settings) -> Check:
    try:
        found, problems = map_columns(headers, settings.columns)
    except SmwsyncError as err:
        return Check("columns", False, str(err))
    where = ", ".join(f"{name} {column_letter(index)}" for name, index in found.items())
    warnings = "".join(f" Warning: {p.message}" for p in problems)
    return Check("columns", True, f"every configured question is a header ({where}).{warnings}")


def _write_back_check(
    settings: Settings,
    sheet: OpenSheet,
    tab: Mapping[str, object],
    headers: tuple[str, ...],
    map_tab: Mapping[str, object] | None,
    first_rows: list[list[str]],
) -> Check:
    publish = settings.publish
    found: list[str] = []
    if publish.status_column:
        key = header_key(publish.status_column)
        if key in {header_key(title) for title in settings.columns.values()}:
            return Check(
                "write-back",
                False,
                f"[publish] status_column = {publish.status_column!r} is also a question in "
                "[columns]: choose another name, such as 'Map status'.",
            )
        index = next((i for i, h in enumerate(headers) if header_key(h) == key), None)
        found.append(
            f"status column {publish.status_column!r} "
            + (
                f"is column {column_letter(index)}"
                if index is not None
                else "will be added right of the used columns"
            )
        )
    if publish.sheet_tab:
        if map_tab is not None and map_tab.get("sheetId") == tab.get("sheetId"):
            return Check(
                "write-back",
                False,
                f"[publish] sheet_tab = {publish.sheet_tab!r} is the response tab.",
            )
        if map_tab is not None and not is_sheet_tab([first_rows[-1]]):
            return Check(
                "write-back",
                False,
                f"the tab {map_tab.get('title')!r} holds something smwsync did not write: set "
                "[publish] sheet_tab to a new name, or empty that tab.",
            )
        state = "exists" if map_tab is not None else "will be created"
        found.append(f"tab {publish.sheet_tab!r} {state}")
    return Check(
        "write-back",
        True,
        "; ".join(found)
        + f". Writing needs {sheet.account.email or 'your account'} to be an Editor of the sheet "
        "(not checked: that would take a write).",
    )


def _geocoder_check(settings: Settings, load_gazetteer: Callable[[], Gazetteer]) -> Check:
    try:
        gazetteer = load_gazetteer()
    except SmwsyncError as err:
        return Check("geocoder", False, str(err))
    offline = f"offline gazetteer loaded ({len(gazetteer.councils())} councils)"
    geocode = settings.geocode
    if geocode.offline:
        return Check("geocoder", True, f"{offline}; online geocoders off ([geocode] offline)")
    try:
        # Builds the clients and checks their settings; asks no server anything.
        online = online_services(geocode)
    except SmwsyncError as err:
        return Check("geocoder", False, str(err))
    names = [f"postcodes.io at {geocode.postcodes_io.url}", f"Nominatim at {geocode.nominatim.url}"]
    names += [type(provider).__name__ for provider in online.extra]
    return Check("geocoder", True, f"{offline}; online: {', '.join(names)} (not contacted)")
