"""Form responses to events and problems (pure): every answer cleaned and checked, none lost."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from smwsync.clean.choices import clean_formats, is_yes, moderation
from smwsync.clean.copies import fold_copies
from smwsync.clean.dates import When, clean_when
from smwsync.clean.identity import (
    UNKEYED,
    AnswerPrint,
    IdKey,
    Memory,
    answer_print,
    event_owner,
    identify,
    legacy_dated_id,
    legacy_event_id,
    owner_text,
)
from smwsync.clean.kept import answer_from_kept, kept_answer
from smwsync.clean.link_privacy import personal_data_in_link, personal_link_note
from smwsync.clean.links import clean_email, clean_link
from smwsync.clean.names import SubmitterName, name_removed_note
from smwsync.clean.postcode import KnownPostcodes, Postcode, clean_postcode, find_postcode
from smwsync.clean.scrub import removed_note, scrub_personal_data
from smwsync.clean.text import clean_text, quoted, truncate
from smwsync.clean.timestamps import parse_timestamp
from smwsync.memo import KEPT_NOWHERE, Memo, digest
from smwsync.model import (
    CleanResult,
    Event,
    Location,
    Note,
    Precision,
    Problem,
    Response,
    Severity,
)

# The UK's bounding box, Scilly to Shetland and Fermanagh to Lowestoft.
UK_LATITUDES = (49.8, 60.9)
UK_LONGITUDES = (-8.7, 1.8)

# How each free-text field is named to the person who filled the form in.
_FIELD_NAMES = {
    "title": "event title",
    "description": "description",
    "aims": "aims",
    "audience": "audience",
    "venue": "venue name",
    "address": "address",
    "event_type": "event type",
    "submitter_name": "name",
    "formats": "'Other' answer",
}
_MULTILINE = frozenset({"description", "aims", "audience"})
# Public free text, where an email address or phone number typed in is taken out (see scrub.py).
_SCRUBBED = frozenset(
    ("title", "description", "aims", "audience", "venue", "address", "event_type", "council")
) | {"formats"}  # the "Other" answer of the formats question
# Public text where the submitter's own name is taken out (see names.py): not the council's name.
_NAMED = _SCRUBBED - {"council"}
# Places, where a surname alone is more likely a street or a building than the person.
_PLACES = frozenset(("venue", "address"))
_COUNCIL_PARTS = re.compile(r"\s*(?:[,/&;+]|\band\b|\bor\b)\s*", re.IGNORECASE)
_COUNCIL_WORDS = re.compile(
    r"\b(?:the|city|county|borough|district|metropolitan|royal|council|of|cc|mbc|dc|bc)\b",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


class Council(Protocol):
    """A council as `find_council` knows it."""

    @property
    def name(self) -> str: ...  # canonical short name, "Leeds"

    @property
    def official_name(self) -> str: ...  # "Leeds City Council"

    @property
    def code(self) -> str: ...  # GSS code, "E08000035"

    @property
    def former_name(self) -> str: ...  # the abolished council the answer named, or ""


FindCouncil = Callable[[str], Council | None]
NearestCouncils = Callable[[str], Sequence[Council]]


def clean_responses(
    responses: Sequence[Response],
    *,
    find_council: FindCouncil,
    nearest_councils: NearestCouncils | None = None,
    known_postcodes: KnownPostcodes | None = None,
    day_first: bool = True,
    timezone: str = "Europe/London",
    text_limit: int = 2000,
    key: IdKey = UNKEYED,
    memory: Memory | None = None,
    today: dt.date | None = None,
    memo_of_work: Memo | None = None,
) -> CleanResult:
    """Clean every form response into an Event, with a Problem for each thing worth fixing.

    Blank rows are skipped; a row without a title gives an ERROR and no event. `today` (the
    campaign's date) lets a date a year or more away be questioned. Rows that are copies of
    the same event (the same person, the same title, see `event_id`) are folded to the newest
    answer, and each copy left out gets a WARNING. Each event gets its id as clean/identity.py
    says, from `memory` (what the last sync knew) and the campaign's `key`. Events come out in
    row order. A row whose answers and these settings are what `memo_of_work` kept from the
    last sync is not cleaned again.
    """
    remembered: dict[str, Council | None] = {}

    def lookup(text: str) -> Council | None:
        if text not in remembered:
            remembered[text] = find_council(text)
        return remembered[text]

    memo = memo_of_work or Memo(KEPT_NOWHERE)  # nothing to keep: nothing held
    # Everything cleaning a row depends on besides its answers (the gazetteer's councils and
    # postcodes are smwsync's own files, in the memo's salt).
    settings = [
        day_first,
        timezone,
        text_limit,
        # Not today itself: a kept answer says which days read it alike (clean/dates.py).
        today is not None,
        nearest_councils is not None,
        known_postcodes is not None,
        key.digest("memo", "", 16),
    ]
    # Hashed once: each row's key is this and its answers (memo.key per row took a tenth of
    # a sync that finds one answer changed).
    settings_key = memo.key("answer", settings)
    cleaned: list[tuple[Event, list[Problem]]] = []
    problems: list[Problem] = []
    prints: dict[int, AnswerPrint] = {}
    row_keys = [
        digest(
            settings_key + _ROW_ENCODER.encode([response.source, sorted(response.values.items())])
        )
        for response in responses
    ]
    memo.expect(row_keys)  # read from the work cache a batch at a time
    for response, row_key in zip(responses, row_keys, strict=True):
        kept = _kept(memo.get(row_key), response.row_number, timezone, today)
        if kept is None:
            event, row_problems, alike = _clean_row(
                response,
                find_council=lookup,
                nearest_councils=nearest_councils,
                known_postcodes=known_postcodes,
                day_first=day_first,
                timezone=timezone,
                text_limit=text_limit,
                key=key,
                today=today,
            )
            answer = None if event is None else answer_print(response, event_owner(event), key)
            memo.put(row_key, kept_answer(event, row_problems, answer, alike))
        else:
            event, row_problems, answer = kept
        if event is None:
            problems.extend(row_problems)
        else:
            cleaned.append((event, row_problems))
            if answer is not None:
                prints[event.row_number] = answer
    events, kept_problems, members = fold_copies(cleaned, key)
    problems.extend(kept_problems)
    events.sort(key=lambda event: event.row_number)
    memory = memory or Memory()
    # Only a state written before ids were keyed has ids to carry over (the upgrade).
    legacy = [_legacy_id(event, key) if memory.legacy else "" for event in events]
    identified, known = identify(events, members, prints, legacy, memory)
    return CleanResult(
        events=identified,
        problems=tuple(sorted(problems, key=lambda problem: problem.row_number)),
        rows_read=len(responses),
        known=known,
    )


_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def _kept(
    kept: object, row_number: int, timezone: str, today: dt.date | None
) -> tuple[Event | None, list[Problem], AnswerPrint | None] | None:
    """A cleaned row read back from the memo; None when there is none, it cannot be read (a
    damaged memo costs the cleaning, never a wrong event) or today reads the row otherwise
    than the day it was cleaned."""
    if kept is None:
        return None
    try:
        event, problems, answer, (first, last) = answer_from_kept(kept, row_number, timezone)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return None
    if today is not None and not first <= today <= last:
        return None
    return event, problems, answer


def clean_response(
    response: Response,
    *,
    find_council: FindCouncil,
    nearest_councils: NearestCouncils | None = None,
    known_postcodes: KnownPostcodes | None = None,
    day_first: bool = True,
    timezone: str = "Europe/London",
    text_limit: int = 2000,
    key: IdKey = UNKEYED,
    today: dt.date | None = None,
) -> tuple[Event | None, list[Problem]]:
    """Clean one row: its Event (None for a blank row or one with no title) and its problems.

    Its id is a new event's (see `event_id`); `clean_responses` knows it again when it is not.
    `nearest_councils` gives the "did you mean" councils for a council answer not found;
    `known_postcodes` (from the gazetteer) lets the postcode cleaner tell a postcode that
    cannot exist from one it cannot place exactly. `today` is the campaign's date, against
    which an event date far off is questioned.
    """
    event, problems, _ = _clean_row(
        response,
        find_council=find_council,
        nearest_councils=nearest_councils,
        known_postcodes=known_postcodes,
        day_first=day_first,
        timezone=timezone,
        text_limit=text_limit,
        key=key,
        today=today,
    )
    return event, problems


def _clean_row(
    response: Response,
    *,
    find_council: FindCouncil,
    nearest_councils: NearestCouncils | None,
    known_postcodes: KnownPostcodes | None,
    day_first: bool,
    timezone: str,
    text_limit: int,
    key: IdKey,
    today: dt.date | None,
) -> tuple[Event | None, list[Problem], tuple[dt.date, dt.date]]:
    """`clean_response`, and the days that, as today, would clean the row the same."""
    every_day = (dt.date.min, dt.date.max)
    row = _Row(
        response,
        text_limit,
        consented_email=_consented_email(response),
        name=_submitter_name(response, find_council),
    )
    if not any(clean_text(value) for value in response.values.values()):
        return None, [], every_day
    title = row.text("title")
    if not title:
        message = (
            "This answer has no event title; edit your response to the form and give the "
            "event a title, so it can go on the map."
        )
        problem = Problem(response.row_number, "title", Severity.ERROR, "title_missing", message)
        return None, [problem], every_day

    submitted_at = row.timestamp(day_first, timezone)
    council_text = row.text("council")
    council = find_council(council_text) if council_text else None
    if council is None:
        row.check_council(council_text, find_council, nearest_councils)
    elif council.former_name:
        row.add("council", _replaced_council(council))
    formats, other_format, note = clean_formats(response.get("formats"))
    row.add("formats", note)
    when = row.when(submitted_at, day_first, timezone, today)
    venue, address = row.text("venue"), row.address()
    postcode = row.postcode(address, venue, known_postcodes)
    given_location = row.given_location()
    submitter_email = row.email("submitter_email")

    event = Event(
        id=event_id(
            title,
            submitter_email=submitter_email,
            council=council_text,
            council_code=council.code if council else "",
            key=key,
        ),
        title=title,
        row_number=response.row_number,
        description=row.text("description"),
        # Public as people know it: "Leeds City Council", not the index's "Leeds".
        council=(council.official_name or council.name) if council else council_text,
        council_code=council.code if council else "",
        event_type=row.text("event_type"),
        formats=formats,
        other_format=row.cut("formats", row.scrub("formats", other_format)),
        date=when.date,
        end_date=when.end_date,
        start_time=when.start_time,
        end_time=when.end_time,
        venue=venue,
        address=address,
        postcode=str(postcode) if postcode else "",
        link=row.link(),
        aims=row.text("aims"),
        audience=row.text("audience"),
        contact_email=row.email("contact_email"),
        contact_consent=is_yes(response.get("contact_consent")),
        submitter_email=submitter_email,
        submitter_name=row.text("submitter_name"),
        approved=moderation(response.get("approved")),
        submitted_at=submitted_at,
        given_location=given_location,
    )
    return event, row.problems(), when.alike


def event_id(
    title: str,
    *,
    submitter_email: str = "",
    council: str = "",
    council_code: str = "",
    key: IdKey = UNKEYED,
) -> str:
    """A new event's id: "smw-" and 12 hex digits of a hash, keyed with the campaign's secret,
    of who sent it and its title.

    Who sent it is the submitter's email when the form collects it, otherwise the council (its
    GSS code, or what was typed when the council is unknown). The title is compared ignoring
    case, punctuation and spacing, so the same person submitting the same event twice gets one
    id and the copies fold into one. An event keeps its id when its answer is edited (its title
    too): see clean/identity.py.
    """
    return key.event_id(owner_text(submitter_email, council, council_code), title)


def _legacy_id(event: Event, key: IdKey) -> str:
    """The id this event had before ids were keyed (a later date of a series had its own)."""
    owner = event_owner(event)
    legacy = legacy_event_id(owner, event.title)
    if event.id != key.event_id(owner, event.title):
        legacy = legacy_dated_id(legacy, event.date)
    return legacy


@dataclass
class _Row:
    """One response being cleaned, with the notes found so far."""

    response: Response
    text_limit: int
    consented_email: str = ""
    name: SubmitterName = field(default_factory=SubmitterName)
    notes: list[tuple[str, Note]] = field(default_factory=list)

    def add(self, field_name: str, note: Note | None) -> None:
        if note is not None:
            self.notes.append((field_name, note))

    def problems(self) -> list[Problem]:
        """The row's problems. A message quotes what was typed, and problems are printed,
        logged and kept in the state, so any email address, phone number or the submitter's
        name in it goes."""
        row_number = self.response.row_number
        return [
            Problem.from_note(_without_personal_data(note, self.name), row_number, name)
            for name, note in self.notes
        ]

    def text(self, field_name: str) -> str:
        """A free-text answer, tidied, without personal data if public, and cut to the length
        limit (each with a warning)."""
        value = clean_text(self.response.get(field_name), multiline=field_name in _MULTILINE)
        return self.cut(field_name, self.scrub(field_name, value))

    def scrub(self, field_name: str, value: str) -> str:
        """Public text without email addresses or phone numbers (but the consented email),
        nor the submitter's own name."""
        if field_name not in _SCRUBBED:
            return value
        what = _FIELD_NAMES.get(field_name, field_name)
        scrubbed, kinds = scrub_personal_data(value, consented_email=self.consented_email)
        self.add(field_name, removed_note(kinds, what))
        if field_name in _NAMED:
            surname_alone = field_name not in _PLACES
            scrubbed, named = self.name.remove(scrubbed, surname_alone=surname_alone)
            self.add(field_name, name_removed_note(what) if named else None)
        return scrubbed

    def cut(self, field_name: str, value: str) -> str:
        short, was_cut = truncate(value, self.text_limit)
        if was_cut:
            what = _FIELD_NAMES.get(field_name, field_name.replace("_", " "))
            message = (
                f"The {what} is {len(value):,} characters long, so we cut it to "
                f"{self.text_limit:,}; shorten it so nothing is lost."
            )
            self.add(field_name, Note(Severity.WARNING, "text_too_long", message))
        return short

    def address(self) -> str:
        """The address on one line: the lines people typed joined with commas."""
        lines = clean_text(self.response.get("address"), multiline=True).split("\n")
        joined = ", ".join(line.rstrip(",") for line in lines if line.strip(" ,"))
        return self.cut("address", self.scrub("address", joined))

    def timestamp(self, day_first: bool, timezone: str) -> dt.datetime | None:
        typed = clean_text(self.response.get("timestamp"))
        if not typed:
            return None
        submitted_at = parse_timestamp(typed, day_first=day_first, timezone=timezone)
        if submitted_at is None:
            message = (
                f"We could not read the timestamp {quoted(typed)} as a date and time; "
                "check the sheet's Timestamp column."
            )
            self.add("timestamp", Note(Severity.WARNING, "timestamp_unreadable", message))
        return submitted_at

    def check_council(
        self, typed: str, find_council: FindCouncil, nearest: NearestCouncils | None = None
    ) -> None:
        """Say why a council was not found, with the councils it might have meant."""
        if not typed:
            if "council" in self.response.values:
                message = "This answer does not say which council runs the event; add it."
                self.add("council", Note(Severity.WARNING, "council_missing", message))
            return
        guesses = _council_guesses(typed, find_council)
        if not guesses and nearest is not None:
            guesses = list(nearest(typed))
        names = [_council_as_named(guess) for guess in guesses]
        if len(names) == 1:
            hint = f"did you mean {names[0]}? Write the council's full name"
        elif names:
            hint = f"did you mean {', '.join(names[:-1])} or {names[-1]}? Name one council"
        else:
            hint = "write the council's full name, like 'Leeds City Council'"
        message = f"We could not find the council {quoted(typed)}; {hint}."
        self.add("council", Note(Severity.WARNING, "council_unknown", message))

    def when(
        self,
        submitted_at: dt.datetime | None,
        day_first: bool,
        timezone: str,
        today: dt.date | None,
    ) -> When:
        """The date, any last day, and the times (see dates.clean_when), with their notes."""
        when = clean_when(
            clean_text(self.response.get("date")),
            clean_text(self.response.get("start_time")),
            clean_text(self.response.get("end_time")),
            day_first=day_first,
            submitted_at=submitted_at,
            today=today,
            timezone=timezone,
            date_asked="date" in self.response.values,
        )
        for field_name, note in when.notes:
            self.add(field_name, note)
        return when

    def postcode(
        self, address: str, venue: str, known: KnownPostcodes | None = None
    ) -> Postcode | None:
        """The postcode question, else the one postcode written in the address or venue."""
        typed = clean_text(self.response.get("postcode"))
        postcode, note = clean_postcode(typed, known) if typed else (None, None)
        if postcode is None or not postcode.is_full:
            found = find_postcode(address, known) or find_postcode(venue, known)
            if found and (postcode is None or found.outward == postcode.outward):
                postcode = found
                if note is not None and note.severity is Severity.ERROR:
                    message = f"{note.message} (we used {found} from the address meanwhile)"
                    note = Note(Severity.WARNING, note.code, message)
        if note is not None and note.severity is Severity.ERROR:
            # A bad postcode alone does not keep the event off the map: it is placed from its
            # address or council, less precisely, and only an event placed nowhere is an error.
            message = f"{note.message} (until then the event is placed from its address or council)"
            note = Note(Severity.WARNING, note.code, message)
        self.add("postcode", note)
        return postcode

    def link(self) -> str:
        """A safe web link, left off (with a warning) when it carries personal data."""
        typed = self.response.get("link")
        carried = personal_data_in_link(typed, consented_email=self.consented_email, name=self.name)
        if carried:
            self.add("link", personal_link_note(carried))
            return ""
        link, note = clean_link(typed)
        self.add("link", note)
        return link

    def email(self, field_name: str) -> str:
        email, note = clean_email(self.response.get(field_name))
        if note is not None:
            # Not quoted: an address is personal data, and problems are printed and logged.
            what = "contact email" if field_name == "contact_email" else "email address"
            message = (
                f"The {what} does not look like one email address; give one address, like "
                "name@council.gov.uk."
            )
            note = Note(note.severity, note.code, message)
        self.add(field_name, note)
        return email

    def given_location(self) -> Location | None:
        """Coordinates typed in the sheet, when both are numbers inside the UK."""
        typed_lat = clean_text(self.response.get("latitude"))
        typed_lon = clean_text(self.response.get("longitude"))
        if not typed_lat and not typed_lon:
            return None
        note = _location_note(typed_lat, typed_lon)
        latitude, longitude = _number(typed_lat), _number(typed_lon)
        if note is not None or latitude is None or longitude is None:
            self.add("latitude", note)
            return None
        return Location(latitude, longitude, Precision.EXACT, "sheet")


