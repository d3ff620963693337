"""The offline gazetteer: councils, postcode sectors and districts, and places, from open data.

Load it once per process with `Gazetteer.load()` and pass the object to whatever needs it; every
lookup after that is pure and in memory. The data and its licences are in smwsync/data (see
ATTRIBUTION.md there).
"""

from __future__ import annotations

import csv
import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from smwsync.errors import GazetteerError
from smwsync.geocode.names import (
    COMBINED_WORDS,
    EVERYDAY_PLACE_NAMES,
    EXTRA_COUNCIL_NAMES,
    EXTRA_PLACE_NAMES,
    FUZZY_CUTOFF,
    FUZZY_MARGIN,
    GENERIC_WORDS,
    LOOSE_PREFIXES,
    NOT_ACRONYMS,
    STREET_WORDS,
    SUGGESTION_CUTOFF,
    acronyms_of,
    council_key,
    garbled,
    is_noise,
    text_parts,
    usable_alt_name,
    words,
)

COUNCILS_FILE = "uk_local_authorities.csv"
SECTORS_FILE = "uk_postcode_sectors.csv"
DISTRICTS_FILE = "uk_postcode_districts.csv"
PLACES_FILE = "gb_places.csv"

Row = Mapping[str, str]
Point = tuple[float, float, str]  # latitude, longitude, GSS code of the council (may be "")
T = TypeVar("T")


@dataclass(frozen=True)
class Council:
    """A UK council: a district, unitary, borough, county, combined authority or the GLA."""

    code: str
    name: str
    official_name: str
    nation: str
    region: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    """A named town, village or neighbourhood of 500 people or more (GeoNames)."""

    name: str
    latitude: float
    longitude: float
    lad_code: str
    population: int


@dataclass(frozen=True)
class _CouncilFacts:
    tier: str  # "lower_or_unitary" or "upper"
    la_type: str  # "CTY", "COMB", "MD", ...
    parents: tuple[str, ...]  # GSS codes of the county and combined authority it belongs to


@dataclass(frozen=True)
class _PlaceName:
    words: tuple[str, ...]
    places: tuple[int, ...]
    alternative: bool
    everyday: bool


# --- the gazetteer -------------------------------------------------------------------------


