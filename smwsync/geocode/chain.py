"""The geocoding chain: every event placed as precisely as the sources allow, asking online once.

For each event, best first:
1. a latitude and longitude typed in the sheet ("sheet"), or an override in the configuration
   keyed by event id or address ("override");
2. a full postcode: the Code-Point index when one is imported, else the cache, else postcodes.io
   (in bulk, 100 a request; a postcode it no longer lists is looked up among terminated ones);
3. a venue without a usable postcode: the cache, else Nominatim (structured, inside a box around
   the council), else any optional provider named in the configuration;
4. the offline gazetteer (`locate_offline`): sector, district, town, council.

Offline, only 1, the cache, the Code-Point index and 4 are used. A provider that fails falls
through to the next, and a failure is never cached as "not found". An answer outside the UK, or
far from the council the form names, is a warning naming both places, and the gazetteer's
answer is used instead when it has one that agrees with the council.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smwsync.clean.postcode import clean_postcode
from smwsync.config import GeocodeSettings, Settings
from smwsync.geocode.cache import Answer, GeocodeCache, normalise
from smwsync.geocode.codepoint import NAME as CODEPOINT
from smwsync.geocode.codepoint import CodePointIndex
from smwsync.geocode.distance import distance_km
from smwsync.geocode.gazetteer import Council, Gazetteer
from smwsync.geocode.offline import SOURCE_GAZETTEER, locate_offline
from smwsync.geocode.online import Online, online_services
from smwsync.geocode.services import (
    BULK_LIMIT,
    NOMINATIM,
    OSM_ATTRIBUTION,
    POSTCODES_IO,
    VenueQuery,
)
from smwsync.model import Event, Location, Note, Precision, Severity

if TYPE_CHECKING:
    from smwsync.geocode.nominatim import NominatimSearch
    from smwsync.geocode.providers import GeopyProvider

SOURCE_OVERRIDE = "override"
# Latitude and longitude of a box around the UK, with its islands and a little sea.
UK_BOX = ((49.8, -8.75), (60.95, 1.85))
# After this many failures in a row, a service is not asked again this run: it is down or has
# turned us away, and asking on would be rude and slow.
GIVE_UP_AFTER = 3
# Notes from the offline ladder that a more precise answer makes moot.
_SUPERSEDED = frozenset(
    {"postcode_not_found", "placed_at_council", "place_far_from_council", "far_from_council"}
)
Progress = Callable[[int, int], None]


@dataclass
class ProviderStats:
    """What one provider did in a run."""

    requests: int = 0
    cache_hits: int = 0
    failures: int = 0
    placed: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts, for SyncReport.geocoder_stats."""
        return {
            "requests": self.requests,
            "cache_hits": self.cache_hits,
            "failures": self.failures,
            "placed": self.placed,
        }


@dataclass(frozen=True)
class Placed:
    """Where one event goes and what staff should know about it."""

    location: Location | None
    notes: tuple[Note, ...] = ()


@dataclass
class ChainResult:
    """Every event's place, in the order given, and what each provider did."""

    placed: list[Placed]
    stats: dict[str, ProviderStats]
    attribution: str = ""

    def stats_dict(self) -> dict[str, dict[str, int]]:
        """Per provider counts, only for providers that did something."""
        return {
            name: counts.as_dict()
            for name, counts in sorted(self.stats.items())
            if any(counts.as_dict().values())
        }


@dataclass
class _Want:
    """One event's way through the chain."""

    event: Event
    council: Council | None
    postcode: str = ""
    venue: VenueQuery | None = None
    answer: Answer | None = None
    source: str = ""
    postcode_missing: bool = False
    searched: bool = False  # every venue provider's answer came from the cache


