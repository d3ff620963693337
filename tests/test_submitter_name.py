"""The submitter's own name, typed into public text, is taken out with a warning; a name that
is also an everyday word or a place is handled with care."""

from __future__ import annotations

import pytest

from smwsync.clean.names import NAME_MARKER, SubmitterName
from smwsync.clean.validate import clean_response
from smwsync.model import Response, Severity


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("Hannah Whitaker", "Organised by Hannah Whitaker", f"Organised by {NAME_MARKER}"),
        ("Hannah Whitaker", "organised by HANNAH  whitaker.", f"organised by {NAME_MARKER}."),
        ("Hannah Whitaker", "Ask Ms Whitaker at the desk", f"Ask Ms {NAME_MARKER} at the desk"),
        ("Hannah Whitaker", "Hannah.Whitaker on LinkedIn", f"{NAME_MARKER} on LinkedIn"),
        ("Dr Siân O'Brien-Jones", "With Siân O’Brien Jones", f"With {NAME_MARKER}"),
        ("Dr Siân O'Brien-Jones", "Ask O'Brien-Jones", f"Ask {NAME_MARKER}"),
        ("Kwame Osei (he/him)", "Kwame Osei hosts", f"{NAME_MARKER} hosts"),
        ("Tom Hall", "Tom Hall at the Town Hall", f"{NAME_MARKER} at the Town Hall"),
        ("Priyanka", "Priyanka will be there", f"{NAME_MARKER} will be there"),
    ],
)
def test_the_full_name_or_the_surname_is_removed(name: str, typed: str, expected: str) -> None:
    assert SubmitterName.of(name).remove(typed) == (expected, True)


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Hannah Whitaker", "Hannah will bring cake"),  # a first name alone names nobody
        ("Hannah Whitaker", "Whitakers Yard and Whitakerville"),  # not the whole word
        ("Hannah Whitaker", "hannah.whitaker@example.gov.uk"),  # an address: the scrubber's
        ("Tom Hall", "Leeds Town Hall, Great Hall"),  # an everyday word alone
        ("Amy May", "Thursday 23 May"),
        ("Jo", "Jo will be there"),  # too short to be sure
        ("Comms Team", "Ask the comms team"),  # a team, not a person
        ("Leeds Digital Team", "Leeds digital drop-in"),
        ("Gareth Preston", "Preston Guild Hall"),  # a place the caller knows
    ],
)
def test_what_is_not_the_person_stays(name: str, typed: str) -> None:
    places = {"preston"}
    submitter = SubmitterName.of(name, is_place=lambda word: word.casefold() in places)
    assert submitter.remove(typed) == (typed, False)


def test_a_name_is_read_again_when_the_places_known_differ() -> None:
    """The same name is a person's surname for one caller and a place for another, whichever
    asks first: "Preston" alone stays only where Preston is a place."""
    typed = "Ask Preston at the desk"
    for _ in range(2):
        as_place = SubmitterName.of("Gareth Preston", is_place=lambda word: word == "Preston")
        as_person = SubmitterName.of("Gareth Preston")
        assert as_place.remove(typed) == (typed, False)
        assert as_person.remove(typed) == (f"Ask {NAME_MARKER} at the desk", True)


def clean(**values: str):
    return clean_response(Response(5, values), find_council=lambda _: None)


def test_a_row_loses_the_name_from_public_text_with_a_warning_for_each_field() -> None:
    event, problems = clean(
        title="Tea with Hannah Whitaker",
        description="Organised by Hannah Whitaker.\nAsk Ms Whitaker for slides.",
        venue="Whitaker House",
        address="1 Whitaker Street, Leeds, c/o Hannah Whitaker",
        submitter_name="Hannah Whitaker",
    )
    assert event is not None
    assert event.title == f"Tea with {NAME_MARKER}"
    assert event.description == (f"Organised by {NAME_MARKER}.\nAsk Ms {NAME_MARKER} for slides.")
    # In places a surname alone is a street or a building; the full name still goes.
    assert event.venue == "Whitaker House"
    assert event.address == f"1 Whitaker Street, Leeds, c/o {NAME_MARKER}"
    assert event.submitter_name == "Hannah Whitaker"  # kept, never published
    warned = {p.field: p for p in problems if p.code == "name_removed"}
    assert set(warned) == {"title", "description", "address"}
    assert warned["title"].severity is Severity.WARNING
    assert warned["title"].message.startswith("We took your name out of the event title")
    assert not any("Whitaker" in p.message for p in problems)


def test_the_name_is_not_quoted_in_any_message() -> None:
    _, problems = clean(
        title="Tea",
        date="ask Hannah Whitaker",
        link="Hannah Whitaker's page",
        submitter_name="Hannah Whitaker",
    )
    assert {p.field for p in problems} >= {"date", "link"}
    assert not any("Whitaker" in p.message for p in problems)


def test_a_councils_name_is_left_in_the_council_answer() -> None:
    event, problems = clean(title="Tea", council="Whitaker", submitter_name="Hannah Whitaker")
    assert event is not None and event.council == "Whitaker"
    assert not [p for p in problems if p.code == "name_removed"]


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("WHITAKER, Hannah", "Organised by Hannah Whitaker", f"Organised by {NAME_MARKER}"),
        ("Whitaker, Hannah", "Ask Ms Whitaker", f"Ask Ms {NAME_MARKER}"),
        ("Zoë Brontë", "Hosted by Zoe Bronte", f"Hosted by {NAME_MARKER}"),
        ("Zoe Bronte", "Hosted by Zoë Brontë", f"Hosted by {NAME_MARKER}"),
        ("Zoë Brontë", "Ask Bronte", f"Ask {NAME_MARKER}"),
        ("Hannah Whitaker-Jones", "Ask Ms Jones", f"Ask Ms {NAME_MARKER}"),
        ("Hannah Whitaker-Jones", "Ask Whitaker", f"Ask {NAME_MARKER}"),
        ("Hannah Whitaker-Jones", "By Hannah Whitaker Jones", f"By {NAME_MARKER}"),
        ("Hannah Whitaker", "ask ms whitaker", f"ask ms {NAME_MARKER}"),
        ("Hannah Whitaker", "ask Cllr. whitaker", f"ask Cllr. {NAME_MARKER}"),
    ],
)
def test_a_name_turned_round_accented_or_hyphenated_is_removed(
    name: str, typed: str, expected: str
) -> None:
    assert SubmitterName.of(name).remove(typed) == (expected, True)


@pytest.mark.parametrize(
    "surname", ["Baker", "Best", "Walker", "Bright", "Sharp", "Story", "Camp", "Coffee"]
)
def test_a_surname_that_is_an_everyday_word_stays_in_the_sentence(surname: str) -> None:
    typed = f"The best way to post: {surname.lower()} and {surname} and the {surname} Room"
    assert SubmitterName.of(f"Sam {surname}").remove(typed) == (typed, False)


def test_a_lone_surname_in_small_letters_is_a_word_not_the_person() -> None:
    text = "the whitaker collection"
    assert SubmitterName.of("Hannah Whitaker").remove(text) == (text, False)
