"""Which event each answer is, from one sync to the next (pure).

An event keeps its id for as long as its answer is in the sheet, however it is edited and
however the sheet is sorted. The last sync's state remembers, for each id, keyed hashes of the
answers behind it (`KnownEvent`); this sync gives each event the id of

0. the id written in its row by the last write-back to a live sheet (`ID_COLUMN`, beside the
   status column), which moves with the row however the sheet is sorted;
1. the event one of its answers belonged to, unchanged (a re-sort, a row deleted above it);
2. else, from a state written before ids were keyed, the id that state used (the upgrade);
3. else the event its answer was before being edited: sent by the same person, paired with
   that person's unmatched events best agreement first (by email address, however much was
   edited; by council when the form collects no email, only in the same row or agreeing on
   at least half of the answered questions);
4. else a new id, from a keyed hash of who sent it and its title.

Every hash is keyed with the campaign's secret (`IdKey`), so nobody can confirm a guess of who
sent an event from its public id, and the state holds no text of the answers.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smwsync.clean.text import clean_text
from smwsync.model import Event, KnownEvent, Response, Table
from smwsync.sources.columns import header_key

# The questions compared to know an edited answer again.
COMPARED = (
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
    "council",
)
# Not part of the answer: the organisers' approval column changes without the answer changing.
_NOT_THE_ANSWER = frozenset({"approved"})
_NOT_WORD = re.compile(r"[\W_]+")
# The column smwsync writes beside the status column of a live sheet: each response's event id.
ID_COLUMN = "Map event ID"
_AN_ID = re.compile(r"smw-[0-9a-f]{12}")
# What the hashes of answers and ids are taken of: JSON as json.dumps(..., ensure_ascii=False,
# sort_keys=True, separators=(",", ":")) writes it, with the encoder made once.
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class IdKey:
    """The campaign's secret, which every id and every hash in the state is keyed with."""

    secret: bytes

    def digest(self, purpose: str, text: str, length: int) -> str:
        message = f"{purpose}\0{text}".encode("utf-8", "surrogatepass")
        keyed = _keyed(self.secret).copy()  # the same HMAC as hmac.new(secret, message)
        keyed.update(message)
        return keyed.hexdigest()[:length]

    def event_id(self, owner: str, title: str) -> str:
        """A new event's id: "smw-" and 12 hex digits of a keyed hash of who sent it and its
        title (compared ignoring case, punctuation and spacing)."""
        return "smw-" + self.digest("id", _identity_json(owner, title), 12)

    def dated_id(self, event_id: str, date: dt.date | None) -> str:
        """The id of a later date of a series: the same title sent by one person twice."""
        return "smw-" + self.digest("date", f"{event_id} {date}", 12)


# For cleaning outside a sync (tests, one-off tools); a sync passes the campaign's own key.
UNKEYED = IdKey(b"")


@dataclass(frozen=True)
class Memory:
    """What the last sync knew: each event's answers, and ids from a state written before ids
    were keyed (they carry over to the same answers once)."""

    known: Mapping[str, KnownEvent] = field(default_factory=dict)
    legacy: frozenset[str] = frozenset()
    written: Mapping[int, str] = field(default_factory=dict)  # row -> id, see `ids_written_in`


@dataclass(frozen=True)
class AnswerPrint:
    """One answer as keyed hashes: who sent it, all of it, and each compared question."""

    owner: str
    whole: str
    fields: Mapping[str, str]


def ids_written_in(table: Table) -> dict[int, str]:
    """Each row's event id as write-back left it in the `ID_COLUMN` column (of a live sheet, or
    a download of it); rows without a well-formed id are left out."""
    index = next(
        (i for i, h in enumerate(table.headers) if header_key(h) == header_key(ID_COLUMN)), None
    )
    if index is None:
        return {}
    written = {}
    for number, cells in table.rows:
        cell = cells[index].strip() if index < len(cells) else ""
        if _AN_ID.fullmatch(cell):
            written[number] = cell
    return written


def owner_text(submitter_email: str, council: str, council_code: str) -> str:
    """Who sent an answer: their email address, else the council's code, else its name."""
    if submitter_email.strip():
        return "email:" + clean_text(submitter_email).casefold()
    if council_code.strip():
        return "council:" + council_code.strip().upper()
    return "council-name:" + folded(council)


def event_owner(event: Event) -> str:
    """`owner_text` of a cleaned event."""
    return owner_text(event.submitter_email, event.council, event.council_code)


def legacy_event_id(owner: str, title: str) -> str:
    """The id smwsync gave before ids were keyed: an unkeyed hash of who sent it and its title.
    Only used to carry those ids over to the same answers."""
    digest = hashlib.sha256(_identity_json(owner, title).encode("utf-8", "surrogatepass"))
    return "smw-" + digest.hexdigest()[:12]


def legacy_dated_id(event_id: str, date: dt.date | None) -> str:
    """The unkeyed id a later date of a series had before ids were keyed."""
    return "smw-" + hashlib.sha256(f"{event_id} {date}".encode()).hexdigest()[:12]


def answer_print(response: Response, owner: str, key: IdKey) -> AnswerPrint:
    """The keyed hashes of one answer."""
    answer = {}
    for name, value in response.values.items():
        if name not in _NOT_THE_ANSWER and (cleaned := clean_text(value)):
            answer[name] = cleaned
    whole = _COMPACT_JSON.encode(answer)
    fields = {}
    for name in COMPARED:
        if hashed := _field_digest(key, name, response.get(name)):
            fields[name] = hashed
    return AnswerPrint(key.digest("owner", owner, 16), key.digest("answer", whole, 16), fields)


