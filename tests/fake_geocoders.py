"""Fakes of postcodes.io and Nominatim on 127.0.0.1, for the real requests and geopy clients.

One threaded HTTP server speaks both protocols with their real JSON shapes: postcodes.io's
`GET /postcodes/{pc}`, bulk `POST /postcodes` and `GET /terminated_postcodes/{pc}`, and
Nominatim's `GET /search` (structured or free text; `[]` for no match; 403 for geopy's default
User-Agent, as the public server does). Tests fill in the postcodes and places it knows, queue
failures (`fail`: 429 with Retry-After, 5xx, slow answers that time out, wrong answers), and read
back every request. `VirtualClock` is the clock and sleep to hand the limiters, so nothing waits.

Use the `fake_geocoders` and `virtual_clock` fixtures (`pytest_plugins = ["fake_geocoders"]`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

OSM_LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"


@dataclass
class VirtualClock:
    """A monotonic clock that only moves when something sleeps on it."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


@dataclass
class Request:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    user_agent: str
    at: float  # the virtual clock's time, when one is attached


# A held request is answered when the server stops, or after this many seconds: a client with no
# time-out then gets its answer late, and the test that expected it to give up fails.
HOLD_AT_MOST = 10.0


@dataclass
class Failure:
    """What to do instead of answering, for requests whose path starts with `prefix`."""

    prefix: str
    status: int = 503
    retry_after: str | None = None
    hang: bool = False  # answer only once the test is over: a server that never answers in time
    body: Any = None  # a wrong answer to send with a 200


def postcode_result(
    postcode: str, latitude: float, longitude: float, district: str, code: str
) -> dict[str, Any]:
    """A postcodes.io postcode record with the fields the real service sends."""
    outcode, _, incode = postcode.partition(" ")
    return {
        "postcode": postcode,
        "quality": 1,
        "eastings": 430000,
        "northings": 433000,
        "country": "England" if code.startswith("E") else "Scotland" if code[0] == "S" else "Wales",
        "nhs_ha": "Yorkshire and the Humber",
        "longitude": longitude,
        "latitude": latitude,
        "european_electoral_region": "Yorkshire and The Humber",
        "primary_care_trust": district,
        "region": "Yorkshire and The Humber",
        "lsoa": f"{district} 111B",
        "msoa": f"{district} 111",
        "incode": incode,
        "outcode": outcode,
        "parliamentary_constituency": f"{district} Central",
        "admin_district": district,
        "parish": f"{district}, unparished area",
        "admin_county": None,
        "date_of_introduction": "198001",
        "admin_ward": "Little London & Woodhouse",
        "ced": None,
        "ccg": f"NHS {district}",
        "nuts": district,
        "pfa": "West Yorkshire",
        "codes": {
            "admin_district": code,
            "admin_county": "E99999999",
            "admin_ward": "E05011403",
            "parish": "E43000069",
            "parliamentary_constituency": "E14001330",
            "ccg": "E38000225",
            "ccg_id": "15F",
            "ced": "E99999999",
            "nuts": "TLE42",
            "lsoa": "E01033015",
            "msoa": "E02006875",
            "lau2": code,
            "pfa": "E23000010",
        },
    }


def nominatim_place(
    name: str, latitude: float, longitude: float, kind: str = "library", place_id: int = 1
) -> dict[str, Any]:
    """A Nominatim search result in its JSON format."""
    return {
        "place_id": place_id,
        "licence": OSM_LICENCE,
        "osm_type": "way",
        "osm_id": 100000 + place_id,
        "lat": f"{latitude:.7f}",
        "lon": f"{longitude:.7f}",
        "class": "amenity",
        "type": kind,
        "place_rank": 30,
        "importance": 0.3,
        "addresstype": "amenity",
        "name": name.split(",")[0],
        "display_name": name,
        "boundingbox": [
            f"{latitude - 0.001:.7f}",
            f"{latitude + 0.001:.7f}",
            f"{longitude - 0.001:.7f}",
            f"{longitude + 0.001:.7f}",
        ],
    }


