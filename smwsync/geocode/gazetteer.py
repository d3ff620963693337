"""The offline gazetteer: councils, postcode sectors and districts, and places, from open data.

Load it once per process with `Gazetteer.load()` and pass the object to whatever needs it; every
lookup after that is pure and in memory. Each job has its own module: councils.py (council
names), postcode_areas.py (sectors and districts), places.py (towns and villages); this one
reads the files and answers for all three. The data and its licences are in smwsync/data (see
ATTRIBUTION.md there).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from smwsync.clean.postcode import KnownPostcodes
from smwsync.errors import GazetteerError
from smwsync.geocode.councils import Council, CouncilFacts, CouncilIndex, FormerCouncil
from smwsync.geocode.names import EXTRA_COUNCIL_NAMES, EXTRA_PLACE_NAMES
from smwsync.geocode.places import Place, PlaceIndex
from smwsync.geocode.postcode_areas import DistrictRow, Point, PostcodeAreas, tidy_code

__all__ = ["Council", "Gazetteer", "Place", "Point"]

COUNCILS_FILE = "uk_local_authorities.csv"
FORMER_COUNCILS_FILE = "uk_former_councils.csv"
SECTORS_FILE = "uk_postcode_sectors.csv"
DISTRICTS_FILE = "uk_postcode_districts.csv"
PLACES_FILE = "gb_places.csv"

Row = Mapping[str, str]
Rows = Iterable[tuple[int, Row]]
T = TypeVar("T")


class Gazetteer:
    """UK councils, postcode sectors and districts, and GB places, held in memory.

    Make one with `Gazetteer.load()` (or `from_rows()` for rows already read) and keep it.
    """

    def __init__(
        self,
        councils: Mapping[str, Council],
        facts: Mapping[str, CouncilFacts],
        council_names: Mapping[str, Iterable[str]],
        sectors: Mapping[str, Point],
        districts: Iterable[DistrictRow],
        places: Iterable[tuple[Place, Iterable[str]]],
        former_codes: Mapping[str, str] | None = None,
        former_councils: Iterable[tuple[FormerCouncil, Iterable[str]]] = (),
    ) -> None:
        self._councils = dict(councils)
        self._former_codes = dict(former_codes or {})
        self._council_index = CouncilIndex(councils, facts, council_names, former_councils)
        self._postcodes = PostcodeAreas(sectors, districts)
        self._places = PlaceIndex(places)

    # -- loading --

    @classmethod
    def load(cls, folder: Path | None = None) -> Gazetteer:
        """Read the CSV files from `folder` (default: the data shipped with smwsync)."""
        where: Path | Traversable = (
            folder if folder is not None else resources.files("smwsync").joinpath("data")
        )
        return cls.from_rows(
            councils=_read_csv(where, COUNCILS_FILE),
            sectors=_read_csv(where, SECTORS_FILE),
            districts=_read_csv(where, DISTRICTS_FILE),
            places=_read_csv(where, PLACES_FILE),
            former_councils=_read_csv(where, FORMER_COUNCILS_FILE),
        )

    @classmethod
    def from_rows(
        cls,
        councils: Rows,
        sectors: Rows,
        districts: Rows,
        places: Rows,
        former_councils: Rows = (),
    ) -> Gazetteer:
        """Build the gazetteer from (line number, row) pairs of the CSV files."""
        council_rows = _parse(COUNCILS_FILE, councils, _council_from_row)
        sector_map = dict(_parse(SECTORS_FILE, sectors, _sector_from_row))
        district_rows = _parse(DISTRICTS_FILE, districts, _district_from_row)
        place_list = _parse(PLACES_FILE, places, _place_from_row)
        former = _parse(FORMER_COUNCILS_FILE, former_councils, _former_council_from_row)
        if not council_rows or not sector_map or not district_rows or not place_list:
            raise GazetteerError(
                "The offline gazetteer has an empty file; reinstall smwsync to restore its data."
            )
        return cls(
            councils={council.code: council for council, _, _, _ in council_rows},
            facts={council.code: facts for council, facts, _, _ in council_rows},
            council_names={council.code: names for council, _, names, _ in council_rows},
            sectors=sector_map,
            districts=district_rows,
            places=place_list,
            former_codes={former: council.code for council, _, _, former in council_rows if former},
            former_councils=former,
        )

    # -- councils --

    def council(self, code: str) -> Council | None:
        """The council with this GSS code ("E08000035"), or None. A former code of a council
        (Barnsley's before 2024) gives that council; the code of an abolished council gives the
        one council that took over its area."""
        code = code.strip().upper()
        code = self._former_codes.get(code, code)
        return self._councils.get(code) or self._councils.get(
            self._council_index.successor_of(code)
        )

    def councils(self) -> list[Council]:
        """Every council, in GSS code order."""
        return [self._councils[code] for code in sorted(self._councils)]

    def local_councils(self) -> list[Council]:
        """The district, borough, unitary and metropolitan councils (and Northern Ireland's,
        Scotland's and Wales's): one for every place in the UK, in GSS code order."""
        return [
            c
            for c in self.councils()
            if self._council_index.facts(c.code).tier == "lower_or_unitary"
        ]

    def county_councils(self) -> list[Council]:
        """England's county councils (the upper tier over some districts), in GSS code order."""
        return [c for c in self.councils() if self._council_index.facts(c.code).la_type == "CTY"]

    def is_within(self, lad_code: str, council_code: str) -> bool:
        """True when the district or unitary `lad_code` is, or is part of, `council_code`."""
        return self._council_index.is_within(lad_code, council_code)

    def find_council(self, text: str) -> Council | None:
        """The council a member of staff meant by `text`, or None when unknown or ambiguous.

        "Leeds City Council", "leeds cc", "LEEDS", "Cyngor Caerdydd", "RCT" and small typos
        ("Leds City Council") all work; answers that could mean several councils ("LCC") give
        None rather than a guess. The name of an abolished council ("Scarborough Borough
        Council") gives the council that has its area today, with `former_name` set.
        """
        return self._council_index.find(text)

    def nearest_councils(self, text: str, limit: int = 3) -> list[Council]:
        """The councils `text` looks most like, closest first, for "did you mean" hints."""
        return self._council_index.nearest(text, limit)

    def closest_council_name(self, text: str) -> str | None:
        """The official name of the council `text` most looks like, for "did you mean" hints."""
        found = self.find_council(text)
        if found is None:
            nearest = self.nearest_councils(text, limit=1)
            found = nearest[0] if nearest else None
        return found.official_name if found else None

    # -- postcodes --

    @property
    def known_postcodes(self) -> KnownPostcodes:
        """Which postcode districts and sectors exist, for the postcode cleaner."""
        return self._postcodes.known

    def sector(self, sector: str) -> Point | None:
        """(latitude, longitude, council GSS code) of a GB postcode sector ("LS1 1"), or None."""
        return self._postcodes.sector(sector)

    def district(self, outcode: str) -> Point | None:
        """(latitude, longitude, council GSS code) of a live postcode district ("LS1"), or None.

        Northern Ireland's districts (BT) are placed less precisely than Great Britain's. A
        London district split into lettered ones ("W1" into "W1A" ... "W1W") gives their middle.
        """
        return self._postcodes.district(outcode)

    def centroids(self) -> list[tuple[float, float]]:
        """(latitude, longitude) of every postcode sector and district (in code order), then
        every place: a dot map of where people live, for drawing the UK without map tiles."""
        places = [(place.latitude, place.longitude) for place in self._places.places]
        return self._postcodes.points() + places

    def postcode_sectors(self) -> list[tuple[str, Point]]:
        """Every GB postcode sector ("LS1 1") and its point, in code order."""
        return self._postcodes.sectors()

    def postcode_districts(self) -> list[tuple[str, Point]]:
        """Every live postcode district ("LS1") and its point, in code order."""
        return self._postcodes.districts()

    def places(self) -> list[Place]:
        """Every named place (GeoNames), in the order of the data file."""
        return list(self._places.places)

    # -- places --

    def find_place(self, text: str, council_code: str = "") -> Place | None:
        """The place an address or venue names ("Civic Hall, Calverley Street, Leeds" -> Leeds).

        Names are matched as whole words, the longest first. A name followed by "Street",
        "Road" ... is taken as a street's name and used only when nothing better is there.
        Several places: prefer one inside `council_code`, then one that is a whole part of the
        address ("..., Headingley, Leeds"), a place's own name over an alternative one, the
        earlier part (the most specific: Headingley over Leeds), the longer name, then the most
        populous.
        """
        return self._places.find(text, council_code, self.is_within)


def _council_from_row(row: Row) -> tuple[Council, CouncilFacts, list[str], str]:
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
    facts = CouncilFacts(row["tier"], row["la_type"], parents)
    names = [council.name, council.official_name, *row["alt_names"].split("|")]
    names.extend(EXTRA_COUNCIL_NAMES.get(council.code, ()))
    return council, facts, [name for name in names if name], row["former_gss_code"]


def _sector_from_row(row: Row) -> tuple[str, Point]:
    return tidy_code(row["sector"]), (
        float(row["latitude"]),
        float(row["longitude"]),
        row["lad_code"],
    )


def _district_from_row(row: Row) -> DistrictRow:
    """(outcode, status, point or None when not a live district with a place and council,
    weight)."""
    outcode, status = tidy_code(row["outcode"]), row["status"]
    usable = status.startswith("live") and row["lad_code"] and row["latitude"]
    if not usable:
        return outcode, status, None, 0
    point = (float(row["latitude"]), float(row["longitude"]), row["lad_code"])
    return outcode, status, point, int(row["postcode_count"] or 1)


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


def _former_council_from_row(row: Row) -> tuple[FormerCouncil, list[str]]:
    successors = tuple(code for code in row["successor_gss"].split("|") if code)
    if not successors:
        raise ValueError(f"the abolished council {row['official_name']} has no successor")
    former = FormerCouncil(
        code=row["gss_code"],
        name=row["name"],
        official_name=row["official_name"],
        end_date=row["end_date"],
        successors=successors,
    )
    return former, [name for name in row["alt_names"].split("|") if name]


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
