"""What a form's answers say about the question they answer.

A question's title can be worded any way ("When?", "Where is it? (full address with
postcode)"), but its answers look like what it asks for: postcodes, dates, times, email
addresses, links, the form's fixed choices of how to take part. `init` reads the kind of each
column from its answers and uses it beside the title's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from smwsync.clean.choices import clean_formats
from smwsync.clean.dates import clean_date
from smwsync.clean.postcode import clean_postcode, find_postcode
from smwsync.clean.timestamps import parse_timestamp

# Share of a column's answers that must have a kind for the column to have it.
MOST = 0.6
# Dates without a year ("Tuesday 23rd March") are read in any year: only the shape matters.
ANY_YEAR = 2027


class AnswerKind(StrEnum):
    """What a column's answers look like."""

    TIMESTAMP = "timestamp"
    EMAIL = "email"
    LINK = "link"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    YES_NO = "yes or no"
    POSTCODE = "postcode"
    TIME = "time"
    DATE = "date"
    FORMATS = "format"
    ADDRESS = "address with postcode"
    LONG_TEXT = "long text"
    TEXT = "text"


_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d{1,3}\.\d+")
_TIME = re.compile(r"\d{1,2}(?:[:.]\d{2}(?::\d{2})?\s*(?:am|pm)?|\s*(?:am|pm))", re.IGNORECASE)
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_YES_NO = frozenset(("yes", "no", "y", "n", "true", "false", "ok", "agreed", "i agree"))


def _is_timestamp(answer: str) -> bool:
    return bool(_CLOCK.search(answer)) and parse_timestamp(answer) is not None


def _is_latitude(answer: str) -> bool:
    return bool(_NUMBER.fullmatch(answer)) and 49.0 <= float(answer) <= 61.0


def _is_longitude(answer: str) -> bool:
    return bool(_NUMBER.fullmatch(answer)) and -9.0 <= float(answer) <= 2.0


def _is_postcode(answer: str) -> bool:
    postcode, note = clean_postcode(answer)
    return postcode is not None and (note is None or note.code != "postcode_in_text")


def _is_date(answer: str) -> bool:
    return len(answer) <= 40 and clean_date(answer, default_year=ANY_YEAR)[0] is not None


def _is_formats(answer: str) -> bool:
    formats, _, note = clean_formats(answer)
    return bool(formats) and note is None and len(answer) <= 60


def _is_address(answer: str) -> bool:
    postcode = find_postcode(answer)
    return postcode is not None and len(answer) > len(str(postcode)) + 3


def _is_long_text(answer: str) -> bool:
    return len(answer) >= 40 and len(answer.split()) >= 6


# Tried in this order: the first kind most answers have is the column's.
_TESTS = (
    (AnswerKind.TIMESTAMP, _is_timestamp),
    (AnswerKind.EMAIL, _EMAIL.fullmatch),
    (AnswerKind.LINK, _LINK.fullmatch),
    (AnswerKind.LATITUDE, _is_latitude),
    (AnswerKind.LONGITUDE, _is_longitude),
    (AnswerKind.YES_NO, lambda answer: answer.casefold().strip(" .!") in _YES_NO),
    (AnswerKind.POSTCODE, _is_postcode),
    (AnswerKind.TIME, _TIME.fullmatch),
    (AnswerKind.DATE, _is_date),
    (AnswerKind.FORMATS, _is_formats),
    (AnswerKind.ADDRESS, _is_address),
    (AnswerKind.LONG_TEXT, _is_long_text),
)


def answer_kind(answers: Sequence[str]) -> AnswerKind | None:
    """The kind most of the answers have; TEXT when none; None when no one answered."""
    given = [answer.strip() for answer in answers if answer.strip()]
    if not given:
        return None
    for kind, test in _TESTS:
        if sum(1 for answer in given if test(answer)) >= MOST * len(given):
            return kind
    return AnswerKind.TEXT


# The fields whose answers have a kind of their own: any other kind of column is not them.
TYPED: dict[str, AnswerKind] = {
    "timestamp": AnswerKind.TIMESTAMP,
    "submitter_email": AnswerKind.EMAIL,
    "contact_email": AnswerKind.EMAIL,
    "link": AnswerKind.LINK,
    "latitude": AnswerKind.LATITUDE,
    "longitude": AnswerKind.LONGITUDE,
    "postcode": AnswerKind.POSTCODE,
    "start_time": AnswerKind.TIME,
    "end_time": AnswerKind.TIME,
    "date": AnswerKind.DATE,
    "formats": AnswerKind.FORMATS,
}
# The fields a kind of column can be, and (first) the ones it suggests even when the title
# does not.
FITS: dict[AnswerKind, tuple[frozenset[str], frozenset[str]]] = {
    AnswerKind.YES_NO: (frozenset(("contact_consent", "approved")), frozenset()),
    AnswerKind.ADDRESS: (
        frozenset(("address", "venue", "description")),
        frozenset(("address",)),
    ),
}
# How much a column's answers count, beside a title's words (a word scores its length).
SUGGESTS = 6


def answer_points(field: str, kind: AnswerKind | None) -> int | None:
    """What a column's answers add to a field's score: SUGGESTS when they look like the
    field's, 0 when they tell nothing, None when they rule the field out."""
    if kind is None:
        return 0
    if field in TYPED:
        return SUGGESTS if TYPED[field] == kind else None
    if kind in FITS:
        fits, suggests = FITS[kind]
        if field not in fits:
            return None
        return SUGGESTS if field in suggests else 0
    if kind in TYPED.values():
        return None
    if kind is AnswerKind.LONG_TEXT and field == "description":
        return SUGGESTS
    return 0
