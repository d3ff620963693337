"""Councils are never confidently wrong: every name in mySociety's register, current and former.

tests/data/mysociety_uk_local_authorities.csv is mySociety's "UK Local Authority Names and
Codes" register (CC BY 4.0, commit 67ef8b11, cut to the columns used here; see
scripts/derive_former_councils.py). Each name in it (official, short and alternative names of
470 councils, 73 of them abolished) must give its own council, the council that took over its
area, or nothing (then the staff member is asked to name one): never another council.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from smwsync.clean.validate import clean_responses
from smwsync.geocode.distance import distance_km
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.geocode.offline import locate_offline
from smwsync.model import Precision, Response, Severity

REGISTER = Path(__file__).parent / "data" / "mysociety_uk_local_authorities.csv"

# Local Government (Boundaries) Act (Northern Ireland) 2008, Schedule 1: each district of 2015
# and the districts it was formed from (the register has no successors for these).
NI_2008_ACT = {
    "Antrim and Newtownabbey": ("Antrim", "Newtownabbey"),
    "Ards and North Down": ("Ards", "North Down"),
    "Armagh City, Banbridge and Craigavon": ("Armagh City", "Banbridge", "Craigavon"),
    "Causeway Coast and Glens": ("Ballymoney", "Coleraine", "Limavady", "Moyle"),
    "Derry City and Strabane": ("Derry", "Strabane"),
    "Fermanagh and Omagh": ("Fermanagh", "Omagh"),
    "Lisburn and Castlereagh": ("Lisburn", "Castlereagh"),
    "Mid and East Antrim": ("Ballymena", "Carrickfergus", "Larne"),
    "Mid Ulster": ("Cookstown", "Dungannon and South Tyrone", "Magherafelt"),
    "Newry, Mourne and Down": ("Newry and Mourne", "Down"),
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def read_register() -> list[dict[str, str]]:
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_answers(gazetteer: Gazetteer) -> dict[str, tuple[set[str], set[str]]]:
    """Each name (case-folded) -> (GSS codes of the current councils it names, GSS codes of
    the councils that took over the abolished ones it names)."""
    rows = read_register()
    by_code = {row["local-authority-code"]: row for row in rows}
    by_nice_name = {row["nice-name"].strip(): row for row in rows}
    ni = {
        by_nice_name[old]["local-authority-code"]: by_nice_name[new]["local-authority-code"]
        for new, olds in NI_2008_ACT.items()
        for old in olds
    }

    def today(code: str) -> set[str]:
        row = by_code[code]
        if not row["end-date"]:
            council = gazetteer.council(row["gss-code"])  # Barnsley's code changed in 2024
            return {council.code} if council else set()
        following = [c for c in row["replaced-by"].split(",") if c] or [ni[code]]
        return set().union(*(today(c) for c in following))

    names: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for name in (row["official-name"], row["nice-name"], *row["alt-names"].split(",")):
            if name.strip():
                names[name.strip().casefold()].add(row["local-authority-code"])
    return {
        name: (
            set().union(*(today(c) for c in codes if not by_code[c]["end-date"])),
            set().union(*(today(c) for c in codes if by_code[c]["end-date"])),
        )
        for name, codes in names.items()
    }


def test_every_name_in_the_register_maps_right_to_a_successor_or_to_nothing(
    gazetteer: Gazetteer,
) -> None:
    outcomes: Counter[str] = Counter()
    wrong = []
    for name, (current, successors) in sorted(expected_answers(gazetteer).items()):
        found = gazetteer.find_council(name)
        if found is None:
            outcomes["nothing"] += 1
        elif found.code in current:
            outcomes["right"] += 1
        elif found.code in successors:
            outcomes["successor"] += 1
        else:
            wrong.append(f"{name} -> {found.official_name}")
    print(f"\ncouncil register names: {dict(outcomes)}, wrong: {len(wrong)}")
    assert wrong == []
    # Measured with the register at 67ef8b11: 1,297 distinct names.
    assert outcomes["right"] >= 1130 and outcomes["successor"] >= 150
    assert outcomes["nothing"] <= 13


@pytest.mark.parametrize(
    ("typed", "now", "was"),
    [
        ("Scarborough", "North Yorkshire Council", "Scarborough Borough Council"),
        ("Scarborough Borough Council", "North Yorkshire Council", "Scarborough Borough Council"),
        (
            "East Northamptonshire",
            "North Northamptonshire Council",
            "East Northamptonshire Council",
        ),
        ("North Down", "Ards and North Down Borough Council", "North Down Borough Council"),
        ("South Somerset DC", "Somerset Council", "South Somerset District Council"),
        ("Taunton Deane", "Somerset Council", "Taunton Deane Borough Council"),  # twice merged
        ("Poole", "Bournemouth, Christchurch and Poole Council", "Borough of Poole"),
        ("Comms, Harrogate BC", "North Yorkshire Council", "Harrogate Borough Council"),
        ("Scarbrough", "North Yorkshire Council", "Scarborough Borough Council"),  # and a typo
    ],
)  # fmt: skip
def test_abolished_councils_give_the_council_that_took_over(
    gazetteer: Gazetteer, typed: str, now: str, was: str
) -> None:
    found = gazetteer.find_council(typed)
    assert found is not None, typed
    assert (found.official_name, found.former_name) == (now, was)


@pytest.mark.parametrize(("new", "olds"), sorted(NI_2008_ACT.items()))
def test_northern_irelands_former_districts_give_their_2015_council(
    gazetteer: Gazetteer, new: str, olds: tuple[str, ...]
) -> None:
    for old in olds:
        found = gazetteer.find_council(f"{old} Council")
        assert found is not None and found.name.strip() == new, old


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Harboruogh", "Harborough District Council"),  # never Scarborough
        ("Scarbourough", "North Yorkshire Council"),  # Scarborough's successor, never Harborough
        ("North Devan", "North Devon District Council"),  # never North Down
        ("Sowth Somerset", "Somerset Council"),  # South Somerset's successor, not North Somerset
        ("Est Northamptonshire", "North Northamptonshire Council"),  # never West
    ],
)
def test_a_typo_is_read_only_within_its_own_words(
    gazetteer: Gazetteer, typed: str, meant: str
) -> None:
    found = gazetteer.find_council(typed)
    assert found is not None and found.official_name == meant


@pytest.mark.parametrize(
    "typed", ["Carborough", "Xorth Somerset", "Suth Somrzett", "East Northamptonshyre Count"]
)
def test_a_slip_in_the_first_letter_or_too_many_slips_find_nothing(
    gazetteer: Gazetteer, typed: str
) -> None:
    assert gazetteer.find_council(typed) is None


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("Cumbria County Council", {"Cumberland Council", "Westmorland and Furness Council"}),
        ("Northamptonshire", {"North Northamptonshire Council", "West Northamptonshire Council"}),
        ("Harboro", {"Harborough District Council"}),
        ("Scarboro", {"Scarborough Borough Council (now North Yorkshire Council)"}),
    ],
)
def test_no_confident_answer_is_not_found_with_the_nearest_councils_named(
    gazetteer: Gazetteer, typed: str, candidates: set[str]
) -> None:
    assert gazetteer.find_council(typed) is None
    response = Response(2, {"title": "Surgery", "council": typed}, "test")
    result = clean_responses(
        [response],
        find_council=gazetteer.find_council,
        nearest_councils=gazetteer.nearest_councils,
    )
    (problem,) = [p for p in result.problems if p.field == "council"]
    assert problem.code == "council_unknown"
    assert all(candidate in problem.message for candidate in candidates), problem.message
    assert result.events[0].council_code == ""


def test_an_answer_naming_an_abolished_council_says_which_council_took_over(
    gazetteer: Gazetteer,
) -> None:
    response = Response(2, {"title": "Surgery", "council": "Scarborough Borough Council"}, "t")
    result = clean_responses([response], find_council=gazetteer.find_council)
    (event,) = result.events
    assert (event.council, event.council_code) == ("North Yorkshire Council", "E06000065")
    (problem,) = [p for p in result.problems if p.field == "council"]
    assert (problem.code, problem.severity) == ("council_replaced", Severity.WARNING)
    assert problem.message == (
        "Scarborough Borough Council no longer exists: North Yorkshire Council took over its "
        "area, so the event is listed under North Yorkshire Council. Name the council as it "
        "is now."
    )


def test_an_abolished_councils_code_gives_the_council_that_took_over(
    gazetteer: Gazetteer,
) -> None:
    scarborough = gazetteer.council("E07000168")
    assert scarborough is not None and scarborough.name == "North Yorkshire"
    assert gazetteer.council("E10000006") is None  # Cumbria: split in two


def test_an_online_event_from_scarborough_is_shown_in_north_yorkshire(
    gazetteer: Gazetteer,
) -> None:
    values = {"title": "Live Q&A", "council": "Scarborough", "formats": "Online"}
    (event,) = clean_responses(
        [Response(2, values, "test")], find_council=gazetteer.find_council
    ).events
    location, _ = locate_offline(event, gazetteer)
    assert location is not None and location.precision is Precision.COUNCIL
    north_yorkshire = gazetteer.council("E06000065")
    harborough = gazetteer.find_council("Harborough")
    assert north_yorkshire is not None and harborough is not None
    assert (location.latitude, location.longitude) == (
        north_yorkshire.latitude,
        north_yorkshire.longitude,
    )
    assert north_yorkshire.region == "Yorkshire and The Humber"  # not the East Midlands
    # The middle of North Yorkshire is 62 km from Scarborough; Harborough is 200 km away.
    assert distance_km(location.latitude, location.longitude, 54.28, -0.40) < 100
