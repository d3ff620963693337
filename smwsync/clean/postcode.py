"""UK postcodes as staff type them: tidied, repaired where the format leaves no doubt, checked.

A postcode has an outward part (the district: "LS1", "SW1A") and an inward part (a digit and
two letters: "1UR"). Only the format is checked here; whether the postcode exists is for the
geocoder to say.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from smwsync.clean.text import quoted
from smwsync.model import Note, Severity

# Every postcode area in use (the letters before the first digit), including Northern Ireland
# (BT), the Crown Dependencies (GY, JE, IM) and the non-geographic BF (BFPO) and BX.
_AREAS = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN"
    " DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L"
    " LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA"
    " SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV"
    " YO ZE"
)
POSTCODE_AREAS = frozenset(_AREAS.split())

# Answers that mean "no postcode". They are read as blank, with no note: an online event has no
# postcode, and whether a missing postcode matters is for the caller to decide.
NO_POSTCODE_WORDS = frozenset(
    {
        "-",
        "--",
        "–",
        "—",
        "n/a",
        "na",
        "n.a",
        "n a",
        "none",
        "nil",
        "no",
        "not applicable",
        "not known",
        "unknown",
        "tbc",
        "tba",
        "tbd",
        "to be confirmed",
        "online",
        "virtual",
        "remote",
        "zoom",
        "teams",
        "microsoft teams",
        "ms teams",
        "webinar",
        "various",
    }
)

EXAMPLE = "LS1 1UR"
_OUTWARD = r"(?:[A-Z]{1,2}[0-9][A-Z0-9]?)"
_INWARD = r"(?:[0-9][A-Z]{2})"
# What str(Postcode) always matches: a full postcode, GIR 0AA, or an outward part alone.
UK_POSTCODE_FORMAT = re.compile(rf"^(?:{_OUTWARD} {_INWARD}|GIR 0AA|{_OUTWARD})$")
_FULL = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_OUTWARD_ONLY = re.compile(rf"^{_OUTWARD}$")
_IN_TEXT = re.compile(
    rf"(?<![A-Z0-9])(GIR|{_OUTWARD})[ \t]*(?:-[ \t]*)?({_INWARD})(?![A-Z0-9])", re.IGNORECASE
)
# Letters the Royal Mail uses in the last place of an A9A or AA9A district, and never in the
# inward part. A postcode as typed that breaks these rules is repaired if a slip explains it,
# but never rejected for it: the rules gain letters now and then (W1M, N1C).
_THIRD_LETTERS = frozenset("ABCDEFGHJKMPSTUW")
_FOURTH_LETTERS = frozenset("ABEHMNPRVWXY")
_INWARD_NEVER = frozenset("CIKMOV")
# Characters easily typed for one another: what each may have been meant as in a letter place
# and in a digit place. An upper-case "L" is not mistaken for a 1, a lower-case "l" is.
_AS_LETTER = {"0": "O", "1": "I", "5": "S"}
_AS_DIGIT = {"O": "0", "o": "0", "I": "1", "i": "1", "l": "1"}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.]+")
_SURROUNDING = "\"'`‘’“”()[]{}<>.,;:!?*#"


@dataclass(frozen=True)
class Postcode:
    """A UK postcode in its standard form: outward part, and the inward part if it was given."""

    outward: str
    inward: str = ""

    @property
    def is_full(self) -> bool:
        """True when both parts were given, so the postcode names a street or building."""
        return bool(self.inward)

    @property
    def sector(self) -> str:
        """The postcode sector ("LS1 1"), or "" when only the outward part was given."""
        return f"{self.outward} {self.inward[0]}" if self.inward else ""

    def __str__(self) -> str:
        return f"{self.outward} {self.inward}" if self.inward else self.outward


def clean_postcode(text: str) -> tuple[Postcode | None, Note | None]:
    """Read the postcode question: any case or spacing, with obvious slips repaired.

    Blank answers, and words that mean "no postcode" ("n/a", "none", "-", "TBC", "online"; see
    NO_POSTCODE_WORDS), give (None, None): the caller knows whether a postcode was needed.
    An O typed for a 0, an I or a lower-case l for a 1, and a 0, 1 or 5 typed for an O, I or S
    are repaired only where the place in the postcode leaves one reading, with a WARNING. An
    unknown postcode area ("XX1 1AA") is an ERROR; whether a postcode exists is left to the
    geocoder. Only the
    outward part ("LS1") is accepted with a WARNING; a whole address holding one postcode gives
    that postcode with a WARNING. Anything else is an ERROR.
    """
    tidy = _tidy(text)
    if not tidy or " ".join(tidy.casefold().split()) in NO_POSTCODE_WORDS:
        return None, None
    compact = _SEPARATORS.sub("", tidy)
    read = _read_compact(compact)
    if read is not None:
        postcode, repaired = read
        return postcode, _note_for(text, postcode, repaired)
    found = _postcodes_in(tidy)
    if len(found) == 1:
        message = f"We took the postcode {found[0]} from {quoted(text)}; put only the postcode here"
        return found[0], Note(Severity.WARNING, "postcode_in_text", message)
    if len(found) > 1:
        listed = ", ".join(str(postcode) for postcode in found)
        message = (
            f"{quoted(text)} holds more than one postcode ({listed}); "
            "give only the postcode of the venue"
        )
        return None, Note(Severity.ERROR, "postcode_several", message)
    message = (
        f"{quoted(text)} is not a UK postcode; give the venue's full postcode, "
        f"like {EXAMPLE}, or leave it blank"
    )
    return None, Note(Severity.ERROR, "postcode_format", message)


def find_postcode(text: str) -> Postcode | None:
    """The one full UK postcode in free text such as an address, or None.

    None when the text holds no full postcode or several different ones. Nothing is repaired:
    in free text a slip cannot be told from other words.
    """
    found = _postcodes_in(_tidy(text))
    return found[0] if len(found) == 1 else None


def _tidy(text: str) -> str:
    """Compatibility forms folded (full-width letters, non-breaking spaces), invisible and
    control characters dropped, surrounding quotes and punctuation trimmed."""
    kept = _visible(unicodedata.normalize("NFKC", text))
    return kept.strip().strip(_SURROUNDING).strip()


def _visible(text: str) -> str:
    """`text` without zero-width, control or lone surrogate characters; spaces stay."""
    return "".join(
        char
        for char in text
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf", "Cs")
    )


def _read_compact(compact: str) -> tuple[Postcode, bool] | None:
    """The postcode in letters and digits with no spaces, and whether it had to be repaired."""
    if not (2 <= len(compact) <= 7 and compact.isascii() and compact.isalnum()):
        return None
    if not any(char.isdigit() for char in compact):
        return None  # a word, not a postcode, even if every letter could pass for a digit
    as_typed = _parse(compact.upper())
    if as_typed is not None and _is_likely(as_typed):
        return as_typed, False
    repair = _repair(compact)
    if repair is not None:
        return repair, True
    if as_typed is not None and _area(as_typed.outward) in POSTCODE_AREAS:
        return as_typed, False  # the format holds; whether it exists is the geocoder's to say
    return None


def _parse(compact: str) -> Postcode | None:
    """A Postcode when upper-case `compact` has the shape of one, else None."""
    if compact == "GIR0AA":
        return Postcode("GIR", "0AA")
    full = _FULL.match(compact)
    if full:
        return Postcode(full.group(1), full.group(2))
    if _OUTWARD_ONLY.match(compact):
        return Postcode(compact)
    return None


def _repair(compact: str) -> Postcode | None:
    """The one likely postcode `compact` becomes with the fewest look-alikes swapped, if any.

    None when no swap gives a likely postcode, or when two readings tie: then the places in the
    postcode do not force one reading.
    """
    choices = []
    for char in compact:
        options = {char.upper()}
        if char in _AS_LETTER:
            options.add(_AS_LETTER[char])
        if char in _AS_DIGIT:
            options.add(_AS_DIGIT[char])
        choices.append(sorted(options))
    by_changes: dict[int, set[Postcode]] = {}
    for combination in itertools.product(*choices):
        postcode = _parse("".join(combination))
        if postcode is not None and _is_likely(postcode):
            changes = sum(a != b for a, b in zip(combination, compact.upper(), strict=True))
            by_changes.setdefault(changes, set()).add(postcode)
    if not by_changes:
        return None
    fewest = by_changes[min(by_changes)]
    return next(iter(fewest)) if len(fewest) == 1 else None


def _area(outward: str) -> str:
    """The letters before the first digit: "LS" for "LS1", "SW" for "SW1A"."""
    return outward[:2].rstrip("0123456789")


def _is_likely(postcode: Postcode) -> bool:
    """True when a known area and the Royal Mail's letter rules allow this postcode."""
    if str(postcode) == "GIR 0AA":
        return True
    outward = postcode.outward
    area = _area(outward)
    if area not in POSTCODE_AREAS:
        return False
    district = outward[len(area) :]
    if district[-1].isalpha():
        allowed = _THIRD_LETTERS if len(area) == 1 else _FOURTH_LETTERS
        if district[-1] not in allowed:
            return False
    return not set(postcode.inward[1:]) & _INWARD_NEVER


def _note_for(text: str, postcode: Postcode, repaired: bool) -> Note | None:
    if postcode.is_full:
        if not repaired:
            return None
        message = f"We read {quoted(text)} as {postcode}; check it"
        return Note(Severity.WARNING, "postcode_repaired", message)
    read_as = f"We read {quoted(text)} as {postcode}, which" if repaired else quoted(text)
    message = (
        f"{read_as} is only the first half of a postcode; give the venue's full postcode, "
        f"like {EXAMPLE}, so the map shows exactly where it is"
    )
    return Note(Severity.WARNING, "postcode_outward_only", message)


def _postcodes_in(text: str) -> list[Postcode]:
    """The distinct, likely full postcodes in `text`, in the order they first appear."""
    found: list[Postcode] = []
    for match in _IN_TEXT.finditer(text):
        postcode = Postcode(match.group(1).upper(), match.group(2).upper())
        if postcode.outward == "GIR" and postcode.inward != "0AA":
            continue
        if _is_likely(postcode) and postcode not in found:
            found.append(postcode)
    return found
