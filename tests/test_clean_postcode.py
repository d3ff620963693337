"""Postcodes as council staff type them into the form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.clean.postcode import (
    POSTCODE_AREAS,
    UK_POSTCODE_FORMAT,
    Postcode,
    clean_postcode,
    find_postcode,
)
from smwsync.model import Severity

# Real venues (Mapping Museums project, www.mappingmuseums.org, CC BY): every outward shape,
# all four nations.
MUSEUMS = [
    ("Thackray Medical Museum", "Beckett Street", "Leeds", "LS9 7LN"),
    ("National Army Museum", "Royal Hospital Road", "London", "SW3 4HT"),
    ("Norris Museum", "The Broadway", "St Ives", "PE27 5BX"),
    ("Wallingford Museum", "Flint House, High Street", "Wallingford", "OX10 0DB"),
    ("Royal Northern College Of Music Collection", "124 Oxford Road", "Manchester", "M13 9RD"),
    ("Statfold Barn Railway", "Ashby Road", "Tamworth", "B79 0BU"),
    ("Islington Museum", "245 St. John Street", "London", "EC1V 4NB"),
    ("Sir John Soanes Museum", "13 Lincolns Inn Fields", "London", "WC2A 3BP"),
    ("House Of Illustration", "2 Granary Square", "London", "N1C 4BH"),
    ("Royal Birmingham Society Of Artists", "4 Brook Street, St.Pauls Square", "Birmingham",
     "B3 1SA"),
    ("The Estorick Collection", "Northampton Lodge, 39A Canonbury Square", "London", "N1 2AN"),
    ("Ruskin Gallery", "Leader House, Surrey Street", "Sheffield", "S1 2HL"),
    ("Ulster Rugby Museum", "134 Mount Merrion Avenue", "Belfast", "BT6 0FT"),
    ("Boys Brigade Heritage Museum", "268-270 Ballywater Road", "Millisle", "BT22 2LZ"),
]  # fmt: skip
REAL_POSTCODES = [museum[3] for museum in MUSEUMS]


def everything() -> st.SearchStrategy[str]:
    """Any text at all: control characters, lone surrogates, unassigned code points."""
    return st.text(st.characters(codec=None, exclude_categories=()))


def postcodes() -> st.SearchStrategy[Postcode]:
    """Postcodes in the UK format that the Royal Mail's letter rules allow."""
    inward_letters = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")
    inward = st.builds(
        lambda n, a, b: f"{n}{a}{b}", st.integers(0, 9), inward_letters, inward_letters
    )

    def outward(area: str) -> st.SearchStrategy[str]:
        last_letters = "ABCDEFGHJKMPSTUW" if len(area) == 1 else "ABEHMNPRVWXY"
        numbered = st.integers(0, 99).map(lambda n: f"{area}{n}")
        lettered = st.builds(
            lambda n, x: f"{area}{n}{x}", st.integers(1, 9), st.sampled_from(last_letters)
        )
        return st.one_of(numbered, lettered)

    geographic = sorted(POSTCODE_AREAS - {"BF", "BX"})  # BFPO and BX name no place
    return st.builds(Postcode, st.sampled_from(geographic).flatmap(outward), inward)


def typed_like_staff(postcode: str) -> st.SearchStrategy[str]:
    """`postcode` in any case, with spaces, hyphens or nothing between its characters."""
    gaps = st.sampled_from(["", "", " ", "  ", "-", "\u00a0"])
    return st.builds(
        lambda cases, between: "".join(
            (char.lower() if lower else char) + gap
            for char, lower, gap in zip(postcode, cases, between, strict=False)
        ),
        st.lists(st.booleans(), min_size=len(postcode), max_size=len(postcode)),
        st.lists(gaps, min_size=len(postcode), max_size=len(postcode)),
    )


