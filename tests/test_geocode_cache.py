"""The geocoding cache and the limiter: remembered answers, and polite waiting on a fake clock."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from geopy.adapters import AdapterHTTPError
from geopy.exc import GeocoderQueryError, GeocoderRateLimited, GeocoderServiceError

from smwsync.cli import cli
from smwsync.errors import GeocodeCacheError
from smwsync.geocode.cache import Answer, GeocodeCache
from smwsync.geocode.limiter import Limiter
from smwsync.model import Precision

LIBRARY = Answer(53.8, -1.55, Precision.ADDRESS, "Leeds Central Library", "E08000035")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def test_answers_found_and_not_found_are_kept_by_provider_and_normalised_query(tmp_path):
    clock = Clock()
    with GeocodeCache(tmp_path / "cache.sqlite", clock=clock) as cache:
        cache.put("nominatim", "amenity=Central Library|county=Leeds", LIBRARY)
        cache.put("postcodes.io", "LS1 9ZZ", None)
        found = cache.get("nominatim", "  AMENITY=central library|county=leeds ", 60)
        assert found is not None and found.answer == LIBRARY
        assert cache.get("postcodes.io", "ls1  9zz", 60).answer is None
        assert cache.get("postcodes.io", "LS1 9ZZ", 60).fetched_at == 100.0
        assert cache.get("arcgis", "amenity=Central Library|county=Leeds", 60) is None
        clock.now += 60
        assert cache.get("postcodes.io", "LS1 9ZZ", 60) is None  # time to ask again
        assert cache.get("nominatim", "amenity=central library|county=leeds", 60) is not None
        counts = {c.provider: (c.found, c.not_found) for c in cache.counts()}
        assert counts == {"nominatim": (1, 0), "postcodes.io": (0, 1)}
        assert cache.clear("postcodes.io") == 1
        assert [c.provider for c in cache.counts()] == ["nominatim"]


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "cache.sqlite"
    GeocodeCache(path).close()

    def write(provider: str) -> None:
        with GeocodeCache(path) as cache:
            for n in range(200):
                cache.put(provider, f"query {n}", LIBRARY if n % 2 else None)

    writers = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    with GeocodeCache(path) as cache:
        assert [(c.provider, c.found, c.not_found) for c in cache.counts()] == [
            ("a", 100, 100),
            ("b", 100, 100),
        ]
        assert cache.path.with_name("cache.sqlite-wal").exists()  # WAL mode


def test_a_damaged_cache_file_is_an_error_saying_what_to_do(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GeocodeCacheError, match="Cannot open the geocoding cache"):
        GeocodeCache(path)


def test_cache_stats_and_clear_on_the_command_line(campaign):
    config = campaign([])
    runner = CliRunner()
    empty = runner.invoke(cli, ["cache", "stats", "--config", str(config)])
    assert empty.output.startswith("No geocoding cache yet at ")
    with GeocodeCache(config.parent / "geocode-cache.sqlite") as cache:
        cache.put_many("postcodes.io", [("LS1 1UR", LIBRARY), ("LS1 9ZZ", None)])
        cache.put("nominatim", "amenity=Civic Hall", LIBRARY)

    stats = runner.invoke(cli, ["cache", "stats", "--config", str(config)])
    cleared = runner.invoke(
        cli, ["cache", "clear", "--provider", "nominatim", "--config", str(config)]
    )
    after = runner.invoke(cli, ["cache", "stats", "--config", str(config)])

    assert stats.output.splitlines()[1:] == [
        "  nominatim: 1 found, 0 not found",
        "  postcodes.io: 1 found, 1 not found",
    ]
    assert cleared.output.startswith("Forgot 1 answers from ")
    assert after.output.splitlines()[1:] == ["  postcodes.io: 1 found, 1 not found"]


def http_error(status: int) -> GeocoderServiceError:
    error = GeocoderServiceError(f"Non-successful status code {status}")
    error.__cause__ = AdapterHTTPError("failed", status_code=status, headers={}, text="")
    return error


def failing(*failures: Exception):
    queue = list(failures)

    def request() -> str:
        if queue:
            raise queue.pop(0)
        return "answer"

    return request


def test_the_limiter_spaces_requests_by_the_minimum_delay():
    clock = Clock()
    limiter = Limiter(1.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.call(lambda: None)
    assert clock.sleeps == [1.0, 1.0]
    clock.now += 5
    limiter.call(lambda: None)
    assert clock.sleeps == [1.0, 1.0]  # enough time had passed


def test_the_limiter_waits_as_long_as_retry_after_asks_then_tries_again():
    clock = Clock()
    limiter = Limiter(1.0, retries=2, clock=clock, sleep=clock.sleep)
    request = failing(GeocoderRateLimited("slow down", retry_after=30), http_error(502))
    assert limiter.call(request) == "answer"
    assert clock.sleeps == [30.0, 4.0]  # Retry-After, then a growing back-off
    assert limiter.requests == 3


def test_the_limiter_gives_up_after_its_retries_and_raises_the_failure():
    clock = Clock()
    limiter = Limiter(0.0, retries=1, clock=clock, sleep=clock.sleep)
    with pytest.raises(GeocoderServiceError):
        limiter.call(failing(http_error(500), http_error(500), http_error(500)))
    assert limiter.requests == 2


def test_the_limiter_does_not_repeat_a_request_the_service_refused():
    clock = Clock()
    limiter = Limiter(0.0, retries=3, clock=clock, sleep=clock.sleep)
    with pytest.raises(GeocoderQueryError):
        limiter.call(failing(GeocoderQueryError("bad query")))
    with pytest.raises(GeocoderServiceError):
        limiter.call(failing(http_error(403)))
    assert limiter.requests == 2
    assert clock.sleeps == []
