"""Each event's piece of each output is kept in the memo: every file is the same bytes with
no memo, with an empty one, with one from the last sync and with one from a sync of other
events, and a sync where one event changed renders only that event's pieces."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from smwsync.config import PublishSettings, Settings, SiteSettings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.memo import Memo
from smwsync.model import (
    FACE_TO_FACE,
    ONLINE,
    PHONE,
    CalendarUpdates,
    CancelledEvent,
    Event,
    Location,
    Precision,
)
from smwsync.publish.output_files import InMemory
from smwsync.publish.pieces import NOT_SHOWN
from smwsync.sync.pipeline import render_files

from conftest import make_event

EVERY_OUTPUT = PublishSettings(
    kml="events.kml",
    kmz="events.kmz",
    geojson="events.geojson",
    ics="events.ics",
    csv="events",
    site="map",
    form_url="https://forms.gle/example",
    description="Events near you",
)
SETTINGS = Settings(publish=EVERY_OUTPUT, site=SiteSettings(url="https://example.org/map/"))
UPDATED = "2026-11-24T09:10:00Z"
# A value for each field of an event, different from make_event's, so that each can change.
CHANGED: dict[str, object] = {
    "id": "smw-0000000000ff",
    "title": "Renamed & <moved>",
    "row_number": 99,
    "description": "New text",
    "council": "Bradford Council",
    "council_code": "E08000032",
    "nation": "Wales",
    "region": "",
    "event_type": "Talk",
    "formats": (ONLINE, PHONE),
    "other_format": "Online (Zoom)",
    "date": dt.date(2027, 3, 24),
    "end_date": dt.date(2027, 3, 25),
    "start_time": dt.time(9, 0),
    "end_time": dt.time(17, 45),
    "venue": "Town Hall",
    "address": "The Headrow",
    "postcode": "LS1 3AD",
    "link": "https://example.org/other",
    "aims": "Other aims",
    "audience": "Everyone",
    "contact_email": "other@example.org",
    "contact_consent": True,
    "submitter_email": "someone.else@example.org",
    "submitter_name": "Someone Else",
    "approved": "No",
    "submitted_at": dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC),
    "given_location": Location(53.8, -1.5, Precision.EXACT, "sheet"),
    "location": Location(53.79, -1.55, Precision.DISTRICT, "gazetteer", "Leeds"),
    "layer": "Online",
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def some_events() -> tuple[Event, ...]:
    layers = ("Face-to-face", "Online", "Phone")
    formats = ((FACE_TO_FACE,), (ONLINE,), (PHONE,))
    return tuple(
        make_event(
            number,
            title=f"Event {number % 4}",
            date=dt.date(2027, 3, 20 + number % 5) if number % 6 else None,
            layer=layers[number % 3],
            formats=formats[number % 3],
        )
        for number in range(1, 13)
    )


CALENDAR = CalendarUpdates(
    sequences={"smw-000000000003": 2},
    cancelled={
        "smw-0000000000aa": CancelledEvent(
            {"id": "smw-0000000000aa", "date": "2027-03-22", "start_time": "10:00"},
            sequence=1,
            since="2026-11-20",
            at="2026-11-20T10:30:00Z",
        )
    },
)


def render(
    events: tuple[Event, ...],
    gazetteer: Gazetteer,
    memo: Memo | None = None,
    settings: Settings = SETTINGS,
    calendar: CalendarUpdates = CALENDAR,
) -> dict[str, bytes]:
    files = InMemory()
    render_files(
        events, settings, calendar, into=files, gazetteer=gazetteer, updated=UPDATED, memo=memo
    )
    return files.files


def test_every_file_is_the_same_with_no_memo_an_empty_one_and_a_warm_one(gazetteer) -> None:
    events = some_events()
    fresh = render(events, gazetteer)
    assert {"events.kml", "events.ics", "events.geojson", "map/events.json"} <= set(fresh)
    first = Memo()
    assert render(events, gazetteer, first) == fresh
    warm = Memo(first.used())
    assert render(events, gazetteer, warm) == fresh
    assert warm.hits == len(first.used()) > 5 * len(events)  # nothing made again


def test_a_memo_from_a_sync_of_other_events_gives_the_same_bytes(gazetteer) -> None:
    events = some_events()
    other = Memo()
    render(tuple(make_event(n, title="Other") for n in range(5, 40)), gazetteer, other)
    assert render(events, gazetteer, Memo(other.used())) == render(events, gazetteer)


FIELDS = [field.name for field in dataclasses.fields(Event)]


def test_an_event_changed_in_any_field_is_rendered_as_from_scratch(gazetteer) -> None:
    # One event for each field, each changed in that field alone after the memo was warmed.
    events = tuple(make_event(number) for number in range(len(FIELDS)))
    memo = Memo()
    render(events, gazetteer, memo)
    changed = tuple(
        dataclasses.replace(event, **{name: CHANGED[name]})
        for event, name in zip(events, FIELDS, strict=True)
    )
    warm = Memo(memo.used())
    assert render(changed, gazetteer, warm) == render(changed, gazetteer)
    # A field no output shows renders nothing again.
    hidden = dataclasses.replace(events[0], **{name: CHANGED[name] for name in NOT_SHOWN})
    unseen = Memo(memo.used())
    render((hidden, *events[1:]), gazetteer, unseen)
    assert unseen.hits == len(unseen.used())


@pytest.mark.parametrize(
    "settings",
    [
        dataclasses.replace(SETTINGS, publish=dataclasses.replace(EVERY_OUTPUT, **changes))
        for changes in (
            {"form_url": "https://forms.gle/other"},
            {"title": "Another title"},
            {"layer_by": "council"},
        )
    ]
    + [dataclasses.replace(SETTINGS, site=SiteSettings(url="https://example.com/"))],
    ids=["form_url", "title", "layer_by", "site url"],
)
def test_a_change_of_settings_is_rendered_as_from_scratch(settings, gazetteer) -> None:
    events = some_events()
    memo = Memo()
    render(events, gazetteer, memo)
    assert render(events, gazetteer, Memo(memo.used()), settings) == render(
        events, gazetteer, settings=settings
    )


def test_new_colours_and_sequences_are_rendered_as_from_scratch(gazetteer) -> None:
    events = some_events()
    memo = Memo()
    render(events, gazetteer, memo)
    # A layer that sorts first takes the first colour; event 7's calendar SEQUENCE goes up;
    # event 3 is cancelled.
    changed = (make_event(40, layer="Art", formats=()), *events[3:])
    calendar = CalendarUpdates(
        sequences={events[6].id: 7},
        cancelled={
            events[2].id: CancelledEvent(
                {"id": events[2].id, "date": "2027-03-23"}, 3, "2026-11-24", UPDATED
            )
        },
    )
    settings = dataclasses.replace(
        SETTINGS, publish=dataclasses.replace(EVERY_OUTPUT, layer_by="council")
    )
    warm = render(changed, gazetteer, Memo(memo.used()), settings, calendar)
    assert warm == render(changed, gazetteer, settings=settings, calendar=calendar)


def test_an_id_taken_by_an_earlier_placemark_is_rendered_as_from_scratch(gazetteer) -> None:
    events = some_events()
    memo = Memo()
    render(events, gazetteer, memo)
    # A copy of event 5 in the same layer, sorted first: it takes the id attribute.
    copy = dataclasses.replace(events[4], title="Event 0", date=dt.date(2027, 3, 1))
    changed = (copy, *events)
    assert render(changed, gazetteer, Memo(memo.used())) == render(changed, gazetteer)


def test_a_sync_where_one_event_changed_renders_only_its_pieces(gazetteer) -> None:
    events = some_events()
    memo = Memo()
    render(events, gazetteer, memo)
    kept = memo.used()
    changed = (dataclasses.replace(events[0], title="Changed"), *events[1:])
    warm = Memo(kept)
    render(changed, gazetteer, warm)
    made = set(warm.used()) - set(kept)
    # Its placemark, feature, VEVENT and CSV row, and the site's data and list item.
    assert len(made) == 6
    # A re-sorted sheet (new row numbers) renders nothing again.
    resorted = Memo(kept)
    render(
        tuple(dataclasses.replace(e, row_number=100 - e.row_number) for e in events[::-1]),
        gazetteer,
        resorted,
    )
    assert set(resorted.used()) <= set(kept)


def test_pieces_are_plain_json_text(gazetteer) -> None:
    memo = Memo()
    render(some_events(), gazetteer, memo)
    kept = json.loads(json.dumps(memo.used()))
    assert render(some_events(), gazetteer, Memo(kept)) == render(some_events(), gazetteer)


def test_a_damaged_memo_gives_the_same_bytes(gazetteer) -> None:
    memo = Memo()
    render(some_events(), gazetteer, memo)
    damaged = {key: {"not": "a piece"} for key in memo.used()}
    assert render(some_events(), gazetteer, Memo(damaged)) == render(some_events(), gazetteer)