class GeocodeChain:
    """Places events: overrides, cache, Code-Point, postcodes.io, Nominatim, gazetteer."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        max_km: float = 40.0,
        retry_not_found_after: float = 30 * 86400.0,
        overrides: dict[str, tuple[float, float]] | None = None,
        cache: GeocodeCache | None = None,
        codepoint: CodePointIndex | None = None,
        online: Online | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.max_km = max_km
        self.retry_not_found_after = retry_not_found_after
        self.overrides = {normalise(key): value for key, value in (overrides or {}).items()}
        self.cache = cache
        self.codepoint = codepoint
        self.online = online
        self.progress = progress
        self.stats: dict[str, ProviderStats] = {}
        self._failures_in_a_row: dict[str, int] = {}
        self._done = 0
        self._planned = 0

    def locate_all(self, events: Sequence[Event]) -> ChainResult:
        """Place every event; the answers are in the order of `events`."""
        wants = [self._want(event) for event in events]
        self._from_local(wants)
        if self.online is not None:
            self._plan(wants)
            self._from_postcodes_io(wants)
            self._from_venue_search(wants)
        placed = [self._placed(want) for want in wants]
        for item in placed:
            if item.location is not None and item.location.source in self.stats:
                self.stats[item.location.source].placed += 1
        used_osm = any(p.location is not None and p.location.source == NOMINATIM for p in placed)
        return ChainResult(placed, self.stats, OSM_ATTRIBUTION if used_osm else "")

    # -- what each event needs --

    def _want(self, event: Event) -> _Want:
        council = self._council_of(event)
        want = _Want(event, council)
        if _given(event):
            return want
        for key in (event.id, event.address) if self.overrides else ():
            point = self.overrides.get(normalise(key)) if key.strip() else None
            if point is not None:
                want.answer = Answer(
                    point[0], point[1], Precision.EXACT, "set in the configuration"
                )
                want.source = SOURCE_OVERRIDE
                return want
        if " " in event.postcode.strip():
            want.postcode = event.postcode.strip().upper()
        elif event.has_venue and (event.venue.strip() or event.address.strip()):
            want.venue = self._venue_query(event, council)
        return want

    def _venue_query(self, event: Event, council: Council | None) -> VenueQuery:
        near = (council.latitude, council.longitude) if council else None
        return VenueQuery(
            event.venue, event.address, council.name if council else "", near, self.max_km
        )

    def _council_of(self, event: Event) -> Council | None:
        if event.council_code:
            return self.gazetteer.council(event.council_code)
        return self.gazetteer.find_council(event.council) if event.council else None

    # -- local sources: Code-Point index and cache --

    def _from_local(self, wants: list[_Want]) -> None:
        for want in wants:
            if want.postcode and self.codepoint is not None:
                found = self.codepoint.lookup(want.postcode)
                self._count(CODEPOINT).requests += 1
                if found is not None:
                    want.answer, want.source = found, SOURCE_GAZETTEER
                    self._count(CODEPOINT).placed += 1
                    continue
            if want.postcode:
                self._from_cache(want, POSTCODES_IO, want.postcode)
            if want.venue is not None and want.answer is None:
                self._venue_from_cache(want)

    def _venue_from_cache(self, want: _Want) -> None:
        """The venue from the cache; `searched` when it is settled (found, or not found by
        every provider)."""
        assert want.venue is not None
        for name in self._venue_providers():
            cached = self._from_cache(want, name, want.venue.key())
            if cached is None:
                return
            if cached:
                break
        want.searched = True

    def _from_cache(self, want: _Want, provider: str, query: str) -> bool | None:
        """True: found in the cache; False: cached as not found; None: not in the cache."""
        if self.cache is None:
            return None
        cached = self.cache.get(provider, query, self.retry_not_found_after)
        if cached is None:
            return None
        self._count(provider).cache_hits += 1
        if cached.answer is None:
            if provider == POSTCODES_IO:
                want.postcode_missing = True
            return False
        # The provider that answered, not "cache": a re-run must publish the same bytes.
        want.answer, want.source = cached.answer, provider
        return True

    def _venue_providers(self) -> list[str]:
        names = [NOMINATIM]
        if self.online is not None:
            names += self.online.extra_names
        return names

    # -- online --

    def _plan(self, wants: list[_Want]) -> None:
        postcodes = {w.postcode for w in wants if w.postcode and not self._settled(w)}
        venues = {w.venue.key() for w in wants if w.venue is not None and not w.searched}
        self._planned = math.ceil(len(postcodes) / BULK_LIMIT) + len(venues)

    @staticmethod
    def _settled(want: _Want) -> bool:
        return want.answer is not None or want.postcode_missing

    def _from_postcodes_io(self, wants: list[_Want]) -> None:
        assert self.online is not None
        pending = sorted({w.postcode for w in wants if w.postcode and not self._settled(w)})
        if not pending:
            return  # the client, and requests with it, are never loaded
        service = self.online.postcodes_io
        answers: dict[str, Answer | None] = {}
        for start in range(0, len(pending), BULK_LIMIT):
            chunk = pending[start : start + BULK_LIMIT]
            found = self._ask(POSTCODES_IO, lambda chunk=chunk: service.lookup_many(chunk))
            if not isinstance(found, dict):
                continue
            for postcode, answer in found.items():
                if answer is None:
                    answer = self._ask(
                        POSTCODES_IO, lambda p=postcode: service.lookup_terminated(p), plan=False
                    )
                    if answer is _FAILED:
                        continue
                answers[postcode] = answer
        if self.cache is not None and answers:
            self.cache.put_many(POSTCODES_IO, sorted(answers.items(), key=lambda i: i[0]))
        for want in wants:
            if want.postcode in answers and not self._settled(want):
                answer = answers[want.postcode]
                if answer is None:
                    want.postcode_missing = True
                else:
                    want.answer, want.source = answer, POSTCODES_IO

    def _from_venue_search(self, wants: list[_Want]) -> None:
        """Nominatim (then optional providers) for venues with no postcode, or a missing one."""
        assert self.online is not None
        for want in wants:
            if want.postcode_missing and want.answer is None and want.venue is None:
                event = want.event
                if event.has_venue and (event.venue.strip() or event.address.strip()):
                    want.venue = self._venue_query(event, want.council)
                    self._venue_from_cache(want)
        answers: dict[str, tuple[Answer, str] | None] = {}
        queries = {w.venue.key(): w.venue for w in wants if w.venue and not w.searched}
        for key in sorted(queries):
            answers[key] = self._search(queries[key])
        for want in wants:
            if want.venue is not None and want.answer is None and answers.get(want.venue.key()):
                want.answer, want.source = answers[want.venue.key()]  # type: ignore[misc]

    def _search(self, query: VenueQuery) -> tuple[Answer, str] | None:
        assert self.online is not None
        services: list[NominatimSearch | GeopyProvider] = []
        if self.online.nominatim is not None:
            services.append(self.online.nominatim)
        services.extend(self.online.extra)
        for service in services:
            cached = None
            if self.cache is not None:
                cached = self.cache.get(service.name, query.key(), self.retry_not_found_after)
            if cached is not None:
                if cached.answer is not None:
                    return cached.answer, service.name
                continue
            answer = self._ask(service.name, lambda s=service: s.search(query))
            if answer is _FAILED:
                continue
            if self.cache is not None:
                self.cache.put(service.name, query.key(), answer)
            if answer is not None:
                return answer, service.name
        return None

    def _ask(self, provider: str, request: Callable[[], object], plan: bool = True) -> object:
        """One polite request; _FAILED when it failed (or the service was given up on)."""
        assert self.online is not None
        stats = self._count(provider)
        if self._failures_in_a_row.get(provider, 0) >= GIVE_UP_AFTER:
            stats.failures += 1
            self._tick(plan)
            return _FAILED
        limiter = self.online.limiter(provider)
        before = limiter.requests
        try:
            answer = limiter.call(request)
            self._failures_in_a_row[provider] = 0
        except self.online.failures:  # looked at only when the request raised
            stats.failures += 1
            self._failures_in_a_row[provider] = self._failures_in_a_row.get(provider, 0) + 1
            answer = _FAILED
        stats.requests += limiter.requests - before
        self._tick(plan)
        return answer

    def _tick(self, plan: bool) -> None:
        if not plan:
            return
        self._done += 1
        if self.progress is not None:
            self.progress(self._done, max(self._planned, self._done))

    def _count(self, provider: str) -> ProviderStats:
        return self.stats.setdefault(provider, ProviderStats())

    # -- the answer for each event --

    def _placed(self, want: _Want) -> Placed:
        event = want.event
        offline, notes = locate_offline(event, self.gazetteer, self.max_km)
        if want.answer is None:
            if want.postcode_missing:
                notes = [n for n in notes if n.code != "postcode_not_found"]
                notes.insert(0, _postcode_missing(want.postcode, bool(want.venue)))
            return Placed(offline, tuple(notes))
        answer = want.answer
        location = Location(
            answer.latitude, answer.longitude, answer.precision, want.source, answer.label
        )
        kept = [note for note in notes if note.code not in _SUPERSEDED]
        if want.postcode_missing:
            kept.insert(0, _postcode_missing(want.postcode, True))
        if want.source == SOURCE_OVERRIDE:
            return Placed(location, tuple(kept))
        if not _in_uk(answer):
            if offline is not None:
                return Placed(offline, (*notes, _outside_uk(want, location, offline)))
            return Placed(None, (*notes, _outside_uk(want, location, None)))
        far = self._far(want, answer)
        if far is None:
            return Placed(location, tuple(kept))
        # The gazetteer's answer is better when it agrees with the council: the council's middle
        # beats the wrong "Civic Centre" 300 km away. A postcode far away stays where it is.
        if offline is not None and not any(n.code == "far_from_council" for n in notes):
            return Placed(offline, (*notes, _far_note(want, location, far, offline)))
        return Placed(location, (*kept, _far_note(want, location, far, None)))

    def _far(self, want: _Want, answer: Answer) -> float | None:
        """Km from the council's middle, when the answer lies outside it and too far away."""
        council = want.council
        if council is None:
            return None
        if answer.lad_code and self.gazetteer.is_within(answer.lad_code, council.code):
            return None
        km = distance_km(answer.latitude, answer.longitude, council.latitude, council.longitude)
        return km if km > self.max_km else None


