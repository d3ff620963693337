"""The offline ladder: place an event with the gazetteer alone, best answer first.

1. the latitude and longitude typed in the sheet (EXACT);
2. the postcode's sector, "LS1 1" (SECTOR);
3. the postcode's district, "LS1", when only that was given or the sector is unknown (DISTRICT),
   or, better, a town named in the address within 10 km of that district's middle (PLACE);
4. a town or village named in the venue or address (PLACE);
5. the middle of the council's area (COUNCIL), where online and phone events belong.

Checked against the council named on the form: a postcode outside that council and more than
`max_km` from its middle is still used, with a warning to check both; a town's name that far away
is not trusted (the same name is often a village elsewhere), and the council's middle is used,
with a warning. Nothing usable at all is an error note, never a point at (0, 0).
"""

from __future__ import annotations

from dataclasses import dataclass

from smwsync.clean.text import quoted
from smwsync.geocode.distance import distance_km
from smwsync.geocode.gazetteer import Council, Gazetteer
from smwsync.model import Event, Location, Note, Precision, Severity

SOURCE_GAZETTEER = "gazetteer"
DEFAULT_MAX_KM = 40.0
# A town named in the address this close to a postcode district's middle is taken as the more
# precise answer: on 400 museums it halves the median error of outward-only postcodes (1.3 to
# 0.7 km) and Northern Ireland's postcodes, which have no sectors (4.4 to 1.6 km).
PLACE_IN_DISTRICT_KM = 10.0


@dataclass(frozen=True)
class _Found:
    """A location and, for the council check, what it is and which council it lies in."""

    location: Location
    described: str  # "The postcode LS1 1UR", "Pontypridd, named in the address,"
    lad_code: str


def locate_offline(
    event: Event, gazetteer: Gazetteer, max_km: float = DEFAULT_MAX_KM
) -> tuple[Location | None, list[Note]]:
    """Where to show `event` using only the offline gazetteer, and what staff should know.

    Returns (None, [an ERROR note]) when nothing on the form places the event; never (0, 0).
    """
    given = event.given_location
    if given is not None and (given.latitude, given.longitude) != (0.0, 0.0):
        return given, []
    notes: list[Note] = []
    council = _council_named(event, gazetteer)
    found = _from_postcode(event.postcode, gazetteer, notes)
    if found is not None:
        if found.location.precision == Precision.DISTRICT:
            found = _narrowed_by_place(found, event, gazetteer, council)
        notes.extend(_check_against_council(found, council, gazetteer, max_km))
        return found.location, notes
    found = _from_place(event, gazetteer, council)
    if found is not None and council is not None and _far_from(found, council, gazetteer, max_km):
        # A town's name is weaker evidence than a postcode: "Capel" in "Capel Coch, Corwen" is
        # a Surrey village 290 km from Denbighshire. Trust the council instead.
        notes.append(_place_ignored(found, council, gazetteer))
        return _centre_of(council), notes
    if found is not None:
        return found.location, notes
    if council is not None:
        if event.has_venue:
            notes.append(_placed_at_council(event, council))
        return _centre_of(council), notes
    notes.append(_no_location(event))
    return None, notes


def _council_named(event: Event, gazetteer: Gazetteer) -> Council | None:
    if event.council_code:
        return gazetteer.council(event.council_code)
    return gazetteer.find_council(event.council) if event.council else None


def _from_postcode(postcode: str, gazetteer: Gazetteer, notes: list[Note]) -> _Found | None:
    """The postcode's sector, or its district; a note when the postcode cannot be found."""
    postcode = " ".join(postcode.upper().split())
    if not postcode:
        return None
    outcode, _, inward = postcode.partition(" ")
    if inward:
        sector = f"{outcode} {inward[0]}"
        point = gazetteer.sector(sector)
        if point is not None:
            latitude, longitude, lad_code = point
            location = Location(
                latitude, longitude, Precision.SECTOR, SOURCE_GAZETTEER, f"postcode sector {sector}"
            )
            return _Found(location, f"The postcode {postcode}", lad_code)
    point = gazetteer.district(outcode)
    if point is None:
        notes.append(
            Note(
                Severity.WARNING,
                "postcode_not_found",
                f"We could not find the postcode {postcode}; check it. "
                "Until it is fixed the event is placed from its address or council, if we can.",
            )
        )
        return None
    # Northern Ireland has districts but no sectors in the gazetteer: not the postcode's fault.
    if inward and not outcode.startswith("BT"):
        notes.append(
            Note(
                Severity.WARNING,
                "postcode_not_found",
                f"We could not find the postcode {postcode}; check it. Until it is fixed the "
                f"event is shown in the middle of the {outcode} postcode district.",
            )
        )
    latitude, longitude, lad_code = point
    location = Location(
        latitude, longitude, Precision.DISTRICT, SOURCE_GAZETTEER, f"postcode district {outcode}"
    )
    described = f"The postcode {postcode}" if inward else f"The postcode district {outcode}"
    return _Found(location, described, lad_code)


