"""Geocode 2,000 responses with smwsync's chain and with the plain approach, against the fakes.

The plain approach is what a script would do: geopy's Nominatim behind
`RateLimiter(min_delay_seconds=1)`, one call per row, no cache. smwsync asks postcodes.io in
bulk, Nominatim once per distinct venue, and keeps every answer in its SQLite cache. Both talk
to the same fake postcodes.io and Nominatim on 127.0.0.1 (tests/fake_geocoders.py), each answer
taking `--latency` ms. The one-request-a-second rule is scaled down by `--factor` (printed) so
the run finishes in minutes; "at 1 req/s" extrapolates each run to the real rule.

    .venv/bin/python bench/geocode_politeness.py [--rows 2000] [--factor 50] [--latency 20]

Prints wall times and request counts for a cold and a warm run of each; `--json` prints one
JSON object instead. Writes only under bench/out/.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from smwsync.config import GeocodeSettings, NominatimSettings, PostcodesIoSettings  # noqa: E402
from smwsync.geocode.chain import locate, online_services  # noqa: E402
from smwsync.geocode.gazetteer import Gazetteer  # noqa: E402
from smwsync.model import FACE_TO_FACE, ONLINE, Event  # noqa: E402

from fake_geocoders import FakeGeocoders, serving  # noqa: E402

OUT = ROOT / "bench" / "out" / "geocode_politeness"
AGENT = "smwsync-bench (bench@example.org)"
SEED = 20270322


@dataclass(frozen=True)
class Result:
    """One run: how long it took, what it asked, how many events it placed."""

    approach: str
    run: str
    seconds: float
    postcodes_io: int
    nominatim: int
    placed: int
    factor: float

    def at_one_a_second(self) -> float:
        """The run's time with Nominatim at the real one request a second."""
        return self.seconds + self.nominatim * (1.0 - 1.0 / self.factor)


def responses(fake: FakeGeocoders, rows: int) -> list[Event]:
    """`rows` events: 70% with a full postcode (600 distinct), 20% a venue only (150 distinct),
    10% online; every postcode and venue known to the fakes."""
    rng = random.Random(SEED)
    postcodes = [f"LS{1 + n // 90} {1 + n % 9}{'ABDEFGHJLN'[n // 9 % 10]}Q" for n in range(600)]
    for n, postcode in enumerate(postcodes):
        fake.add_postcode(postcode, 53.75 + n * 2e-4, -1.6 + n * 1e-4, "Leeds", "E08000035")
    venues = [f"Community Hall {n}" for n in range(150)]
    for n, venue in enumerate(venues):
        fake.add_place(venue, 53.78 + n * 1e-4, -1.55)
    events = []
    for row in range(rows):
        kind = rng.random()
        fields: dict[str, object] = {"council": "Leeds", "formats": (FACE_TO_FACE,)}
        if kind < 0.7:
            fields["postcode"] = rng.choice(postcodes)
        elif kind < 0.9:
            fields.update(venue=rng.choice(venues), address="Leeds")
        else:
            fields["formats"] = (ONLINE,)
        events.append(Event(id=f"e{row}", title=f"Event {row}", row_number=row + 2, **fields))  # type: ignore[arg-type]
    # The plain approach asks free text; teach the fake Nominatim those questions too.
    for event in events:
        text = plain_query(event)
        if text and text.casefold() not in fake.places:
            point = fake.postcodes.get(event.postcode) or {"latitude": 53.8, "longitude": -1.55}
            fake.add_place(text, point["latitude"], point["longitude"])
    return events


def plain_query(event: Event) -> str:
    parts = (event.venue, event.address, event.postcode, event.council)
    return ", ".join(part for part in parts if part) if event.has_venue else ""


def run_smwsync(fake: FakeGeocoders, events: list[Event], factor: float, run: str) -> Result:
    settings = GeocodeSettings(
        offline=False,
        cache=OUT / "geocode-cache.sqlite",
        codepoint=OUT / "no-codepoint.sqlite",
        postcodes_io=PostcodesIoSettings(url=fake.url),
        nominatim=NominatimSettings(url=fake.url, user_agent=AGENT, min_delay_seconds=1 / factor),
    )
    gazetteer = Gazetteer.load()
    fake.reset_counts()
    started = time.perf_counter()
    result = locate(events, gazetteer, settings, online=online_services(settings))
    seconds = time.perf_counter() - started
    placed = sum(1 for p in result.placed if p.location is not None)
    return Result(
        "smwsync",
        run,
        seconds,
        fake.count("/postcodes"),
        fake.count("/search"),
        placed,
        factor,
    )


def run_plain(fake: FakeGeocoders, events: list[Event], factor: float, run: str) -> Result:
    scheme, _, domain = fake.url.partition("://")
    geocoder = Nominatim(domain=domain, scheme=scheme, user_agent=AGENT, timeout=10)
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=1 / factor)
    fake.reset_counts()
    started = time.perf_counter()
    placed = 0
    for event in events:
        text = plain_query(event)
        if text and geocode(text) is not None:
            placed += 1
    seconds = time.perf_counter() - started
    return Result(
        "plain", run, seconds, fake.count("/postcodes"), fake.count("/search"), placed, factor
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--factor", type=float, default=50.0, help="1 s rule divided by this")
    parser.add_argument("--latency", type=float, default=20.0, help="ms each answer takes")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    results = []
    with serving() as fake:
        fake.latency = args.latency / 1000
        events = responses(fake, args.rows)
        for run in ("cold", "warm"):
            results.append(run_smwsync(fake, events, args.factor, run))
        for run in ("cold", "warm"):
            results.append(run_plain(fake, events, args.factor, run))
    if args.json:
        print(json.dumps([r.__dict__ | {"at_1_per_s": r.at_one_a_second()} for r in results]))
        return 0
    print(
        f"{args.rows} responses; Nominatim's 1 request a second scaled down {args.factor:g} times "
        f"(min_delay_seconds = {1 / args.factor:.3f}); each answer takes {args.latency:g} ms."
    )
    print(
        f"{'approach':<9} {'run':<5} {'wall s':>8} {'at 1 req/s':>11} "
        f"{'postcodes.io':>13} {'nominatim':>10} {'placed':>7}"
    )
    for r in results:
        print(
            f"{r.approach:<9} {r.run:<5} {r.seconds:>8.2f} {r.at_one_a_second():>10.0f}s "
            f"{r.postcodes_io:>13} {r.nominatim:>10} {r.placed:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
