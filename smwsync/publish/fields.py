"""The public face of an event: which fields may be published, and how each one reads.

Every publisher (KML, GeoJSON, calendar, CSV) takes its fields from here, so the allowlist is
kept in one place. The submitter's email and name, the approval answer, the row number and the
submission time are never public.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from smwsync.clean.choices import formats_named_plainly
from smwsync.clean.date_parts import MONTHS, WEEKDAYS  # English names: never the machine's locale
from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Location, Precision


class PublicField(NamedTuple):
    """One public field: its name (a stable column id) and the label people read."""

    name: str
    label: str


PUBLIC_FIELDS: tuple[PublicField, ...] = (
    PublicField("id", "Event ID"),
    PublicField("title", "Title"),
    PublicField("date", "Date"),
    PublicField("end_date", "End date"),
    PublicField("start_time", "Start time"),
    PublicField("end_time", "End time"),
    PublicField("format", "Format"),
    PublicField("event_type", "Type of event"),
    PublicField("council", "Council"),
    PublicField("nation", "Nation"),
    PublicField("region", "Region"),
    PublicField("venue", "Venue"),
    PublicField("address", "Address"),
    PublicField("postcode", "Postcode"),
    PublicField("link", "Booking link"),
    PublicField("description", "Description"),
    PublicField("aims", "Aims"),
    PublicField("audience", "Who it is for"),
    PublicField("contact_email", "Contact email"),
    PublicField("latitude", "Latitude"),
    PublicField("longitude", "Longitude"),
    PublicField("precision", "Location precision"),
    PublicField("location_source", "Location source"),
    PublicField("layer", "Layer"),
)

FORMAT_LABELS: dict[str, str] = {FACE_TO_FACE: "Face-to-face", ONLINE: "Online", PHONE: "Phone"}

# Public fields whose names a KML reader takes for KML's own: `description` is the Placemark's
# info window (GDAL's LIBKML driver reads the data field in its place and loses the window, and
# My Maps has a "description" column of its own). In KML's ExtendedData they go by these names.
KML_DATA_NAMES: dict[str, str] = {"description": "event_description"}

_LINE_BREAK = re.compile(r"\r\n?|\n")
_HTML_SPECIAL = re.compile("[&<>\"'\r\n]")
_NOT_WORD = re.compile(r"[\W_]+")
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def public_record(event: Event) -> dict[str, str]:
    """The event's public fields, in PUBLIC_FIELDS order, as display strings ("" when unknown)."""
    location = event.location
    record = {
        "id": event.id,
        "title": event.title,
        "date": event.date.isoformat() if event.date else "",
        "end_date": event.end_date.isoformat() if event.end_date and event.date else "",
        "start_time": clock_text(event.start_time),
        "end_time": clock_text(event.end_time),
        "format": format_text(event),
        "event_type": event.event_type,
        "council": event.council,
        "nation": event.nation,
        "region": event.region,
        "venue": event.venue,
        "address": event.address,
        "postcode": event.postcode,
        "link": event.link,
        "description": event.description,
        "aims": event.aims,
        "audience": event.audience,
        "contact_email": event.contact_email if event.contact_consent else "",
        "latitude": f"{location.latitude:.6f}" if location else "",
        "longitude": f"{location.longitude:.6f}" if location else "",
        "precision": location.precision.value if location else "",
        "location_source": location.source if location else "",
        "layer": event.layer,
    }
    return {field.name: record[field.name] for field in PUBLIC_FIELDS}


def event_from_record(record: Mapping[str, str]) -> Event:
    """An event back from its public fields (as the sync state keeps them), for publishing it
    once more, as cancelled, after it has left the map. Private fields stay empty."""
    labels = {label.casefold(): name for name, label in FORMAT_LABELS.items()}
    parts = [part.strip() for part in record.get("format", "").split(",") if part.strip()]
    other_format = ", ".join(p for p in parts if p.casefold() not in labels)
    named = {labels[p.casefold()] for p in parts if p.casefold() in labels}
    named |= formats_named_plainly(other_format)  # "Online (Zoom)" stands for its label
    formats = tuple(name for name in FORMAT_LABELS if name in named)
    location = None
    if record.get("latitude") and record.get("longitude"):
        location = Location(
            float(record["latitude"]),
            float(record["longitude"]),
            Precision(record.get("precision") or Precision.COUNCIL.value),
            record.get("location_source", ""),
        )
    return Event(
        id=record["id"],
        title=record.get("title", ""),
        row_number=0,
        date=_parsed(dt.date.fromisoformat, record.get("date", "")),
        end_date=_parsed(dt.date.fromisoformat, record.get("end_date", "")),
        start_time=_parsed(dt.time.fromisoformat, record.get("start_time", "")),
        end_time=_parsed(dt.time.fromisoformat, record.get("end_time", "")),
        formats=formats,
        other_format=other_format,
        **{name: record.get(name, "") for name in _PLAIN_TEXT_FIELDS},
        contact_consent=bool(record.get("contact_email")),
        location=location,
    )


_PLAIN_TEXT_FIELDS = (
    "event_type",
    "council",
    "nation",
    "region",
    "venue",
    "address",
    "postcode",
    "link",
    "description",
    "aims",
    "audience",
    "contact_email",
    "layer",
)


def _parsed(parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text) if text else None
    except ValueError:
        return None


