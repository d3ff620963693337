"""The submitter's own name, found where they typed it into public text (pure).

The form asks for the submitter's name, which is never published; people still write "Organised
by Hannah Whitaker" in a description. Their full name is removed wherever it is written (whole
words, any case, any spacing, accents or none: "hannah  WHITAKER", "Zoe Bronte" for "Zoë
Brontë"), and so is their surname on its own ("ask Ms Whitaker"), or any part of a
double-barrelled one ("Ms Jones" for Whitaker-Jones), and the surname after the first name's
initial ("H. Whitaker", "H Whitaker", "H.M. Whitaker") or after the first name without the
middle ones. A name typed surname first ("WHITAKER, Hannah") is turned round. A first name
alone stays: on its own it names nobody.

A careful reading, since a name can also be an everyday word or a place:
- A surname on its own is removed only when written with a capital, or after a title ("ms
  whitaker"): "the best way" stays for Sam Best.
- A surname on its own is removed only when it has three letters or more and is not an
  everyday word ("Hall", "Green", "May", "Church", `_EVERYDAY_WORDS`) or a place the caller
  knows (a council such as "Preston"): "Tom Hall" loses "Tom Hall" but the "Town Hall" stays.
- In the venue and the address a surname alone stays ("Whitaker Street", "Hughes Hall" are
  places, and the event is placed from them); the full name is still removed there, and so
  is an initial and surname written as a capital with a full stop ("c/o H. Whitaker", not
  "Flat H Whitaker House").
- An initial goes with the surname only when it is the first name's, and, before a surname
  that is an everyday word or a place, only as a capital with a full stop: "T. Hall" goes for
  Tom Hall, "Block T Hall" and "A May morning" stay. A small "a" or "i" is a word, never an
  initial ("a whitaker collection").
- A name that is a team or an office ("Comms Team", "Events Office", `_TEAM_WORDS`) is not a
  person's name: nothing is removed for it.
- A name inside an email address or a web address is left to the email and link checks
  ("hannah.whitaker@..." is an address, handled, or kept with consent, as one). In a link the
  name is also found run together ("hannahwhitaker") or as initial and surname ("hwhitaker"),
  and the surname alone in any case.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from smwsync.clean.text import clean_text, folded
from smwsync.model import Note, Severity

NAME_MARKER = "[name removed]"

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TITLES = "mr mrs ms miss mx dr prof professor sir dame lady lord cllr councillor rev revd"
_TEAM_WORDS = """
    team teams council office department dept service services unit comms communications
    digital events marketing admin administrator engagement hub library libraries centre
    group partnership network officer officers board committee staff"""
# Everyday English words that are also surnames (or first names given alone): on their own
# they are far more often the word than the person.
_EVERYDAY_WORDS = """
    all and any art ash bay bell bells bird black bliss blue bond booth bow bowl brook
    brooks brown bush cake cash chase church clay coal cook cooper cotton cox cross crow day
    dean dear drake dyer east english faith fair farmer field fields fish fisher ford fox
    french friend frost fry gale game gardener gate gates gay gee gold golding good grace
    gray green grey guest hall ham hand hardy hart hay head heart hill hills holly home hope
    house hunt hunter iron ivy joy judge key king knight lake lamb land lane law lea lee
    little long lord love low major march marsh mason may mill miller mills moon moor
    morning new noble north page park parks parson penny pepper pike pool pope porter post
    pound power price read reading reed rice rich ridge rivers road rock rose ross row salt
    sage sea shaw short silver small smart snow south spring stone storm street strong sugar
    summer swan sweet swift tall tea temple thorn tower town turner wall walls ward warren
    waters way weeks well wells west white wise wood woods young
    baker bank banks barber bath beach bean best better bishop bright brewer bridge burns
    butcher butler camp carpenter carter castle chance chapel cherry clear coffee common
    crane dale dance dawn dove duke early easter edge fell finch free glass golden grant
    grave hale hawk heath holiday hood horn jolly keen kind lock lucky mark marks miles moss
    nation oak oaks orange pearl plant pond potter quick rain ray rush sands savage sharp
    shepherd singer slater spark sparks speed stamp steel stock story sun swallow tanner
    thatcher tucker vale vine wake walker wild winter wolf wren"""
_TITLE_SET, _TEAM_SET, _EVERYDAY_SET = (
    frozenset(words.split()) for words in (_TITLES, _TEAM_WORDS, _EVERYDAY_WORDS)
)
_INSIDE_AN_ADDRESS = r"(?<![\w.@/])", r"(?![\w@/]|\.\w)"
_TITLE_BEFORE = r"\b(?:" + "|".join(_TITLES.split()) + r")\.?\s{1,3}"


@dataclass(frozen=True)
class SubmitterName:
    """How the submitter's name may be written: the full name, the surname alone when it is
    safe to remove (see the module's notes), and the name run together as it is in a link
    ("hannahwhitaker", "hwhitaker"); `None` for what is never removed. Every pattern is
    matched against the text with accents and full-width forms folded (`folded`)."""

    # The patterns' sources ("" for none), compiled when first needed: most text holds none
    # of the words they need, and a sheet names hundreds of people.
    full_source: str = ""
    surname_source: str = ""
    joined_source: str = ""
    # The first name or its initial (with any middle names or their initials) before the
    # surname ("J. Smith", "J M Smith", "Jane Smith" for Jane Mary Smith): see `_initialled`.
    initialled_source: str = ""
    # Lower-case words one of which `full` and `surname` cannot match without: the first
    # part of the surname and of each piece of it ("o" and "jones" for O'Brien-Jones); and
    # for a link, those or the surname's letters run together, which `joined` ends with.
    needs: tuple[str, ...] = ()
    link_needs: tuple[str, ...] = ()

    @property
    def full(self) -> re.Pattern[str] | None:
        return _pattern(self.full_source)

    @property
    def surname(self) -> re.Pattern[str] | None:
        return _pattern(self.surname_source)

    @property
    def joined(self) -> re.Pattern[str] | None:
        return _pattern(self.joined_source)

    @property
    def initialled(self) -> re.Pattern[str] | None:
        return _pattern(self.initialled_source)

    @classmethod
    def of(cls, typed: str, is_place: Callable[[str], bool] = lambda _: False) -> SubmitterName:
        """The name as typed in the form's name question; `is_place` says whether a word is
        a place's name (a council), which then stays when it appears alone."""
        words = _words(typed)
        if not words or any(word.casefold() in _TEAM_SET for word in words):
            return cls()
        # Forms repeat a few names many times, so the patterns are built once per name and
        # per answer of `is_place` about the surname (the only words it is asked about).
        alone = tuple(_stands_alone(word, is_place) for word in _surnames(words[-1]))
        return _built(words, alone)

    def remove(self, text: str, *, surname_alone: bool = True) -> tuple[str, bool]:
        """`text` with the name replaced by a marker, and whether it was there. With
        `surname_alone` false (a venue, an address), the surname alone stays and an initial
        counts only with a full stop. A surname alone is removed only when written with a
        capital or after a title ("Ms whitaker"), so "the best way" stays for Ms Best."""
        full = self.full
        if full is None and self.initialled is None:
            return text, False
        if not text or _cannot_hold(text, self.needs):
            return text, False
        seen = folded(text)  # (folded again only when something was replaced)
        spans = [match.span() for match in full.finditer(seen)] if full is not None else []
        count = len(spans)
        if spans:
            text = _replaced(text, spans)
            seen = folded(text)
        if self.initialled is not None:
            spans = [
                match.span()
                for match in self.initialled.finditer(seen)
                if _is_the_person(match, in_a_place=not surname_alone)
            ]
            count += len(spans)
            if spans:
                text = _replaced(text, spans)
                seen = folded(text)
        if surname_alone and self.surname is not None:
            spans = [
                (match.end("title") if match.group("title") else match.start(), match.end())
                for match in self.surname.finditer(seen)
                if match.group("title") or match.group()[:1].isupper()
            ]
            count += len(spans)
            text = _replaced(text, spans)
        return text, count > 0

    def found_in(self, text: str) -> bool:
        """Whether the full name, the surname alone (any case) or the name run together is
        written in `text` (a link read as words)."""
        if _cannot_hold(text, self.link_needs):
            return False
        text = folded(text)
        patterns = (self.full, self.surname, self.joined)
        return any(pattern is not None and pattern.search(text) for pattern in patterns)


def _cannot_hold(text: str, needs: tuple[str, ...]) -> bool:
    """Whether ASCII `text` holds none of `needs` in any case. Matched without case in ASCII
    text, a pattern's ASCII letters match only their two cases and its other letters nothing,
    so a pattern that needs one of them cannot match such text (most text, found quickly)."""
    if not needs or not text.isascii():
        return False
    lowered = text.lower()
    return not any(word in lowered for word in needs)


@functools.lru_cache(maxsize=1024)
def _pattern(source: str) -> re.Pattern[str] | None:
    """`source` compiled to match without case; None for ""."""
    return re.compile(source, re.IGNORECASE) if source else None


@functools.lru_cache(maxsize=4096)
def _built(words: tuple[str, ...], alone: tuple[bool, ...]) -> SubmitterName:
    """The patterns for a name of `words` (no team word among them); `alone` says, for each
    of `_surnames` of the last word, whether it may be removed on its own."""
    before, after = _INSIDE_AN_ADDRESS
    spaced = r"[\s.]+".join(_spelled(word) for word in words)
    full = rf"{before}{spaced}{after}"
    last = words[-1]
    kept = [word for word, ok in zip(_surnames(last), alone, strict=True) if ok]
    surname = ""
    if kept and (len(words) > 1 or kept[0] != last):
        either = "|".join(_spelled(word) for word in kept)
        surname = rf"(?P<title>{_TITLE_BEFORE})?{before}(?:{either}){after}"
    needs = tuple({re.split(r"['’\-]", word)[0].lower(): None for word in _surnames(last)})
    if len(words) == 1:
        full = full if surname or alone[0] else ""
        return SubmitterName(full, surname, needs=needs, link_needs=needs)
    initialled = _initialled(words, alone)
    if len(_letters(words[0])) == 1:
        # Typed as an initial and a surname ("A. Brown"): written so in the text, it is the
        # person only as an initial is (`_is_the_person`), so "a brown owl" stays.
        full = ""
    run_together = "".join(_letters(word) for word in words)
    initial = _letters(words[0])[:1] + _letters(last)
    joined = rf"(?<![^\W\d_])(?:{run_together}|{initial})(?![^\W\d_])"
    link_needs = tuple({**dict.fromkeys(needs), _letters(last): None})
    return SubmitterName(full, surname, joined, initialled, needs=needs, link_needs=link_needs)


# The middle names an initialled name is looked for with (see `_initialled`).
MIDDLE_NAMES = 2


def _initialled(words: tuple[str, ...], alone: tuple[bool, ...]) -> str:
    """The pattern for the name written with the first name as an initial ("J. Smith",
    "J Smith", "J.M. Smith") or without the middle names ("Jane Smith" for Jane Mary Smith).
    Its groups say what `_is_the_person` needs: `initial` (the first name's initial), `dot`
    (one after it), and which surname matched: `strong` (one that stands alone) or `weak` (an
    everyday word, a place or a short one)."""
    first, middle, last = words[0], words[1:-1], words[-1]
    initial = re.escape(_letters(first)[:1])
    if not initial:
        return ""
    gap = r"(?:\.\s{0,2}|\s{1,2})"  # after an initial or a name: "J. ", "J.", "J "
    given = rf"(?P<initial>{initial})(?:(?P<dot>\.)\s{{0,2}}|\s{{1,2}})"
    if len(_letters(first)) > 1:  # the first name written out, or its initial
        given = rf"(?:{_spelled(first)}{gap}|{given})"
    # Each middle name may be given, as an initial or in full, or left out; the first two
    # only: every one left out is a way to try, and a form's name box may hold anything
    # ("a.a.a.a..." made 2**n of them).
    for word in middle[:MIDDLE_NAMES]:
        given += rf"(?:(?:{_spelled(word)}|{re.escape(_letters(word)[:1])}){gap})?"
    parts = list(zip(_surnames(last), alone, strict=True))
    strong = "|".join(_spelled(word) for word, ok in parts if ok)
    weak = "|".join(_spelled(word) for word, ok in parts if not ok)
    either = "|".join(
        rf"(?P<{group}>{spelled})"
        for group, spelled in (("strong", strong), ("weak", weak))
        if spelled
    )
    _, after = _INSIDE_AN_ADDRESS
    # (the initial first: the search passes over every other letter at once)
    return rf"(?={initial})(?<![\w.@/'’&\-]){given}(?:{either}){after}"


def _is_the_person(match: re.Match[str], *, in_a_place: bool) -> bool:
    """Whether an initialled name found (see `_initialled`) is the person, not words: the first
    name written out always is; an initial is when it is a capital (or a small letter that is
    not a word, "a" or "i": "contact j smith"), but before an everyday word or a place, and
    anywhere in a venue or an address, only as a capital with a dot before a capitalised
    surname ("T. Hall", "c/o H. Whitaker"; not "Block T Hall", "A May morning" or the address
    "Flat H Whitaker House")."""
    initial = match.group("initial")
    if initial is None:
        return True
    surname = match.groupdict().get("weak") or match.group("strong")
    if in_a_place or match.groupdict().get("weak") is not None:
        return initial.isupper() and match.group("dot") is not None and surname[:1].isupper()
    return initial.isupper() or initial not in "ai"


def _replaced(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span, in order and apart, replaced by the name marker."""
    if not spans:
        return text
    pieces, done = [], 0
    for start, end in spans:
        pieces += [text[done:start], NAME_MARKER]
        done = end
    return "".join([*pieces, text[done:]])


@functools.lru_cache(maxsize=4096)
def _surnames(last: str) -> tuple[str, ...]:
    """A surname and, when it is hyphenated, each of its parts ("Whitaker-Jones", "Whitaker",
    "Jones"), longest first."""
    parts = [part for part in re.split(r"[\-‐]", last) if part]
    return (last, *parts) if len(parts) > 1 else (last,)


def _letters(word: str) -> str:
    """A word's letters alone, folded, as a pattern ("O'Brien" -> "obrien")."""
    return re.escape("".join(char for char in folded(word).casefold() if char.isalnum()))


@functools.lru_cache(maxsize=4096)
def _words(typed: str) -> tuple[str, ...]:
    """The name's words, without titles ("Dr") or anything in brackets ("(she/her)"); a name
    written surname first ("WHITAKER, Hannah") is turned round."""
    text = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", clean_text(typed)[:200])
    if text.count(",") == 1:
        surname, _, given = text.partition(",")
        text = f"{given} {surname}"
    words = _WORD.findall(folded(unicodedata.normalize("NFC", text)))
    return tuple(word for word in words if word.casefold().rstrip(".") not in _TITLE_SET)


def _spelled(word: str) -> str:
    """A word as a pattern: any apostrophe for an apostrophe, a hyphen or space for a hyphen."""
    parts = re.split(r"(['’\-])", word)
    pattern = {"'": "['’]", "’": "['’]", "-": r"[\-\s]"}
    return "".join(pattern.get(part, re.escape(part)) for part in parts)


def _stands_alone(word: str, is_place: Callable[[str], bool]) -> bool:
    """Whether a word alone can safely be taken as the person: long enough, not an everyday
    word, not a place."""
    letters = sum(char.isalpha() for char in word)
    return letters >= 3 and word.casefold() not in _EVERYDAY_SET and not is_place(word)


def name_removed_note(what: str) -> Note:
    """The warning for the person who filled the form when their name left `what` (a field
    as they know it, "description")."""
    message = (
        f"We took your name out of the {what} because the map is public and the name you give "
        "the form is never published. Edit your response to take it out; to let people reach "
        "you, give a contact email in its own question and say yes to publishing it."
    )
    return Note(Severity.WARNING, "name_removed", message)