class Gazetteer:
    """UK councils, postcode sectors and districts, and GB places, held in memory.

    Make one with `Gazetteer.load()` (or `from_rows()` for rows already read) and keep it.
    """

    def __init__(
        self,
        councils: Mapping[str, Council],
        facts: Mapping[str, _CouncilFacts],
        council_names: Mapping[str, Iterable[str]],
        sectors: Mapping[str, Point],
        districts: Mapping[str, Point],
        places: Iterable[tuple[Place, Iterable[str]]],
        former_codes: Mapping[str, str] | None = None,
    ) -> None:
        self._councils = dict(councils)
        self._facts = dict(facts)
        self._former_codes = dict(former_codes or {})
        self._sectors = dict(sectors)
        self._districts = dict(districts)
        self._index_council_names(council_names)
        self._index_places(places)

    # -- loading --

    @classmethod
    def load(cls, folder: Path | None = None) -> Gazetteer:
        """Read the four CSV files from `folder` (default: the data shipped with smwsync)."""
        where: Path | Traversable = (
            folder if folder is not None else resources.files("smwsync").joinpath("data")
        )
        return cls.from_rows(
            councils=_read_csv(where, COUNCILS_FILE),
            sectors=_read_csv(where, SECTORS_FILE),
            districts=_read_csv(where, DISTRICTS_FILE),
            places=_read_csv(where, PLACES_FILE),
        )

    @classmethod
    def from_rows(
        cls,
        councils: Iterable[tuple[int, Row]],
        sectors: Iterable[tuple[int, Row]],
        districts: Iterable[tuple[int, Row]],
        places: Iterable[tuple[int, Row]],
    ) -> Gazetteer:
        """Build the gazetteer from (line number, row) pairs of the four CSV files."""
        council_rows = _parse(COUNCILS_FILE, councils, _council_from_row)
        sector_map = dict(_parse(SECTORS_FILE, sectors, _sector_from_row))
        district_map = _live_districts(_parse(DISTRICTS_FILE, districts, _district_from_row))
        place_list = _parse(PLACES_FILE, places, _place_from_row)
        if not council_rows or not sector_map or not district_map or not place_list:
            raise GazetteerError(
                "The offline gazetteer has an empty file; reinstall smwsync to restore its data."
            )
        return cls(
            councils={council.code: council for council, _, _, _ in council_rows},
            facts={council.code: facts for council, facts, _, _ in council_rows},
            council_names={council.code: names for council, _, names, _ in council_rows},
            sectors=sector_map,
            districts=district_map,
            places=place_list,
            former_codes={former: council.code for council, _, _, former in council_rows if former},
        )

    # -- councils --

    def council(self, code: str) -> Council | None:
        """The council with this GSS code ("E08000035"), or None."""
        code = code.strip().upper()
        return self._councils.get(self._former_codes.get(code, code))

    def councils(self) -> list[Council]:
        """Every council, in GSS code order."""
        return [self._councils[code] for code in sorted(self._councils)]

    def local_councils(self) -> list[Council]:
        """The district, borough, unitary and metropolitan councils (and Northern Ireland's,
        Scotland's and Wales's): one for every place in the UK, in GSS code order."""
        return [c for c in self.councils() if self._facts[c.code].tier == "lower_or_unitary"]

    def county_councils(self) -> list[Council]:
        """England's county councils (the upper tier over some districts), in GSS code order."""
        return [c for c in self.councils() if self._facts[c.code].la_type == "CTY"]

    def is_within(self, lad_code: str, council_code: str) -> bool:
        """True when the district or unitary `lad_code` is, or is part of, `council_code`."""
        if not lad_code or not council_code:
            return False
        if lad_code == council_code:
            return True
        facts = self._facts.get(lad_code)
        return facts is not None and council_code in facts.parents

    def find_council(self, text: str) -> Council | None:
        """The council a member of staff meant by `text`, or None when unknown or ambiguous.

        "Leeds City Council", "leeds cc", "LEEDS", "Cyngor Caerdydd", "RCT" and small typos
        ("Leds City Council") all work; answers that could mean several councils ("LCC") give
        None rather than a guess.
        """
        if not text.strip():
            return None
        codes = self._exact_codes(text)
        if codes is not None:
            return self._prefer(codes, text)
        parts = text_parts(text)
        if len(parts) == 1:
            return self._fuzzy_council(text, FUZZY_CUTOFF, FUZZY_MARGIN)
        # "Comms team, Leeds City Council (LCC)", "Leeds City Council / West Yorkshire"
        named = [codes for part in parts if (codes := self._exact_codes(part)) is not None]
        if named:
            return self._prefer(self._named_by_every_part(named), text)
        guesses = {self._fuzzy_council(part, FUZZY_CUTOFF, FUZZY_MARGIN) for part in parts}
        guesses.discard(None)
        return guesses.pop() if len(guesses) == 1 else None

    def closest_council_name(self, text: str) -> str | None:
        """The official name of the council `text` most looks like, for "did you mean" hints."""
        found = self.find_council(text)
        if found is None:
            found = self._fuzzy_council(text, SUGGESTION_CUTOFF, 0.0)
        return found.official_name if found else None

    def _index_council_names(self, names: Mapping[str, Iterable[str]]) -> None:
        keys: dict[str, set[str]] = defaultdict(set)
        acronyms: dict[str, set[str]] = defaultdict(set)
        for code, council_names in names.items():
            for name in council_names:
                if garbled(name):
                    continue
                key = council_key(name)
                if len(key) >= 3 and not set(key.split()) <= GENERIC_WORDS:
                    keys[key].add(code)
            council = self._councils[code]
            for name in (council.name, council.official_name):
                for acronym in acronyms_of(name):
                    acronyms[acronym].add(code)
        self._council_keys = {key: frozenset(codes) for key, codes in keys.items()}
        self._council_acronyms = {key: frozenset(codes) for key, codes in acronyms.items()}
        self._fuzzy_keys = sorted(key for key in self._council_keys if len(key) >= 4)

    def _exact_codes(self, text: str) -> frozenset[str] | None:
        """The codes of every council whose name or acronym is `text`; None when none is."""
        key = council_key(text)
        tokens = key.split()
        candidates = [key]
        for prefix in LOOSE_PREFIXES:
            if len(tokens) > len(prefix) and tuple(tokens[: len(prefix)]) == prefix:
                candidates.append(" ".join(tokens[len(prefix) :]))
        if tokens[:1] == ["sir"] and len(tokens) > 1:  # "Cyngor Sir Powys": Sir = county
            candidates.append(" ".join(tokens[1:]))
        for candidate in candidates:
            if candidate in self._council_keys:
                return self._council_keys[candidate]
        if len(tokens) == 1 and key not in NOT_ACRONYMS:
            return self._council_acronyms.get(key)
        return None

    def _named_by_every_part(self, named: list[frozenset[str]]) -> frozenset[str]:
        """The councils every part of the text could mean, itself or as part of a bigger one."""
        return frozenset(
            code
            for codes in named
            for code in codes
            if all(
                code in others or any(self.is_within(code, other) for other in others)
                for others in named
            )
        )

    def _prefer(self, codes: frozenset[str], text: str) -> Council | None:
        """One council of several with the same words: the county or combined authority only
        where the text asks for one, otherwise the district or unitary; None if still several."""
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
        return self._councils[next(iter(codes))] if len(codes) == 1 else None

    def _fuzzy_council(self, text: str, cutoff: float, margin: float) -> Council | None:
        key = council_key(text)
        if len(key) < 4:
            return None
        floor = cutoff - margin
        matcher = difflib.SequenceMatcher(a="", b=key, autojunk=False)
        scored: list[tuple[float, str]] = []
        for candidate in self._fuzzy_keys:
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                ratio = matcher.ratio()
                if ratio >= floor:
                    scored.append((ratio, candidate))
        if not scored:
            return None
        scored.sort(key=lambda item: (-item[0], item[1]))
        best_ratio, best_key = scored[0]
        best = self._prefer(self._council_keys[best_key], text)
        if best_ratio < cutoff or best is None:
            return None
        for ratio, candidate in scored[1:]:
            if best_ratio - ratio > margin or (margin == 0 and ratio < best_ratio):
                break
            if self._prefer(self._council_keys[candidate], text) != best:
                return None
        return best

    # -- postcodes --

    def sector(self, sector: str) -> Point | None:
        """(latitude, longitude, council GSS code) of a GB postcode sector ("LS1 1"), or None."""
        return self._sectors.get(_tidy_code(sector))

    def district(self, outcode: str) -> Point | None:
        """(latitude, longitude, council GSS code) of a live postcode district ("LS1"), or None.

        Northern Ireland's districts (BT) are placed less precisely than Great Britain's. A
        London district split into lettered ones ("W1" into "W1A" ... "W1W") gives their middle.
        """
        return self._districts.get(_tidy_code(outcode))

    def centroids(self) -> list[tuple[float, float]]:
        """(latitude, longitude) of every postcode sector and district (in code order), then
        every place: a dot map of where people live, for drawing the UK without map tiles."""
        postcodes = [
            (point[0], point[1])
            for points in (self._sectors, self._districts)
            for _, point in sorted(points.items())
        ]
        return postcodes + [(place.latitude, place.longitude) for place in self._places]

    # -- places --

    def _index_places(self, places: Iterable[tuple[Place, Iterable[str]]]) -> None:
        self._places: list[Place] = []
        main: dict[tuple[str, ...], list[int]] = defaultdict(list)
        alternative: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for number, (place, alt_names) in enumerate(places):
            self._places.append(place)
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
        self._place_index = {
            first: sorted(names, key=lambda name: (-len(name.words), name.words))
            for first, names in index.items()
        }

    def find_place(self, text: str, council_code: str = "") -> Place | None:
        """The place an address or venue names ("Civic Hall, Calverley Street, Leeds" -> Leeds).

        Names are matched as whole words, the longest first. A name followed by "Street",
        "Road" ... is taken as a street's name and used only when nothing better is there.
        Several places: prefer one inside `council_code`, then one that is a whole part of the
        address ("..., Headingley, Leeds"), a place's own name over an alternative one, the
        earlier part (the most specific: Headingley over Leeds), the longer name, then the most
        populous.
        """
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
                    place = self._places[number]
                    inside = self.is_within(place.lad_code, council_code)
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
            for name in self._place_index.get(token, ()):
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


