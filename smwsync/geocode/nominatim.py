"""Nominatim (OpenStreetMap), through geopy: venues that have no usable postcode.

A structured query (the venue as `amenity`, the address's first line as `street` and its last
as `city`, and the council as `county`), limited to Great Britain and to a box around the council.
No match is None; a failure raises geopy's exception. geopy's own adapter retries are switched
off: the limiter decides when to ask again, on a clock tests can replace.
"""

from __future__ import annotations

import functools
from typing import Any

from geopy.adapters import RequestsAdapter
from geopy.geocoders import Nominatim

from smwsync.geocode.cache import Answer
from smwsync.geocode.services import NOMINATIM as NAME
from smwsync.geocode.services import VenueQuery
from smwsync.model import Precision

# Answers that name a settlement or an area, not a building or a street.
_PLACE_TYPES = frozenset(
    [
        "city",
        "town",
        "village",
        "hamlet",
        "suburb",
        "neighbourhood",
        "quarter",
        "county",
        "state",
        "region",
        "administrative",
        "municipality",
        "borough",
        "district",
    ]
)


class _Nominatim(Nominatim):
    # Nominatim's API takes `amenity` in a structured search; geopy 2.5 leaves it out.
    structured_query_params = Nominatim.structured_query_params | {"amenity"}


class NominatimSearch:
    """One Nominatim server; `user_agent` must identify the deployment."""

    name = NAME

    def __init__(
        self,
        url: str = "https://nominatim.openstreetmap.org",
        *,
        user_agent: str,
        email: str = "",
        timeout: float = 10.0,
    ) -> None:
        scheme, _, domain = url.rstrip("/").partition("://")
        agent = f"{user_agent} ({email})" if email else user_agent
        self.geocoder = _Nominatim(
            domain=domain or scheme,
            scheme=scheme if domain else "https",
            user_agent=agent,
            timeout=timeout,
            adapter_factory=functools.partial(RequestsAdapter, max_retries=0),
        )

    def search(self, query: VenueQuery) -> Answer | None:
        """The venue's place, or None when Nominatim has no match."""
        fields = query.fields()
        if not fields:
            return None
        box = query.viewbox()
        found = self.geocoder.geocode(
            fields,
            exactly_one=True,
            country_codes="gb",
            viewbox=box,
            bounded=box is not None,
        )
        if found is None:
            return None
        return Answer(found.latitude, found.longitude, _precision(found.raw), found.address)


def _precision(raw: Any) -> Precision:
    if not isinstance(raw, dict):
        return Precision.ADDRESS
    kinds = {raw.get("addresstype"), raw.get("type")}
    if raw.get("class") == "place" or kinds & _PLACE_TYPES:
        return Precision.PLACE
    return Precision.ADDRESS