_FAILED: object = object()


def _given(event: Event) -> bool:
    given = event.given_location
    return given is not None and (given.latitude, given.longitude) != (0.0, 0.0)


def _in_uk(answer: Answer) -> bool:
    (south, west), (north, east) = UK_BOX
    return south <= answer.latitude <= north and west <= answer.longitude <= east


def _what(want: _Want) -> str:
    if want.postcode and not want.postcode_missing:
        return f"the postcode {want.postcode}"
    event = want.event
    name = ", ".join(part.strip() for part in (event.venue, event.address) if part.strip())
    return f"'{name}'" if name else "the venue"


def _provider_name(location: Location) -> str:
    return {"gazetteer": "the Code-Point index"}.get(location.source, location.source)


def _outside_uk(want: _Want, location: Location, better: Location | None) -> Note:
    instead = (
        f" The event is shown at {better.label} instead."
        if better is not None and better.label
        else ""
    )
    return Note(
        Severity.WARNING,
        "outside_uk",
        f"{_provider_name(location)} placed {_what(want)} at {location.label} "
        f"({location.latitude:.4f}, {location.longitude:.4f}), outside the UK; check the "
        f"address.{instead}",
    )


def _far_note(want: _Want, location: Location, km: float, better: Location | None) -> Note:
    assert want.council is not None
    instead = (
        f" The event is shown at {better.label}, from our own gazetteer, instead."
        if better is not None
        else ""
    )
    return Note(
        Severity.WARNING,
        "geocoded_far_from_council",
        f"{_provider_name(location)} placed {_what(want)} at {location.label}, {km:.0f} km "
        f"from {want.council.name}, the council named on the form; check both.{instead}",
    )


