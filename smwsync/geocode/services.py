"""The online services' names and limits, and what a venue search asks them.

Apart from their clients (postcodes_io.py, nominatim.py, providers.py), which load requests
and geopy, so that placing events from the cache loads neither.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

POSTCODES_IO = "postcodes.io"
BULK_LIMIT = 100  # postcodes.io's most postcodes in one request
NOMINATIM = "nominatim"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
KM_PER_DEGREE = 111.0


@dataclass(frozen=True)
class VenueQuery:
    """What Nominatim is asked: the venue, its address and its council's name and middle."""

    venue: str
    address: str
    council: str = ""
    near: tuple[float, float] | None = None
    within_km: float = 40.0

    def fields(self) -> dict[str, str]:
        """The structured query geopy sends, without empty fields."""
        parts = [part.strip() for part in re.split(r"[,\n]", self.address) if part.strip()]
        # One part alone ("Leeds") is more often the town than the street.
        query = {
            "amenity": self.venue.strip(),
            "street": parts[0] if len(parts) > 1 else "",
            "city": parts[-1] if parts else "",
            "county": self.council.strip(),
        }
        return {key: value for key, value in query.items() if value}

    def key(self) -> str:
        """The cache key: the structured fields in a fixed order."""
        return "|".join(f"{key}={value}" for key, value in sorted(self.fields().items()))

    def viewbox(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """A box `within_km` around the council's middle, as geopy wants it."""
        if self.near is None:
            return None
        latitude, longitude = self.near
        dlat = self.within_km / KM_PER_DEGREE
        dlon = dlat / max(0.2, math.cos(math.radians(latitude)))
        return ((latitude - dlat, longitude - dlon), (latitude + dlat, longitude + dlon))
