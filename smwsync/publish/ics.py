"""A calendar (.ics, RFC 5545) of the dated events, for people to subscribe to.

One VEVENT per dated event, with a UID that stays the same from one sync to the next, so a
subscribed calendar updates an event instead of adding it twice. Times are UK local time
(Europe/London, with its VTIMEZONE in the file); an event with no start time is all-day.

`sequences` (event id -> SEQUENCE) and `cancelled` (events taken off the map, published with
STATUS:CANCELLED for a while) come from the sync state; without it SEQUENCE is 0.

DTSTAMP, which RFC 5545 requires, is the time the form response was last submitted (its
Timestamp, in UTC): in a calendar without a METHOD, DTSTAMP means "when this information last
changed", which is exactly that, and it keeps the bytes the same for the same responses.
A response with no readable Timestamp gets a fixed date, FALLBACK_DTSTAMP, instead of the
clock's time.

A cancelled event (taken off the map: hidden, spam, its response deleted) carries only what a
subscribed calendar needs to remove it: UID, SEQUENCE, DTSTAMP (when it was cancelled), its
original start, STATUS:CANCELLED and a neutral SUMMARY. Nothing from the form stays.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from smwsync.model import Event
from smwsync.publish.fields import (
    FORMAT_LABELS,
    PUBLIC_FIELDS,
    format_text,
    public_record,
    when_text,
    where_text,
)
from smwsync.publish.geojson import has_wgs84_point
from smwsync.publish.kml import xml_text
from smwsync.publish.pieces import Pieces

if TYPE_CHECKING:
    import icalendar

EVENT_TIMEZONE = "Europe/London"
PRODUCT_ID = "-//smwsync//Social Media Week event map//EN"
UID_DOMAIN = "smwsync"
FALLBACK_DTSTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CANCELLED_SUMMARY = "Cancelled event"
# How often a subscribed calendar should fetch the file again (Apple, Outlook honour it).
REFRESH_INTERVAL = dt.timedelta(hours=1)
# The icalendar library folds content lines before they reach 75 octets.
_FOLD_OCTETS = 75

_LONDON = ZoneInfo(EVENT_TIMEZONE)
_LINE_BREAK = re.compile(r"\r\n?")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_LABELS = {field.name: field.label for field in PUBLIC_FIELDS}
# The public fields in an event's DESCRIPTION, before and after the organiser's own text.
_HEADLINES = ("format", "event_type")
_DETAILS = ("aims", "audience", "link", "contact_email", "council")


def render_ics(
    events: Sequence[Event],
    *,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Event] = (),
    title: str = "Social Media Week events",
    description: str = "",
    form_url: str = "",
    pieces: Pieces | None = None,
) -> bytes:
    """The calendar of every dated event, plus `cancelled` ones marked STATUS:CANCELLED.

    Undated events are left out. An event that is both live and in `cancelled` is live.
    Events are sorted by date, start time, title and id, so the same events give the same bytes.
    VEVENTs kept in `pieces` are not written again.
    """
    return "".join(
        ics_text(
            events,
            sequences=sequences,
            cancelled=cancelled,
            title=title,
            description=description,
            form_url=form_url,
            pieces=pieces,
        )
    ).encode()


def ics_text(
    events: Sequence[Event],
    *,
    sequences: Mapping[str, int] | None = None,
    cancelled: Sequence[Event] = (),
    title: str = "Social Media Week events",
    description: str = "",
    form_url: str = "",
    pieces: Pieces | None = None,
) -> Iterator[str]:
    """The text of `render_ics`'s calendar, one VEVENT at a time."""
    # icalendar writes the calendar's frame only (its VEVENTs are text): loaded when a
    # calendar is written, not by every sync that imports this module.
    import icalendar

    sequences = sequences or {}
    pieces = pieces or Pieces()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", icalendar.vText(_one_line(title)))
    calendar.add("x-wr-calname", icalendar.vText(_one_line(title)))
    if description:
        calendar.add("description", _text(description))
        calendar.add("x-wr-caldesc", icalendar.vText(_text(description)))
    calendar.add("x-wr-timezone", EVENT_TIMEZONE)
    calendar.add(
        "refresh-interval", icalendar.vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    calendar.add_component(london_timezone())

    live_ids = {event.id for event in events}
    entries = [(event, False) for event in events if event.date is not None]
    entries += [
        (event, True) for event in cancelled if event.date is not None and event.id not in live_ids
    ]
    # The calendar's own lines end with END:VCALENDAR; its VEVENTs go just before that.
    frame = calendar.to_ical().decode()
    ending = "END:VCALENDAR\r\n"
    yield frame.removesuffix(ending)
    for event, is_cancelled in sorted(entries, key=lambda entry: _calendar_order(entry[0])):
        sequence = sequences.get(event.id, 0)
        yield pieces.piece(
            "ics event",
            event,
            (sequence, is_cancelled, form_url),
            partial(vevent_text, event, sequence, is_cancelled, form_url),
        )
    yield ending


def vevent_text(event: Event, sequence: int, cancelled: bool, form_url: str) -> str:
    """One dated event's VEVENT, or a `cancelled` one's (UID, SEQUENCE, DTSTAMP: when it was
    cancelled, its original start, STATUS:CANCELLED); raises ValueError for an undated event.

    Written as the icalendar library writes a VEVENT (properties in its order, TEXT escaped
    and lines folded as it does), without building one: that took most of the calendar's
    time. tests/test_ics_text.py compares the two."""
    if event.date is None:
        raise ValueError(f"Event {event.id} has no date to put in a calendar.")
    start, end = event_times(event)
    stamp = f"DTSTAMP:{_utc_text(dtstamp(event))}"
    uid = f"UID:{escape_ics(event_uid(event))}"
    if cancelled:
        # All a calendar needs to remove it; some ignore STATUS, so the summary says it too.
        lines = [
            f"SUMMARY:{escape_ics(CANCELLED_SUMMARY)}",
            _time_line("DTSTART", start),
            stamp,
            uid,
            f"SEQUENCE:{sequence}",
            "STATUS:CANCELLED",
        ]
    else:
        lines = [f"SUMMARY:{escape_ics(_one_line(event.title))}", _time_line("DTSTART", start)]
        if end is not None:
            lines.append(_time_line("DTEND", end))
        lines += [stamp, uid, f"SEQUENCE:{sequence}"]
        categories = event_categories(event)
        if categories:
            lines.append("CATEGORIES:" + ",".join(escape_ics(name) for name in categories))
        lines.append(f"DESCRIPTION:{escape_ics(event_details(event, form_url))}")
        # GEO is where to go: an online or phone event's pin only marks its council. Its
        # FLOATs to 6 places: "51.477900;-0.000150", never "-1.5e-05" as Python writes it.
        location = event.location
        if event.has_venue and location is not None and has_wgs84_point(event):
            lines.append(f"GEO:{location.latitude:.6f};{location.longitude:.6f}")
        where = event_location(event)
        if where:
            lines.append(f"LOCATION:{escape_ics(where)}")
        lines.append("STATUS:CONFIRMED")
        if is_web_address(event.link):
            lines.append(f"URL:{event.link}")
    return "".join(f"{fold_line(line)}\r\n" for line in ("BEGIN:VEVENT", *lines, "END:VEVENT"))


def escape_ics(text: str) -> str:
    """Text as an iCalendar TEXT value, escaped the way the icalendar library escapes it."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold_line(line: str) -> str:
    """A content line folded as the icalendar library folds it: each part at most 74 octets
    of UTF-8 (the next ones after a space), never inside a character, and a backslash or
    caret that would end a part starts the next one instead."""
    if len(line) < _FOLD_OCTETS and len(line.encode()) < _FOLD_OCTETS:
        return line
    parts = []
    start = 0
    while True:
        part = line[start : start + _FOLD_OCTETS - 1]
        size = len(part.encode())
        while size >= _FOLD_OCTETS:
            size -= len(part[-1].encode())
            part = part[:-1]
        if start + len(part) >= len(line):
            parts.append(part)
            return "\r\n ".join(parts)
        if len(part) > 1 and part[-1] in "\\^":
            part = part[:-1]
        parts.append(part)
        start += len(part)


def _time_line(name: str, value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{name};TZID={EVENT_TIMEZONE}:{_date_text(value)}T{value:%H%M%S}"
    return f"{name};VALUE=DATE:{_date_text(value)}"


def _utc_text(value: dt.datetime) -> str:
    return f"{_date_text(value)}T{value:%H%M%S}Z"


def _date_text(value: dt.date) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}"


def is_web_address(link: str) -> bool:
    """True for an http(s) address that can be a URL value: no spaces or control characters."""
    return link.lower().startswith(("http://", "https://")) and not _NOT_IN_URL.search(link)


def event_uid(event: Event) -> str:
    """The event's UID: its stable id at smwsync, "smw-1a2b3c4d5e6f@smwsync"."""
    return f"{event.id}@{UID_DOMAIN}"


def dtstamp(event: Event) -> dt.datetime:
    """When the event's response was last submitted, in UTC; FALLBACK_DTSTAMP when unknown."""
    submitted = event.submitted_at
    if submitted is None:
        return FALLBACK_DTSTAMP
    if submitted.tzinfo is None:  # never the machine's own time zone: same input, same output
        submitted = submitted.replace(tzinfo=dt.UTC)
    return submitted.astimezone(dt.UTC).replace(microsecond=0)


def event_times(event: Event) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """DTSTART and DTEND: UK local times, or an all-day date and the day after the last.

    The end is on the event's last day (`end_date`: a run of days, or past midnight), else on
    its date. With a start and no end time, a run of days ends at the midnight after its last
    day; one day has no DTEND, which RFC 5545 reads as starting at that time, all that is known.
    An end not after the start gives no DTEND either.
    """
    if event.date is None:
        raise ValueError(f"Event {event.id} has no date.")
    last_day = max(event.end_date or event.date, event.date)
    if event.start_time is None:
        return event.date, last_day + dt.timedelta(days=1)
    start = dt.datetime.combine(event.date, _minutes(event.start_time), tzinfo=_LONDON)
    if event.end_time is not None:
        end = dt.datetime.combine(last_day, _minutes(event.end_time), tzinfo=_LONDON)
    elif last_day > event.date:
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=_LONDON)
    else:
        return start, None
    return start, end if end > start else None