@pytest.mark.parametrize(
    "typed",
    [
        "LS1 1UR",
        "ls1 1ur",
        "ls11ur",
        "LS11UR",
        "LS1  1UR",
        "L S 1 1 U R",
        "LS1-1UR",
        " LS1 1UR ",
        "LS1\u00a01UR",
        "(LS1 1UR)",
        '"LS1 1UR".',
        "LS1 1UR,",
        "\tLS1\n1UR\r\n",
        "ＬＳ１ １ＵＲ",
        "LS1\u200b1UR",
    ],
)
def test_any_spacing_or_case_reads_the_same_postcode_without_a_note(typed: str) -> None:
    assert clean_postcode(typed) == (Postcode("LS1", "1UR"), None)


@pytest.mark.parametrize("postcode", REAL_POSTCODES)
def test_real_venue_postcodes_of_every_shape_are_read_as_written(postcode: str) -> None:
    for typed in (postcode, postcode.lower(), postcode.replace(" ", "")):
        found, note = clean_postcode(typed)
        assert (str(found), note) == (postcode, None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("LS1 IUR", "LS1 1UR"),  # I for 1 where the inward part needs a digit
        ("LS1 iur", "LS1 1UR"),
        ("5W1A 1AA", "SW1A 1AA"),  # 5 for S where a postcode must start with a letter
        ("SW1A lAA", "SW1A 1AA"),  # a lower-case l for a 1
        ("LSl 1UR", "LS1 1UR"),
        ("W1O 1AA", "W10 1AA"),  # no W1 district ends in an O
        ("OX1O 0DB", "OX10 0DB"),
        ("OX10 ODB", "OX10 0DB"),
        ("1P1 1AA", "IP1 1AA"),  # the only area that fits is Ipswich
        ("B5O 4AA", "B50 4AA"),  # one slip (O for 0) rather than two (5 for S and O for 0)
    ],
)
def test_look_alike_characters_are_repaired_where_the_place_allows_one_reading(
    typed: str, expected: str
) -> None:
    found, note = clean_postcode(typed)
    assert str(found) == expected
    if typed == expected:
        assert note is None
    else:
        assert note is not None and note.severity is Severity.WARNING
        assert note.code == "postcode_repaired"
        assert note.message == f"We read '{typed}' as {expected}; check it"


@pytest.mark.parametrize("postcode", REAL_POSTCODES)
def test_every_single_o_or_i_slip_in_a_real_postcode_is_repaired_to_it(postcode: str) -> None:
    for index, char in enumerate(postcode):
        slip = {"0": "O", "1": "I"}.get(char)
        if slip is None:
            continue
        typed = postcode[:index] + slip + postcode[index + 1 :]
        found, note = clean_postcode(typed)
        assert str(found) == postcode, typed
        assert note is not None and note.code == "postcode_repaired"


@pytest.mark.parametrize(
    "typed",
    [
        "LS1 1U0",  # an O is never used there, so nothing forces a reading
        "1S1 1UR",  # 1 for L is not a slip we repair: no area "IS"
        "LSI IUR",  # no digit at all: a word, not a postcode
    ],
)
def test_slips_that_do_not_force_one_reading_are_errors(typed: str) -> None:
    found, note = clean_postcode(typed)
    assert found is None
    assert note is not None and note.severity is Severity.ERROR
    assert f"'{typed}'" in note.message


@pytest.mark.parametrize(("typed", "outward"), [("LS1", "LS1"), ("ls1", "LS1"), ("ec1a", "EC1A")])
def test_outward_part_alone_is_used_with_a_warning_asking_for_the_full_postcode(
    typed: str, outward: str
) -> None:
    found, note = clean_postcode(typed)
    assert found == Postcode(outward)
    assert found is not None and not found.is_full and found.sector == ""
    assert str(found) == outward
    assert note is not None and note.severity is Severity.WARNING
    assert note.code == "postcode_outward_only"
    assert note.message == (
        f"'{typed}' is only the first half of a postcode; give the venue's full postcode, "
        "like LS1 1UR, so the map shows exactly where it is"
    )


