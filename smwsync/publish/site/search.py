"""The search index the live map answers "near" from: smwsync's own gazetteer, trimmed.

A visitor's postcode, outcode, town or council is looked up in the page itself, never sent to
a third-party geocoder. The index keeps only a point for each postcode sector ("LS11", no
space), live postcode district ("LS1"), place name and council name, keyed by the name
folded as the script folds what is typed (see `search_key`).
"""

from __future__ import annotations

import re
from typing import Any

from smwsync.geocode.gazetteer import Gazetteer

# Three decimal places: about 100 m, plenty for "which events are nearest" to a postcode
# sector's or a town's middle.
DECIMALS = 3
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """A name as the index and the script compare it: lower case, "&" as "and", only letters
    and digits, words joined by one space ("St. Helens" -> "st helens")."""
    text = text.casefold().replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def search_index(gazetteer: Gazetteer) -> dict[str, Any]:
    """Sectors, districts, places and councils, each key -> [latitude, longitude, label]."""
    sectors = {
        code.replace(" ", ""): _point(point[0], point[1])
        for code, point in gazetteer.postcode_sectors()
    }
    districts = {code: _point(point[0], point[1]) for code, point in gazetteer.postcode_districts()}
    names: dict[str, list[Any]] = {}
    # The bigger place wins a shared name (Newport, Wales over Newport, Isle of Wight).
    for place in sorted(gazetteer.places(), key=lambda p: (-p.population, p.name)):
        key = search_key(place.name)
        if key and key not in names:
            names[key] = [*_point(place.latitude, place.longitude), place.name]
    councils: dict[str, list[Any]] = {}
    for council in gazetteer.councils():
        point = [*_point(council.latitude, council.longitude), council.official_name]
        for name in (council.official_name, council.name):
            key = search_key(name)
            if key and key not in councils:
                councils[key] = point
    return {"sectors": sectors, "districts": districts, "places": names, "councils": councils}


def _point(latitude: float, longitude: float) -> list[float]:
    return [round(latitude, DECIMALS), round(longitude, DECIMALS)]
