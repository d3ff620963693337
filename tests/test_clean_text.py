"""Free text from the form comes out tidy and safe for XML, without losing anyone's words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.clean.text import clean_text, quoted, truncate

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
INVISIBLE = re.compile("[\u00ad\u200b\u202a-\u202e\u2066-\u2069\ufeff]")

any_text = st.text(st.characters(codec=None, categories=None), max_size=200)
junk_heavy = st.text(
    st.sampled_from(
        [
            *"ab 👩💻🏴é\u0301مש\n\r\t\x00\x0b\x1f\x85\u00a0\u2028",
            *["\u200b", "\u200c", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\ud800"],
            *["\udfff", "\ufffe", "\U000e0067", "\U000e007f", "\ufe0f", "\U0001f3fd", "\u3000"],
        ]
    ),
    max_size=60,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Leeds\u00a0City   Council ", "Leeds City Council"),
        ("\ufeffDigital drop-in", "Digital drop-in"),
        ("Soc\u00adial me\u200bdia", "Social media"),
        ("Tea\x00 and\x07 cake\x1f", "Tea and cake"),
        ("Cyber\tsafety\u2003workshop", "Cyber safety workshop"),
        ("Line one\r\nLine two", "Line one Line two"),
        ("Cafe\u0301 chat", "Café chat"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("\u2066isolated\u2069", "isolated"),
        ("Bad\ud800surrogate\udfff", "Badsurrogate"),
        ("Not\ufffecharacters\uffff", "Notcharacters"),
        ("", ""),
        (" \u200b\u00a0 \n", ""),
    ],
)
def test_clean_text_tidies_a_single_line(typed: str, expected: str) -> None:
    assert clean_text(typed) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "👩\u200d💻 coding club",  # woman technologist: ZWJ inside an emoji sequence
        "🏳️\u200d🌈 Pride social",
        "👨🏽\u200d🦰 drop-in",
        "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f Dydd Gŵyl Dewi",
        "Caerdydd: sgwrs â’r cyngor",
        "ورشة عمل عن وسائل التواصل",
        "סדנת מדיה חברתית",
        "Hello \u200fמה נשמע\u200e ok",  # RLM and LRM marks stay
        "می\u200cخواهم",  # Persian needs its zero-width non-joiner
    ],
)
def test_clean_text_keeps_emoji_and_right_to_left_text(kept: str) -> None:
    assert clean_text(kept) == kept


def test_stray_joiners_between_latin_letters_go() -> None:
    assert clean_text("Lee\u200dds\u200c") == "Leeds"


def test_multiline_keeps_paragraphs_but_not_runs_of_blank_lines() -> None:
    typed = "Come along!\r\n\r\n\r\n\r\nBring a laptop.  \rTea provided.\n\n\n"
    assert clean_text(typed, multiline=True) == "Come along!\n\nBring a laptop.\nTea provided."


def test_unicode_line_separators_count_as_line_breaks() -> None:
    assert clean_text("One\u2028Two\x85Three", multiline=True) == "One\nTwo\nThree"
    assert clean_text("One\u2028Two") == "One Two"


def test_limit_cuts_at_a_word_boundary() -> None:
    assert clean_text("A morning of social media surgeries", limit=21) == "A morning of social …"


@given(st.text(st.sampled_from("ab .\n"), max_size=40), st.booleans())
@settings(max_examples=200, deadline=None)
def test_lines_are_tidied_alike_however_the_line_breaks_are_written(
    text: str, multiline: bool
) -> None:
    """Plain lines are tidied as lines with any other kind of line break are: spaces
    collapsed and trimmed, at most one blank line, or one line without line breaks."""
    assert clean_text(text, multiline=multiline) == clean_text(
        text.replace("\n", "\u2028"), multiline=multiline
    )
    assert clean_text(" Tea  and   cake \n\n\n\n  Bring  a mug ", multiline=True) == (
        "Tea and cake\n\nBring a mug"
    )


def test_truncate_leaves_short_text_alone() -> None:
    assert truncate("Leeds", 10) == ("Leeds", False)
    assert truncate("Leeds", 5) == ("Leeds", False)


def test_truncate_cuts_between_words_and_says_so() -> None:
    text = "Drop in to learn how the council uses social media"
    cut, was_cut = truncate(text, 30)
    assert was_cut
    assert cut == "Drop in to learn how the …"
    assert len(cut) <= 30


def test_truncate_cuts_one_long_word_mid_word() -> None:
    assert truncate("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", 12) == (
        "Llanfairpw …",
        True,
    )


def test_quoted_shortens_long_answers_for_messages() -> None:
    assert quoted("LS1 1UR") == "'LS1 1UR'"
    assert len(quoted("word " * 100)) <= 62


@settings(max_examples=200, deadline=None)
@given(st.one_of(any_text, junk_heavy), st.booleans())
def test_clean_text_is_safe_for_xml_and_stable(text: str, multiline: bool) -> None:
    cleaned = clean_text(text, multiline=multiline)
    assert not XML_FORBIDDEN.search(cleaned)
    assert not INVISIBLE.search(cleaned)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert "\n\n\n" not in cleaned
    assert multiline or "\n" not in cleaned
    assert clean_text(cleaned, multiline=multiline) == cleaned


@settings(max_examples=200, deadline=None)
@given(any_text, st.integers(min_value=-3, max_value=250))
def test_truncate_never_exceeds_the_limit(text: str, limit: int) -> None:
    cut, was_cut = truncate(text, limit)
    assert len(cut) <= max(limit, 0) or not was_cut
    assert was_cut == (len(text) > limit)
    assert cut == text or was_cut


def test_clean_text_copes_with_100_kb() -> None:
    text = ("Social media week \u200b\x00\ud800 👩\u200d💻 مرحبا\r\n" * 3000)[:100_000]
    cleaned = clean_text(text, multiline=True, limit=2000)
    assert len(cleaned) <= 2000
    assert cleaned.endswith(" …")