def _postcode_missing(postcode: str, placed_otherwise: bool) -> Note:
    then = (
        "The event is placed from its venue and address until it is fixed."
        if placed_otherwise
        else "Until it is fixed the event is placed from its address or council, if we can."
    )
    return Note(
        Severity.WARNING,
        "postcode_not_found",
        f"The postcode '{postcode}' does not exist; check it. {then}",
    )


def locate(
    events: Sequence[Event],
    gazetteer: Gazetteer,
    settings: GeocodeSettings,
    *,
    progress: Progress | None = None,
    online: Online | None = None,
) -> ChainResult:
    """Place `events` with the chain the settings describe, opening and closing its files.

    Offline, the cache is only read, and only when its file exists; `online` replaces the
    services the settings name (tests pass ones on a virtual clock).
    """
    cache = None
    if not settings.offline or settings.cache.is_file():
        cache = GeocodeCache(settings.cache)
    codepoint = CodePointIndex(settings.codepoint) if settings.codepoint.is_file() else None
    if settings.offline:
        online = None
    elif online is None:
        online = online_services(settings)
    try:
        chain = GeocodeChain(
            gazetteer,
            max_km=settings.council_distance_km,
            retry_not_found_after=settings.retry_not_found_days * 86400.0,
            overrides=dict(settings.overrides),
            cache=cache,
            codepoint=codepoint,
            online=online,
            progress=progress,
        )
        return chain.locate_all(events)
    finally:
        if cache is not None:
            cache.close()
        if codepoint is not None:
            codepoint.close()