def event_details(event: Event, form_url: str = "") -> str:
    """The DESCRIPTION: when, where, format and type; the organiser's text; aims, links, contact.

    The three parts are separated by a blank line.
    """
    record = public_record(event)
    headlines = [
        _labelled("When", when_text(event)),
        _labelled("Where", _one_line(where_text(event))),
        *(_labelled(_LABELS[name], record[name]) for name in _HEADLINES),
    ]
    details = [
        *(_labelled(_LABELS[name], record[name]) for name in _DETAILS),
        _labelled("Add your own event", form_url),
    ]
    parts = (
        "\n".join(line for line in headlines if line),
        _text(record["description"]).strip(),
        "\n".join(line for line in details if line),
    )
    return "\n\n".join(part for part in parts if part)


def event_location(event: Event) -> str:
    """The LOCATION: venue, address and postcode; how to join when the event has no venue."""
    where = _one_line(where_text(event))
    if where:
        return where
    return "" if event.has_venue else _one_line(format_text(event))


def event_categories(event: Event) -> list[str]:
    """The CATEGORIES: how people take part ("Face-to-face", "Online") and the type of event."""
    names = [FORMAT_LABELS.get(name, name) for name in event.formats]
    names.append(event.event_type)
    return [_one_line(name) for name in dict.fromkeys(names) if name.strip()]


