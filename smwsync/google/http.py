"""gspread's HTTP client with a configurable endpoint, a time-out and a bounded retry.

gspread's own `BackOffHTTPClient` never gives up on a persistent 429 or 5xx and keeps no
time-out, which would leave a cron job hanging; this client asks again a few times, waiting
longer each time (or as long as Google's Retry-After says), then lets the error through.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import requests
from google.auth.credentials import Credentials
from gspread.exceptions import APIError
from gspread.http_client import FileType, HTTPClient, ParamsType

GOOGLE_SHEETS_ENDPOINT = "https://sheets.googleapis.com"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Google did not take the request in: asking again cannot do anything twice.
NOT_TAKEN_IN = frozenset({408, 429})
# Requests that give the same result however often they are made.
REPEATABLE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
REPEATABLE_ACTIONS = ("values:batchUpdate", "values:batchClear", "values:batchGet", ":clear")


@dataclass(frozen=True)
class RetryPolicy:
    """How often to ask Google again, and how long to wait first."""

    retries: int = 4
    first_delay: float = 1.0
    max_delay: float = 32.0
    # A Retry-After longer than this is not waited out: the sync fails and cron tries later.
    longest_wait: float = 120.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before retry number `attempt` (0 first), or None to give up.

        Exponential back-off with jitter (between half and all of 1, 2, 4 ... seconds), never
        less than Google's Retry-After.
        """
        if attempt >= self.retries:
            return None
        backoff = min(self.max_delay, self.first_delay * 2**attempt)
        wait = backoff / 2 + rng.random() * backoff / 2
        if retry_after is not None:
            if retry_after > self.longest_wait:
                return None
            wait = max(wait, retry_after)
        return wait


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTPClient sending Sheets requests to `endpoint`, with time-out and retries.

    Pass it to gspread with `functools.partial(SheetsHTTPClient, endpoint=..., ...)` as
    `http_client=`. After a request fails, `last_attempts` says how many times it was tried.
    """

    def __init__(
        self,
        auth: Credentials,
        session: requests.Session | None = None,
        *,
        endpoint: str = "",
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(auth, session)
        self.endpoint = (endpoint or GOOGLE_SHEETS_ENDPOINT).rstrip("/")
        self.set_timeout(timeout)
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.last_attempts = 0

    def route(self, url: str) -> str:
        """The address to use for a Sheets API URL gspread built for Google's own endpoint."""
        if url.startswith(GOOGLE_SHEETS_ENDPOINT + "/"):
            return self.endpoint + url[len(GOOGLE_SHEETS_ENDPOINT) :]
        return url

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: FileType = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one API request, asking again after a retryable failure; raise the last error."""
        url = self.route(endpoint)
        repeatable = is_repeatable(method, url)
        attempt = 0
        while True:
            self.last_attempts = attempt + 1
            try:
                return super().request(
                    method, url, params=params, data=data, json=json, files=files, headers=headers
                )
            except APIError as err:
                status = err.response.status_code
                if status not in RETRY_STATUSES or not (repeatable or status in NOT_TAKEN_IN):
                    raise
                wait = self.policy.delay(attempt, retry_after(err.response), self.rng)
                if wait is None:
                    raise
            except requests.ConnectTimeout:
                # Never connected, so nothing was sent: safe to repeat any request.
                wait = self.policy.delay(attempt, None, self.rng)
                if wait is None:
                    raise
            except (requests.ConnectionError, requests.Timeout):
                wait = self.policy.delay(attempt, None, self.rng) if repeatable else None
                if wait is None:
                    raise
            self.sleep(wait)
            attempt += 1


def is_repeatable(method: str, url: str) -> bool:
    """True when sending the request twice does no more than sending it once."""
    path = url.split("?", 1)[0]
    return method.upper() in REPEATABLE_METHODS or path.endswith(REPEATABLE_ACTIONS)


def retry_after(response: requests.Response) -> float | None:
    """The seconds a Retry-After header asks for; None when absent or given as a date."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
