"""Which nation and English region an event is in, for people browsing their own area."""

from __future__ import annotations

from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event, Location, Precision

_UNCHANGED = Location(0.0, 0.0, Precision.PLACE, "")


def with_area(
    event: Event, gazetteer: Gazetteer, *, location: Location | None = _UNCHANGED
) -> Event:
    """The event with `nation` and `region` from its council, or else its postcode's district
    (and, when given, its `location`: one copy of the event, not two).

    Outside England the region is the nation ("Wales"), so a filter on region always works.
    """
    council = gazetteer.council(event.council_code) if event.council_code else None
    if council is None and event.postcode:
        district = gazetteer.district(event.postcode.split()[0])
        council = gazetteer.council(district[2]) if district and district[2] else None
    changes: dict[str, object] = {} if location is _UNCHANGED else {"location": location}
    if council is not None:
        changes.update(nation=council.nation, region=council.region or council.nation)
    return event.but(**changes) if changes else event
