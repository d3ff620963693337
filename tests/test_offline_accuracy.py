"""Where the offline ladder puts events: its rules, then its accuracy on 400 real UK museums.

Run with `pytest -s tests/test_offline_accuracy.py` to see the accuracy tables.
"""

from __future__ import annotations

import csv
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from smwsync.geocode.distance import distance_km
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.geocode.offline import locate_offline
from smwsync.model import FACE_TO_FACE, ONLINE, Event, Location, Precision, Severity

from conftest import DATA, ROOT

MUSEUMS = DATA / "eval" / "uk_museums_sample.csv"
NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")
LEEDS_CENTRE = (53.7997, -1.5492)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def event(**fields: object) -> Event:
    values: dict[str, object] = {"id": "e1", "title": "Social media surgery", "row_number": 2}
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def km_from(location: Location | None, point: tuple[float, float]) -> float:
    assert location is not None
    return distance_km(location.latitude, location.longitude, *point)


# --- the ladder ----------------------------------------------------------------------------


def test_coordinates_typed_in_the_sheet_win(gazetteer: Gazetteer) -> None:
    typed = Location(53.8, -1.55, Precision.EXACT, "sheet", "")
    location, notes = locate_offline(event(given_location=typed, postcode="CF10 1EP"), gazetteer)
    assert location == typed
    assert notes == []


def test_zero_zero_typed_in_the_sheet_is_not_a_place(gazetteer: Gazetteer) -> None:
    typed = Location(0.0, 0.0, Precision.EXACT, "sheet", "")
    location, _ = locate_offline(event(given_location=typed, postcode="LS1 1UR"), gazetteer)
    assert location is not None and location.precision == Precision.SECTOR


