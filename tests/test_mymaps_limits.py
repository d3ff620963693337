"""My Maps' import limits are checked before they bite."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.model import Event, Location, Precision
from smwsync.publish.kml import render_kml
from smwsync.publish.mymaps_limits import limit_notices

from kml_readers import folders, parse_strict


def many_events(count: int, layer: str = "Face-to-face") -> list[Event]:
    return [
        Event(
            id=f"smw-{number:012x}",
            title=f"Surgery {number:05d}",
            row_number=number + 2,
            date=dt.date(2027, 3, 22),
            location=Location(53.8, -1.55, Precision.SECTOR, "gazetteer"),
            layer=layer,
        )
        for number in range(count)
    ]


def test_a_layer_past_2000_events_continues_in_numbered_folders_of_the_same_colour():
    events = many_events(4_500) + many_events(3, layer="Online")
    root = parse_strict(render_kml(events, title="Big", layer_order=("Face-to-face", "Online")))
    by_folder = folders(root)
    assert {name: len(marks) for name, marks in by_folder.items()} == {
        "Face-to-face": 2000,
        "Face-to-face (2)": 2000,
        "Face-to-face (3)": 500,
        "Online": 3,
    }
    styles = {m.findtext("{*}styleUrl") for m in by_folder["Face-to-face (3)"]}
    assert styles == {m.findtext("{*}styleUrl") for m in by_folder["Face-to-face"]}
    # In date, title and id order, so each event stays in its folder from one sync to the next.
    assert by_folder["Face-to-face (2)"][0].findtext("{*}name") == "Surgery 02000"


def test_notices_say_what_to_do_past_each_limit():
    assert limit_notices({"Face-to-face": 1999, "Online": 5}, kml_size=4_900_000) == []
    (split,) = limit_notices({"Face-to-face": 2001})
    assert "'Face-to-face', 'Face-to-face (2)'" in split
    too_many = limit_notices({f"Council {n}": 1 for n in range(11)})
    assert too_many == [
        "The map has 11 layers; My Maps takes at most 10. Set [publish] layer_by to something "
        "with fewer values (format has three), or import only some of the layers."
    ]
    (big,) = limit_notices({"Face-to-face": 10}, kml_size=6_200_000)
    assert "6.2 MB" in big and "KMZ" in big
    assert any("10,000" in n for n in limit_notices({"A": 2000, "B": 2000, "C": 6001}))


def test_the_summary_and_json_carry_the_notices(campaign):
    rows = [
        {
            "title": f"Drop-in {n}",
            "council": council,
            "postcode": "LS1 1UR",
            "date": "23/03/2027",
            "formats": "Face-to-face",
        }
        for n, council in enumerate(
            [
                "Leeds",
                "Cardiff",
                "Belfast",
                "York",
                "Bradford",
                "Wakefield",
                "Kirklees",
                "Calderdale",
                "Sheffield",
                "Barnsley",
                "Rotherham",
            ]
        )
    ]
    config = campaign(rows, extra_config='layer_by = "council"\n')
    text = CliRunner().invoke(cli, ["sync", "--config", str(config)]).output
    assert "Published 11 events." in text
    assert "Note: The map has 11 layers; My Maps takes at most 10." in text
    shutil.rmtree(config.parent / "out")  # start again: the same map, asked for as JSON
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), "--json"])
    assert json.loads(result.output)["notices"] == [
        "The map has 11 layers; My Maps takes at most 10. Set [publish] layer_by to something "
        "with fewer values (format has three), or import only some of the layers."
    ]
