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
# Postcodes that name no place: Girobank's, Santa's two, and the Crown's overseas territories.
_NOT_GEOGRAPHIC = {
    "GIR0AA": "Girobank's old postcode",
    "SANTA1": "Santa's postcode",
    "XM45HQ": "Santa's postcode",
}
_NOT_GEOGRAPHIC_AREAS = {
    "BF": "a British Forces (BFPO) postcode",
    "BX": "a postcode for organisations, not places",
}
_BFPO = re.compile(r"^BFPO[0-9]{1,4}$")
# Ascension, British Antarctic Territory, British Indian Ocean Territory, Falklands,
# Gibraltar, Pitcairn, South Georgia, St Helena, Tristan da Cunha, Turks and Caicos.
_OVERSEAS = re.compile(r"^(?:ASCN|BIQQ|BBND|FIQQ|PCRN|SIQQ|STHL|TDCU|TKCA)1ZZ$|^GX111AA$")
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


@dataclass(frozen=True)
class KnownPostcodes:
    """Which postcode districts and sectors exist, from the offline gazetteer.

    Passed in by the caller, so this module does no I/O. With it, a postcode in a district
    that does not exist is not a postcode at all, and a letter/digit slip is repaired only
    into a district that exists.
    """

    districts: frozenset[str]  # outward codes with postcodes in use: "LS1", "BT1", "JE2"
    sectors: frozenset[str]  # Great Britain's sectors in use: "LS1 1"
    non_geographic: frozenset[str]  # districts of PO boxes and large users: "BN91", "E77"
    groups: frozenset[str]  # London districts split into lettered ones: "W1", "EC1"


def clean_postcode(
    text: str, known: KnownPostcodes | None = None
) -> tuple[Postcode | None, Note | None]:
    """Read the postcode question: any case or spacing, with obvious slips repaired.

    Blank answers, and words that mean "no postcode" ("n/a", "none", "-", "TBC", "online"; see
    NO_POSTCODE_WORDS), give (None, None): the caller knows whether a postcode was needed.
    An O typed for a 0, an I or a lower-case l for a 1, and a 0, 1 or 5 typed for an O, I or S
    are repaired only where the place in the postcode leaves one reading (and, given `known`,
    only into a district that exists), with a WARNING. Only the outward part ("LS1") is
    accepted with a WARNING; a whole address holding one postcode gives that postcode with a
    WARNING. An ERROR, and no postcode, for: a format no postcode has, last letters never used
    (C, I, K, M, O, V), a non-geographic postcode (GIR 0AA, BFPO, SAN TA1, the overseas
    territories', PO boxes), and, given `known`, a district that does not exist. A real
    district with a sector `known` lacks keeps the postcode, with a WARNING.
    """
    tidy = _tidy(text)
    if not tidy or " ".join(tidy.casefold().split()) in NO_POSTCODE_WORDS:
        return None, None
    compact = _SEPARATORS.sub("", tidy)
    special = _not_geographic(compact.upper())
    if special:
        return None, Note(Severity.ERROR, "postcode_not_geographic", _not_here(text, special))
    read = _read_compact(compact, known)
    if read is not None:
        postcode, repaired = read
        problem = _impossible(text, postcode, known)
        if problem is not None:
            return (postcode if problem.severity is Severity.WARNING else None), problem
        return postcode, _note_for(text, postcode, repaired)
    found = _postcodes_in(tidy, known)
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


def find_postcode(text: str, known: KnownPostcodes | None = None) -> Postcode | None:
    """The one full UK postcode in free text such as an address, or None.

    None when the text holds no full postcode that can exist (given `known`: in a district
    that exists), or several different ones. Nothing is repaired: in free text a slip cannot
    be told from other words.
    """
    found = _postcodes_in(_tidy(text), known)
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