def test_a_full_postcode_gives_its_sector(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(event(postcode="LS1 1UR"), gazetteer)
    assert location is not None
    assert (location.precision, location.source) == (Precision.SECTOR, "gazetteer")
    assert location.label == "postcode sector LS1 1"
    assert km_from(location, LEEDS_CENTRE) < 2
    assert notes == []


def test_an_outward_code_alone_gives_its_district(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(event(postcode="LS1"), gazetteer)
    assert location is not None
    assert location.precision == Precision.DISTRICT
    assert location.label == "postcode district LS1"
    assert km_from(location, LEEDS_CENTRE) < 2
    assert notes == []


def test_an_unknown_sector_falls_back_to_its_district_with_a_warning(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(event(postcode="LS1 0ZZ"), gazetteer)
    assert location is not None and location.precision == Precision.DISTRICT
    assert [(note.severity, note.code) for note in notes] == [
        (Severity.WARNING, "postcode_not_found")
    ]
    assert "LS1 0ZZ" in notes[0].message and "check it" in notes[0].message


def test_northern_ireland_postcodes_give_their_district_without_complaint(
    gazetteer: Gazetteer,
) -> None:
    location, notes = locate_offline(event(postcode="BT1 5GS"), gazetteer)
    assert location is not None
    assert location.precision == Precision.DISTRICT and location.label == "postcode district BT1"
    assert km_from(location, (54.5973, -5.9301)) < 5  # Belfast City Hall
    assert notes == []


def test_a_town_in_the_address_narrows_a_postcode_district(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(
        event(venue="Town Hall", address="Market Square, Lisburn", postcode="BT28 1AG"), gazetteer
    )
    assert location is not None
    assert location.precision == Precision.PLACE
    assert location.label == "Lisburn, postcode district BT28"
    assert km_from(location, (54.5097, -6.0374)) < 2  # Lisburn
    assert notes == []


def test_a_town_far_from_the_postcode_district_does_not_narrow_it(gazetteer: Gazetteer) -> None:
    location, _ = locate_offline(
        event(venue="Leeds Trinity University Hub", address="Cardiff", postcode="LS1"), gazetteer
    )
    assert location is not None
    assert location.precision == Precision.DISTRICT
    assert km_from(location, LEEDS_CENTRE) < 2


def test_an_unknown_postcode_district_falls_back_to_the_address(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(
        event(postcode="ZZ9 9ZZ", venue="Pontypridd Library", address="Bridge Street"), gazetteer
    )
    assert location is not None
    assert (location.precision, location.label) == (Precision.PLACE, "Pontypridd")
    assert [note.code for note in notes] == ["postcode_not_found"]


def test_a_town_in_the_address_when_there_is_no_postcode(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(
        event(venue="Civic Hall", address="Calverley Street, Leeds", council_code="E08000035"),
        gazetteer,
    )
    assert location is not None
    assert (location.precision, location.label) == (Precision.PLACE, "Leeds")
    assert km_from(location, LEEDS_CENTRE) < 2
    assert notes == []


def test_online_events_go_to_the_middle_of_their_council(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(
        event(formats=(ONLINE,), council="Leeds City Council", council_code="E08000035"), gazetteer
    )
    assert location is not None
    assert (location.precision, location.label) == (Precision.COUNCIL, "centre of Leeds")
    assert km_from(location, LEEDS_CENTRE) < 10
    assert notes == []


def test_the_council_named_in_words_is_enough_when_no_code_was_set(gazetteer: Gazetteer) -> None:
    location, _ = locate_offline(event(formats=(ONLINE,), council="Cyngor Caerdydd"), gazetteer)
    assert location is not None and location.label == "centre of Cardiff"


def test_a_venue_shown_at_its_council_says_so(gazetteer: Gazetteer) -> None:
    location, notes = locate_offline(
        event(formats=(FACE_TO_FACE,), venue="Civic Centre", council_code="E08000035"), gazetteer
    )
    assert location is not None and location.precision == Precision.COUNCIL
    assert [(note.severity, note.code) for note in notes] == [
        (Severity.WARNING, "placed_at_council")
    ]
    assert "middle of Leeds" in notes[0].message and "postcode" in notes[0].message


@pytest.mark.parametrize(
    ("fields", "asks"),
    [
        ({"formats": (FACE_TO_FACE,), "venue": "The Civic Centre"}, "venue's full postcode"),
        ({"formats": (ONLINE,)}, "council's name"),
        ({"formats": (ONLINE,), "council": "Gotham Council"}, "'Gotham Council'"),
    ],
)
def test_an_event_nothing_places_is_an_error_saying_what_to_add(
    gazetteer: Gazetteer, fields: dict[str, object], asks: str
) -> None:
    location, notes = locate_offline(event(**fields), gazetteer)
    assert location is None
    assert [(note.severity, note.code) for note in notes] == [(Severity.ERROR, "no_location")]
    assert "could not place this event" in notes[0].message
    assert asks in notes[0].message


def test_a_postcode_far_from_the_council_is_used_with_a_warning(gazetteer: Gazetteer) -> None:
    cornwall = gazetteer.find_council("Cornwall Council")
    assert cornwall is not None
    location, notes = locate_offline(
        event(postcode="LS1 1UR", council_code=cornwall.code), gazetteer
    )
    assert location is not None and location.precision == Precision.SECTOR
    assert km_from(location, LEEDS_CENTRE) < 2
    assert [note.code for note in notes] == ["far_from_council"]
    message = notes[0].message
    assert message.startswith("The postcode LS1 1UR is in Leeds, ")
    assert "km from Cornwall, the council named on the form; check both." in message


def test_the_warning_distance_is_a_setting(gazetteer: Gazetteer) -> None:
    # Bradford's BD1 is about 13 km from the middle of Leeds.
    near, notes = locate_offline(event(postcode="BD1 1HY", council_code="E08000035"), gazetteer)
    assert near is not None and notes == []
    _, notes = locate_offline(
        event(postcode="BD1 1HY", council_code="E08000035"), gazetteer, max_km=5
    )
    assert [note.code for note in notes] == ["far_from_council"]


def test_anywhere_inside_a_big_council_is_not_far(gazetteer: Gazetteer) -> None:
    highland = gazetteer.find_council("The Highland Council")
    assert highland is not None
    location, notes = locate_offline(
        event(postcode="KW1 4AA", council_code=highland.code), gazetteer
    )
    assert km_from(location, (highland.latitude, highland.longitude)) > 80  # Wick
    assert notes == []
    kent = gazetteer.find_council("Kent County Council")
    assert kent is not None
    _, notes = locate_offline(event(postcode="CT1 2HD", council_code=kent.code), gazetteer)
    assert notes == []  # Canterbury is in Kent


def test_a_town_name_far_from_the_council_is_not_trusted(gazetteer: Gazetteer) -> None:
    # "Capel" is a village in Surrey; here it is Welsh for chapel, and Corwen is too small to
    # be in the gazetteer.
    denbighshire = gazetteer.find_council("Denbighshire")
    assert denbighshire is not None
    location, notes = locate_offline(
        event(
            venue="Corwen Museum",
            address="Capel Coch, London Road, Corwen",
            council_code=denbighshire.code,
        ),
        gazetteer,
    )
    assert location is not None
    assert (location.precision, location.label) == (Precision.COUNCIL, "centre of Denbighshire")
    assert [note.code for note in notes] == ["place_far_from_council"]
    assert "Capel" in notes[0].message and "Denbighshire" in notes[0].message


def test_same_event_same_answer(gazetteer: Gazetteer) -> None:
    one = event(venue="Pontypridd Library", address="Bridge Street", council="RCT")
    assert locate_offline(one, gazetteer) == locate_offline(one, gazetteer)


# --- accuracy on real venues ---------------------------------------------------------------


@dataclass(frozen=True)
class Museum:
    name: str
    address: str
    town: str
    postcode: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Result:
    nation: str
    km: float
    precision: Precision


def read_museums() -> list[Museum]:
    with MUSEUMS.open(encoding="utf-8", newline="") as handle:
        return [
            Museum(
                row["name"],
                row["address"],
                row["town"],
                row["postcode"],
                float(row["latitude"]),
                float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        ]


def council_code_of(museum: Museum, gazetteer: Gazetteer) -> tuple[str, str]:
    """The nation and the council the form would give: found by name from the district's."""
    district = gazetteer.district(museum.postcode.split()[0])
    assert district is not None, museum.postcode
    in_district = gazetteer.council(district[2])
    assert in_district is not None
    council = gazetteer.find_council(in_district.name)
    assert council is not None, in_district.name
    return in_district.nation, council.code


def locate_all(museums: Iterable[Museum], gazetteer: Gazetteer, form: str) -> list[Result]:
    results = []
    for number, museum in enumerate(museums):
        nation, council_code = council_code_of(museum, gazetteer)
        fields: dict[str, object] = {"row_number": number + 2, "venue": museum.name}
        if form == "postcode":
            fields.update(address=f"{museum.address}, {museum.town}", postcode=museum.postcode)
        elif form == "outward":
            outward = museum.postcode.split()[0]
            fields.update(address=f"{museum.address}, {museum.town}", postcode=outward)
        elif form == "address":
            fields.update(address=f"{museum.address}, {museum.town}", council_code=council_code)
        else:
            fields.update(address=museum.town, council_code=council_code)
        location, _ = locate_offline(event(**fields), gazetteer)
        assert location is not None, museum
        assert (location.latitude, location.longitude) != (0.0, 0.0)
        km = km_from(location, (museum.latitude, museum.longitude))
        results.append(Result(nation, km, location.precision))
    return results


def share(results: list[Result], km: float) -> float:
    return sum(result.km <= km for result in results) / len(results)


def table(title: str, results: list[Result]) -> str:
    lines = [
        title,
        f"{'nation':<17}{'count':>6}{'median km':>11}{'<=2 km':>8}{'<=5 km':>8}{'<=25 km':>9}",
    ]
    by_nation: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_nation[result.nation].append(result)
    by_nation["Great Britain"] = [r for r in results if r.nation != "Northern Ireland"]
    by_nation["all"] = results
    for nation in (*NATIONS, "Great Britain", "all"):
        rows = by_nation.get(nation, [])
        if rows:
            median = statistics.median(result.km for result in rows)
            lines.append(
                f"{nation:<17}{len(rows):>6}{median:>11.2f}{share(rows, 2):>8.0%}"
                f"{share(rows, 5):>8.0%}{share(rows, 25):>9.0%}"
            )
    precisions: dict[str, int] = defaultdict(int)
    for result in results:
        precisions[result.precision.value] += 1
    lines.append("placed by: " + ", ".join(f"{k} {v}" for k, v in sorted(precisions.items())))
    return "\n".join(lines)


def test_great_britain_venues_with_a_full_postcode_land_within_a_few_km(
    gazetteer: Gazetteer,
) -> None:
    results = locate_all(read_museums(), gazetteer, "postcode")
    print("\n" + table("With the full postcode (venue, address, town, postcode):", results))
    assert len(results) == 400
    great_britain = [result for result in results if result.nation != "Northern Ireland"]
    assert len(great_britain) >= 300
    assert share(great_britain, 2) >= 0.80
    assert share(great_britain, 5) >= 0.95
    assert max(result.km for result in great_britain) <= 25
    northern_ireland = [result for result in results if result.nation == "Northern Ireland"]
    # No sectors there: the district, or a town in the address near it.
    assert {result.precision for result in northern_ireland} <= {
        Precision.DISTRICT,
        Precision.PLACE,
    }
    assert max(result.km for result in northern_ireland) <= 25


def test_venues_with_only_the_outward_code(gazetteer: Gazetteer) -> None:
    results = locate_all(read_museums(), gazetteer, "outward")
    print("\n" + table('Outward code only (venue, address, town, "LS1"):', results))
    assert len(results) == 400
    assert max(result.km for result in results) <= 25


def test_venues_without_a_postcode_are_all_placed(gazetteer: Gazetteer) -> None:
    museums = read_museums()
    for form, title in (
        ("address", "No postcode (venue, address, town, council):"),
        ("town", "No postcode (venue, town, council):"),
    ):
        results = locate_all(museums, gazetteer, form)
        print("\n" + table(title, results))
        assert len(results) == 400


# --- the accuracy the README promises ------------------------------------------------------

README = ROOT / "README.md"
TARGET_ROW = re.compile(r"^\| (.+?) \| (\d+)% \| (\d+)% \| (\d+)% \|$", re.MULTILINE)
# Each row of the README's table: which answers it is about, and which museums it counts.
TARGET_CASES = {
    "a full postcode, in Great Britain": ("postcode", "Great Britain"),
    "a full postcode, in Northern Ireland": ("postcode", "Northern Ireland"),
    "only the first half of the postcode (`LS1`)": ("outward", "all"),
    "no postcode, but the street address and town": ("address", "all"),
    "no postcode, only the town": ("town", "all"),
}


def readme_targets() -> dict[str, tuple[int, int, int]]:
    """The README's accuracy table: what the form gives -> per cent within 2, 5 and 25 km."""
    text = README.read_text(encoding="utf-8")
    table_text = text[text.index("| what the form gives | within 2 km |") :]
    table_text = table_text[: table_text.index("\n\n")]
    return {label: (int(a), int(b), int(c)) for label, a, b, c in TARGET_ROW.findall(table_text)}


@pytest.fixture(scope="module")
def results_by_form(gazetteer: Gazetteer) -> dict[str, list[Result]]:
    museums = read_museums()
    return {
        form: locate_all(museums, gazetteer, form)
        for form in ("postcode", "outward", "address", "town")
    }


def test_the_readme_states_a_target_for_each_way_of_answering() -> None:
    assert list(readme_targets()) == list(TARGET_CASES)


@pytest.mark.parametrize("label", list(TARGET_CASES))
def test_the_accuracy_the_readme_states_is_met(
    results_by_form: dict[str, list[Result]], label: str
) -> None:
    form, nations = TARGET_CASES[label]
    results = results_by_form[form]
    if nations == "Great Britain":
        results = [result for result in results if result.nation != "Northern Ireland"]
    elif nations != "all":
        results = [result for result in results if result.nation == nations]
    assert len(results) >= 50
    within = {km: round(100 * share(results, km), 1) for km in (2, 5, 25)}
    targets = dict(zip((2, 5, 25), readme_targets()[label], strict=True))
    assert all(within[km] >= targets[km] for km in targets), (within, targets)
