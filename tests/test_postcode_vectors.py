"""Only postcodes that can exist: checked against the gazetteer's districts and sectors.

The impossible cases follow the published rules of the UK postcode format (Royal Mail's
Programmers' Guide; BS 7666): an outward code names a district in use, the inward part is a
digit and two letters never C, I, K, M, O or V, and some postcodes name no place at all.
Written here by hand, then swept over every area; the possible ones are every district and
sector the gazetteer holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from smwsync.clean.postcode import POSTCODE_AREAS, KnownPostcodes, Postcode, clean_postcode
from smwsync.clean.validate import clean_responses
from smwsync.cli import cli
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Response, Severity

# (typed, why it cannot be a postcode of a place)
IMPOSSIBLE = [
    ("BR10 1AA", "no district BR10: Bromley stops at BR8"),
    ("FY10 1AA", "no district FY10: Blackpool stops at FY8"),
    ("WC10 1AA", "WC has only WC1 and WC2"),
    ("AB9 1AA", "AB9 is not in use (Aberdeen starts at AB10)"),
    ("BR0 1AA", "no district BR0"),
    ("W1M 1AA", "W1M is retired"),
    ("EC1C 1AA", "no district EC1C"),
    ("CR10 1AA", "no district CR10"),
    ("OX6 7AB", "OX6 was retired in 2002"),
    ("WD1 2AB", "WD1 was retired in 2000"),
    ("GU13 8AB", "GU13 was retired in 2000"),
    ("E21 1AA", "E stops at E20"),
    ("N23 1AA", "N stops at N22"),
    ("SW21 1AA", "SW stops at SW20"),
    ("B41 1AA", "no district B41"),
    ("LS30 1AA", "LS stops at LS29"),
    ("M36 1AA", "no district M36"),
    ("G85 1AA", "G stops at G84"),
    ("EH56 1AA", "EH stops at EH55"),
    ("CF65 1AA", "CF stops at CF64 and CF71-72, CF81-83"),
    ("BT95 1AA", "BT stops at BT94"),
    ("ZE4 1AA", "ZE has ZE1-ZE3"),
    ("SW1Z 1AA", "no district SW1Z"),
    ("W1Z 1AA", "no district W1Z"),
    ("EC1 1AA", "EC1 is split into EC1A-EC1Y: no unit is in EC1 itself"),
    ("W1 1AA", "W1 is split into W1A-W1W"),
    ("EC1O 1AA", "EC1O is no district, and EC10 is none either"),
    ("EC1O", "an outward code alone, in no district"),
    ("BR10", "an outward code alone, in no district"),
    ("XX1 1AA", "no area XX"),
    ("QA1 1AA", "Q is never the first letter"),
    ("VE1 1AA", "V is never the first letter"),
    ("XE1 1AA", "X is never the first letter"),
    ("AJ1 1AA", "J is never the second letter"),
    ("LZ1 1AA", "Z is never the second letter"),
    ("LS1 1CA", "C is never in the inward part"),
    ("LS1 1AC", "C is never in the inward part"),
    ("LS1 1IA", "I is never in the inward part"),
    ("LS1 1KA", "K is never in the inward part"),
    ("LS1 1MA", "M is never in the inward part"),
    ("LS1 1OA", "O is never in the inward part"),
    ("LS1 1VA", "V is never in the inward part"),
    ("SW1A 1AV", "V is never in the inward part"),
    ("LS1 11A", "the inward part ends in two letters"),
    ("LS1 1A", "the inward part has three characters"),
    ("LS1 1AAA", "the inward part has three characters"),
    ("LS123 1AA", "a district number has at most two digits"),
    ("L 1AA", "a district has a number"),
    ("1LS 1AA", "an area is letters"),
    ("GIR 0AA", "Girobank's: names no place"),
    ("SAN TA1", "Santa's: names no place"),
    ("XM4 5HQ", "Santa's, the old one"),
    ("BFPO 123", "British Forces: names no place"),
    ("BF1 3AD", "British Forces: names no place"),
    ("BX1 1LT", "organisations only, no place"),
    ("ASCN 1ZZ", "Ascension Island"),
    ("STHL 1ZZ", "St Helena"),
    ("TDCU 1ZZ", "Tristan da Cunha"),
    ("BBND 1ZZ", "British Indian Ocean Territory"),
    ("BIQQ 1ZZ", "British Antarctic Territory"),
    ("FIQQ 1ZZ", "Falkland Islands"),
    ("GX11 1AA", "Gibraltar"),
    ("PCRN 1ZZ", "Pitcairn Islands"),
    ("SIQQ 1ZZ", "South Georgia"),
    ("TKCA 1ZZ", "Turks and Caicos"),
    ("BN91 1AA", "PO boxes and large organisations (Worthing)"),
    ("E77 1AA", "PO boxes and large organisations"),
    ("CR44 1AA", "PO boxes and large organisations"),
]
NOT_GEOGRAPHIC = {"GIR 0AA", "SAN TA1", "XM4 5HQ", "BFPO 123", "BF1 3AD", "BX1 1LT",
                  "BN91 1AA", "E77 1AA", "CR44 1AA"}  # fmt: skip


@pytest.fixture(scope="module")
def known() -> KnownPostcodes:
    return Gazetteer.load().known_postcodes


@pytest.mark.parametrize(("typed", "why"), IMPOSSIBLE)
def test_postcodes_that_cannot_exist_are_rejected_with_a_reason(
    known: KnownPostcodes, typed: str, why: str
) -> None:
    found, note = clean_postcode(typed, known)
    assert found is None, why
    assert note is not None and note.severity is Severity.ERROR, why
    assert f"'{typed}'" in note.message
    is_special = typed in NOT_GEOGRAPHIC or typed.endswith("1ZZ") or typed == "GX11 1AA"
    assert (note.code == "postcode_not_geographic") == is_special, note


def test_every_district_number_not_in_use_is_rejected_in_every_area(
    known: KnownPostcodes,
) -> None:
    rejected = repaired = accepted = 0
    for area in sorted(POSTCODE_AREAS - {"BF", "BX"}):
        for number in range(100):
            outward = f"{area}{number}"
            if outward in known.districts or outward in known.groups:
                continue
            for typed in (f"{outward} 1AB", outward):
                found, note = clean_postcode(typed, known)
                if found is None:
                    rejected += 1
                elif found.outward != outward and note and note.message.startswith("We read"):
                    repaired += 1  # "L51" is LS1 with a 5 for an S, and says so
                    assert found.outward in known.districts | known.groups
                else:
                    accepted += 1
    print(f"\ndistricts not in use: {rejected} rejected, {repaired} repaired, {accepted} taken")
    assert accepted == 0
    assert rejected > 10_000


def test_every_letter_never_used_in_the_inward_part_is_rejected(known: KnownPostcodes) -> None:
    cases = [
        f"{district} 1{first}{second}"
        for district in sorted(known.districts)[::7]
        for first, second in (
            ("C", "A"),
            ("A", "I"),
            ("K", "B"),
            ("B", "M"),
            ("O", "D"),
            ("D", "V"),
        )
    ]
    assert all(clean_postcode(case, known)[0] is None for case in cases)
    assert len(cases) > 2_000


def test_no_postcode_of_a_district_or_sector_in_the_gazetteer_is_rejected(
    known: KnownPostcodes,
) -> None:
    cases = [f"{sector}AB" for sector in sorted(known.sectors)]
    with_sectors = {sector.split()[0] for sector in known.sectors}
    cases += [f"{district} 1AB" for district in sorted(known.districts - with_sectors)]
    for case in cases:
        assert clean_postcode(case, known) == (Postcode(*case.split()), None), case
    for outward in sorted(known.districts | known.groups):
        found, note = clean_postcode(outward, known)
        assert found == Postcode(outward), outward
        assert note is not None and note.code == "postcode_outward_only"
    print(f"\ngazetteer postcodes accepted: {len(cases)} full, {len(known.districts)} districts")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("LS1 IUR", "LS1 1UR"),  # I for 1 in a place that must be a digit
        ("OX1O 0DB", "OX10 0DB"),  # OX10 exists
        ("5W1A 1AA", "SW1A 1AA"),
        ("B5O 4AA", "B50 4AA"),
        ("EC1O", None),  # EC10 does not exist: no repair into it
        ("W1O 1AA", None),  # W10 exists, but its sector W10 1 does not
    ],
)
def test_a_slip_is_repaired_only_into_a_postcode_that_exists(
    known: KnownPostcodes, typed: str, expected: str | None
) -> None:
    found, note = clean_postcode(typed, known)
    assert (str(found) if found else None) == expected
    assert note is not None
    assert note.code == ("postcode_repaired" if expected else "postcode_no_district")


def test_a_real_district_with_a_sector_we_do_not_know_keeps_the_postcode(
    known: KnownPostcodes,
) -> None:
    found, note = clean_postcode("LS1 0AA", known)
    assert found == Postcode("LS1", "0AA")
    assert note is not None and note.severity is Severity.WARNING
    assert note.code == "postcode_no_sector"


def test_a_form_answer_with_an_impossible_postcode_is_placed_from_its_address() -> None:
    gazetteer = Gazetteer.load()
    values = {
        "title": "Surgery",
        "postcode": "BR10 1AA",
        "address": "Civic Centre, Stockwell Close, Bromley BR1 3UH",
    }
    result = clean_responses(
        [Response(2, values, "test")],
        find_council=gazetteer.find_council,
        known_postcodes=gazetteer.known_postcodes,
    )
    (event,) = result.events
    assert event.postcode == "BR1 3UH"
    (problem,) = [p for p in result.problems if p.field == "postcode"]
    assert problem.code == "postcode_no_district" and problem.severity is Severity.WARNING
    assert "there is no postcode district BR10" in problem.message
    assert "(we used BR1 3UH from the address meanwhile)" in problem.message


def test_geocode_says_a_postcode_that_cannot_exist_is_none_and_asks_no_one() -> None:
    config = Path(__file__).resolve().parents[1] / "config" / "demo.toml"
    result = CliRunner().invoke(
        cli, ["geocode", "BR10 1AA", "--council", "Bromley", "--offline", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert "postcode:          'BR10 1AA' is not a UK postcode: there is no postcode " in (
        result.output
    )
    assert "postcodes.io" not in result.output and "Code-Point" not in result.output
    assert "used:              centre of Bromley" in result.output