def _tidy_code(code: str) -> str:
    return " ".join(code.upper().split())


def _council_from_row(row: Row) -> tuple[Council, _CouncilFacts, list[str], str]:
    council = Council(
        code=row["gss_code"],
        name=row["name"],
        official_name=row["official_name"],
        nation=row["nation"],
        region=row["region"] or row["nation"],
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
    )
    parents = tuple(
        code for code in (row["parent_county_gss"], row["combined_authority_gss"]) if code
    )
    facts = _CouncilFacts(row["tier"], row["la_type"], parents)
    names = [council.name, council.official_name, *row["alt_names"].split("|")]
    names.extend(EXTRA_COUNCIL_NAMES.get(council.code, ()))
    return council, facts, [name for name in names if name], row["former_gss_code"]


def _sector_from_row(row: Row) -> tuple[str, Point]:
    return _tidy_code(row["sector"]), (
        float(row["latitude"]),
        float(row["longitude"]),
        row["lad_code"],
    )


def _district_from_row(row: Row) -> tuple[str, Point | None, int]:
    """(outcode, point or None when not a live district with a place and council, weight)."""
    outcode = _tidy_code(row["outcode"])
    usable = row["status"].startswith("live") and row["lad_code"] and row["latitude"]
    if not usable:
        return outcode, None, 0
    point = (float(row["latitude"]), float(row["longitude"]), row["lad_code"])
    return outcode, point, int(row["postcode_count"] or 1)


