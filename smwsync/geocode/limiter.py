"""Politeness for one online service: a minimum gap between requests and patient retries.

geopy's RateLimiter wraps one callable and, by default, turns every failure into None ("no
match"). This limiter is shared by every request to one service during a run (single and
retried alike), keeps "failed" an exception, honours a Retry-After the service sends, and takes
its clock and sleep in the constructor, so tests drive it with a virtual clock and never wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from geopy.exc import GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut

T = TypeVar("T")

# Failures worth asking again: a 429, a time-out, a 5xx. Others (400, 403) would fail again.
RETRYABLE = (GeocoderRateLimited, GeocoderTimedOut)
BACKOFF_SECONDS = 2.0
MAX_WAIT_SECONDS = 120.0


class Limiter:
    """At most one request every `min_delay` seconds, and up to `retries` more tries."""

    def __init__(
        self,
        min_delay: float = 1.0,
        retries: int = 2,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_delay = min_delay
        self.retries = retries
        self.clock = clock
        self.sleep = sleep
        self.requests = 0
        self._last: float | None = None

    def call(self, request: Callable[[], T]) -> T:
        """Run `request` politely; raise its last failure when every try failed."""
        attempt, gap = 0, 0.0
        while True:
            self._wait(gap)
            self.requests += 1
            try:
                return request()
            except RETRYABLE as err:
                failure: GeocoderServiceError = err
            except GeocoderServiceError as err:
                if not _is_server_error(err):
                    raise
                failure = err
            if attempt >= self.retries:
                raise failure
            attempt += 1
            retry_after = getattr(failure, "retry_after", None) or 0.0
            gap = min(max(float(retry_after), BACKOFF_SECONDS * attempt), MAX_WAIT_SECONDS)

    def _wait(self, at_least: float) -> None:
        """Sleep until `min_delay` (or `at_least`, if longer) has passed since the last request."""
        now = self.clock()
        if self._last is not None:
            due = self._last + max(self.min_delay, at_least)
            if due > now:
                self.sleep(due - now)
                now = self.clock()
        self._last = now


def _is_server_error(err: GeocoderServiceError) -> bool:
    # geopy keeps the HTTP status on the adapter's error it raises from.
    status = getattr(err.__cause__, "status_code", None)
    return isinstance(status, int) and 500 <= status < 600
