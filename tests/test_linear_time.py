"""No answer can make a cleaner slow: every cleaner's time is linear in what was typed.

A sheet cell holds up to 50,000 characters, and the form is open to anyone, so each cleaner is
fed 50,000-character hostile strings (a fragment that trips a regular expression, repeated, or
a link wrapped in 25,000 brackets) and must take no longer than a fixed multiple of a trivial
pass over the same text (a regular expression visiting every character). The budget is a ratio,
not a number of seconds, so a slow or busy machine slows both sides alike; a cleaner that is
quadratic on 50,000 characters is thousands of times over it, a linear one well under.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from smwsync.clean.choices import clean_formats, is_yes, moderation
from smwsync.clean.dates import clean_date, clean_when
from smwsync.clean.link_privacy import personal_data_in_link
from smwsync.clean.links import clean_email, clean_link
from smwsync.clean.names import SubmitterName
from smwsync.clean.postcode import clean_postcode, find_postcode
from smwsync.clean.ranges import clean_time_range
from smwsync.clean.scrub import scrub_personal_data
from smwsync.clean.text import clean_text
from smwsync.clean.times import clean_time
from smwsync.clean.timestamps import parse_timestamp
from smwsync.clean.validate import clean_response
from smwsync.model import FORM_FIELDS, Response

CELL_LIMIT = 50_000  # the most characters a Google Sheets cell holds
# A linear cleaner measures up to about 60 times the trivial pass (moderation's answer matching
# is the slowest); the quadratic link cleaner this guards against measured over 1,000.
BUDGET = 300
_TRIVIAL = re.compile(r"(?s).")

# Pieces that make regular expressions and loops work hardest when repeated.
HOSTILE = (
    "(",
    ")",
    "((",
    "a@",
    "@a.",
    "a.",
    "0 ",
    "1",
    "1 1 ",
    "1/",
    "1:",
    "0",
    "+",
    "+4",
    "00",
    "O",
    "-",
    ".",
    "a-",
    " ",
    "\n",
    "x",
    "xn--",
    "LS1 ",
    "Monday ",
    "2pm-",
    "and ",
    ", ",
    "&#64;",
    "%40",
    " at ",
    " dot ",
    "[at]",
    "\u200d",
    "👩\u200d",
    "\U000e0067",
    "https://",
    "(https://x.com/",
    "?email=",
    "wa.me/",
    "Hannah ",
    "Hannah Whitaker ",
    "phone=",
    "[@]",
    "＠",
    "．",
    "ｊ",
    "1—",
    "1·",
    "\n0",
    "0-1 ",
    "23 03 ",
    "Order ",
    "Phone no ",
    "ext",
    "/4",
    "t.me/",
    "Ms ",
    "Whitaker ",
    "hwhitaker",
    "Zoë ",
)

FRAGMENT = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=4))


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """50,000 characters made of one to three hostile fragments, each repeated."""
    fragments = draw(st.lists(FRAGMENT, min_size=1, max_size=3))
    share = CELL_LIMIT // len(fragments)
    text = "".join((piece * (share // len(piece) + 1))[:share] for piece in fragments)
    return (text + "x" * CELL_LIMIT)[:CELL_LIMIT]


HANNAH = SubmitterName.of("WHITAKER-JONES, Hannah")


def every_field(text: str) -> None:
    """The whole row's cleaning, the text typed into every question of the form."""
    values = dict.fromkeys(FORM_FIELDS, text)
    clean_response(Response(2, values), find_council=lambda _: None)


CLEANERS: dict[str, Callable[[str], object]] = {
    "text": clean_text,
    "text on several lines": lambda text: clean_text(text, multiline=True, limit=2000),
    "link": clean_link,
    "email": clean_email,
    "postcode": clean_postcode,
    "postcode in an address": find_postcode,
    "date": clean_date,
    "time": clean_time,
    "time range": clean_time_range,
    "timestamp": parse_timestamp,
    "date and times together": lambda text: clean_when(text, text, text),
    "formats": clean_formats,
    "consent": is_yes,
    "approval": moderation,
    "scrubber": scrub_personal_data,
    "personal data in a link": lambda text: personal_data_in_link(text, name=HANNAH),
    "submitter's name in text": lambda text: HANNAH.remove(text),
    "submitter's name as typed": SubmitterName.of,
    "every field of a row": every_field,
}


def seconds(run: Callable[[str], object], text: str, tries: int) -> float:
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    return best


def times_the_trivial_pass(cleaner: Callable[[str], object], text: str) -> float:
    """How many times longer `cleaner` takes than a trivial pass over all the text it reads."""
    passes = len(FORM_FIELDS) if cleaner is every_field else 1
    trivial = passes * seconds(_TRIVIAL.findall, text, tries=3)
    took = seconds(cleaner, text, tries=1)
    if took > BUDGET * trivial:  # a second look before failing, in case the machine was busy
        took = min(took, seconds(cleaner, text, tries=2))
        trivial = passes * seconds(_TRIVIAL.findall, text, tries=3)
    return took / trivial


WRAPPED_LINK = "(" * 25_000 + "https://x.com/" + ")" * 24_986


@pytest.mark.parametrize("name", CLEANERS)
# Few examples, and no shrinking (a failure's first 40 characters say enough): cheap to run.
@settings(
    max_examples=4,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
@example(text=WRAPPED_LINK)
@given(text=hostile_text())
def test_every_cleaner_takes_time_linear_in_a_50000_character_answer(name: str, text: str) -> None:
    assert len(text) == CELL_LIMIT
    ratio = times_the_trivial_pass(CLEANERS[name], text)
    assert ratio < BUDGET, f"{name} took {ratio:.0f} times a trivial pass over {text[:40]!r}..."