def clock_text(time: dt.time | None) -> str:
    """A time of day as "14:30", or "" when there is none."""
    return f"{time.hour:02d}:{time.minute:02d}" if time else ""


def format_text(event: Event) -> str:
    """How people can attend: "Face-to-face, Online", followed by any "Other" answer.

    Each format is said once: an "Other" answer that names a format in plain words stands in
    for its label ("Online (Zoom)", never "Online, Online (Zoom)").
    """
    said = formats_named_plainly(event.other_format)
    labels = [FORMAT_LABELS.get(name, name) for name in event.formats if name not in said]
    if event.other_format:
        labels.append(event.other_format)
    return ", ".join(labels)


def where_text(event: Event) -> str:
    """Where the event is, each thing said once: "Library of Birmingham, Centenary Square,
    B1 2ND", however much of it the venue, address and postcode answers repeat.

    A comma-separated part already given (ignoring case and punctuation) is left out, and so
    is the postcode when the venue or address already holds it.
    """
    parts: list[str] = []
    seen: set[str] = set()
    for answer in (event.venue, event.address):
        for part in answer.split(","):
            key = _compared(part)
            if part.strip() and key not in seen:
                parts.append(part.strip())
                seen.add(key)
    postcode = event.postcode.strip()
    if postcode and not holds_postcode(", ".join(parts), postcode):
        parts.append(postcode)
    return ", ".join(parts)


def _compared(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def holds_postcode(text: str, postcode: str) -> bool:
    """True when `text` holds the postcode as a word, spaced any way ("LS1 1UR", "ls11ur").

    What re.search(rf"(?<![A-Z0-9]){outward}\\s*{inward}(?![A-Z0-9])", text.upper()) finds,
    without compiling a pattern for every postcode (thousands a sync, beyond re's cache)."""
    outward, _, inward = postcode.upper().partition(" ")
    text = text.upper()
    start = text.find(outward)
    while start != -1:
        if start == 0 or text[start - 1] not in _ASCII_ALNUM:
            # Every run of whitespace after the outward code, longest first, as \s* tries it.
            gap = after = start + len(outward)
            while gap < len(text) and text[gap].isspace():
                gap += 1
            for inward_at in range(gap, after - 1, -1):
                end = inward_at + len(inward)
                if text.startswith(inward, inward_at) and (
                    end == len(text) or text[end] not in _ASCII_ALNUM
                ):
                    return True
        start = text.find(outward, start + 1)
    return False


def date_text(date: dt.date) -> str:
    """A date as people write it: "Wednesday 23 September 2026"."""
    return f"{WEEKDAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"


def time_range_text(event: Event) -> str:
    """The event's hours: "14:30–16:00", "14:30", "until 16:00", or "" when no time is given."""
    start, end = clock_text(event.start_time), clock_text(event.end_time)
    if start and end:
        return f"{start}–{end}"
    if end:
        return f"until {end}"
    return start


def when_text(event: Event) -> str:
    """The event's date and hours: "Wednesday 23 September 2026, 14:30–16:00"; "" if undated.

    An event with a later last day names both: "Saturday 12 June 2027 to Monday 14 June 2027",
    "Friday 11 June 2027, 22:00 to Saturday 12 June 2027, 01:00".
    """
    if event.date is None:
        return ""
    if event.end_date is None or event.end_date <= event.date:
        hours = time_range_text(event)
        return f"{date_text(event.date)}, {hours}" if hours else date_text(event.date)
    start, end = clock_text(event.start_time), clock_text(event.end_time)
    first = f"{date_text(event.date)}, {start}" if start else date_text(event.date)
    last = f"{date_text(event.end_date)}, {end}" if end else date_text(event.end_date)
    return f"{first} to {last}"


def info_window_html(event: Event, form_url: str = "", *, with_title: bool = True) -> str:
    """The HTML shown in a map's info window for the event: what, when, where, how to join.

    The title comes first, so the window says what it is about wherever it is shown; pass
    `with_title=False` where the map heads the window with the title itself (My Maps and
    Google Earth show a placemark's name above its description). Every piece of text from the
    form is escaped, so it reads as text and never acts as markup.
    """
    when = when_text(event) or time_range_text(event)
    lines = [
        html_paragraph(event.title) if with_title else "",
        _labelled("When", when),
        _labelled("Where", where_text(event)),
        _labelled("Format", format_text(event)),
        _labelled("Type of event", event.event_type),
        html_paragraph(event.description),
        _labelled("Aims", event.aims),
        _labelled("Who it is for", event.audience),
        html_link(event.link, "Book or find out more"),
        _labelled("Contact", event.contact_email if event.contact_consent else ""),
        _labelled("Organised by", event.council),
        html_link(form_url, "Add your own event"),
    ]
    return "<br>".join(line for line in lines if line)


def html_paragraph(text: str) -> str:
    """Form text as HTML that shows it literally: escaped, with its line breaks as <br>."""
    if _HTML_SPECIAL.search(text) is None:  # most answers: nothing to change
        return text
    return _LINE_BREAK.sub("<br>", html.escape(text, quote=True))


def html_link(url: str, text: str) -> str:
    """An <a> to a web address; an address that is not http(s) is shown as plain text."""
    if not url:
        return ""
    if not url.lower().startswith(("http://", "https://")):
        return f"{html.escape(text)}: {html_paragraph(url)}"
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def _labelled(label: str, text: str) -> str:
    return f"{label}: {html_paragraph(text)}" if text else ""
