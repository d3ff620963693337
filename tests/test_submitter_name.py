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


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("Jane Smith", "J. Smith will host", f"{NAME_MARKER} will host"),
        ("Jane Smith", "Questions? contact J Smith", f"Questions? contact {NAME_MARKER}"),
        ("Jane Smith", "contact j smith for slides", f"contact {NAME_MARKER} for slides"),
        ("Jane Smith", "Talk by Dr J.Smith.", f"Talk by Dr {NAME_MARKER}."),
        ("Jane Smith", "HOSTED BY J SMITH", f"HOSTED BY {NAME_MARKER}"),
        ("Jane Mary Smith", "J. M. Smith hosts", f"{NAME_MARKER} hosts"),
        ("Jane Mary Smith", "Jane Smith hosts", f"{NAME_MARKER} hosts"),
        ("Hannah Whitaker-Jones", "H. Jones hosts", f"{NAME_MARKER} hosts"),
        ("WHITAKER, Hannah", "H Whitaker hosts", f"{NAME_MARKER} hosts"),
        ("Élodie Brontë", "with É. Bronte", f"with {NAME_MARKER}"),
        # an everyday surname after the person's initial and a dot is the person
        ("Tom Hall", "T. Hall will host", f"{NAME_MARKER} will host"),
        ("Amy May", "Run by A. May", f"Run by {NAME_MARKER}"),
        ("Gareth Preston", "Ask G. Preston", f"Ask {NAME_MARKER}"),
    ],
)
def test_an_initial_and_the_surname_are_removed_together(
    name: str, typed: str, expected: str
) -> None:
    places = {"preston"}
    submitter = SubmitterName.of(name, is_place=lambda word: word.casefold() in places)
    assert submitter.remove(typed) == (expected, True)


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Tom Hall", "Meet in Block T Hall, by the Town Hall"),  # no dot: a block's letter
        ("Tom Hall", "J. Hall and P. Hall will host"),  # another initial: another person
        ("Amy May", "A May morning walk"),
        ("Amy May", "Plan A. may change if it rains"),  # a word in small letters
        ("Amy Hall", "A Hall for hire, or book a hall"),
        ("Alice Whitaker", "a whitaker collection"),  # "a" is a word, not an initial
        ("Sam Best", "It's best to book; S Best seats left"),
        ("Gareth Preston", "G Preston Road"),  # a place the caller knows
        ("Jane Smith", "j.smith@example.org"),  # an address: the scrubber's
    ],
)
def test_an_initial_before_an_everyday_word_or_a_place_is_not_the_person(
    name: str, typed: str
) -> None:
    places = {"preston"}
    submitter = SubmitterName.of(name, is_place=lambda word: word.casefold() in places)
    assert submitter.remove(typed) == (typed, False)


def test_in_a_venue_or_address_an_initial_goes_with_the_surname_only_with_a_full_stop() -> None:
    submitter = SubmitterName.of("Hannah Whitaker")
    for place in ("Flat H Whitaker House", "Unit H WHITAKER Court"):
        assert submitter.remove(place, surname_alone=False) == (place, False)
    assert submitter.remove("c/o H. Whitaker, Whitaker House", surname_alone=False) == (
        f"c/o {NAME_MARKER}, Whitaker House",
        True,
    )


def test_a_row_loses_the_initial_and_surname_from_the_published_description() -> None:
    event, problems = clean(
        title="Open data drop-in",
        description="Hosted by J. Smith. Questions? Contact J Smith at the desk.",
        venue="c/o J. Smith, Smith House",
        submitter_name="Jane Smith",
    )
    assert event is not None
    assert event.description == (
        f"Hosted by {NAME_MARKER}. Questions? Contact {NAME_MARKER} at the desk."
    )
    assert event.venue == f"c/o {NAME_MARKER}, Smith House"
    assert {p.field for p in problems if p.code == "name_removed"} == {"description", "venue"}


def test_a_row_with_a_blocks_letter_before_an_everyday_surname_is_unchanged() -> None:
    description = "Meet in Block T Hall, by the Town Hall; T Hall has a lift."
    event, problems = clean(title="Tea", description=description, submitter_name="Tom Hall")
    assert event is not None and event.description == description
    assert not [p for p in problems if p.code == "name_removed"]


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("T. Hall", "Meet in Block T Hall, by the Town Hall"),
        ("A. Hall", "A Hall for hire, or book a hall"),
        ("A. May", "A May morning walk"),
        ("A Brown", "Look out for a brown owl"),
        ("A. Long", "Bring boots: a long walk"),
        ("I. Rose", "I rose early for the dawn chorus"),
    ],
)
def test_a_name_typed_as_an_initial_and_an_everyday_surname_leaves_everyday_words(
    name: str, typed: str
) -> None:
    # The form's name answer is only an initial and a surname: the same care as for an
    # initial written in the text, where "a brown owl" is no person.
    assert SubmitterName.of(name).remove(typed) == (typed, False)


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("T. Hall", "T. Hall will host", f"{NAME_MARKER} will host"),
        ("J Smith", "Ask J Smith or j. smith", f"Ask {NAME_MARKER} or {NAME_MARKER}"),
        ("J. M. Smith", "Run by J. M. Smith", f"Run by {NAME_MARKER}"),
        ("A. Whitaker", "Contact A Whitaker", f"Contact {NAME_MARKER}"),
    ],
)
def test_a_name_typed_as_an_initial_and_a_surname_still_goes(
    name: str, typed: str, expected: str
) -> None:
    assert SubmitterName.of(name).remove(typed) == (expected, True)
