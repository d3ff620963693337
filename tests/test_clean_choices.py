"""Checkbox answers as Google writes them, consent answers and the organisers' approval column."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.clean.choices import clean_formats, is_yes, moderation
from smwsync.model import FORMATS, Severity

any_text = st.text(st.characters(codec=None, categories=None), max_size=200)


@pytest.mark.parametrize(
    ("cell", "formats"),
    [
        ("Face-to-face", ("face-to-face",)),
        ("Online (Teams/Zoom)", ("online",)),
        ("Face-to-face, Online (Teams/Zoom)", ("face-to-face", "online")),
        ("Phone surgery, In person", ("face-to-face", "phone")),
        ("online, TELEPHONE", ("online", "phone")),
        ("Face-to-face, ", ("face-to-face",)),  # a blank "Other" leaves a trailing ", "
        ("In person, Virtual, By phone", FORMATS),
    ],
)
def test_ticked_boxes_become_formats_in_the_forms_order(
    cell: str, formats: tuple[str, ...]
) -> None:
    assert clean_formats(cell) == (formats, "", None)


def test_options_containing_commas_split_against_the_forms_own_labels() -> None:
    options = {
        "At the library, town hall or community centre": "face-to-face",
        "Online, via Teams": "online",
        "By phone": "phone",
    }
    cell = "At the library, town hall or community centre, Online, via Teams"
    assert clean_formats(cell, options) == (("face-to-face", "online"), "", None)


def test_other_answer_is_kept_and_counts_when_it_names_a_format() -> None:
    formats, other, note = clean_formats("In person, Also streamed on Facebook Live")
    assert formats == ("face-to-face", "online")
    assert other == "Also streamed on Facebook Live"
    assert note is None


@pytest.mark.parametrize(
    ("other", "formats"),
    [
        ("Zoom", ("online",)),
        ("teams meeting", ("online",)),
        ("Hybrid", ("face-to-face", "online")),
        ("Video call with the digital team", ("online",)),
        ("Phone-in on BBC Radio Leeds", ("phone",)),
        ("F2F at Cardiff Central Library", ("face-to-face",)),
    ],
)
def test_other_answers_that_clearly_name_a_format(other: str, formats: tuple[str, ...]) -> None:
    assert clean_formats(other) == (formats, other, None)


def test_other_answer_with_commas_is_kept_whole_after_the_ticked_boxes() -> None:
    formats, other, _ = clean_formats("Online, A walk, then tea and cake")
    assert formats == ("online",)
    assert other == "A walk, then tea and cake"


def test_nothing_recognised_is_a_warning_naming_what_was_typed() -> None:
    formats, other, note = clean_formats("tea and cake")
    assert formats == ()
    assert other == "tea and cake"
    assert note is not None
    assert note.severity is Severity.WARNING
    assert note.code == "format_unknown"
    assert note.message == (
        "We could not tell whether 'tea and cake' is face-to-face, online or phone; "
        "tick one of the boxes."
    )


@pytest.mark.parametrize("blank", ["", "   ", ", ", "\u200b"])
def test_blank_answer_is_no_formats_and_no_warning(blank: str) -> None:
    assert clean_formats(blank) == ((), "", None)


@pytest.mark.parametrize(
    "answer",
    ["Yes", "yes", " YES! ", "y", "Yeah", "true", "TRUE", "Agree", "agreed", "I agree", "I Agree.",
     "OK", "okay", "O.K.", "Approved", "✓", "✔", "✔️", "x", "X", "1", "Yes, I agree"],
)  # fmt: skip
def test_is_yes_accepts_clear_yeses(answer: str) -> None:
    assert is_yes(answer)


@pytest.mark.parametrize(
    "answer",
    ["", " ", "No", "no thanks", "maybe", "yes?no", "Yes (no)", "not approved", "0", "false",
     "Yes but not my email", "✗", "n/a", "yes ✗"],
)  # fmt: skip
def test_is_yes_refuses_everything_else(answer: str) -> None:
    assert not is_yes(answer)


@pytest.mark.parametrize(
    ("cell", "state"),
    [
        ("Approved", "approved"),
        ("yes", "approved"),
        ("✓", "approved"),
        ("Hidden", "hidden"),
        ("hide", "hidden"),
        ("Cancelled", "hidden"),
        ("canceled", "hidden"),
        ("REJECTED", "hidden"),
        ("reject", "hidden"),
        ("No", "hidden"),
        ("spam", "hidden"),
        ("Remove", "hidden"),
        ("✗", "hidden"),
        ("Cancelled - venue closed", "hidden"),
        ("spam (Nadia)", "hidden"),
        ("Hide: duplicate of row 12", "hidden"),
        ("", "pending"),
        ("waiting for Sam", "pending"),
        ("not approved", "pending"),
    ],
)
def test_moderation_reads_the_organisers_column(cell: str, state: str) -> None:
    assert moderation(cell) == state


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_choice_readers_never_raise(text: str) -> None:
    formats, _, note = clean_formats(text)
    assert set(formats) <= set(FORMATS)
    assert list(formats) == sorted(formats, key=FORMATS.index)
    assert note is None or (not formats and note.severity is Severity.WARNING)
    assert isinstance(is_yes(text), bool)
    assert moderation(text) in ("approved", "hidden", "pending")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["Face-to-face", "Online", "Phone", "tea, cake", ""]), max_size=6))
def test_any_mix_of_options_is_read_back(ticked: list[str]) -> None:
    formats, _, _ = clean_formats(", ".join(ticked))
    expected = {"Face-to-face": "face-to-face", "Online": "online", "Phone": "phone"}
    assert set(formats) == {expected[label] for label in ticked if label in expected}


def test_long_answers_are_read_quickly() -> None:
    formats, other, note = clean_formats("Online, " + "tea, cake, " * 10_000)
    assert formats == ("online",)
    assert other.startswith("tea, cake, tea")
    assert note is None
