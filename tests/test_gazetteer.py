"""The offline gazetteer: council names as staff type them, postcodes, places, loading."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.errors import GazetteerError
from smwsync.geocode.distance import distance_km
from smwsync.geocode.gazetteer import COUNCILS_FILE, SECTORS_FILE, Gazetteer

DATA = Path(__file__).resolve().parents[1] / "smwsync" / "data"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


# --- councils ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Leeds City Council", "E08000035"),
        ("leeds cc", "E08000035"),
        ("LEEDS", "E08000035"),
        ("Leeds Council", "E08000035"),
        ("  the leeds city council. ", "E08000035"),
        ("Leds City Council", "E08000035"),  # typo
        ("Leedz", "E08000035"),
        ("Comms team, Leeds City Council", "E08000035"),
        ("Leeds City Council (LCC)", "E08000035"),
        ("Leeds City Council / West Yorkshire", "E08000035"),
        ("Leds City Council (comms)", "E08000035"),
        ("City of Leeds Council", "E08000035"),
        ("Cardiff Council", "W06000015"),
        ("Cyngor Caerdydd", "W06000015"),
        ("Cyngor Sir Powys", "W06000023"),
        ("Ynys Môn", "W06000001"),
        ("Belfast City Council", "N09000003"),
        ("Glasgow City Council", "S12000049"),
        ("Comhairle nan Eilean Siar", "S12000013"),
        ("Western Isles", "S12000013"),
        ("Rhondda Cynon Taf", "W06000016"),
        ("Rhondda Cynon Taf County Borough Council", "W06000016"),
        ("RCT", "W06000016"),
        ("RBKC", "E09000020"),
        ("London Borough of Tower Hamlets", "E09000030"),
        ("Brighton & Hove", "E06000043"),
        ("Saint Helens Council", "E08000013"),
        ("Stockton on Tees BC", "E06000004"),
        ("Durham County Council", "E06000047"),
        ("Kent County Council", "E10000016"),
        ("KCC", "E10000016"),
        ("City of London", "E09000001"),
        ("B&NES", "E06000022"),
        ("Derry", "N09000005"),
    ],
)
def test_council_names_as_staff_type_them(gazetteer: Gazetteer, typed: str, code: str) -> None:
    council = gazetteer.find_council(typed)
    assert council is not None, typed
    assert council.code == code


def test_a_council_found_by_name_carries_what_the_map_needs(gazetteer: Gazetteer) -> None:
    leeds = gazetteer.find_council("Leeds City Council")
    assert leeds is not None
    assert (leeds.name, leeds.official_name) == ("Leeds", "Leeds City Council")
    assert (leeds.nation, leeds.region) == ("England", "Yorkshire and The Humber")
    assert distance_km(leeds.latitude, leeds.longitude, 53.7997, -1.5492) < 5  # Leeds centre
    cardiff = gazetteer.find_council("Cardiff")
    assert cardiff is not None and cardiff.region == "Wales"


@pytest.mark.parametrize(
    "typed",
    [
        "LCC",  # Leeds, Leicester, Liverpool, Lancaster City; Lancashire, Lincolnshire County
        "BCC",  # Birmingham, Bristol, Belfast
        "Northamptonshire County Council",  # abolished: North or West Northamptonshire?
        "Leeds and Bradford",
        "Leeds, Bradford",
        "Kingston",  # upon Thames or upon Hull
        "Bury St Edmunds Town Council",  # a town council, not Bury in Greater Manchester
        "London",
        "Council",
        "n/a",
        "TBC",
        "",
    ],
)
def test_answers_that_could_mean_several_councils_or_none_find_none(
    gazetteer: Gazetteer, typed: str
) -> None:
    assert gazetteer.find_council(typed) is None


def test_a_county_or_combined_authority_only_when_the_text_asks_for_one(
    gazetteer: Gazetteer,
) -> None:
    def code(text: str) -> str | None:
        council = gazetteer.find_council(text)
        return council.code if council else None

    assert code("Liverpool") == "E08000012"
    assert code("Liverpool City Council") == "E08000012"
    assert code("Liverpool City CA") == "E47000004"
    assert code("Liverpool City Region Combined Authority") == "E47000004"
    assert code("Sheffield City Council") == "E08000039"


def test_every_council_is_found_by_its_own_names(gazetteer: Gazetteer) -> None:
    councils = gazetteer.councils()
    assert len(councils) == 396
    for council in councils:
        for typed in (council.name, council.official_name, council.official_name.upper()):
            assert gazetteer.find_council(typed) == council, typed


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=395),
    upper=st.lists(st.booleans(), min_size=80, max_size=80),
    suffix=st.sampled_from(["", " Council", " council ", ".", "  "]),
)
def test_case_spacing_and_a_council_suffix_do_not_change_the_answer(
    gazetteer: Gazetteer, index: int, upper: list[bool], suffix: str
) -> None:
    council = gazetteer.councils()[index]
    typed = "".join(
        char.upper() if up else char.lower()
        for char, up in zip(council.official_name, upper, strict=False)
    )
    typed += council.official_name[len(upper) :] + suffix
    assert gazetteer.find_council(typed) == council


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_council_or_none(gazetteer: Gazetteer, text: str) -> None:
    found = gazetteer.find_council(text)
    # A former council's name finds its successor, marked with the name it was found by.
    assert found is None or gazetteer.council(found.code) == replace(found, former_name="")


def test_did_you_mean_suggests_the_council_typed_nearly(gazetteer: Gazetteer) -> None:
    assert gazetteer.find_council("Leedsss") is None
    assert gazetteer.closest_council_name("Leedsss") == "Leeds City Council"
    assert gazetteer.closest_council_name("North Yorks") == "North Yorkshire Council"
    assert gazetteer.closest_council_name("Leeds City Council") == "Leeds City Council"
    assert gazetteer.closest_council_name("Social Media Week") is None
    assert gazetteer.closest_council_name("LCC") is None


def test_councils_by_code_including_former_codes(gazetteer: Gazetteer) -> None:
    leeds = gazetteer.council("E08000035")
    assert leeds is not None and leeds.name == "Leeds"
    assert gazetteer.council(" e08000035 ") == leeds
    barnsley = gazetteer.council("E08000016")  # Barnsley's code before 2024
    assert barnsley is not None and barnsley.name == "Barnsley"
    assert gazetteer.council("E99999999") is None


def test_districts_belong_to_their_county_and_combined_authority(gazetteer: Gazetteer) -> None:
    assert gazetteer.is_within("E08000035", "E08000035")  # Leeds in Leeds
    assert gazetteer.is_within("E08000035", "E47000003")  # Leeds in West Yorkshire CA
    assert gazetteer.is_within("E07000110", "E10000016")  # Maidstone in Kent
    assert not gazetteer.is_within("E08000035", "E10000016")
    assert not gazetteer.is_within("", "E08000035")


# --- postcodes -----------------------------------------------------------------------------


def test_postcode_sectors(gazetteer: Gazetteer) -> None:
    leeds = gazetteer.sector("LS1 1")
    assert leeds is not None
    latitude, longitude, council = leeds
    assert council == "E08000035"
    assert distance_km(latitude, longitude, 53.7997, -1.5492) < 2
    assert gazetteer.sector("ls1  1") == leeds
    assert gazetteer.sector("CF10 1")[2] == "W06000015"  # Cardiff
    assert gazetteer.sector("LS1 0") is None  # no such sector
    assert gazetteer.sector("BT1 5") is None  # Northern Ireland has districts only


def test_postcode_districts(gazetteer: Gazetteer) -> None:
    latitude, longitude, council = gazetteer.district("LS1")
    assert council == "E08000035"
    assert distance_km(latitude, longitude, 53.7997, -1.5492) < 2
    assert gazetteer.district("ls1") == gazetteer.district("LS1")
    belfast = gazetteer.district("BT1")
    assert belfast is not None and belfast[2] == "N09000003"
    assert gazetteer.district("OX6") is None  # retired
    assert gazetteer.district("ZZ9") is None


def test_a_split_london_district_is_the_middle_of_its_parts(gazetteer: Gazetteer) -> None:
    soho = gazetteer.district("W1")
    assert soho is not None
    assert soho[2] == "E09000033"  # Westminster
    assert distance_km(soho[0], soho[1], 51.5145, -0.1445) < 2  # Oxford Circus
    city = gazetteer.district("EC1")
    assert city is not None and distance_km(city[0], city[1], 51.5246, -0.1034) < 3


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "council", "place"),
    [
        ("Civic Hall, Calverley Street, Leeds", "", "Leeds"),  # Calverley is a street here
        ("Pontypridd Library", "", "Pontypridd"),
        ("Manchester Road, Bolton", "", "Bolton"),
        ("Town Hall, Newcastle-under-Lyme", "", "Newcastle under Lyme"),
        ("Newcastle upon Tyne Civic Centre", "", "Newcastle upon Tyne"),
        ("Bury St Edmunds Library", "", "Bury St Edmunds"),
        ("St. Albans Museum", "", "St Albans"),
        ("Llyfrgell Caerdydd", "", "Cardiff"),  # Welsh name
        ("Society Street, Londonderry", "", "Derry"),
        ("Crispin Hall, High Street, Street, Somerset", "", "Street"),
        ("Village Hall, March", "", "March"),
    ],
)
def test_places_named_in_addresses(
    gazetteer: Gazetteer, text: str, council: str, place: str
) -> None:
    found = gazetteer.find_place(text, council)
    assert found is not None, text
    assert found.name == place


@pytest.mark.parametrize(
    "text",
    [
        "Church Hall, Main Street",  # Church and Street are towns too, but not here
        "Online via Teams",
        "Social Media Week at the Town Hall",
        "",
    ],
)
def test_everyday_words_are_not_places(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find_place(text) is None


def test_a_place_inside_the_council_wins_over_a_bigger_namesake(gazetteer: Gazetteer) -> None:
    cornwall = gazetteer.find_council("Cornwall Council")
    hunts = gazetteer.find_council("Huntingdonshire District Council")
    telford = gazetteer.find_council("Telford and Wrekin")
    assert cornwall and hunts and telford
    assert gazetteer.find_place("The Guildhall, St Ives", cornwall.code).lad_code == cornwall.code
    assert gazetteer.find_place("The Guildhall, St Ives", hunts.code).lad_code == hunts.code
    assert gazetteer.find_place("Civic Centre, Newport").lad_code == "W06000022"  # the city
    shropshire_newport = gazetteer.find_place("Civic Centre, Newport", telford.code)
    assert shropshire_newport.lad_code == telford.code
    assert shropshire_newport.population < 20_000


def test_the_most_specific_whole_part_of_an_address_wins(gazetteer: Gazetteer) -> None:
    found = gazetteer.find_place("Pump Room, Stall Street, Bath, Somerset")
    assert found is not None and found.name == "Bath"
    found = gazetteer.find_place("Memorial Hall, Pudsey, Leeds")
    assert found is not None and found.name == "Pudsey"


# --- loading -------------------------------------------------------------------------------


def test_loading_reads_every_row_of_every_file(gazetteer: Gazetteer) -> None:
    """How fast it loads is measured in bench/gazetteer_load.py."""
    assert len(gazetteer.councils()) == 396
    known = gazetteer.known_postcodes
    assert (len(known.sectors), len(known.districts)) == (10_847, 2_968)
    assert len(known.groups) == 8 and len(known.non_geographic) == 22
    rows = {name: sum(1 for _ in (DATA / name).open(encoding="utf-8")) - 1 for name in (
        "uk_postcode_sectors.csv", "gb_places.csv", "uk_former_councils.csv")}  # fmt: skip
    dots = gazetteer.centroids()  # sectors, then live districts and split ones, then places
    assert len(dots) == rows["uk_postcode_sectors.csv"] + 2_945 + 8 + rows["gb_places.csv"]
    assert rows["uk_former_councils.csv"] == 73
    assert all(gazetteer.find_council(name) is not None for name in ("Scarborough", "Moyle"))


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    for name in DATA.glob("*.csv"):
        if name.name != SECTORS_FILE:
            shutil.copy(name, tmp_path)
    with pytest.raises(GazetteerError, match=f"{SECTORS_FILE} is missing"):
        Gazetteer.load(tmp_path)


def test_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    for name in DATA.glob("*.csv"):
        shutil.copy(name, tmp_path)
    councils = tmp_path / COUNCILS_FILE
    lines = councils.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",54.", ",north of 54.", 1)
    councils.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GazetteerError, match=f"{COUNCILS_FILE} is damaged at line 4"):
        Gazetteer.load(tmp_path)


def test_a_file_without_its_columns_is_a_clear_error(tmp_path: Path) -> None:
    for name in DATA.glob("*.csv"):
        shutil.copy(name, tmp_path)
    (tmp_path / SECTORS_FILE).write_text("postcode,lat,lon\nLS1 1,53.8,-1.55\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=f"{SECTORS_FILE} has no column"):
        Gazetteer.load(tmp_path)
