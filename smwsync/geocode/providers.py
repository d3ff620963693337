"""Optional providers geopy already has, named in `[geocode] providers`: "google", "arcgis".

Asked after Nominatim for venues it could not place, with one free-text query each
("Civic Centre, Market Street, Barnsley, UK"). Google needs `[geocode] google_api_key`.
"""

from __future__ import annotations

import functools

from geopy.adapters import RequestsAdapter
from geopy.geocoders import ArcGIS, GoogleV3
from geopy.geocoders.base import Geocoder

from smwsync.errors import ConfigError
from smwsync.geocode.cache import Answer
from smwsync.geocode.services import VenueQuery
from smwsync.model import Precision

KNOWN = ("google", "arcgis")


class GeopyProvider:
    """Any geopy geocoder behind the same small interface as NominatimSearch."""

    def __init__(self, name: str, geocoder: Geocoder) -> None:
        self.name = name
        self.geocoder = geocoder

    def search(self, query: VenueQuery) -> Answer | None:
        """The venue's place from a free-text query, or None when nothing matched."""
        fields = query.fields()
        text = ", ".join(
            part for part in (fields.get("amenity"), query.address, query.council) if part
        )
        if not text:
            return None
        found = self.geocoder.geocode(f"{text}, UK", exactly_one=True)
        if found is None:
            return None
        return Answer(found.latitude, found.longitude, Precision.ADDRESS, found.address)


def optional_provider(
    name: str, *, google_api_key: str = "", timeout: float = 10.0
) -> GeopyProvider:
    """The provider `name` from the configuration, ready to ask."""
    adapter = functools.partial(RequestsAdapter, max_retries=0)
    if name == "google":
        if not google_api_key:
            raise ConfigError(
                '[geocode] providers names "google": set [geocode] google_api_key as well.'
            )
        geocoder: Geocoder = GoogleV3(
            api_key=google_api_key, timeout=timeout, adapter_factory=adapter
        )
        return GeopyProvider("google", geocoder)
    if name == "arcgis":
        return GeopyProvider("arcgis", ArcGIS(timeout=timeout, adapter_factory=adapter))
    raise ConfigError(
        f"[geocode] providers: {name!r} is not one we know; use {' or '.join(map(repr, KNOWN))}."
    )