def test_repaired_outward_part_says_what_we_read() -> None:
    found, note = clean_postcode("5W1")
    assert found == Postcode("SW1")
    assert note is not None and note.message.startswith("We read '5W1' as SW1, which is only")


@pytest.mark.parametrize(
    "typed", ["", "   ", "n/a", "N/A", "NA", "none", "None.", "-", "—", "TBC", "tba", "?", "Online",
              "Microsoft Teams", "not applicable"],
)  # fmt: skip
def test_blank_and_no_postcode_words_mean_no_postcode_without_a_note(typed: str) -> None:
    assert clean_postcode(typed) == (None, None)


@pytest.mark.parametrize(
    "typed", ["12345", "Leeds", "Civic Centre", "XX1 1AA", "LS1 1UR2", "SOLE", "LS"]
)
def test_junk_is_an_error_that_names_it_and_shows_a_postcode(typed: str) -> None:
    found, note = clean_postcode(typed)
    assert found is None
    assert note is not None and note.severity is Severity.ERROR
    assert note.code == "postcode_format"
    assert note.message == (
        f"'{typed}' is not a UK postcode; give the venue's full postcode, like LS1 1UR, "
        "or leave it blank"
    )


def test_two_postcodes_in_the_box_are_an_error_listing_both() -> None:
    found, note = clean_postcode("LS1 1UR LS2 3AA")
    assert found is None
    assert note is not None and note.severity is Severity.ERROR
    assert note.code == "postcode_several"
    assert note.message == (
        "'LS1 1UR LS2 3AA' holds more than one postcode (LS1 1UR, LS2 3AA); "
        "give only the postcode of the venue"
    )


def test_an_address_typed_into_the_postcode_box_gives_its_postcode_with_a_warning() -> None:
    typed = "Civic Hall, Calverley St, Leeds LS1 1UR"
    found, note = clean_postcode(typed)
    assert found == Postcode("LS1", "1UR")
    assert note is not None and note.severity is Severity.WARNING
    assert note.code == "postcode_in_text"
    assert (
        note.message == f"We took the postcode LS1 1UR from '{typed}'; put only the postcode here"
    )


def test_a_very_long_answer_is_shown_shortened_in_the_message() -> None:
    typed = "the venue is " + "very " * 5000 + "near the station"
    found, note = clean_postcode(typed)
    assert found is None and note is not None
    assert note.message.startswith("'the venue is very very")
    assert len(note.message) < 200


def test_postcode_parts_sector_and_text() -> None:
    full = Postcode("SW1A", "1AA")
    assert (full.is_full, full.sector, str(full)) == (True, "SW1A 1", "SW1A 1AA")
    assert (Postcode("LS1").is_full, Postcode("LS1").sector, str(Postcode("LS1"))) == (
        False,
        "",
        "LS1",
    )


@pytest.mark.parametrize(("name", "street", "town", "postcode"), MUSEUMS)
def test_find_postcode_in_real_venue_addresses(
    name: str, street: str, town: str, postcode: str
) -> None:
    assert str(find_postcode(f"{name}, {street}, {town} {postcode}")) == postcode
    assert str(find_postcode(f"{name}\n{street}\n{town}\n{postcode.lower()}")) == postcode
    assert find_postcode(f"{name}, {street}, {town}") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Civic Hall, Calverley St, Leeds LS1 1UR", "LS1 1UR"),
        ("Civic Hall, Calverley St, Leeds, LS11UR.", "LS1 1UR"),
        ("Civic Hall (LS1 1UR), Leeds", "LS1 1UR"),
        ("LS1 1UR; parking also at LS1 1UR", "LS1 1UR"),
        ("Town Hall, Leeds LS1\u00a01UR", "LS1 1UR"),
        ("Girobank, GIR 0AA", None),  # names no place
        ("Santa, SAN TA1, Reindeerland", None),
        ("Room 12 3AB, Civic Centre", None),  # no area letters before the district number
        ("Civic Hall, Leeds", None),
        ("Civic Hall, Leeds LS1", None),  # only a full postcode is found in free text
        ("Civic Hall LS1 1UR, overflow at Town Hall LS1 3AD", None),
        ("XLS1 1URX", None),
        ("Civic Hall LS1 IUR", None),  # slips are not repaired in free text
        ("", None),
    ],
)
def test_find_postcode_finds_exactly_one_full_postcode(text: str, expected: str | None) -> None:
    found = find_postcode(text)
    assert (str(found) if found else None) == expected


