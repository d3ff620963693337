"""Councils by name as staff type them: exact names, former councils and small typos only.

A name is matched exactly first (after `council_key` folds away "City Council", "Cyngor" ...),
then as the name of an abolished council (Scarborough, North Down), which gives the council that
has its area today. Only then is a typo considered, and only a small one for the length of each
word, with the first letter right, that points at one council alone: "Leds" is Leeds, but
"Scarborough" is never Harborough and "South Somerset" is never North Somerset.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from smwsync.geocode.names import (
    COMBINED_WORDS,
    GENERIC_WORDS,
    LOOSE_PREFIXES,
    NOT_ACRONYMS,
    SUGGESTION_CUTOFF,
    acronyms_of,
    council_key,
    garbled,
    text_parts,
    typo_budget,
    words,
)


@dataclass(frozen=True)
class Council:
    """A UK council: a district, unitary, borough, county, combined authority or the GLA.

    `former_name` is set only on a council found by the name of one it replaced: then it is the
    official name of that abolished council ("Scarborough Borough Council").
    """

    code: str
    name: str
    official_name: str
    nation: str
    region: str
    latitude: float
    longitude: float
    former_name: str = ""


@dataclass(frozen=True)
class CouncilFacts:
    """Where a council sits: its tier, its type, and the councils it is part of."""

    tier: str  # "lower_or_unitary" or "upper"
    la_type: str  # "CTY", "COMB", "MD", ...
    parents: tuple[str, ...]  # GSS codes of the county and combined authority it belongs to


@dataclass(frozen=True)
class FormerCouncil:
    """An abolished council and the councils that have its area today (GSS codes)."""

    code: str  # its own GSS code; "" for Northern Ireland's districts before 2015
    name: str
    official_name: str
    end_date: str
    successors: tuple[str, ...]


@dataclass(frozen=True)
class _Named:
    """What a name means: the councils it could be, and the abolished council it names, if any."""

    codes: frozenset[str]
    former: str = ""


class CouncilIndex:
    """Every council's names, and the names of abolished councils, ready for lookups."""

    def __init__(
        self,
        councils: Mapping[str, Council],
        facts: Mapping[str, CouncilFacts],
        names: Mapping[str, Iterable[str]],
        former: Iterable[tuple[FormerCouncil, Iterable[str]]] = (),
    ) -> None:
        self._councils = dict(councils)
        self._facts = dict(facts)
        self._former_by_code: dict[str, FormerCouncil] = {}
        keys: dict[str, set[str]] = defaultdict(set)
        own_keys: set[str] = set()
        acronyms: dict[str, set[str]] = defaultdict(set)
        for code, council_names in names.items():
            for key in _keys_of(council_names):
                keys[key].add(code)
            council = self._councils[code]
            own_keys |= _keys_of([council.name, council.official_name])
            for name in (council.name, council.official_name):
                for acronym in acronyms_of(name):
                    acronyms[acronym].add(code)
        former_keys: dict[str, set[FormerCouncil]] = defaultdict(set)
        for gone, gone_names in former:
            if gone.code:
                self._former_by_code[gone.code] = gone
            for key in _keys_of([gone.name, gone.official_name, *gone_names]):
                # A council's own name wins ("Somerset" is Somerset Council); an abolished
                # council's name wins over another name of today's ("Bournemouth").
                if key not in own_keys:
                    former_keys[key].add(gone)
                    keys.pop(key, None)
        self._keys = {key: _Named(frozenset(codes)) for key, codes in keys.items()}
        self._acronyms = {key: _Named(frozenset(codes)) for key, codes in acronyms.items()}
        for key, gone_set in former_keys.items():
            codes = frozenset(code for gone in gone_set for code in gone.successors)
            official = sorted(gone.official_name for gone in gone_set)
            self._keys[key] = _Named(codes, official[0] if len(official) == 1 else "")
        self._fuzzy_keys = sorted(key for key in self._keys if len(key) >= 4)

    def facts(self, code: str) -> CouncilFacts:
        """The tier, type and parents of the current council with this GSS code."""
        return self._facts[code]

    def successor_of(self, code: str) -> str:
        """The GSS code of the one council that replaced the abolished council `code`, or ""."""
        gone = self._former_by_code.get(code)
        return gone.successors[0] if gone and len(gone.successors) == 1 else ""

    def is_within(self, lad_code: str, council_code: str) -> bool:
        """True when the district or unitary `lad_code` is, or is part of, `council_code`."""
        if not lad_code or not council_code:
            return False
        if lad_code == council_code:
            return True
        facts = self._facts.get(lad_code)
        return facts is not None and council_code in facts.parents

    def find(self, text: str) -> Council | None:
        """The council `text` names, or None when unknown or ambiguous (see the module)."""
        if not text.strip():
            return None
        named = self._exact(text)
        if named is not None:
            return self._prefer(named, text)
        parts = text_parts(text)
        if len(parts) == 1:
            return self._typo(text)
        # "Comms team, Leeds City Council (LCC)", "Leeds City Council / West Yorkshire"
        found = [named for part in parts if (named := self._exact(part)) is not None]
        if found:
            return self._prefer(self._named_by_every_part(found), text)
        guesses = {self._typo(part) for part in parts}
        guesses.discard(None)
        return guesses.pop() if len(guesses) == 1 else None

    def nearest(self, text: str, limit: int = 3) -> list[Council]:
        """Up to `limit` councils whose names look most like `text`, the closest first: for
        "did you mean" hints, never for placing an event."""
        key = council_key(text)
        if len(key) < 4:
            return []
        matcher = difflib.SequenceMatcher(a="", b=key, autojunk=False)
        scored: list[tuple[float, str]] = []
        for candidate in self._fuzzy_keys:
            matcher.set_seq1(candidate)
            if (
                matcher.real_quick_ratio() >= SUGGESTION_CUTOFF
                and matcher.quick_ratio() >= SUGGESTION_CUTOFF
                and (ratio := matcher.ratio()) >= SUGGESTION_CUTOFF
            ):
                scored.append((ratio, candidate))
        found: dict[str, Council] = {}
        for _, candidate in sorted(scored, key=lambda item: (-item[0], item[1])):
            named = self._keys[candidate]
            for code in sorted(named.codes):
                if code not in found:
                    found[code] = self._council(code, named.former)
        return list(found.values())[:limit]

    def _council(self, code: str, former: str) -> Council:
        council = self._councils[code]
        return replace(council, former_name=former) if former else council

    def _exact(self, text: str) -> _Named | None:
        """What `text` names exactly, as a council's name or acronym; None when nothing."""
        key = council_key(text)
        tokens = key.split()
        candidates = [key]
        for prefix in LOOSE_PREFIXES:
            if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
                candidates.append(" ".join(tokens[len(prefix) :]))
        if tokens[:1] == ["sir"] and len(tokens) > 1:  # "Cyngor Sir Powys": Sir = county
            candidates.append(" ".join(tokens[1:]))
        for candidate in candidates:
            if candidate in self._keys:
                return self._keys[candidate]
        if len(tokens) == 1 and key not in NOT_ACRONYMS:
            return self._acronyms.get(key)
        return None

    def _named_by_every_part(self, found: list[_Named]) -> _Named:
        """The councils every part of the text could mean, itself or as part of a bigger one."""
        codes = frozenset(
            code
            for named in found
            for code in named.codes
            if all(
                code in other.codes or any(self.is_within(code, o) for o in other.codes)
                for other in found
            )
        )
        formers = {named.former for named in found if named.former and named.codes & codes}
        return _Named(codes, formers.pop() if len(formers) == 1 else "")

    def _prefer(self, named: _Named, text: str) -> Council | None:
        """One council of several with the same words: the county or combined authority only
        where the text asks for one, otherwise the district or unitary; None if still several."""
        codes = named.codes
        if len(codes) > 1:
            said = set(words(text))
            if said & COMBINED_WORDS:
                chosen = {code for code in codes if self._facts[code].la_type == "COMB"}
            elif "county" in said:
                chosen = {
                    code
                    for code in codes
                    if self._facts[code].la_type == "CTY"
                    or "county" in words(self._councils[code].official_name)
                }
            else:
                chosen = {code for code in codes if self._facts[code].tier == "lower_or_unitary"}
            codes = frozenset(chosen)
        return self._council(next(iter(codes)), named.former) if len(codes) == 1 else None

    def _typo(self, text: str) -> Council | None:
        """The one council `text` names with a small typo, or None.

        Every name within a typo of `text` must lead to the same council; a second council
        within reach makes the answer ambiguous, and a whole word changed is not a typo.
        """
        key = council_key(text)
        if len(key) < 4:
            return None
        found: set[Council | None] = set()
        for candidate in self._fuzzy_keys:
            if is_typo_of(key, candidate):
                found.add(self._prefer(self._keys[candidate], text))
        return found.pop() if len(found) == 1 else None


def is_typo_of(typed: str, name: str) -> bool:
    """True when `typed` is `name` with a small slip in some of its words: the same number of
    words, each starting with the same letter and within its own budget of edits (see
    `typo_budget`), or the same letters with the spaces moved."""
    if typed == name:
        return True
    if typed.replace(" ", "") == name.replace(" ", ""):
        return True
    typed_words, name_words = typed.split(), name.split()
    if len(typed_words) != len(name_words):
        return False
    for said, meant in zip(typed_words, name_words, strict=True):
        if said == meant:
            continue
        budget = typo_budget(meant)
        if said[0] != meant[0] or abs(len(said) - len(meant)) > budget:
            return False
        if edit_distance(said, meant, budget) > budget:
            return False
    return True


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters inserted, deleted, changed or swapped with a neighbour to turn `a` into `b`
    (optimal string alignment); any answer above `limit` is given as `limit + 1`."""
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def _keys_of(names: Iterable[str]) -> set[str]:
    """The lookup keys of a council's names, leaving out garbled and purely generic ones."""
    keys = set()
    for name in names:
        if not name or garbled(name):
            continue
        key = council_key(name)
        if len(key) >= 3 and not set(key.split()) <= GENERIC_WORDS:
            keys.add(key)
    return keys
