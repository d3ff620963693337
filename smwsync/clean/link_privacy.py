"""Links that carry personal data: an email address, a phone number or the submitter's name
(pure).

A booking link is published as typed, so personal data inside it would reach the map:
"...?email=jo@example.org", "...?phone=07700900123&name=Jo+Bloggs", "https://wa.me/447700900118",
an address percent-encoded into the path ("/jo%40example.org/"), "tel:07700900123". Such a link
is not published; the event still is, and the person who filled the form in is told why.

The link is read as a person would read it: percent-encoding undone (twice, for links encoded
twice), "+", "-", "_" and "." read as spaces when looking for a name. A phone number is found by
the scrubber's rules, and also as any run of 7 or more digits in a messaging link (wa.me,
WhatsApp, Signal, Telegram, Viber) or after a query key such as `phone=`, `tel=`, `mobile=`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from smwsync.clean.email_addresses import find_email_addresses
from smwsync.clean.names import SubmitterName
from smwsync.clean.phone_numbers import find_phone_numbers, read_as_digits
from smwsync.model import Note, Severity

# (Spaces are taken once, before and after an optional bracket: "\s*[<]?\s*" would try every
# split of a long run of spaces between its two halves.)
_PHONE_SCHEMES = re.compile(
    r"\s*(?:[<\"'(]\s*)?(?:tel|sms|callto|whatsapp|viber|facetime)\s*:", re.IGNORECASE
)
_MESSAGING = re.compile(
    r"(?:^|[/.@])(?:wa\.me|(?:api\.|web\.)?whatsapp\.com|signal\.me|t\.me|viber\.click)(?:[/?#:]|$)",
    re.IGNORECASE,
)
_PHONE_KEYS = re.compile(
    r"(?:^|[?&;#/])(?:phone|phone_?number|tel|telephone|mobile|mob|cell|whatsapp|sms|"
    r"contact_?number)=(?P<value>[^&;#]*)",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-()/_]{0,3}\d){6,}")
# Read as spaces when looking for an address: "?contact=jo@example.org" names jo, not "?contact=jo".
_URL_DELIMITERS = str.maketrans("/?&=#;:", "       ")
_NAME_SEPARATORS = str.maketrans("+-_./=&?#:", "          ")


def personal_data_in_link(
    typed: str, *, consented_email: str = "", name: SubmitterName | None = None
) -> tuple[str, ...]:
    """What personal data a typed link carries, from ("email", "phone", "name"), in that order;
    () when none. The consented contact email may be in a link."""
    read = _decoded(typed)
    kinds: list[str] = []
    allowed = consented_email.strip().casefold()
    emails = find_email_addresses(read.translate(_URL_DELIMITERS))
    if any(found.address.casefold() != allowed for found in emails):
        kinds.append("email")
    if _carries_a_phone_number(typed, read):
        kinds.append("phone")
    # an address, consented or not, is judged as an address, not searched for the name
    pieces, done = [], 0
    for found in emails:
        pieces += [read[done : found.start], " "]
        done = found.end
    without_emails = "".join([*pieces, read[done:]])
    if name is not None and name.found_in(without_emails.translate(_NAME_SEPARATORS)):
        kinds.append("name")
    return tuple(kinds)


def personal_link_note(kinds: tuple[str, ...]) -> Note:
    """The warning for a link left off because it carries personal data (never quoting it)."""
    names = {"email": "an email address", "phone": "a phone number", "name": "your name"}
    carried = [names[kind] for kind in kinds]
    what = carried[0] if len(carried) == 1 else ", ".join(carried[:-1]) + " and " + carried[-1]
    message = (
        f"We left the link off the map because it carries {what}, and the map is public. "
        "Edit your response to give a link without personal details in it, like the booking "
        "page's own address; the event is on the map meanwhile."
    )
    return Note(Severity.WARNING, "link_personal_data", message)


def _decoded(typed: str) -> str:
    """The link with percent-encoding undone, twice over at most (for links encoded twice)."""
    read = typed
    for _ in range(2):
        if "%" not in read and "+" not in read:
            break
        read = unquote_plus(read)
    return read


def _carries_a_phone_number(typed: str, read: str) -> bool:
    if _PHONE_SCHEMES.match(typed) or find_phone_numbers(read):
        return True
    digits = read_as_digits(read)
    if _MESSAGING.search(read) and _DIGIT_RUN.search(digits):
        return True
    return any(
        _DIGIT_RUN.search(read_as_digits(match.group("value")))
        for match in _PHONE_KEYS.finditer(read)
    )