def _field_digest(key: IdKey, name: str, answer: str) -> str:
    """The keyed hash of one compared answer as `folded` reads it; "" for a blank one."""
    if len(answer) <= _SHORT:  # dates, times, choices and titles repeat down a sheet
        return _remembered_field_digest(key, name, answer)
    compared = folded(answer)
    return key.digest("field:" + name, compared, 8) if compared else ""


@functools.lru_cache(maxsize=16384)
def _remembered_field_digest(key: IdKey, name: str, answer: str) -> str:
    compared = folded(answer)
    return key.digest("field:" + name, compared, 8) if compared else ""


def identify(
    events: Sequence[Event],
    members: Mapping[int, tuple[int, ...]],
    prints: Mapping[int, AnswerPrint],
    legacy_ids: Sequence[str],
    memory: Memory,
) -> tuple[tuple[Event, ...], dict[str, KnownEvent]]:
    """Give each event its id (see the module's docstring) and say what the next sync needs.

    `events` carry a new id each (step 4); `members` gives, by the row of each event, the rows
    of every answer folded into it (copies); `prints` each answer's hashes by row;
    `legacy_ids` each event's id as smwsync gave it before ids were keyed.
    """
    ids: dict[int, str] = {}
    taken: set[str] = set()

    def claim(index: int, event_id: str) -> None:
        ids[index] = event_id
        taken.add(event_id)

    for index, event in enumerate(events):
        rows = (event.row_number, *members.get(event.row_number, ()))
        written = (memory.written[row] for row in rows if row in memory.written)
        found = next((event_id for event_id in written if event_id not in taken), None)
        if found is not None:
            claim(index, found)

    by_answer: dict[str, list[str]] = {}
    for event_id, known in sorted(memory.known.items()):
        for answer in known.answers:
            by_answer.setdefault(answer, []).append(event_id)
    for index, event in enumerate(events):
        rows = members.get(event.row_number, (event.row_number,))
        unchanged = (i for row in rows for i in by_answer.get(prints[row].whole, ()))
        found = next((event_id for event_id in unchanged if event_id not in taken), None)
        if index not in ids and found is not None:
            claim(index, found)
    for index, legacy in enumerate(legacy_ids):
        if index not in ids and legacy in memory.legacy and legacy not in taken:
            claim(index, legacy)
    for index, event_id in _edited(events, prints, memory.known, ids, taken):
        if index not in ids and event_id not in taken:
            claim(index, event_id)
    for index, event in enumerate(events):
        if index not in ids:
            event_id, again = event.id, 0
            while event_id in taken:
                again += 1
                event_id = "smw-" + _digest_of(event.id, again)
            claim(index, event_id)
    identified = tuple(
        event if event.id == ids[index] else event.but(id=ids[index])
        for index, event in enumerate(events)
    )
    known = {}
    for event in identified:
        rows = members.get(event.row_number, (event.row_number,))
        kept = prints[event.row_number]
        known[event.id] = KnownEvent(
            row=event.row_number,
            rows=tuple(rows),
            owner=kept.owner,
            answers=tuple(sorted({prints[row].whole for row in rows})),
            fields=dict(kept.fields),
        )
    return identified, dict(sorted(known.items()))


def _edited(
    events: Sequence[Event],
    prints: Mapping[int, AnswerPrint],
    known: Mapping[str, KnownEvent],
    ids: Mapping[int, str],
    taken: set[str],
) -> list[tuple[int, str]]:
    """Pairs of (event, last sync's id) that look like one answer edited, best first: any of
    one person's (same email address) events left unmatched on both sides, else the same row
    or at least half the compared answers the same (an owner that is only a council may be
    several people)."""
    left: dict[str, list[tuple[str, KnownEvent]]] = {}  # by who sent them
    for event_id, before in known.items():
        if event_id not in taken:
            left.setdefault(before.owner, []).append((event_id, before))
    pairs = []
    for index, event in enumerate(events):
        if index in ids:
            continue
        answer = prints[event.row_number]
        for event_id, before in left.get(answer.owner, ()):
            compared = set(answer.fields) | set(before.fields)
            agree = sum(answer.fields.get(name) == before.fields.get(name) for name in compared)
            same_row = before.row == event.row_number
            # One person's own events are paired best score first, however much was edited:
            # a row deleted above (spam taken out) must not turn their edit into a new event.
            their_own = bool(event.submitter_email.strip())
            if their_own or same_row or (compared and 2 * agree >= len(compared)):
                pairs.append((-agree, not same_row, event.row_number, event_id, index))
    return [(index, event_id) for *_, event_id, index in sorted(pairs)]


def folded(text: str) -> str:
    """Text compared ignoring case, accents' encoding, punctuation and spacing."""
    # Short answers (titles, dates, times, choices) repeat down a sheet: each is folded once.
    return _folded_short(text) if len(text) <= _SHORT else _folded(text)


_SHORT = 200


@functools.lru_cache(maxsize=16384)
def _folded_short(text: str) -> str:
    return _folded(text)


def _folded(text: str) -> str:
    normal = unicodedata.normalize("NFKC", clean_text(text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", normal).split())


def _identity_json(owner: str, title: str) -> str:
    return _COMPACT_JSON.encode({"owner": owner, "title": folded(title)})


@functools.lru_cache(maxsize=8)
def _keyed(secret: bytes) -> hmac.HMAC:
    """An HMAC-SHA256 keyed with `secret` and fed nothing, to be copied for each message
    (keying it once is most of the cost of a short message's HMAC)."""
    return hmac.new(secret, digestmod=hashlib.sha256)


def _digest_of(event_id: str, again: int) -> str:
    return hashlib.sha256(f"{event_id} again {again}".encode()).hexdigest()[:12]
