"""The geocoding chain against fake postcodes.io and Nominatim servers, on a virtual clock."""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from smwsync.config import GeocodeSettings, NominatimSettings, PostcodesIoSettings
from smwsync.errors import ConfigError
from smwsync.geocode.chain import locate, online_services
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import FACE_TO_FACE, ONLINE, Event, Precision, Severity

if TYPE_CHECKING:
    from fake_geocoders import FakeGeocoders, VirtualClock

pytest_plugins = ["fake_geocoders"]


@functools.cache
def gazetteer() -> Gazetteer:
    """Loaded on first use, not at collection: it holds a lot in memory."""
    return Gazetteer.load()


AGENT = "smwsync-tests (organiser@example.gov.uk)"


def settings_for(fake: FakeGeocoders, tmp_path: Path, **changes: object) -> GeocodeSettings:
    settings = GeocodeSettings(
        offline=False,
        cache=tmp_path / "geocode-cache.sqlite",
        codepoint=tmp_path / "no-codepoint.sqlite",
        postcodes_io=PostcodesIoSettings(url=fake.url, timeout_seconds=2.0),
        nominatim=NominatimSettings(url=fake.url, user_agent=AGENT, timeout_seconds=2.0),
    )
    return replace(settings, **changes)


def run_chain(events, settings, clock: VirtualClock, progress=None):
    fake_online = online_services(settings, clock=clock, sleep=clock.sleep)
    return locate(events, gazetteer(), settings, online=fake_online, progress=progress)


def event(row: int, **fields: object) -> Event:
    values: dict[str, object] = {"council": "Leeds", "formats": (FACE_TO_FACE,)}
    values.update(fields)
    return Event(id=f"e{row}", title=f"Event {row}", row_number=row, **values)  # type: ignore[arg-type]


def leeds_postcodes(fake: FakeGeocoders, count: int) -> list[str]:
    """`count` made-up live Leeds postcodes, LS1 1AA onwards, each a few metres apart."""
    postcodes = []
    for n in range(count):
        postcode = f"LS{1 + n // 400} {1 + n // 20 % 20 % 9}{'ABDEFGHJLNPQRSTUWXYZ'[n % 20]}A"
        fake.add_postcode(postcode, 53.79 + n * 1e-5, -1.55 + n * 1e-5, "Leeds", "E08000035")
        postcodes.append(postcode)
    return postcodes


def test_a_cold_run_asks_once_per_100_postcodes_and_once_per_venue_then_never_again(
    fake_geocoders, virtual_clock, tmp_path
):
    postcodes = leeds_postcodes(fake_geocoders, 150)
    venues = ["Leeds Central Library", "Civic Hall", "Leeds Kirkgate Market"]
    for n, venue in enumerate(venues):
        fake_geocoders.add_place(venue, 53.80 + n / 1000, -1.548)
    events = [event(i, postcode=postcodes[i % 150]) for i in range(300)]
    events += [event(300 + i, venue=venues[i % 3], address="Leeds") for i in range(30)]
    settings = settings_for(fake_geocoders, tmp_path)

    cold = run_chain(events, settings, virtual_clock)

    assert fake_geocoders.count("/postcodes", "POST") == math.ceil(150 / 100)
    assert fake_geocoders.count("/search") == len(venues)
    assert all(p.location is not None for p in cold.placed)
    first = cold.placed[0].location
    assert (first.source, first.precision) == ("postcodes.io", Precision.POSTCODE)
    assert first.label == "postcode LS1 1AA (Leeds)"
    library = cold.placed[300].location
    assert (library.source, library.precision) == ("nominatim", Precision.ADDRESS)
    assert cold.attribution == "© OpenStreetMap contributors"
    assert cold.stats_dict()["postcodes.io"] == {
        "requests": 2,
        "cache_hits": 0,
        "failures": 0,
        "placed": 300,
    }

    fake_geocoders.reset_counts()
    warm = run_chain(events, settings, virtual_clock)

    assert fake_geocoders.requests == []
    assert [p.location for p in warm.placed] == [p.location for p in cold.placed]
    assert warm.stats_dict()["postcodes.io"]["cache_hits"] == 300
    assert warm.stats_dict()["nominatim"]["cache_hits"] == 30


def test_nominatim_is_asked_at_most_once_a_second_with_an_identifying_user_agent(
    fake_geocoders, virtual_clock, tmp_path
):
    venues = [f"Community Hub {n}" for n in range(5)]
    for venue in venues:
        fake_geocoders.add_place(venue, 53.8, -1.55)
    fake_geocoders.clock = virtual_clock
    events = [event(i, venue=venue, address="Leeds") for i, venue in enumerate(venues)]

    run_chain(events, settings_for(fake_geocoders, tmp_path), virtual_clock)

    searches = [r for r in fake_geocoders.requests if r.path == "/search"]
    assert len(searches) == 5
    times = [r.at for r in searches]
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))
    assert {r.user_agent for r in searches} == {AGENT}
    assert searches[0].query["countrycodes"] == "gb"
    assert searches[0].query["bounded"] == "1"
    assert searches[0].query["amenity"] == "Community Hub 0"
    assert searches[0].query["county"] == "Leeds"