def _consented_email(response: Response) -> str:
    """The contact email the consent question agrees to publish, or ""."""
    if not is_yes(response.get("contact_consent")):
        return ""
    return clean_email(response.get("contact_email"))[0]


def _location_note(typed_lat: str, typed_lon: str) -> Note | None:
    if not typed_lat or not typed_lon:
        message = (
            f"Only one of latitude and longitude is filled in ({quoted(typed_lat or typed_lon)}); "
            "give both, or leave both blank."
        )
        return Note(Severity.WARNING, "location_incomplete", message)
    latitude, longitude = _number(typed_lat), _number(typed_lon)
    shown = f"{quoted(typed_lat)}, {quoted(typed_lon)}"
    if latitude is None or longitude is None:
        message = (
            f"The latitude and longitude {shown} are not numbers; write them like "
            "53.7997, -1.5492, or leave both blank."
        )
        return Note(Severity.WARNING, "location_invalid", message)
    if _in_uk(latitude, longitude):
        return None
    if _in_uk(longitude, latitude):
        message = (
            f"The latitude and longitude {shown} look the wrong way round; put the latitude "
            "(about 50 to 60 in the UK) first."
        )
        return Note(Severity.WARNING, "location_swapped", message)
    message = (
        f"The latitude and longitude {shown} are not in the UK; check them, or leave both blank."
    )
    return Note(Severity.WARNING, "location_outside_uk", message)


