"""postcodes.io: exact postcode centres, up to 100 postcodes in one request.

The only module that speaks postcodes.io's HTTP. A postcode it does not know is None; a failure
(down, 429, 5xx, time-out, an answer that is not its JSON) raises one of geopy's exceptions,
so the limiter and the chain treat every provider alike.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests
from geopy.adapters import AdapterHTTPError, get_retry_after
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)

from smwsync.geocode.cache import Answer
from smwsync.geocode.services import BULK_LIMIT
from smwsync.model import Precision

NAME = "postcodes.io"
_TIMED_OUT = (408, 503, 504)


class PostcodesIo:
    """A client for one postcodes.io server (the public one, or a self-hosted copy)."""

    name = NAME

    def __init__(
        self,
        url: str = "https://api.postcodes.io",
        *,
        timeout: float = 10.0,
        session: requests.Session | None = None,
        user_agent: str = "smwsync",
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent

    def lookup_many(self, postcodes: list[str]) -> dict[str, Answer | None]:
        """Each postcode's centre (None: not a live postcode), in one bulk request of <= 100."""
        if len(postcodes) > BULK_LIMIT:
            raise ValueError(f"postcodes.io takes at most {BULK_LIMIT} postcodes a request")
        body = self._call("POST", "/postcodes", json={"postcodes": postcodes})
        found: dict[str, Answer | None] = dict.fromkeys(postcodes)
        try:
            for item in body["result"]:
                found[item["query"]] = _answer(item["result"])
        except (KeyError, TypeError, ValueError) as err:
            raise GeocoderParseError(f"postcodes.io sent an answer we cannot read: {err}") from err
        return found

    def lookup_terminated(self, postcode: str) -> Answer | None:
        """Where a postcode that is no longer used was; None when postcodes.io never knew it."""
        body = self._call("GET", f"/terminated_postcodes/{quote(postcode)}", not_found_ok=True)
        if body is None:
            return None
        try:
            result = body["result"]
            if result.get("latitude") is None:
                return None
            label = f"postcode {result['postcode']} (ended {result.get('year_terminated', '?')})"
            return Answer(
                float(result["latitude"]), float(result["longitude"]), Precision.POSTCODE, label
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise GeocoderParseError(f"postcodes.io sent an answer we cannot read: {err}") from err

    def _call(self, method: str, path: str, *, json: Any = None, not_found_ok: bool = False) -> Any:
        url = self.url + path
        try:
            response = self.session.request(method, url, json=json, timeout=self.timeout)
        except requests.Timeout as err:
            raise GeocoderTimedOut(f"postcodes.io did not answer in {self.timeout} s") from err
        except requests.RequestException as err:
            raise GeocoderUnavailable(f"Cannot reach postcodes.io at {self.url}: {err}") from err
        status = response.status_code
        if status == 404 and not_found_ok:
            return None
        if status >= 400:
            cause = AdapterHTTPError(
                f"Non-successful status code {status}",
                status_code=status,
                headers=response.headers,
                text=response.text,
            )
            message = f"postcodes.io answered {status} for {path}"
            if status == 429:
                raise GeocoderRateLimited(
                    message, retry_after=get_retry_after(response.headers)
                ) from cause
            if status in _TIMED_OUT:
                raise GeocoderTimedOut(message) from cause
            raise GeocoderServiceError(message) from cause
        try:
            return response.json()
        except ValueError as err:
            raise GeocoderParseError(
                f"postcodes.io sent something that is not JSON: {err}"
            ) from err


def _answer(result: dict[str, Any] | None) -> Answer | None:
    if result is None or result.get("latitude") is None or result.get("longitude") is None:
        return None
    district = result.get("admin_district") or ""
    label = f"postcode {result['postcode']}" + (f" ({district})" if district else "")
    codes = result.get("codes") or {}
    return Answer(
        float(result["latitude"]),
        float(result["longitude"]),
        Precision.POSTCODE,
        label,
        codes.get("admin_district") or "",
    )
