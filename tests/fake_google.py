"""A fake Google on 127.0.0.1, speaking the real protocols to the real gspread and google-auth.

It serves the OAuth 2.0 token endpoint (service-account JWT grants, checked against the key's
public half, and sign-in refresh-token grants), the Sheets API v4 (spreadsheet metadata, values
get/update/batchUpdate, and :batchUpdate addSheet) and google-auth's IAM `allowedLocations`
lookup. Every API call needs a bearer token the fake issued (401 otherwise); a sheet can be
shared with some accounts only (403 for the rest). Every request is recorded, written cells
are kept, and `fail()` queues failures (429 with Retry-After, 503 without JSON, ...).

Use the `fake_google` fixture, plus `service_account_key` or `user_sign_in` for credentials
whose token_uri points here; load them with `pytest_plugins = ["fake_google"]`.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import google.oauth2.credentials
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt

try:
    # google-auth 2.5x and later look up a service account's allowed locations in the background;
    # earlier versions (the pins allow 2.40) have no such lookup and no such module.
    from google.auth import _regional_access_boundary_utils
except ImportError:  # pragma: no cover - depends on the google-auth installed
    _regional_access_boundary_utils = None

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
SERVICE_ACCOUNT_EMAIL = "smw-sync@smw-test-project.iam.gserviceaccount.com"
USER_EMAIL = "organiser@example.gov.uk"
LOCAL_HOSTS = ("127.0.0.1", "localhost", b"127.0.0.1", b"localhost")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
STATUS_MESSAGES = {
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute "
    "per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789012'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}
# What Google's front end sends for a 502: HTML, not JSON.
BAD_GATEWAY_HTML = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1"
    "</title><p><b>502.</b> <ins>That’s an error.</ins><p>The server encountered a temporary "
    "error and could not complete your request.<p>Please try again in 30 seconds."
)


def google_error(status: int, message: str = "", **extra: Any) -> dict[str, Any]:
    """An error body in the shape the Sheets API uses."""
    error = {
        "code": status,
        "message": message or STATUS_MESSAGES.get(status, "Error"),
        "status": STATUS_NAMES.get(status, "UNKNOWN"),
    }
    return {"error": {**error, **extra}}


@dataclass(frozen=True)
class Recorded:
    """One request as the fake received it; `path` is still percent-encoded."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """The body parsed as a form (application/x-www-form-urlencoded)."""
        return {k: v[0] for k, v in parse_qs(self.body.decode("ascii")).items()}

    @property
    def is_location_lookup(self) -> bool:
        """google-auth's background IAM `allowedLocations` lookup, not a call smwsync made."""
        return self.path.endswith("/allowedLocations")


@dataclass(frozen=True)
class Reply:
    """An answer: a dict body is sent as JSON, text as text/html."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeTab:
    """One tab of a spreadsheet; `cells` rows may be ragged."""

    title: str
    sheet_id: int
    index: int
    cells: list[list[str]] = field(default_factory=list)
    row_count: int = 1000
    column_count: int = 26
    sheet_type: str = "GRID"

    def properties(self) -> dict[str, Any]:
        """The tab's `properties` as the metadata GET gives them."""
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": self.sheet_type,
            "gridProperties": {"rowCount": self.row_count, "columnCount": self.column_count},
        }

    def rows(self) -> list[list[str]]:
        """The cells as the API returns them: trailing empties and empty rows left out."""
        rows = [_trim(row) for row in self.cells]
        while rows and not rows[-1]:
            rows.pop()
        return rows


@dataclass
class FakeSpreadsheet:
    """A spreadsheet: tabs, who may read or edit it, and what was written to it."""

    key: str
    title: str
    locale: str = "en_GB"
    time_zone: str = "Europe/London"
    tabs: list[FakeTab] = field(default_factory=list)
    # email -> "reader" or "writer"; None shares it with every account the fake knows.
    shared_with: dict[str, str] | None = None
    writes: list[dict[str, Any]] = field(default_factory=list)
    batch_updates: list[dict[str, Any]] = field(default_factory=list)

    def tab(self, title: str) -> FakeTab:
        """The tab called `title` (KeyError if there is none)."""
        for tab in self.tabs:
            if tab.title == title:
                return tab
        raise KeyError(title)

    def add_tab(
        self, title: str, cells: list[list[str]] | None = None, *, sheet_id: int | None = None
    ) -> FakeTab:
        """Add a tab at the end; the sheet id defaults to one not yet used."""
        if sheet_id is None:
            sheet_id = max((t.sheet_id for t in self.tabs), default=-1) + 1
        tab = FakeTab(title, sheet_id, len(self.tabs), [list(r) for r in cells or []])
        tab.row_count = max(tab.row_count, len(tab.cells))
        self.tabs.append(tab)
        return tab

    def metadata(self) -> dict[str, Any]:
        """The answer to GET /v4/spreadsheets/{key}?includeGridData=false."""
        return {
            "spreadsheetId": self.key,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
            },
            "sheets": [{"properties": tab.properties()} for tab in self.tabs],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }


class FakeGoogle:
    """The fake's state and request handling; `url` is its base address."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.spreadsheets: dict[str, FakeSpreadsheet] = {}
        self.service_accounts: dict[str, tuple[str, bytes]] = {}  # key id -> (email, public PEM)
        self.users: dict[str, tuple[str, str, str]] = {}  # refresh token -> (id, secret, email)
        self.tokens: dict[str, str] = {}  # access token -> account email
        self.failures: list[tuple[str, Reply]] = []
        self.outside_attempts: list[str] = []  # host names something tried to reach
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.token_uri = f"{self.url}/token"

    # Setting the scene -------------------------------------------------------------------

    def add_spreadsheet(
        self,
        key: str,
        cells: list[list[str]] | None = None,
        *,
        title: str = "SMW 2027 events (Responses)",
        tab: str = "Form responses 1",
        locale: str = "en_GB",
        time_zone: str = "Europe/London",
        shared_with: dict[str, str] | None = None,
    ) -> FakeSpreadsheet:
        """A spreadsheet with one tab holding `cells`; add more with `.add_tab()`."""
        sheet = FakeSpreadsheet(key, title, locale, time_zone, shared_with=shared_with)
        sheet.add_tab(tab, cells)
        self.spreadsheets[key] = sheet
        return sheet

    def add_service_account(self, email: str, key_id: str, public_pem: bytes) -> None:
        """Accept JWT grants signed by this key (its id is the JWT's `kid`)."""
        self.service_accounts[key_id] = (email, public_pem)

    def add_user(self, client_id: str, client_secret: str, refresh_token: str, email: str) -> None:
        """Accept refresh-token grants for a person signed in with `smwsync auth login`."""
        self.users[refresh_token] = (client_id, client_secret, email)

    def fail(
        self,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        path: str = "/v4/",
        times: int = 1,
        message: str = "",
        **details: Any,
    ) -> None:
        """Answer the next `times` requests whose path starts with `path` with this failure.

        The default body is Google's JSON error for `status` with `message` and any other
        fields given (HTML for a 502); pass text as `body` for a non-JSON answer.
        """
        if body is None:
            body = (
                BAD_GATEWAY_HTML
                if status == 502 and not message
                else google_error(status, message, **details)
            )
        for _ in range(times):
            self.failures.append((path, Reply(status, body, dict(headers or {}))))

    def expire_tokens(self) -> None:
        """Forget every access token issued, as if they had all expired."""
        with self._lock:
            self.tokens.clear()

    def wait_for_background_lookups(self) -> None:
        """Wait until google-auth's background allowedLocations lookups have finished."""
        if _regional_access_boundary_utils is None:
            return
        for thread in threading.enumerate():
            if isinstance(
                thread, _regional_access_boundary_utils._RegionalAccessBoundaryRefreshThread
            ):
                thread.join(timeout=10)

    @staticmethod
    def google_auth_looks_up_locations() -> bool:
        """Whether the installed google-auth makes its background allowedLocations lookup.

        Before 2.5x it has no such lookup; from then it always makes it; from 2.63 only when
        GOOGLE_SDK_EXPERIMENTAL_PYTHON_REGIONAL_ACCESS_BOUNDARY_LOOKUP_ENABLED is true.
        """
        if _regional_access_boundary_utils is None:
            return False
        enabled = getattr(
            _regional_access_boundary_utils, "is_regional_access_boundary_lookup_enabled", None
        )
        return enabled is None or bool(enabled())

    def api_requests(self) -> list[Recorded]:
        """The requests smwsync made: everything but google-auth's background IAM lookup."""
        with self._lock:
            return [r for r in self.requests if not r.is_location_lookup]

    # Running -----------------------------------------------------------------------------

    def start(self) -> None:
        """Serve on 127.0.0.1 in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def handle(self, method: str, target: str, body: bytes, headers: dict[str, str]) -> Reply:
        """Record one request and answer it."""
        parts = urlsplit(target)
        recorded = Recorded(method, parts.path, parse_qs(parts.query), body, headers)
        with self._lock:
            self.requests.append(recorded)
            for index, (prefix, reply) in enumerate(self.failures):
                if parts.path.startswith(prefix):
                    del self.failures[index]
                    return reply
            try:
                return self._route(recorded)
            except _Refusal as refusal:
                return refusal.reply

    def _route(self, request: Recorded) -> Reply:
        path = request.path
        if path == "/token" and request.method == "POST":
            return self._token(request.form())
        email = self._caller(request)
        if path.startswith("/v1/projects/-/serviceAccounts/") and path.endswith(
            "/allowedLocations"
        ):
            return Reply(200, {"encodedLocations": "0x0", "locations": []})
        match = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(.*)", path)
        if not match:
            raise _Refusal(404, f"fake_google has no {request.method} {path}")
        sheet = self.spreadsheets.get(unquote(match.group(1)))
        if sheet is None:
            raise _Refusal(404)
        rest = match.group(2)
        reading = request.method == "GET"
        _check_shared(sheet, email, writing=not reading)
        if reading and rest == "":
            return Reply(200, sheet.metadata())
        if reading and rest.startswith("/values/"):
            return Reply(200, _values(sheet, unquote(rest[len("/values/") :])))
        if reading and rest == "/values:batchGet":
            ranges = request.query.get("ranges", [])
            value_ranges = [_values(sheet, r) for r in ranges]
            return Reply(200, {"spreadsheetId": sheet.key, "valueRanges": value_ranges})
        if request.method == "POST" and rest == "/values:batchUpdate":
            return Reply(200, _batch_write(sheet, request.json()))
        if request.method == "PUT" and rest.startswith("/values/"):
            option = request.query.get("valueInputOption", [""])[0]
            data = {**request.json(), "range": unquote(rest[len("/values/") :])}
            answer = _batch_write(sheet, {"valueInputOption": option, "data": [data]})
            return Reply(200, answer["responses"][0])
        if request.method == "POST" and rest == ":batchUpdate":
            return Reply(200, _structural_update(sheet, request.json()))
        raise _Refusal(404, f"fake_google has no {request.method} {path}")

    def _caller(self, request: Recorded) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token not in self.tokens:
            raise _Refusal(401)
        return self.tokens[token]

    def _token(self, form: dict[str, str]) -> Reply:
        grant = form.get("grant_type")
        if grant == JWT_GRANT:
            email = self._verify_assertion(form.get("assertion", ""))
            if email is None:
                return _oauth_error("invalid_grant", "Invalid JWT Signature.")
            return Reply(200, self._issue(email))
        if grant == "refresh_token":
            user = self.users.get(form.get("refresh_token", ""))
            if user is None or user[:2] != (form.get("client_id"), form.get("client_secret")):
                return _oauth_error("invalid_grant", "Token has been expired or revoked.")
            answer = self._issue(user[2])
            answer["scope"] = form.get("scope", "https://www.googleapis.com/auth/spreadsheets")
            return Reply(200, answer)
        return _oauth_error("unsupported_grant_type", "Invalid grant_type: " + str(grant))

    def _verify_assertion(self, assertion: str) -> str | None:
        try:
            encoded = assertion.split(".")[0]
            header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            email, public_pem = self.service_accounts[header.get("kid")]
            claims = jwt.decode(assertion, certs=public_pem, audience=TOKEN_AUDIENCE)
        except (KeyError, ValueError, IndexError, AttributeError):
            return None
        if claims.get("iss") != email or not claims.get("scope"):
            return None
        return email

    def _issue(self, email: str) -> dict[str, Any]:
        token = f"ya29.fake-{len(self.tokens) + 1}-{len(self.requests)}"
        self.tokens[token] = email
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}


class _Refusal(Exception):
    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.reply = Reply(status, google_error(status, message))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.fake.handle(self.command, self.path, body, headers)  # type: ignore[attr-defined]
        if isinstance(reply.body, dict | list):
            data, kind = json.dumps(reply.body).encode(), "application/json; charset=UTF-8"
        else:
            data, kind = str(reply.body or "").encode(), "text/html; charset=UTF-8"
        self.send_response(reply.status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `FakeGoogle.requests` instead."""


def _oauth_error(error: str, description: str) -> Reply:
    return Reply(400, {"error": error, "error_description": description})


def _check_shared(sheet: FakeSpreadsheet, email: str, *, writing: bool) -> None:
    if sheet.shared_with is None:
        return
    role = sheet.shared_with.get(email)
    if role is None or (writing and role != "writer"):
        raise _Refusal(403)


def _trim(row: list[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


# A1 ranges ---------------------------------------------------------------------------------


def _split_range(sheet: FakeSpreadsheet, text: str) -> tuple[FakeTab, str]:
    """The tab and the cells part ("" for the whole tab) of `'Tab'!A1:C3`, `Tab!A1` or `Tab`."""
    if text.startswith("'"):
        match = re.fullmatch(r"'((?:[^']|'')*)'(?:!(.*))?", text)
        title, cells = (
            (match.group(1).replace("''", "'"), match.group(2) or "") if match else ("", "")
        )
    else:
        title, _, cells = text.partition("!")
    try:
        return sheet.tab(title), cells
    except KeyError:
        raise _Refusal(400, f"Unable to parse range: {text}") from None


def _bounds(cells: str, tab: FakeTab) -> tuple[int, int, int, int]:
    """0-based [row0, row1) x [col0, col1) of an A1 cells range, clipped to the grid."""
    if not cells:
        return 0, tab.row_count, 0, tab.column_count
    start, _, end = cells.partition(":")
    r0, c0 = _cell(start)
    r1, c1 = _cell(end) if end else (r0, c0)
    return (
        (r0 or 1) - 1,
        r1 if r1 else tab.row_count,
        (c0 or 1) - 1,
        c1 if c1 else tab.column_count,
    )


def _cell(label: str) -> tuple[int, int]:
    """(row, column), 1-based, 0 where the label leaves it out: "B3" (3, 2), "B" (0, 2)."""
    match = re.fullmatch(r"([A-Za-z]*)(\d*)", label)
    if not match:
        raise _Refusal(400, f"Unable to parse range: {label}")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2) or 0), column


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _a1(tab: FakeTab, r0: int, r1: int, c0: int, c1: int) -> str:
    title = (
        tab.title if re.fullmatch(r"\w+", tab.title) else "'" + tab.title.replace("'", "''") + "'"
    )
    return f"{title}!{_column_letters(c0 + 1)}{r0 + 1}:{_column_letters(c1)}{r1}"


def _values(sheet: FakeSpreadsheet, text: str) -> dict[str, Any]:
    tab, cells = _split_range(sheet, text)
    r0, r1, c0, c1 = _bounds(cells, tab)
    rows = [_trim(row[c0:c1]) for row in tab.rows()[r0:r1]]
    while rows and not rows[-1]:
        rows.pop()
    answer: dict[str, Any] = {"range": _a1(tab, r0, r1, c0, c1), "majorDimension": "ROWS"}
    if rows:
        answer["values"] = rows
    return answer


def _batch_write(sheet: FakeSpreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = body.get("valueInputOption")
    if option not in ("RAW", "USER_ENTERED"):
        raise _Refusal(400, "'valueInputOption' is required but not specified")
    responses = []
    for item in body.get("data", []):
        tab, cells = _split_range(sheet, item["range"])
        r0, _, c0, _ = _bounds(cells, tab)
        values = item.get("values", [])
        width = max((len(row) for row in values), default=0)
        if r0 + len(values) > tab.row_count or c0 + width > tab.column_count:
            raise _Refusal(
                400,
                f"Range ({item['range']}) exceeds grid limits. Max rows: {tab.row_count}, "
                f"max columns: {tab.column_count}",
            )
        for offset, row in enumerate(values):
            while len(tab.cells) <= r0 + offset:
                tab.cells.append([])
            target = tab.cells[r0 + offset]
            target.extend([""] * (c0 + len(row) - len(target)))
            for column, value in enumerate(row):
                target[c0 + column] = "" if value is None else str(value)
        sheet.writes.append({"range": item["range"], "values": values, "valueInputOption": option})
        responses.append(
            {
                "spreadsheetId": sheet.key,
                "updatedRange": _a1(tab, r0, r0 + len(values), c0, c0 + width),
                "updatedRows": len(values),
                "updatedColumns": width,
                "updatedCells": sum(len(row) for row in values),
            }
        )
    return {
        "spreadsheetId": sheet.key,
        "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
        "totalUpdatedColumns": max((r["updatedColumns"] for r in responses), default=0),
        "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
        "totalUpdatedSheets": len({r["updatedRange"].split("!")[0] for r in responses}),
        "responses": responses,
    }


def _structural_update(sheet: FakeSpreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    replies = []
    for request in body.get("requests", []):
        if set(request) != {"addSheet"}:
            raise _Refusal(400, f"fake_google does not implement {sorted(request)}")
        properties = request["addSheet"].get("properties", {})
        title = properties.get("title") or f"Sheet{len(sheet.tabs) + 1}"
        if any(tab.title.casefold() == title.casefold() for tab in sheet.tabs):
            raise _Refusal(
                400,
                f'Invalid requests[0].addSheet: A sheet with the name "{title}" already exists. '
                "Please enter another name.",
            )
        tab = sheet.add_tab(title, sheet_id=properties.get("sheetId"))
        grid = properties.get("gridProperties", {})
        tab.row_count = grid.get("rowCount", tab.row_count)
        tab.column_count = grid.get("columnCount", tab.column_count)
        replies.append({"addSheet": {"properties": tab.properties()}})
    sheet.batch_updates.append(body)
    return {"spreadsheetId": sheet.key, "replies": replies}


# Fixtures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceAccountKey:
    """A real service-account JSON key file whose token_uri is the fake's."""

    path: Path
    email: str
    key_id: str


@dataclass(frozen=True)
class UserSignIn:
    """A sign-in token file like the one gspread.oauth() keeps, pointing at the fake."""

    path: Path
    email: str
    refresh_token: str


@pytest.fixture
def fake_google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running fake Google; requests never leave 127.0.0.1."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = FakeGoogle()
    # google-auth looks up a service account's allowed locations in a background thread at a
    # fixed https:// address; send that lookup here too, and wait for it before stopping.
    if _regional_access_boundary_utils is not None:
        monkeypatch.setattr(
            _regional_access_boundary_utils,
            "get_service_account_rab_endpoint",
            lambda email: f"{fake.url}/v1/projects/-/serviceAccounts/{email}/allowedLocations",
        )
    # Anything that tries to resolve a host name other than 127.0.0.1 fails, and is reported.
    real_getaddrinfo = socket.getaddrinfo

    def local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOCAL_HOSTS:
            fake.outside_attempts.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"fake_google: {host} is not 127.0.0.1")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    fake.start()
    yield fake
    fake.wait_for_background_lookups()
    fake.stop()
    assert fake.outside_attempts == [], "a request tried to leave 127.0.0.1"


@pytest.fixture(scope="session")
def rsa_private_key() -> rsa.RSAPrivateKey:
    """A throwaway RSA key, made once per test session."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def service_account_key(
    tmp_path: Path, fake_google: FakeGoogle, rsa_private_key: rsa.RSAPrivateKey
) -> ServiceAccountKey:
    """A service account's JSON key (mode 600) that the fake's token endpoint accepts."""
    key_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6"
    private_pem = rsa_private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = rsa_private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    info = {
        "type": "service_account",
        "project_id": "smw-test-project",
        "private_key_id": key_id,
        "private_key": private_pem,
        "client_email": SERVICE_ACCOUNT_EMAIL,
        "client_id": "109876543210987654321",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": fake_google.token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/smw-sync",
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    path.chmod(0o600)
    fake_google.add_service_account(SERVICE_ACCOUNT_EMAIL, key_id, public_pem)
    return ServiceAccountKey(path, SERVICE_ACCOUNT_EMAIL, key_id)


@pytest.fixture
def user_sign_in(
    tmp_path: Path, fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> UserSignIn:
    """An authorized_user token file, as `gspread.oauth()` stores it, accepted by the fake.

    google-auth ignores a sign-in file's token_uri (it always uses Google's, so that a file
    cannot send a refresh token elsewhere): here its constant is pointed at the fake instead.
    """
    monkeypatch.setattr(
        google.oauth2.credentials, "_GOOGLE_OAUTH2_TOKEN_ENDPOINT", fake_google.token_uri
    )
    client_id = "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com"
    secret, refresh_token = "GOCSPX-fake-client-secret", "1//09fake-refresh-token"
    info = {
        "type": "authorized_user",
        "client_id": client_id,
        "client_secret": secret,
        "refresh_token": refresh_token,
        "token_uri": fake_google.token_uri,
        "scopes": ["https://www.googleapis.com/auth/spreadsheets"],
        "universe_domain": "googleapis.com",
    }
    folder = tmp_path / "gspread-config"
    folder.mkdir()
    path = folder / "authorized_user.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    path.chmod(0o600)
    fake_google.add_user(client_id, secret, refresh_token, USER_EMAIL)
    return UserSignIn(path, USER_EMAIL, refresh_token)