def _read_compact(compact: str, known: KnownPostcodes | None) -> tuple[Postcode, bool] | None:
    """The postcode in letters and digits with no spaces, and whether it had to be repaired."""
    if not (2 <= len(compact) <= 7 and compact.isascii() and compact.isalnum()):
        return None
    if not any(char.isdigit() for char in compact):
        return None  # a word, not a postcode, even if every letter could pass for a digit
    as_typed = _parse(compact.upper())
    if as_typed is not None and _is_likely(as_typed) and _exists(as_typed, known):
        return as_typed, False
    repair = _repair(compact, known)
    if repair is not None:
        return repair, True
    if as_typed is not None and _area(as_typed.outward) in POSTCODE_AREAS:
        return as_typed, False  # the format holds: `_impossible` says what else is wrong
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


def _repair(compact: str, known: KnownPostcodes | None) -> Postcode | None:
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
        if postcode is not None and _is_likely(postcode) and _exists(postcode, known):
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


def _exists(postcode: Postcode, known: KnownPostcodes | None) -> bool:
    """True when `known` is not given, or says the postcode's district and sector exist."""
    if known is None:
        return True
    if not postcode.is_full:
        return postcode.outward in known.districts or postcode.outward in known.groups
    return postcode.outward in known.districts and (
        postcode.sector in known.sectors or not _has_sectors(postcode.outward, known)
    )


def _has_sectors(outward: str, known: KnownPostcodes) -> bool:
    """True for a district in Great Britain, whose every sector `known` lists."""
    return any(f"{outward} {digit}" in known.sectors for digit in "0123456789")


def _impossible(text: str, postcode: Postcode, known: KnownPostcodes | None) -> Note | None:
    """What makes `postcode` impossible (an ERROR) or unknown (a WARNING), or None."""
    unused = sorted(set(postcode.inward[1:]) & _INWARD_NEVER)
    if unused:
        message = (
            f"{quoted(text)} is not a UK postcode: its last two letters are never "
            f"{' or '.join(unused)} (postcodes never end in C, I, K, M, O or V); check it"
        )
        return Note(Severity.ERROR, "postcode_letters", message)
    if known is None or _exists(postcode, known):
        return None
    outward = postcode.outward
    if outward in known.non_geographic:
        return Note(
            Severity.ERROR,
            "postcode_not_geographic",
            _not_here(text, "a postcode for PO boxes or large organisations"),
        )
    if outward not in known.districts and (postcode.is_full or outward not in known.groups):
        if outward in known.groups:
            detail = f"{outward} is split into lettered districts ({outward}A, {outward}P ...)"
        else:
            detail = f"there is no postcode district {outward}"
        message = (
            f"{quoted(text)} is not a UK postcode: {detail}; check it and give the venue's "
            f"full postcode, like {EXAMPLE}"
        )
        return Note(Severity.ERROR, "postcode_no_district", message)
    message = (
        f"We do not know the postcode {postcode}: the district {outward} has no sector "
        f"{postcode.sector}; check it (the map places the event in {outward} meanwhile)"
    )
    return Note(Severity.WARNING, "postcode_no_sector", message)


def _not_geographic(compact: str) -> str:
    """What kind of non-geographic postcode `compact` is ("" when it is not one)."""
    if compact in _NOT_GEOGRAPHIC:
        return _NOT_GEOGRAPHIC[compact]
    if _BFPO.match(compact):
        return "a British Forces (BFPO) address"
    if _OVERSEAS.match(compact):
        return "a postcode of a British Overseas Territory"
    area = compact[:2]
    if area in _NOT_GEOGRAPHIC_AREAS and len(compact) > 2 and compact[2].isdigit():
        return _NOT_GEOGRAPHIC_AREAS[area]
    return ""


def _not_here(text: str, kind: str) -> str:
    return (
        f"{quoted(text)} is {kind}: it names no place on the map; give the postcode of the "
        f"venue itself, like {EXAMPLE}"
    )


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


def _postcodes_in(text: str, known: KnownPostcodes | None) -> list[Postcode]:
    """The distinct full postcodes in `text` that can exist, in the order they first appear."""
    found: list[Postcode] = []
    for match in _IN_TEXT.finditer(text):
        postcode = Postcode(match.group(1).upper(), match.group(2).upper())
        if _not_geographic(postcode.outward + postcode.inward):
            continue
        if _is_likely(postcode) and _exists(postcode, known) and postcode not in found:
            found.append(postcode)
    return found
