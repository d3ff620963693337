"""Personal data typed into public free text, taken out before it reaches the map (pure).

The map is public, so an email address or a phone number written into a title, description,
venue or address is replaced by a marker ("[email removed]", "[phone number removed]"). How
they are found, disguised or not: `email_addresses.py` and `phone_numbers.py`; a messaging link
with a number in it ("wa.me/447700900118") goes whole.

The one exception is the event's own contact email: when the form's consent question says yes,
that same address (compared ignoring case) may stay wherever it is written, since the person
agreed to publish it. Every other address stays out, and so does every phone number: the form
asks for consent to publish an email address, never a phone number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from smwsync.clean.email_addresses import FoundEmail, find_email_addresses
from smwsync.clean.phone_numbers import find_phone_numbers, read_as_digits
from smwsync.clean.text import folded
from smwsync.model import Note, Severity

EMAIL_MARKER = "[email removed]"
PHONE_MARKER = "[phone number removed]"

# A messaging link written in free text: the whole link goes when it holds 7 or more digits.
_MESSAGING_LINK = re.compile(
    r"(?:\b(?:https?|whatsapp)://)?(?<![\w.-])(?:www\.)?(?:wa\.me|(?:api\.|web\.)?whatsapp\.com|"
    r"signal\.me|t\.me|viber\.click)[/?#][^\s<>\"'()\[\]]*(?<![.,;:!?])",
    re.IGNORECASE,
)
_MESSAGING_HOSTS = ("wa.me", "whatsapp.com", "signal.me", "t.me", "viber.click")
_SEVEN_DIGITS = re.compile(r"\d(?:[\s.\-()/_]{0,3}\d){6,}")


def scrub_personal_data(text: str, *, consented_email: str = "") -> tuple[str, tuple[str, ...]]:
    """`text` with email addresses and phone numbers replaced by markers, and what was removed.

    `consented_email` is the contact email the form's consent question agreed to publish (""
    when there is none); that address may stay. Returns the text and the kinds removed, from
    ("email", "phone"), in that order.
    """
    allowed = consented_email.strip().casefold()
    emails, numbers = _remembered_finds(text) if len(text) <= _SHORT else _finds(text)
    cuts = [
        (found.start, found.end, EMAIL_MARKER)
        for found in emails
        if not (allowed and found.address.casefold() == allowed)
    ]
    kinds: tuple[str, ...] = ("email",) if cuts else ()
    phones = [(start, end, PHONE_MARKER) for start, end in numbers]
    if phones:
        kinds += ("phone",)
    if not kinds:
        return text, ()
    return _cut(text, _apart(sorted(cuts + phones))), kinds


# Titles, venues and choices repeat down a sheet: text up to this long is searched once.
_SHORT = 200


def _finds(text: str) -> tuple[tuple[FoundEmail, ...], tuple[tuple[int, int], ...]]:
    """Every email address in `text`, and where each phone number or messaging link with
    one is that is not inside an address (digits inside an address go with the address)."""
    emails = tuple(find_email_addresses(text))
    numbers = tuple(
        (start, end)
        for start, end in [*find_phone_numbers(text), *messaging_links(text)]
        if not any(start < found.end and found.start < end for found in emails)
    )
    return emails, numbers


@functools.lru_cache(maxsize=16384)
def _remembered_finds(text: str) -> tuple[tuple[FoundEmail, ...], tuple[tuple[int, int], ...]]:
    return _finds(text)


def removed_note(kinds: Iterable[str], what: str) -> Note | None:
    """The warning for the person who filled the form when personal data left `what` (a field
    as they know it, "description"); None when nothing was removed."""
    kinds = tuple(kinds)
    if not kinds:
        return None
    if kinds == ("email",):
        removed, it = "an email address", "it"
        hint = (
            "; to let people write to you, give a contact email in its own question and say "
            "yes to publishing it"
        )
    elif kinds == ("phone",):
        removed, it = "a phone number", "it"
        hint = ", and put phone numbers on your booking page instead"
    else:
        removed, it = "an email address and a phone number", "them"
        hint = (
            "; give a contact email in its own question (and say yes to publishing it), and "
            "put phone numbers on your booking page"
        )
    message = (
        f"We took {removed} out of the {what} because the map is public. Edit your response "
        f"to take {it} out{hint}."
    )
    return Note(Severity.WARNING, "personal_data_removed", message)


def messaging_links(text: str) -> list[tuple[int, int]]:
    """Where each messaging link with a phone number in it ("wa.me/447700900118",
    "https://api.whatsapp.com/send?phone=...") starts and ends in free text."""
    if "." not in text:
        return []
    if text.isascii() and not any(host in text.lower() for host in _MESSAGING_HOSTS):
        return []  # (in ASCII text the pattern's letters match only their own two cases)
    return [
        match.span()
        for match in _MESSAGING_LINK.finditer(folded(text))
        if _SEVEN_DIGITS.search(read_as_digits(match.group()))
    ]


def _apart(cuts: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted cuts with any that overlap an earlier one merged into it."""
    merged: list[tuple[int, int, str]] = []
    for start, end, marker in cuts:
        if merged and start < merged[-1][1]:
            first_start, first_end, first_marker = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_marker)
        else:
            merged.append((start, end, marker))
    return merged


def _cut(text: str, cuts: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) span, in order and apart, replaced by its marker."""
    pieces, done = [], 0
    for start, end, marker in cuts:
        pieces += [text[done:start], marker]
        done = end
    return "".join([*pieces, text[done:]])
