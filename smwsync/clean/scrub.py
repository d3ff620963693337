"""Personal data typed into public free text, taken out before it reaches the map (pure).

The map is public, so an email address or a phone number written into a title, description,
venue or address is replaced by a marker ("[email removed]", "[phone number removed]").

The one exception is the event's own contact email: when the form's consent question says yes,
that same address (compared ignoring case) may stay wherever it is written, since the person
agreed to publish it. Every other address stays out, and so does every phone number: the form
asks for consent to publish an email address, never a phone number.

Phone numbers are found by their shape, not looked up: a UK number (07700 900123,
+44 7700 900123, +44 (0)113 496 0000, (0113) 496 0000, 0800 123 4567 ...) is 0 and 9 or 10
digits, or +44 / 0044 and 9 or 10 digits, with spaces, dots, dashes or brackets between; any
other international number is + and 8 to 15 digits. Shape catches numbers in ranges a number
library calls invalid (Ofcom's drama numbers, newly allocated ranges) and needs no data that
goes out of date; for privacy, a number missed is worse than a reference number removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from smwsync.model import Note, Severity

EMAIL_MARKER = "[email removed]"
PHONE_MARKER = "[phone number removed]"

_EMAIL = re.compile(
    r"(?:mailto:)?"
    # starting only where a run of such characters starts keeps long text fast
    r"(?<![\w.!#$%&*+/=?^`{|}~-])"
    # a quote may sit inside an address (o'brien@...) but not open it: 'jo@x.org' is quoted
    r"[\w!#$%&*+/=?^`{|}~-][\w.!#$%&'*+/=?^`{|}~-]*"
    r"\s?(?:@|＠)\s?"
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}"
    r"(?![\w-])",
    re.IGNORECASE,
)
# Between two digits: up to three spaces, dots, dashes or brackets (never "/" or ":", so dates
# and times are left alone).
_GAP = r"[ \u00a0.\-\u2010-\u2013()]{0,3}"
_PHONE = re.compile(
    # not inside a word or a longer number ("01.02.2027 12.00", "978-0-306-40615-7")
    r"(?<![\w+])(?<!\d[.\-\u2010-\u2013])"
    r"(?:"
    # +44 or 0044, an optional (0), then 9 or 10 digits starting 1-9
    rf"(?:\+|\b00){_GAP}44{_GAP}(?:\(0\){_GAP})?[1-9](?:{_GAP}\d){{8,9}}"
    # any other country: + and 8 to 15 digits
    rf"|\+{_GAP}[1-9](?:{_GAP}\d){{7,14}}"
    # a national number: 0 and 9 or 10 digits, the first 1-9; an area code may be bracketed
    rf"|\(?0{_GAP}[1-9](?:{_GAP}\d){{8,9}}"
    r")"
    # and then no more digits or letters, so a longer number (a reference, a date, an id) is
    # not cut in two
    r"(?![.\-\u2010-\u2013]?\d)(?![^\W\d_])",
)


def scrub_personal_data(text: str, *, consented_email: str = "") -> tuple[str, tuple[str, ...]]:
    """`text` with email addresses and phone numbers replaced by markers, and what was removed.

    `consented_email` is the contact email the form's consent question agreed to publish (""
    when there is none); that address may stay. Returns the text and the kinds removed, from
    ("email", "phone"), in that order.
    """
    if "@" not in text and "＠" not in text and not _has_enough_digits(text):
        return text, ()
    removed: list[str] = []
    allowed = consented_email.strip().casefold()

    def email(match: re.Match[str]) -> str:
        address = re.sub(r"\s", "", match.group()).removeprefix("mailto:").replace("＠", "@")
        if allowed and address.casefold() == allowed:
            return match.group()
        removed.append("email")
        return EMAIL_MARKER

    def phone(match: re.Match[str]) -> str:
        removed.append("phone")
        return PHONE_MARKER

    text = _EMAIL.sub(email, text)
    text = _PHONE.sub(phone, text)
    kinds = tuple(kind for kind in ("email", "phone") if kind in removed)
    return text, kinds


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


def _has_enough_digits(text: str) -> bool:
    count = 0
    for char in text:
        if char.isdigit():
            count += 1
            if count >= 8:
                return True
    return False