def _from_place(event: Event, gazetteer: Gazetteer, council: Council | None) -> _Found | None:
    """A town or village named in the venue or address."""
    text = "\n".join(part for part in (event.venue, event.address) if part.strip())
    if not text:
        return None
    place = gazetteer.find_place(text, council.code if council else "")
    if place is None:
        return None
    location = Location(
        place.latitude, place.longitude, Precision.PLACE, SOURCE_GAZETTEER, place.name
    )
    return _Found(location, f"{place.name}, named in the address,", place.lad_code)


def _narrowed_by_place(
    district: _Found, event: Event, gazetteer: Gazetteer, council: Council | None
) -> _Found:
    """A town named in the address, when it lies within the postcode district's reach."""
    place = _from_place(event, gazetteer, council)
    if place is None:
        return district
    at, near = place.location, district.location
    if distance_km(at.latitude, at.longitude, near.latitude, near.longitude) > PLACE_IN_DISTRICT_KM:
        return district
    location = Location(
        at.latitude, at.longitude, Precision.PLACE, SOURCE_GAZETTEER, f"{at.label}, {near.label}"
    )
    return _Found(location, district.described, district.lad_code)


def _far_from(found: _Found, council: Council, gazetteer: Gazetteer, max_km: float) -> bool:
    """True when the answer lies outside the council and more than max_km from its middle.

    A point inside the council's own area is never far, however far from its middle: Highland
    and North Yorkshire are well over 80 km across.
    """
    if gazetteer.is_within(found.lad_code, council.code):
        return False
    return _km_from(found, council) > max_km


def _km_from(found: _Found, council: Council) -> float:
    location = found.location
    return distance_km(location.latitude, location.longitude, council.latitude, council.longitude)


def _where(found: _Found, gazetteer: Gazetteer) -> str:
    in_council = gazetteer.council(found.lad_code)
    return f" is in {in_council.name}," if in_council else " is"


def _check_against_council(
    found: _Found, council: Council | None, gazetteer: Gazetteer, max_km: float
) -> list[Note]:
    """A warning when the answer lies far from the council named on the form."""
    if council is None or not _far_from(found, council, gazetteer, max_km):
        return []
    return [
        Note(
            Severity.WARNING,
            "far_from_council",
            f"{found.described}{_where(found, gazetteer)} {_km_from(found, council):.0f} km from "
            f"{council.name}, the council named on the form; check both.",
        )
    ]


def _place_ignored(found: _Found, council: Council, gazetteer: Gazetteer) -> Note:
    return Note(
        Severity.WARNING,
        "place_far_from_council",
        f"{found.described}{_where(found, gazetteer)} {_km_from(found, council):.0f} km from "
        f"{council.name}, the council named on the form, so the event is shown in the middle "
        f"of {council.name} instead. Add the venue's full postcode to put it in the right place.",
    )


def _centre_of(council: Council) -> Location:
    return Location(
        council.latitude,
        council.longitude,
        Precision.COUNCIL,
        SOURCE_GAZETTEER,
        f"centre of {council.name}",
    )


def _placed_at_council(event: Event, council: Council) -> Note:
    if event.postcode or event.venue or event.address:
        reason = "We could not find the venue from its postcode or address"
    else:
        reason = "The form gives no address for the venue"
    return Note(
        Severity.WARNING,
        "placed_at_council",
        f"{reason}, so the event is shown in the middle of {council.name}. "
        "Add the venue's full postcode to put it in the right place.",
    )


def _no_location(event: Event) -> Note:
    council = "its council"
    if event.council.strip():
        council += f" ({quoted(event.council)})"
    if event.has_venue:
        reason = f"we could not find its postcode, a town in its address, or {council}"
        ask = "Add the venue's full postcode (like LS1 1UR), or your council's name."
    else:
        reason = f"it has no postcode or address and we could not find {council}"
        ask = "Add your council's name so the event shows in your area."
    return Note(
        Severity.ERROR,
        "no_location",
        f"We could not place this event on the map: {reason}. {ask}",
    )