def london_timezone() -> icalendar.Timezone:
    """The VTIMEZONE for Europe/London as today's rules: GMT, and BST from the last Sunday in
    March at 01:00 GMT to the last Sunday in October at 02:00 BST.

    Written out rather than derived from the tz database, so the file does not change with the
    machine's tzdata version or the span of dates in it. The rules start in 1970, as widely
    published VTIMEZONEs do; they are wrong for some years before 1997, which no event has.
    """
    import icalendar

    timezone = icalendar.Timezone()
    timezone.add("tzid", EVENT_TIMEZONE)
    daylight = icalendar.TimezoneDaylight()
    daylight.add("tzname", "BST")
    daylight.add("tzoffsetfrom", dt.timedelta(0))
    daylight.add("tzoffsetto", dt.timedelta(hours=1))
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 1, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = icalendar.TimezoneStandard()
    standard.add("tzname", "GMT")
    standard.add("tzoffsetfrom", dt.timedelta(hours=1))
    standard.add("tzoffsetto", dt.timedelta(0))
    standard.add("dtstart", dt.datetime(1970, 10, 25, 2, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


def _labelled(label: str, text: str) -> str:
    return f"{label}: {_text(text)}" if text else ""


def _one_line(text: str) -> str:
    """Form text for a one-line property (a title, a category): spaces for its line breaks."""
    return " ".join(_text(text).split())


def _text(text: str) -> str:
    """Form text as iCalendar TEXT: no control characters, line breaks as plain newlines."""
    return xml_text(_LINE_BREAK.sub("\n", text))


def _minutes(time: dt.time) -> dt.time:
    return time.replace(second=0, microsecond=0, tzinfo=None)


def _calendar_order(event: Event) -> tuple[dt.date, dt.time, str, str]:
    return (event.date or dt.date.max, event.start_time or dt.time.min, event.title, event.id)