def with_attribution(settings: Settings, geocoding: ChainResult) -> Settings:
    """The settings with the data attribution the placed events need added to the map's
    description ("© OpenStreetMap contributors" once Nominatim placed any event)."""
    if not geocoding.attribution or geocoding.attribution in settings.publish.description:
        return settings
    description = "\n\n".join(
        part for part in (settings.publish.description, geocoding.attribution) if part
    )
    return replace(settings, publish=replace(settings.publish, description=description))


@dataclass(frozen=True)
class Step:
    """What one step of the chain answers for a query, for `smwsync geocode`."""

    name: str
    answer: str


def explain(
    text: str,
    council: str,
    gazetteer: Gazetteer,
    settings: GeocodeSettings,
    *,
    online: Online | None = None,
) -> list[Step]:
    """Run `text` (an address or a postcode) through the chain as a sync would, caching what
    it fetches, and say what each step answers and which answer is used."""
    postcode, postcode_note = clean_postcode(text, gazetteer.known_postcodes)
    # "Civic Hall, Calverley Street, Leeds": the building first, then its address.
    venue, _, address = ("" if postcode else text).partition(",")
    venue, address = (venue.strip(), address.strip()) if address else ("", venue.strip())
    found_council = gazetteer.find_council(council) if council.strip() else None
    event = Event(
        id="",
        title="",
        row_number=0,
        council=council,
        council_code=found_council.code if found_council else "",
        postcode=str(postcode) if postcode else "",
        venue=venue,
        address=address,
    )
    result = locate([event], gazetteer, settings, online=online)
    steps = [Step("override", _override_answer(event, settings))]
    if postcode is not None and postcode.is_full:
        steps.append(Step("Code-Point index", _codepoint_answer(str(postcode), settings)))
        steps.append(Step(POSTCODES_IO, _cached_answer(POSTCODES_IO, str(postcode), settings)))
    else:
        query = VenueQuery(venue, address, found_council.name if found_council else "")
        for name in (NOMINATIM, *settings.providers):
            steps.append(Step(name, _cached_answer(name, query.key(), settings)))
    offline, _ = locate_offline(event, gazetteer, settings.council_distance_km)
    steps.append(Step("gazetteer", _location_text(offline)))
    placed = result.placed[0]
    chosen = _location_text(placed.location)
    if placed.location is not None:
        chosen += f" [{placed.location.precision.value}, from {placed.location.source}]"
    steps.append(Step("used", chosen))
    if postcode_note is not None and postcode_note.severity is Severity.ERROR:
        steps.append(Step("postcode", postcode_note.message))
    steps.extend(Step(f"{note.severity.value}", note.message) for note in placed.notes)
    return steps


def _location_text(location: Location | None) -> str:
    if location is None:
        return "nothing"
    return f"{location.label} ({location.latitude:.5f}, {location.longitude:.5f})"


def _answer_text(answer: Answer) -> str:
    return f"{answer.label} ({answer.latitude:.5f}, {answer.longitude:.5f})"


def _override_answer(event: Event, settings: GeocodeSettings) -> str:
    wanted = normalise(event.address or event.postcode)
    for key, (latitude, longitude) in settings.overrides.items():
        if normalise(key) == wanted:
            return f"({latitude:.5f}, {longitude:.5f}) from [geocode.overrides]"
    return "none"


def _codepoint_answer(postcode: str, settings: GeocodeSettings) -> str:
    if not settings.codepoint.is_file():
        return "no index imported (smwsync gazetteer import)"
    index = CodePointIndex(settings.codepoint)
    try:
        answer = index.lookup(postcode)
    finally:
        index.close()
    return _answer_text(answer) if answer else "not in this release"


def _cached_answer(provider: str, query: str, settings: GeocodeSettings) -> str:
    if not settings.cache.is_file():
        return "not asked (offline)" if settings.offline else "not asked"
    with GeocodeCache(settings.cache) as cache:
        cached = cache.get(provider, query, float("inf"))
    if cached is None:
        return "not asked (offline)" if settings.offline else "not asked"
    when = time.strftime("%Y-%m-%d", time.gmtime(cached.fetched_at))
    if cached.answer is None:
        return f"not found (asked {when})"
    return f"{_answer_text(cached.answer)} (asked {when})"