def _place_from_row(row: Row) -> tuple[Place, list[str]]:
    place = Place(
        name=row["name"],
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        lad_code=row["lad_code"],
        population=int(row["population"] or 0),
    )
    names = [name for name in row["alt_names"].split("|") if name]
    return place, [*names, *EXTRA_PLACE_NAMES.get(place.name, ())]


def _live_districts(rows: Iterable[tuple[str, Point | None, int]]) -> dict[str, Point]:
    """Live districts; a split London district ("W1", "EC1") gets the postcode-weighted middle
    of its lettered parts ("W1A" ... "W1W") and the council most of their postcodes are in."""
    live: dict[str, Point] = {}
    weights: dict[str, int] = {}
    split: dict[str, list[str]] = defaultdict(list)
    for outcode, point, weight in rows:
        if point is not None:
            live[outcode], weights[outcode] = point, weight
            if outcode[-1].isalpha():
                split[outcode[:-1]].append(outcode)
    for outcode, parts in sorted(split.items()):
        if outcode in live:
            continue
        total = sum(weights[code] for code in parts)
        councils: dict[str, int] = defaultdict(int)
        for code in parts:
            councils[live[code][2]] += weights[code]
        live[outcode] = (
            round(sum(live[code][0] * weights[code] for code in parts) / total, 5),
            round(sum(live[code][1] * weights[code] for code in parts) / total, 5),
            max(sorted(councils), key=lambda code: councils[code]),
        )
    return live


def _parse(name: str, rows: Iterable[tuple[int, Row]], parse: Callable[[Row], T]) -> list[T]:
    """Parse every row; a missing column or a bad value becomes a GazetteerError."""
    parsed: list[T] = []
    line = 1
    try:
        for number, row in rows:
            line = number
            parsed.append(parse(row))
    except KeyError as err:
        raise GazetteerError(
            f"The offline gazetteer file {name} has no column {err}; "
            "reinstall smwsync to restore its data."
        ) from err
    except (ValueError, TypeError, AttributeError) as err:
        raise GazetteerError(
            f"The offline gazetteer file {name} is damaged at line {line}: {err}. "
            "Reinstall smwsync to restore its data."
        ) from err
    return parsed


def _read_csv(folder: Path | Traversable, name: str) -> list[tuple[int, Row]]:
    path = folder.joinpath(name)
    if not path.is_file():
        raise GazetteerError(
            f"The offline gazetteer file {name} is missing from {folder}. "
            "Reinstall smwsync (or restore smwsync/data from the repository)."
        )
    damaged = f"The offline gazetteer file {name} is damaged"
    fix = "Reinstall smwsync (or restore smwsync/data from the repository)."
    try:
        with path.open("r", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as err:
        raise GazetteerError(f"{damaged} ({err}). {fix}") from err
    for number, values in enumerate(rows, start=2):
        if len(values) != len(header):
            raise GazetteerError(
                f"{damaged} at line {number}: it has the wrong number of fields. {fix}"
            )
    return [
        (number, dict(zip(header, values, strict=True)))
        for number, values in enumerate(rows, start=2)
    ]
