"""The plain data that flows through a sync: Table -> Response -> Event (+ Problem) -> Location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Field names a configuration maps to the form's question titles (DESIGN.md, "Form fields").
FORM_FIELDS: tuple[str, ...] = (
    "timestamp",
    "submitter_email",
    "submitter_name",
    "council",
    "title",
    "event_type",
    "formats",
    "date",
    "start_time",
    "end_time",
    "venue",
    "address",
    "postcode",
    "link",
    "description",
    "aims",
    "audience",
    "contact_email",
    "contact_consent",
    "approved",
    "latitude",
    "longitude",
)
REQUIRED_FIELDS: tuple[str, ...] = ("title",)

# The three ways an event can be attended, in the order the form lists them.
FACE_TO_FACE = "face-to-face"
ONLINE = "online"
PHONE = "phone"
FORMATS: tuple[str, ...] = (FACE_TO_FACE, ONLINE, PHONE)


class Severity(StrEnum):
    """How bad a problem is: errors keep the event off the map, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class Precision(StrEnum):
    """How closely a location pins the venue, best first."""

    EXACT = "exact"
    ADDRESS = "address"
    POSTCODE = "postcode"
    SECTOR = "sector"
    DISTRICT = "district"
    PLACE = "place"
    COUNCIL = "council"


@dataclass(frozen=True)
class Note:
    """What a cleaner found wrong with one value, before it is tied to a row and field."""

    severity: Severity
    code: str
    message: str


@dataclass(frozen=True)
class Problem:
    """Something wrong with one form response, told to the person who filled it in."""

    row_number: int
    field: str
    severity: Severity
    code: str
    message: str

    @classmethod
    def from_note(cls, note: Note, row_number: int, field: str) -> Problem:
        return cls(row_number, field, note.severity, note.code, note.message)


@dataclass(frozen=True)
class Table:
    """The form's responses as read, before any field is interpreted.

    A header row and the rows under it, each with its row number in the sheet (header = 1).
    `locale` and `timezone` are the spreadsheet's own (e.g. "en_GB", "Europe/London") when it
    was read from Google; a CSV download does not say, so they stay empty.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    name: str = ""
    locale: str = ""
    timezone: str = ""


@dataclass(frozen=True)
class Response:
    """One row of the form's responses as read: field name -> text as typed."""

    row_number: int
    values: Mapping[str, str]
    source: str = ""

    def get(self, field_name: str) -> str:
        return self.values.get(field_name, "")


@dataclass(frozen=True)
class Location:
    """Where an event is shown, how precise that is and where the answer came from."""

    latitude: float
    longitude: float
    precision: Precision
    source: str
    label: str = ""


@dataclass(frozen=True)
class Event:
    """A cleaned form response: one event as it may appear on the public map."""

    id: str
    title: str
    row_number: int
    description: str = ""
    council: str = ""
    council_code: str = ""
    # Where the event is, for people browsing their area: the council's nation and, in
    # England, its region (from the council named, or else the postcode's district).
    nation: str = ""
    region: str = ""
    event_type: str = ""
    formats: tuple[str, ...] = ()
    other_format: str = ""
    date: dt.date | None = None
    # The last day of an event that runs over several ("12-14 June") or past midnight.
    end_date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    venue: str = ""
    address: str = ""
    postcode: str = ""
    link: str = ""
    aims: str = ""
    audience: str = ""
    contact_email: str = ""
    contact_consent: bool = False
    submitter_email: str = ""
    submitter_name: str = ""
    approved: str = ""
    submitted_at: dt.datetime | None = None
    given_location: Location | None = None
    location: Location | None = None
    layer: str = ""

    def but(self, **changes: Any) -> Event:
        """A copy with `changes` made: what `dataclasses.replace` gives, without its per-field
        work (a sync copies every event more than once)."""
        unknown = changes.keys() - Event.__dataclass_fields__.keys()
        if unknown:
            raise TypeError(f"Event has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(Event)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @property
    def has_venue(self) -> bool:
        """True when the event happens somewhere people can go to."""
        return FACE_TO_FACE in self.formats or not self.formats


@dataclass(frozen=True)
class KnownEvent:
    """What a sync remembers of the answers behind one event, so the next sync knows the event
    again after an edit or a re-sort (clean/identity.py). Keyed hashes only, never the text."""

    row: int  # the row of the answer on the map
    owner: str  # who sent it: the email address, or the council without one
    answers: tuple[str, ...]  # each answer folded into the event, whole
    fields: Mapping[str, str] = field(default_factory=dict)  # its answer, question by question
    rows: tuple[int, ...] = ()  # the rows of every answer folded into it (its copies too)


@dataclass(frozen=True)
class CleanResult:
    """What cleaning a whole sheet gives: the events and every problem found, and what the
    next sync needs to know each event again (event id -> KnownEvent)."""

    events: tuple[Event, ...]
    problems: tuple[Problem, ...]
    rows_read: int = 0
    known: Mapping[str, KnownEvent] = field(default_factory=dict)


@dataclass(frozen=True)
class CancelledEvent:
    """An event taken off the map, kept a while so subscribed calendars show it cancelled."""

    record: Mapping[str, str]  # its id and original start ("date", "start_time"), nothing more
    sequence: int
    since: str = ""  # the day it left the map, "2027-03-20"
    at: str = ""  # when it was cancelled, "2027-03-20T10:30:00Z": its DTSTAMP


@dataclass(frozen=True)
class CalendarUpdates:
    """What calendars need to update rather than duplicate: each event's SEQUENCE (raised
    whenever it changes) and the events recently taken off the map."""

    sequences: Mapping[str, int] = field(default_factory=dict)
    cancelled: Mapping[str, CancelledEvent] = field(default_factory=dict)


@dataclass
class SyncReport:
    """What a sync did, for the summary, `--json` and the log."""

    rows_read: int = 0
    source: str = ""
    events: tuple[Event, ...] = ()
    published: tuple[Event, ...] = ()
    unplaced: tuple[Event, ...] = ()
    rejected: tuple[Event, ...] = ()
    # Off the map on purpose, not problems (select.Selection says which goes where).
    pending: tuple[Event, ...] = ()
    hidden: tuple[Event, ...] = ()
    past: tuple[Event, ...] = ()
    problems: tuple[Problem, ...] = ()
    outputs: tuple[str, ...] = ()
    dry_run: bool = False
    geocoder_stats: dict[str, dict[str, int]] = field(default_factory=dict)
    # What an organiser should know about the files written (My Maps' limits, for example).
    notices: tuple[str, ...] = ()
    calendar: CalendarUpdates = field(default_factory=CalendarUpdates)
    known: Mapping[str, KnownEvent] = field(default_factory=dict)  # see CleanResult
    # Each published event's public fields and their hash, by id (worked out once per sync).
    records: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    record_hashes: Mapping[str, str] = field(default_factory=dict)
