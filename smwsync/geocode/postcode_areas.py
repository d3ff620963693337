"""Postcode sectors and districts: where each is, and which ones exist at all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from smwsync.clean.postcode import KnownPostcodes

Point = tuple[float, float, str]  # latitude, longitude, GSS code of the council (may be "")
DistrictRow = tuple[str, str, Point | None, int]  # outcode, status, point, postcode count

# Districts in the data that Code-Point Open 2025 no longer holds and that were retired when
# their area was recoded (Oxfordshire's OX6 and OX8 in 2002, Watford's WD1 and WD2 in 2000,
# Fleet's GU13 in 2000, and W1M, folded into W1G/W1H/W1U); every other such district is a
# non-geographic one (PO boxes and large users: BN91, E77, CR44 ...).
RETIRED_DISTRICTS = frozenset({"GU13", "OX6", "OX8", "W1M", "WD1", "WD2"})


class PostcodeAreas:
    """GB postcode sectors and UK postcode districts, with a point and a council for each."""

    def __init__(self, sectors: Mapping[str, Point], districts: Iterable[DistrictRow]) -> None:
        rows = list(districts)
        self._sectors = dict(sectors)
        self._districts = _live_districts(rows)
        live = frozenset(code for code, _, point, _ in rows if point is not None)
        crown = {code for code, status, _, _ in rows if status == "crown_dependency"}
        gone = {code for code, status, _, _ in rows if status.startswith("not_in")}
        self.known = KnownPostcodes(
            districts=live | crown,
            sectors=frozenset(self._sectors),
            non_geographic=frozenset(gone - RETIRED_DISTRICTS - set(self._districts)),
            groups=frozenset(set(self._districts) - live),
        )

    def sector(self, sector: str) -> Point | None:
        return self._sectors.get(tidy_code(sector))

    def district(self, outcode: str) -> Point | None:
        return self._districts.get(tidy_code(outcode))

    def sectors(self) -> list[tuple[str, Point]]:
        """Every sector ("LS1 1") and its point, in code order."""
        return sorted(self._sectors.items())

    def districts(self) -> list[tuple[str, Point]]:
        """Every live district ("LS1") and its point, in code order."""
        return sorted(self._districts.items())

    def points(self) -> list[tuple[float, float]]:
        """(latitude, longitude) of every sector, then every district, each in code order."""
        return [
            (point[0], point[1])
            for points in (self._sectors, self._districts)
            for _, point in sorted(points.items())
        ]


def tidy_code(code: str) -> str:
    return " ".join(code.upper().split())


def _live_districts(rows: Iterable[DistrictRow]) -> dict[str, Point]:
    """Live districts; a split London district ("W1", "EC1") gets the postcode-weighted middle
    of its lettered parts ("W1A" ... "W1W") and the council most of their postcodes are in."""
    live: dict[str, Point] = {}
    weights: dict[str, int] = {}
    split: dict[str, list[str]] = defaultdict(list)
    for outcode, _, point, weight in rows:
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