def test_a_429_is_retried_after_the_time_the_service_asks_for(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.add_place("Civic Hall", 53.8, -1.55)
    fake_geocoders.fail("/search", status=429, retry_after="7")
    fake_geocoders.clock = virtual_clock

    result = run_chain(
        [event(1, venue="Civic Hall")], settings_for(fake_geocoders, tmp_path), virtual_clock
    )

    assert result.placed[0].location.source == "nominatim"
    searches = [r for r in fake_geocoders.requests if r.path == "/search"]
    assert len(searches) == 2
    assert searches[1].at - searches[0].at >= 7
    assert result.stats_dict()["nominatim"]["requests"] == 2


def test_postcodes_io_down_falls_through_to_the_gazetteer_and_nothing_is_cached(
    fake_geocoders, virtual_clock, tmp_path
):
    postcodes = leeds_postcodes(fake_geocoders, 3)
    fake_geocoders.fail("/postcodes", times=3, status=502)
    settings = settings_for(fake_geocoders, tmp_path, retries=2)
    events = [event(1, postcode="LS1 1UR"), event(2, postcode=postcodes[1])]

    result = run_chain(events, settings, virtual_clock)

    assert [p.location.source for p in result.placed] == ["gazetteer", "gazetteer"]
    assert result.placed[0].location.precision == Precision.SECTOR
    assert result.stats_dict()["postcodes.io"]["failures"] == 1
    assert fake_geocoders.count("/postcodes", "POST") == 3  # one try and two retries
    assert virtual_clock.sleeps  # the retries waited, on the virtual clock

    fake_geocoders.reset_counts()
    again = run_chain(events, settings, virtual_clock)
    assert fake_geocoders.count("/postcodes", "POST") == 1  # a failure is not "not found"
    assert again.placed[1].location.source == "postcodes.io"


def test_a_slow_service_times_out_and_the_event_is_still_placed(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.add_place("Civic Hall", 53.8, -1.55)
    fake_geocoders.fail("/search", hang=True)  # answered only when the test is over
    settings = settings_for(
        fake_geocoders,
        tmp_path,
        retries=0,
        nominatim=NominatimSettings(url=fake_geocoders.url, user_agent=AGENT, timeout_seconds=0.05),
    )

    result = run_chain([event(1, venue="Civic Hall", address="Leeds")], settings, virtual_clock)

    assert fake_geocoders.hung.is_set() and fake_geocoders.count("/search") == 1
    placed = result.placed[0]
    assert placed.location.source == "gazetteer"
    assert placed.location.precision == Precision.PLACE  # "Leeds" named in the address
    assert result.stats_dict()["nominatim"]["failures"] == 1


def test_a_service_that_keeps_failing_is_given_up_on_for_the_run(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.fail("/search", times=50, status=403)
    events = [event(i, venue=f"Hall {i}") for i in range(10)]

    result = run_chain(events, settings_for(fake_geocoders, tmp_path), virtual_clock)

    assert fake_geocoders.count("/search") == 3
    assert all(p.location.source == "gazetteer" for p in result.placed)
    assert result.stats_dict()["nominatim"]["failures"] == 10


def test_an_answer_outside_the_uk_is_a_warning_and_the_gazetteer_is_used(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.add_place("Town Hall", 48.8566, 2.3522, name="Hôtel de Ville, Paris, France")
    result = run_chain(
        [event(1, venue="Town Hall", address="The Headrow, Leeds")],
        settings_for(fake_geocoders, tmp_path),
        virtual_clock,
    )
    placed = result.placed[0]
    assert placed.location.source == "gazetteer"
    [note] = [n for n in placed.notes if n.code == "outside_uk"]
    assert note.severity == Severity.WARNING
    assert "Hôtel de Ville, Paris, France" in note.message
    assert "outside the UK" in note.message
    assert "Leeds" in note.message  # the place used instead


def test_the_wrong_civic_centre_far_away_is_flagged_and_the_council_used(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.add_place("Civic Centre", 50.72, -1.88, name="Civic Centre, Bournemouth")
    result = run_chain(
        [event(1, venue="Civic Centre", council="Barnsley")],
        settings_for(fake_geocoders, tmp_path),
        virtual_clock,
    )
    placed = result.placed[0]
    assert placed.location.source == "gazetteer"
    assert placed.location.precision == Precision.COUNCIL
    [note] = [n for n in placed.notes if n.code == "geocoded_far_from_council"]
    assert "Civic Centre, Bournemouth" in note.message
    assert "Barnsley" in note.message
    assert " km from Barnsley" in note.message


def test_a_postcode_no_longer_in_use_is_found_among_terminated_ones(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.add_terminated("LS1 9ZZ", 53.7991, -1.5491)
    result = run_chain(
        [event(1, postcode="LS1 9ZZ")], settings_for(fake_geocoders, tmp_path), virtual_clock
    )
    location = result.placed[0].location
    assert (location.source, location.precision) == ("postcodes.io", Precision.POSTCODE)
    assert location.label == "postcode LS1 9ZZ (ended 2019)"
    assert fake_geocoders.count("/terminated_postcodes/LS1%209ZZ") == 1


def test_a_postcode_that_does_not_exist_is_told_to_staff_and_the_venue_searched(
    fake_geocoders, virtual_clock, tmp_path
):
    fake_geocoders.add_place("Civic Hall", 53.8018, -1.5491)
    settings = settings_for(fake_geocoders, tmp_path)
    events = [event(1, postcode="LS1 9QQ", venue="Civic Hall"), event(2, postcode="LS1 9QQ")]

    result = run_chain(events, settings, virtual_clock)

    with_venue, without = result.placed
    assert with_venue.location.source == "nominatim"
    assert without.location.precision == Precision.SECTOR
    for placed in (with_venue, without):
        [note] = [n for n in placed.notes if n.code == "postcode_not_found"]
        assert note.message.startswith("The postcode 'LS1 9QQ' does not exist; check it.")

    fake_geocoders.reset_counts()
    run_chain(events, settings, virtual_clock)
    assert fake_geocoders.requests == []  # "not found" is remembered too


def test_not_found_is_asked_again_once_older_than_the_configured_time(
    fake_geocoders, virtual_clock, tmp_path
):
    settings = settings_for(fake_geocoders, tmp_path, retry_not_found_days=0.0)
    run_chain([event(1, venue="Nowhere Hall")], settings, virtual_clock)
    run_chain([event(1, venue="Nowhere Hall")], settings, virtual_clock)
    assert fake_geocoders.count("/search") == 2

    kept = settings_for(fake_geocoders, tmp_path, retry_not_found_days=30.0)
    run_chain([event(1, venue="Nowhere Hall")], kept, virtual_clock)
    assert fake_geocoders.count("/search") == 2


def test_offline_uses_overrides_cache_and_gazetteer_only(fake_geocoders, virtual_clock, tmp_path):
    postcodes = leeds_postcodes(fake_geocoders, 2)
    online = settings_for(fake_geocoders, tmp_path)
    run_chain([event(1, postcode=postcodes[0])], online, virtual_clock)
    fake_geocoders.reset_counts()
    offline = replace(
        online, offline=True, overrides={"Hall 9, Leeds": (53.81, -1.56), "e3": (53.7, -1.5)}
    )
    events = [
        event(1, postcode=postcodes[0]),
        event(2, postcode=postcodes[1]),
        event(3, formats=(ONLINE,)),
        event(4, venue="Hall 9", address="hall 9,  leeds"),
    ]

    result = locate(events, gazetteer(), offline)

    assert fake_geocoders.requests == []
    sources = [p.location.source for p in result.placed]
    assert sources == ["postcodes.io", "gazetteer", "override", "override"]
    assert result.placed[3].location.precision == Precision.EXACT


def test_offline_without_a_cache_file_creates_none(tmp_path):
    settings = GeocodeSettings(cache=tmp_path / "cache.sqlite", codepoint=tmp_path / "cp.sqlite")
    result = locate([event(1, postcode="LS1 1UR")], gazetteer(), settings)
    assert result.placed[0].location.precision == Precision.SECTOR
    assert not (tmp_path / "cache.sqlite").exists()
    assert result.stats_dict() == {}


def test_online_needs_an_identifying_user_agent(tmp_path):
    settings = GeocodeSettings(offline=False)
    with pytest.raises(ConfigError, match="user_agent"):
        online_services(settings)


def test_progress_is_reported_for_each_online_request(fake_geocoders, virtual_clock, tmp_path):
    seen: list[tuple[int, int]] = []
    postcodes = leeds_postcodes(fake_geocoders, 120)
    events = [event(i, postcode=p) for i, p in enumerate(postcodes)]
    events += [event(200 + i, venue=f"Hall {i}") for i in range(3)]
    run_chain(
        events,
        settings_for(fake_geocoders, tmp_path),
        virtual_clock,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