def _number(text: str) -> float | None:
    text = text.replace("\u2212", "-").replace(" ", "")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # a decimal comma
    return float(text) if _NUMBER.match(text) else None


def _in_uk(latitude: float, longitude: float) -> bool:
    return (
        UK_LATITUDES[0] <= latitude <= UK_LATITUDES[1]
        and UK_LONGITUDES[0] <= longitude <= UK_LONGITUDES[1]
    )


def _council_as_named(council: Council) -> str:
    name = council.official_name or council.name
    return f"{council.former_name} (now {name})" if council.former_name else name


def _replaced_council(council: Council) -> Note:
    message = (
        f"{council.former_name} no longer exists: {council.official_name} took over its area, "
        f"so the event is listed under {council.official_name}. Name the council as it is now."
    )
    return Note(Severity.WARNING, "council_replaced", message)


def _council_guesses(typed: str, find_council: FindCouncil) -> list[Council]:
    """Councils named by parts of what was typed ("Leeds and Bradford"), at most three."""
    without_brackets = _BRACKETED.sub(" ", typed)
    words = [word for word in re.findall(r"\w{4,}", _COUNCIL_WORDS.sub(" ", without_brackets))]
    attempts = [
        *_COUNCIL_PARTS.split(typed),
        without_brackets,
        _COUNCIL_WORDS.sub(" ", typed),
        _COUNCIL_WORDS.sub(" ", without_brackets),
        *words,
    ]
    guesses: dict[str, Council] = {}
    for attempt in attempts:
        attempt = clean_text(attempt)
        if attempt and attempt != typed:
            council = find_council(attempt)
            if council is not None:
                guesses.setdefault(council.code or council.name, council)
    return list(guesses.values())[:3]


def _submitter_name(response: Response, find_council: FindCouncil) -> SubmitterName:
    """The submitter's name as it may appear in public text; a council's name ("Preston")
    is a place there, not the person."""
    return SubmitterName.of(
        response.get("submitter_name"), is_place=lambda word: find_council(word) is not None
    )


def _without_personal_data(note: Note, name: SubmitterName) -> Note:
    message, removed = scrub_personal_data(note.message)
    message, named = name.remove(message)
    return replace(note, message=message) if removed or named else note
