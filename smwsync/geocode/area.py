"""Which nation and English region an event is in, for people browsing their own area."""

from __future__ import annotations

from dataclasses import replace

from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event


def with_area(event: Event, gazetteer: Gazetteer) -> Event:
    """The event with `nation` and `region` from its council, or else its postcode's district.

    Outside England the region is the nation ("Wales"), so a filter on region always works.
    """
    council = gazetteer.council(event.council_code) if event.council_code else None
    if council is None and event.postcode:
        district = gazetteer.district(event.postcode.split()[0])
        council = gazetteer.council(district[2]) if district and district[2] else None
    if council is None:
        return event
    return replace(event, nation=council.nation, region=council.region or council.nation)