class FakeGeocoders:
    """The state behind the fake server: what it knows, what it should fail, what it heard."""

    def __init__(self) -> None:
        self.postcodes: dict[str, dict[str, Any]] = {}
        self.terminated: dict[str, dict[str, Any]] = {}
        self.places: dict[str, dict[str, Any]] = {}  # venue (amenity or q), case-folded
        self.failures: list[Failure] = []
        self.requests: list[Request] = []
        self.clock: VirtualClock | None = None
        self.latency = 0.0  # seconds every answer takes (a real server's round trip)
        self.hung = threading.Event()  # set when a request is being held (Failure.hang)
        self.released = threading.Event()  # set when the server stops: held requests are answered
        self.url = ""
        self._lock = threading.Lock()

    # -- set up --

    def add_postcode(
        self, postcode: str, latitude: float, longitude: float, district: str, code: str
    ) -> None:
        """A live postcode postcodes.io knows."""
        self.postcodes[postcode] = postcode_result(postcode, latitude, longitude, district, code)

    def add_terminated(self, postcode: str, latitude: float, longitude: float) -> None:
        """A postcode no longer in use, still known to /terminated_postcodes."""
        self.terminated[postcode] = {
            "postcode": postcode,
            "year_terminated": 2019,
            "month_terminated": 6,
            "longitude": longitude,
            "latitude": latitude,
        }

    def add_place(self, venue: str, latitude: float, longitude: float, name: str = "") -> None:
        """A venue Nominatim finds, by the name asked for."""
        self.places[venue.casefold()] = nominatim_place(
            name or f"{venue}, Leeds, England, United Kingdom",
            latitude,
            longitude,
            place_id=len(self.places) + 1,
        )

    def fail(self, prefix: str, times: int = 1, **how: Any) -> None:
        """The next `times` requests under `prefix` fail (or are slow, or wrong) as told."""
        with self._lock:
            self.failures.extend(Failure(prefix, **how) for _ in range(times))

    # -- read back --

    def count(self, prefix: str, method: str = "") -> int:
        """How many requests arrived under `prefix` (and with `method`, when given)."""
        return sum(
            1
            for r in self.requests
            if r.path.startswith(prefix) and (not method or r.method == method)
        )

    def reset_counts(self) -> None:
        """Forget the requests heard so far."""
        self.requests.clear()

    # -- serve --

    def answer(self, request: Request) -> tuple[int, dict[str, str], Any, float]:
        """(status, headers, JSON body, latency) for one request; a request the failures say to
        hold is held here until the server stops."""
        with self._lock:
            self.requests.append(request)
            failure = next((f for f in self.failures if request.path.startswith(f.prefix)), None)
            if failure is not None:
                self.failures.remove(failure)
        if failure is not None and failure.hang:
            self.hung.set()
            self.released.wait(timeout=HOLD_AT_MOST)
        elif failure is not None and failure.body is None:
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            return failure.status, headers, {"status": failure.status, "error": "failed"}, 0.0
        if failure is not None and failure.body is not None:
            return 200, {}, failure.body, self.latency
        status, body = self._route(request)
        return status, {}, body, self.latency

    def _route(self, request: Request) -> tuple[int, Any]:
        path = request.path
        if path == "/postcodes" and request.method == "POST":
            asked = request.body.get("postcodes", []) if isinstance(request.body, dict) else []
            if not isinstance(asked, list) or len(asked) > 100:
                return 400, {"status": 400, "error": "No more than 100 postcodes per request"}
            return 200, {
                "status": 200,
                "result": [{"query": p, "result": self.postcodes.get(_tidy(p))} for p in asked],
            }
        if path.startswith("/postcodes/"):
            found = self.postcodes.get(_tidy(unquote(path.split("/", 2)[2])))
            if found is None:
                return 404, {"status": 404, "error": "Postcode not found"}
            return 200, {"status": 200, "result": found}
        if path.startswith("/terminated_postcodes/"):
            found = self.terminated.get(_tidy(unquote(path.split("/", 2)[2])))
            if found is None:
                return 404, {"status": 404, "error": "Terminated postcode not found"}
            return 200, {"status": 200, "result": found}
        if path == "/search":
            if request.user_agent.startswith("geopy/"):
                return 403, {"error": "Access blocked: identify your application"}
            venue = request.query.get("amenity") or request.query.get("q", "")
            place = self.places.get(venue.casefold())
            return 200, [place] if place else []
        return 404, {"status": 404, "error": "Resource not found"}


def _tidy(postcode: str) -> str:
    compact = "".join(postcode.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self._serve(body)

    def _serve(self, body: Any) -> None:
        parts = urlsplit(self.path)
        fake = self.server.fake
        request = Request(
            self.command,
            parts.path,
            {key: values[-1] for key, values in parse_qs(parts.query).items()},
            body,
            self.headers.get("User-Agent", ""),
            fake.clock.now if fake.clock else 0.0,
        )
        status, headers, payload, latency = fake.answer(request)
        if latency:
            time.sleep(latency)  # a real server's round trip, for bench/geocode_politeness.py
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGeocoders


@pytest.fixture
def virtual_clock() -> VirtualClock:
    """A clock and sleep for limiters; time passes only when they sleep."""
    return VirtualClock()


@pytest.fixture
def fake_geocoders(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGeocoders]:
    """postcodes.io and Nominatim on 127.0.0.1; `.url` is the base address of both."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with serving() as fake:
        yield fake


class serving:
    """Run a fake server in a thread for the length of a `with` block."""

    def __enter__(self) -> FakeGeocoders:
        self.fake = FakeGeocoders()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fake = self.fake
        self.fake.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.fake.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
