"""Each event knows its nation and English region, for people browsing their own area."""

from __future__ import annotations

import pytest

from smwsync.geocode.area import with_area
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event

GAZETTEER = Gazetteer.load()


@pytest.mark.parametrize(
    ("council_code", "postcode", "area"),
    [
        ("E08000035", "", ("England", "Yorkshire and The Humber")),  # Leeds
        ("W06000015", "", ("Wales", "Wales")),  # Cardiff
        ("N09000003", "", ("Northern Ireland", "Northern Ireland")),  # Belfast
        ("", "EH1 1YZ", ("Scotland", "Scotland")),  # no council named: the postcode's district
        ("", "M1 1AE", ("England", "North West")),
        ("", "", ("", "")),  # nothing to go on: left blank, never guessed
    ],
)
def test_nation_and_region_come_from_the_council_or_the_postcode(council_code, postcode, area):
    event = Event(
        id="smw-1", title="Tea camp", row_number=2, council_code=council_code, postcode=postcode
    )
    placed = with_area(event, GAZETTEER)
    assert (placed.nation, placed.region) == area
