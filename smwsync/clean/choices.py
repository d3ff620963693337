"""Checkbox and yes/no answers: event formats, consent and the organisers' approval column."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from smwsync.clean.text import clean_text, quoted
from smwsync.model import FACE_TO_FACE, FORMATS, ONLINE, PHONE, Note, Severity

# Option labels seen on event forms, matched whole and case-insensitively.
DEFAULT_FORMAT_OPTIONS: Mapping[str, str] = {
    "Face-to-face": FACE_TO_FACE,
    "Face to face": FACE_TO_FACE,
    "In person": FACE_TO_FACE,
    "In-person": FACE_TO_FACE,
    "At a venue": FACE_TO_FACE,
    "Online": ONLINE,
    "Online (Teams/Zoom)": ONLINE,
    "Virtual": ONLINE,
    "Webinar": ONLINE,
    "Twitter chat": ONLINE,
    "Video call": ONLINE,
    "Phone": PHONE,
    "Telephone": PHONE,
    "By phone": PHONE,
    "Phone surgery": PHONE,
    "Call": PHONE,
}

# Words in an "Other" answer that clearly name a format. Earlier phrases win: a match is blanked
# out before later ones are tried, so "video call" never also counts as a phone call.
_OTHER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"hybrid|blended", (FACE_TO_FACE, ONLINE)),
    (r"(?:video|zoom|teams|skype|whatsapp video|facetime) calls?", (ONLINE,)),
    (r"(?:phone|telephone|conference|dial[- ]?in) calls?|phone[- ]?in|dial[- ]?in", (PHONE,)),
    (r"face[- ]?to[- ]?face|f2f|in[- ]?person|at (?:a|the|our) venue|on[- ]?site", (FACE_TO_FACE,)),
    (
        r"online|virtual(?:ly)?|webinars?|zoom|(?:microsoft |ms )?teams(?: meeting)?|google meet"
        r"|skype|webex|live[- ]?stream(?:ed|ing)?|stream(?:ed|ing)?|(?:facebook|instagram"
        r"|linkedin|tiktok|youtube) live|youtube|twitter|tweet ?chat|x spaces?|social media"
        r"|website|internet|e-?learning",
        (ONLINE,),
    ),
    (r"(?:tele)?phone|phone surgery|helpline|by phone", (PHONE,)),
)
_OTHER_PATTERNS = tuple(
    (re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE), formats)
    for words, formats in _OTHER_WORDS
)
_SEPARATOR = re.compile(r"\s*[,;]\s*")
# Plain words for a format, which say nothing an "Online" or "Phone" label does not; platforms
# (Zoom, Teams) and details are not among them. With the filler words, an "Other" answer made
# of these alone ("On the phone") is a repeat of the format it names.
_PLAIN_FORMAT_WORDS: tuple[tuple[str, str], ...] = (
    (r"face[- ]?to[- ]?face|f2f|in[- ]?person|on[- ]?site|at (?:a|the|our) venue", FACE_TO_FACE),
    (r"online|virtual(?:ly)?", ONLINE),
    (r"(?:tele)?phone(?: calls?)?", PHONE),
)
_PLAIN_FORMAT_PATTERNS = tuple(
    (re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE), fmt)
    for words, fmt in _PLAIN_FORMAT_WORDS
)
_FILLER_WORDS = re.compile(
    r"(?<!\w)(?:on|the|a|an|by|via|over|and|or|only|just|event|session|meeting)(?!\w)|[\W_]+",
    re.IGNORECASE,
)

# Answers as `_squeeze` leaves them: lower case, no spaces, no punctuation ("I agree." -> "iagree").
_YES_WORDS = ("yes", "y", "yeah", "yep", "true", "agree", "agreed", "iagree", "ok", "okay")
_YES = frozenset((*_YES_WORDS, "approved", "✓", "✔", "☑", "✅", "x", "1"))
_HIDE_WORDS = ("hide", "hidden", "cancel", "cancelled", "canceled", "reject", "rejected", "no", "n")
_HIDE_MORE = ("spam", "remove", "removed", "delete", "deleted", "declined", "✗", "✘", "❌")
_HIDDEN = frozenset((*_HIDE_WORDS, *_HIDE_MORE))


def clean_formats(
    text: str, options: Mapping[str, str] | None = None
) -> tuple[tuple[str, ...], str, Note | None]:
    """Read a "How will people take part?" checkbox answer.

    Google joins the ticked options with ", " in the form's order and appends any "Other"
    answer as typed. `options` maps the form's option labels to formats (default: a generous
    built-in table); labels are matched whole, longest first and ignoring case, so options
    that contain ", " split correctly. Whatever is left is the "Other" text, which still counts
    when it clearly names a format ("Zoom", "hybrid"). Returns (formats in model.FORMATS order,
    the Other text, a warning when no format could be recognised).
    """
    if options is None and len(text) <= _SHORT_ANSWER:
        return _remembered_formats(text)
    return _formats(text, options)


# Checkbox and yes/no answers repeat down a sheet: one up to this long is read once.
_SHORT_ANSWER = 200


@functools.lru_cache(maxsize=1024)
def _remembered_formats(text: str) -> tuple[tuple[str, ...], str, Note | None]:
    return _formats(text, None)


def _formats(
    text: str, options: Mapping[str, str] | None
) -> tuple[tuple[str, ...], str, Note | None]:
    text = clean_text(text)
    if not text:
        return (), "", None
    reader = _OptionReader.of(tuple((options or DEFAULT_FORMAT_OPTIONS).items()))
    found: set[str] = set()
    others: list[str] = []
    for piece, label in reader.split(text):
        if label is not None:
            found.add(reader.table[label])
        elif piece:
            others.append(piece)
    found.update(_formats_named_in(", ".join(others)))
    # "Phone, On the phone": an Other answer that only repeats a format is said once.
    other_text = ", ".join(piece for piece in others if not _only_repeats(piece))
    formats = tuple(fmt for fmt in FORMATS if fmt in found)
    if formats or not other_text:
        return formats, other_text, None
    note = Note(
        Severity.WARNING,
        "format_unknown",
        f"We could not tell whether {quoted(text)} is face-to-face, online or phone; "
        "tick one of the boxes.",
    )
    return (), other_text, note


def formats_named_plainly(text: str) -> set[str]:
    """The formats an answer names in plain words: "Online (Zoom)" names online; "Zoom" none."""
    return {fmt for pattern, fmt in _PLAIN_FORMAT_PATTERNS if pattern.search(text)}


def is_yes(text: str) -> bool:
    """True for a clear yes: "Yes", "I agree", "OK", "✓", "x" (a ticked box), "1", "TRUE" ….

    Case, spaces and punctuation do not matter, and several yeses count ("Yes, I agree");
    anything else, including blank, "maybe" and
    "yes?no", is False, so nothing is published on a doubtful answer.
    """
    return _remembered_yes(text) if len(text) <= _SHORT_ANSWER else _yes(text)


@functools.lru_cache(maxsize=1024)
def _remembered_yes(text: str) -> bool:
    return _yes(text)


def _yes(text: str) -> bool:
    if _squeeze(text) in _YES:
        return True
    separated = "".join(
        "," if unicodedata.category(char)[0] == "P" else char for char in clean_text(text)
    )
    parts = [part for part in (_squeeze(piece) for piece in separated.split(",")) if part]
    return bool(parts) and all(part in _YES for part in parts)


def moderation(text: str) -> str:
    """Read the organisers' approval cell: "approved", "hidden" or "pending".

    A clear yes (see `is_yes`) approves; "hide", "rejected", "cancelled", "no", "spam" and
    similar hide, alone or as the first word of a note ("Cancelled - venue closed"); blank and
    anything else leave the event pending.
    """
    if is_yes(text):
        return "approved"
    # "Cancelled - venue closed", "spam (Nadia)": the first word decides, the rest is a note.
    first = next(iter(clean_text(text).split(maxsplit=1)), "")
    if _squeeze(text) in _HIDDEN or _squeeze(first) in _HIDDEN:
        return "hidden"
    return "pending"


@dataclass(frozen=True)
class _OptionReader:
    """Splits checkbox answers against one form's option labels."""

    table: Mapping[str, str]  # label, case-folded -> format
    option: re.Pattern[str] | None  # a known label, followed by a separator or the end
    next_option: re.Pattern[str] | None  # a separator followed by a known label

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def of(options: tuple[tuple[str, str], ...]) -> _OptionReader:
        table = {_label_key(label): fmt for label, fmt in options}
        table = {label: fmt for label, fmt in table.items() if label and fmt in FORMATS}
        if not table:
            return _OptionReader(table, None, None)
        labels = "|".join(re.escape(label) for label in sorted(table, key=lambda s: (-len(s), s)))
        option = re.compile(rf"(?:{labels})(?=\s*[,;]|\s*$)", re.IGNORECASE)
        next_option = re.compile(rf"\s*[,;]\s*(?=(?:{labels})(?:\s*[,;]|\s*$))", re.IGNORECASE)
        return _OptionReader(table, option, next_option)

    def split(self, text: str) -> list[tuple[str, str | None]]:
        """Split an answer into (piece, label key or None) at the ", " between known options."""
        if self.option is None or self.next_option is None:
            return [(part, None) for part in _SEPARATOR.split(text)]
        pieces: list[tuple[str, str | None]] = []
        position = 0
        while position < len(text):
            match = self.option.match(text, position)
            if match:
                label = _label_key(match.group())
                pieces.append((match.group(), label if label in self.table else None))
                position = match.end()
            else:
                boundary = self.next_option.search(text, position)
                end = boundary.start() if boundary else len(text)
                pieces.append((_SEPARATOR.sub(", ", text[position:end]).strip(" ,;"), None))
                position = end
            separator = _SEPARATOR.match(text, position)
            if separator:
                position = separator.end()
        return pieces


def _formats_named_in(other: str) -> set[str]:
    found: set[str] = set()
    for pattern, formats in _OTHER_PATTERNS:
        if pattern.search(other):
            found.update(formats)
            other = pattern.sub(" ", other)
    return found


def _only_repeats(piece: str) -> bool:
    """True when an Other answer says nothing but the plain name of a format ("By phone")."""
    if not formats_named_plainly(piece):
        return False
    for pattern, _ in _PLAIN_FORMAT_PATTERNS:
        piece = pattern.sub(" ", piece)
    return not _FILLER_WORDS.sub("", piece)


def _label_key(label: str) -> str:
    return clean_text(label).casefold()


def _squeeze(text: str) -> str:
    """Lower-case letters, digits and symbols only: no spaces, punctuation or selectors."""
    kept = (
        char
        for char in clean_text(text).casefold()
        if not char.isspace() and unicodedata.category(char)[0] not in "PZ" and char != "\ufe0f"
    )
    return "".join(kept)