@settings(max_examples=300, deadline=None)
@given(everything())
def test_cleaning_never_raises_and_any_postcode_has_the_uk_format(text: str) -> None:
    found, note = clean_postcode(text)
    assert found is None or UK_POSTCODE_FORMAT.match(str(found))
    assert found is not None or note is None or note.severity is Severity.ERROR
    in_text = find_postcode(text)
    assert in_text is None or (in_text.is_full and UK_POSTCODE_FORMAT.match(str(in_text)))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\ud800" * 100_000, None),  # nothing visible was typed
        ("\x00" * 100_000, None),
        ("A1 " * 33_000, "postcode_format"),
        ("1" * 100_000, "postcode_format"),
        ("LS1 1UR " * 12_500, "postcode_in_text"),
    ],
)
def test_pathological_answers_of_100_kb_never_raise(text: str, code: str | None) -> None:
    found, note = clean_postcode(text)
    assert (note.code if note else None) == code
    assert note is None or len(note.message) < 300
    assert find_postcode(text) == found
    assert found is None or found == Postcode("LS1", "1UR")


@settings(max_examples=20, deadline=None)
@given(
    st.one_of(st.text(min_size=1, max_size=8), st.sampled_from(REAL_POSTCODES).map(" {} ".format)),
    st.integers(5_000, 100_000),
)
def test_huge_answers_never_raise_and_find_what_they_hold(piece: str, length: int) -> None:
    text = (piece * (length // len(piece) + 1))[:length]
    found, note = clean_postcode(text)
    assert found is None or UK_POSTCODE_FORMAT.match(str(found))
    assert find_postcode(text) == found  # too long to be one postcode: both search the text
    if piece.strip() in REAL_POSTCODES:
        assert str(found) == piece.strip()
        assert note is not None and note.code == "postcode_in_text"


ADDRESSES = ["Civic Centre, High Street, Leeds", "Town Hall\nMarket Square", "Ty Cyngor, Caerdydd"]


@settings(max_examples=300, deadline=None)
@given(
    postcodes(),
    st.sampled_from(ADDRESSES),
    st.sampled_from(["", " ", "  ", "-", " - ", "\u00a0"]),
    st.booleans(),
)
def test_a_postcode_written_in_an_address_is_found_and_recleans_to_itself(
    postcode: Postcode, address: str, gap: str, lower: bool
) -> None:
    written = f"{postcode.outward}{gap}{postcode.inward}"
    text = f"{address}, {written.lower() if lower else written}."
    assert find_postcode(text) == postcode
    found, note = clean_postcode(text)
    assert found == postcode
    assert note is not None and note.code == "postcode_in_text" and str(postcode) in note.message
    assert clean_postcode(str(postcode)) == (postcode, None)
    outward, outward_note = clean_postcode(postcode.outward)
    assert outward == Postcode(postcode.outward)
    assert outward_note is not None and outward_note.code == "postcode_outward_only"


@settings(max_examples=300, deadline=None)
@given(postcodes().flatmap(lambda pc: st.tuples(st.just(pc), typed_like_staff(str(pc)))))
def test_a_postcode_typed_any_way_reads_back_exactly(case: tuple[Postcode, str]) -> None:
    postcode, typed = case
    assert clean_postcode(typed) == (postcode, None)
    assert clean_postcode(str(postcode)) == (postcode, None)
    assert UK_POSTCODE_FORMAT.match(str(postcode))
    assert find_postcode(f"Civic Centre, High Street, {postcode}") == postcode
