"""Each event knows its nation and English region, for people browsing their own area."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.geocode.area import with_area
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Event

from kml_readers import folders, parse_strict

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


def test_layer_by_region_makes_each_area_a_layer(campaign):
    rows = [
        {"title": "Leeds drop-in", "council": "Leeds", "postcode": "LS1 1UR", "date": "23/03/2027"},
        {"title": "Cardiff chat", "council": "Cardiff", "formats": "Online", "date": "24/03/2027"},
    ]
    config = campaign(rows, extra_config='layer_by = "region"\n')
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    kml = parse_strict((config.parent / "out" / "events.kml").read_bytes())
    assert sorted(folders(kml)) == ["Wales", "Yorkshire and The Humber"]
