"""Towns, villages and neighbourhoods named in addresses and venues (GeoNames places)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from smwsync.geocode.names import (
    EVERYDAY_PLACE_NAMES,
    STREET_WORDS,
    is_noise,
    text_parts,
    usable_alt_name,
    words,
)


@dataclass(frozen=True)
class Place:
    """A named town, village or neighbourhood of 500 people or more (GeoNames)."""

    name: str
    latitude: float
    longitude: float
    lad_code: str
    population: int


@dataclass(frozen=True)
class _PlaceName:
    words: tuple[str, ...]
    places: tuple[int, ...]
    alternative: bool
    everyday: bool


class PlaceIndex:
    """Every place by the first word of each of its names, the longest names first.

    The index is built on the first lookup: a sync whose events all have postcodes never
    needs it."""

    def __init__(self, places: Iterable[tuple[Place, Iterable[str]]]) -> None:
        self.places: list[Place] = []
        self._alt_names: list[tuple[str, ...]] = []
        for place, alt_names in places:
            self.places.append(place)
            self._alt_names.append(tuple(alt_names))

    @functools.cached_property
    def _index(self) -> dict[str, list[_PlaceName]]:
        main: dict[tuple[str, ...], list[int]] = defaultdict(list)
        alternative: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for number, (place, alt_names) in enumerate(zip(self.places, self._alt_names, strict=True)):
            own = _place_words(place.name)
            if own:
                main[own].append(number)
            for alt_name in alt_names:
                if usable_alt_name(alt_name):
                    alt_words = _place_words(alt_name)
                    if alt_words and alt_words != own:
                        alternative[alt_words].append(number)
        index: dict[str, list[_PlaceName]] = defaultdict(list)
        for name_words, numbers in main.items():
            everyday = " ".join(name_words) in EVERYDAY_PLACE_NAMES
            index[name_words[0]].append(_PlaceName(name_words, tuple(numbers), False, everyday))
        for name_words, numbers in alternative.items():
            if name_words in main or " ".join(name_words) in EVERYDAY_PLACE_NAMES:
                continue  # a place's own name wins over another's alternative one
            unique = tuple(sorted(set(numbers)))
            index[name_words[0]].append(_PlaceName(name_words, unique, True, False))
        return {
            first: sorted(names, key=lambda name: (-len(name.words), name.words))
            for first, names in index.items()
        }

    def find(
        self, text: str, council_code: str, is_within: Callable[[str, str], bool]
    ) -> Place | None:
        """The place an address or venue names (see `Gazetteer.find_place`)."""
        best_rank: tuple[object, ...] | None = None
        best: Place | None = None
        for part_number, part in enumerate(text_parts(text)):
            tokens = words(part)
            for start, end, name in self._names_in(tokens):
                whole = all(start <= i < end or is_noise(tokens[i]) for i in range(len(tokens)))
                if name.everyday and not whole:
                    continue
                street = end < len(tokens) and tokens[end] in STREET_WORDS
                for number in name.places:
                    place = self.places[number]
                    inside = is_within(place.lad_code, council_code)
                    rank = (
                        not street,
                        inside,
                        whole,
                        not name.alternative,
                        -part_number,
                        len(name.words),
                        place.population,
                        -number,
                    )
                    if best_rank is None or rank > best_rank:
                        best_rank, best = rank, place
        return best

    def _names_in(self, tokens: list[str]) -> Iterator[tuple[int, int, _PlaceName]]:
        """Each place name found in `tokens` as (start, end, name), the longest at each start,
        leaving out names inside a longer one ("Newcastle" in "Newcastle upon Tyne")."""
        found: list[tuple[int, int, _PlaceName]] = []
        for start, token in enumerate(tokens):
            for name in self._index.get(token, ()):
                end = start + len(name.words)
                if tuple(tokens[start:end]) == name.words:
                    found.append((start, end, name))
                    break
        for start, end, name in found:
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in found):
                yield start, end, name


def _place_words(name: str) -> tuple[str, ...]:
    tokens = words(name)
    if tokens[:1] == ["the"] and len(tokens) > 1:
        tokens = tokens[1:]
    return tuple(tokens)
