"""What the last successful sync published, kept in a file beside the outputs.

The state holds, for every published event, its public fields and a hash of them (so the next
sync can tell added, updated and removed events apart and name the fields that changed), the
events held back and why, the question titles found in the sheet (so a question that
disappears can be told from a configuration mistake), and the last change's time and counts.
It is rewritten only when one of those changes, so a sync of an unchanged sheet leaves it alone.

The file is JSON in three parts, so that a sync of an unchanged sheet reads only what it
needs (`load_head`):

1. the first line, its head: the fingerprint of what the sync read, the files it wrote and
   their hashes, the counts, the questions found, the time, and how many bytes follow (so a
   state cut short is told at once);
2. the second line: the sync's --json report (read only when asked for);
3. the rest, one JSON object: the events (published, held back, cancelled, known), one a line.

Format 1, one indented JSON object of the same parts, is still read; the next sync that saves
the state writes it in this form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from smwsync.config import PublishSettings
from smwsync.errors import StateError
from smwsync.model import CancelledEvent, KnownEvent, Severity, SyncReport
from smwsync.sync.state_shape import DamagedState, check_head, check_state

if TYPE_CHECKING:
    from smwsync.clean.identity import Memory

STATE_FORMAT = 2
# The formats this smwsync reads; it writes the last one.
READ_FORMATS = (1, 2)
# What the head (the first line) holds; the report is the second line; the rest is the events.
HEAD_KEYS = ("format", "synced_at", "fingerprint", "outputs", "output_hashes", "counts", "columns")
EVENT_PARTS = ("cancelled", "held_back", "known", "published")
# Compact, sorted JSON by the C encoder (an `indent` forces the pure-Python one, 10 times slower).
ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
NOT_PLACED = "We could not place it on the map"
WAITING = "Waiting for approval"
HIDDEN = "Hidden by the organisers"
PAST = "The event is over"
LOCK_SUFFIX = ".lock"
SECRET_NAME = ".smwsync-id-secret"
JOURNAL_SUFFIX = ".journal"


@dataclass(frozen=True)
class SyncFiles:
    """The files an unattended sync keeps beside its outputs."""

    state: Path
    lock: Path
    change_log: Path
    status: Path
    secret: Path  # the campaign's secret that ids are keyed with (sync/id_secret.py)
    old_secret: Path  # where versions before it moved out of `out` kept it
    journal: Path  # the commit in progress (sync/commit.py); there only while one is

    def kept(self) -> tuple[Path, ...]:
        """The files smwsync keeps for itself: never published, never removed as outputs."""
        return (
            self.state,
            self.lock,
            self.change_log,
            self.status,
            self.journal,
            self.secret,
            self.old_secret,
        )

    @classmethod
    def of(cls, publish: PublishSettings) -> SyncFiles:
        """Where the settings put them: a relative path is inside the `out` folder."""
        state = publish.out / publish.state
        return cls(
            state=state,
            lock=state.with_name(state.name + LOCK_SUFFIX),
            journal=state.with_name(state.name + JOURNAL_SUFFIX),
            change_log=publish.out / publish.change_log,
            status=publish.out / publish.status_file,
            # Read from a configuration file it is absolute (beside that file); settings made
            # in code put it beside the out folder, never in it.
            secret=publish.out.parent / publish.id_secret,
            old_secret=state.with_name(SECRET_NAME),
        )


def utc_now() -> dt.datetime:
    """The time now, in UTC (the default clock; tests pass their own)."""
    return dt.datetime.now(dt.UTC)


def time_text(clock: Callable[[], dt.datetime]) -> str:
    """The clock's time as smwsync writes it everywhere: "2026-11-24T02:30:00Z"."""
    return clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class PublishedEvent:
    """An event on the map: its public fields and a hash of them."""

    hash: str
    record: Mapping[str, str]
    sequence: int = 0  # the calendar's SEQUENCE: raised each time the event changes

    @property
    def title(self) -> str:
        return self.record.get("title", "")


@dataclass(frozen=True)
class HeldBackEvent:
    """An event in the sheet but not on the map, and why."""

    title: str
    reason: str


@dataclass(frozen=True)
class SyncState:
    """Everything the next sync compares with; `synced_at` is when it last changed (UTC)."""

    published: Mapping[str, PublishedEvent] = field(default_factory=dict)
    held_back: Mapping[str, HeldBackEvent] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    synced_at: str = ""
    cancelled: Mapping[str, CancelledEvent] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()  # the files this sync wrote, by name in the out folder
    # Each output's SHA-256 as written: a later sync removes only a file still holding it.
    output_hashes: Mapping[str, str] = field(default_factory=dict)
    # Of what the sync read (sync/fingerprint.py); "" when a geocoder failed, so the next
    # sync tries again rather than keeping a fallback placement.
    fingerprint: str = ""
    report: Mapping[str, Any] = field(default_factory=dict)  # its --json report, public only
    # Each event's answers as keyed hashes, to know it again after an edit or a re-sort.
    known: Mapping[str, KnownEvent] = field(default_factory=dict)
    # The form of the file it was read from (not compared): an older one is written anew.
    file_format: int = field(default=STATE_FORMAT, compare=False)

    def same_content(self, other: SyncState) -> bool:
        """True when only the time, the fingerprint or the kept report differs (its geocoder
        counts, say): nothing the map or its files show has changed."""
        blank = {"synced_at": "", "fingerprint": "", "report": {}, "output_hashes": {}}
        return replace(self, **blank) == replace(other, **blank)


def event_hash(record: Mapping[str, str]) -> str:
    """A short hash of an event's public fields, the same on every machine."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def state_of(
    report: SyncReport,
    *,
    columns: Mapping[str, str],
    synced_at: str,
    out: Path | None = None,
    fingerprint: str = "",
    summary: Mapping[str, Any] | None = None,
    written: Mapping[str, str] | None = None,
) -> SyncState:
    """The state a sync leaves: what it published and held back, and the questions it found.
    `written` is each output's SHA-256 (hex) by name in `out`, which the state keeps."""
    from smwsync.publish.fields import public_record  # not loaded by a sync that stops early

    published = {}
    for event in report.published:
        record = report.records.get(event.id) or public_record(event)
        sequence = report.calendar.sequences.get(event.id, 0)
        kept_hash = report.record_hashes.get(event.id) or event_hash(record)
        published[event.id] = PublishedEvent(kept_hash, record, sequence)
    outputs = output_names(report.outputs, out) if out is not None else ()
    written = written or {}
    return SyncState(
        published=published,
        cancelled=dict(report.calendar.cancelled),
        outputs=outputs,
        output_hashes={name: written[name] for name in outputs if name in written},
        fingerprint=fingerprint,
        report=without_hidden_text(summary or {}, report),
        held_back=held_back_events(report),
        known=dict(report.known),
        columns=dict(columns),
        counts={
            "rows_read": report.rows_read,
            "events": len(report.events),
            "published": len(report.published),
            "held_back": len(report.rejected) + len(report.unplaced),
            "problems": len(report.problems),
        },
        synced_at=synced_at,
    )


def memory_of(state: SyncState | None) -> Memory:
    """What the next sync needs from this state to know each event again (clean/identity.py):
    its answers, and the ids of a state written before ids were keyed."""
    from smwsync.clean.identity import Memory  # not loaded by a sync that stops early

    if state is None:
        return Memory()
    ids = set(state.published) | set(state.held_back)
    return Memory(dict(state.known), frozenset(ids - set(state.known)))


def output_names(paths: tuple[str, ...], out: Path) -> tuple[str, ...]:
    """The paths, relative to the out folder ("events.kml", "map/index.html"), of the files
    among `paths` that are inside it (other lines are skipped)."""
    names = []
    for path in map(Path, paths):
        if path.is_relative_to(out) and path != out:
            names.append(path.relative_to(out).as_posix())
    return tuple(sorted(names))


def outputs_as_left(state: StateHead | SyncState, out: Path, state_path: Path) -> bool:
    """True when every file the state names is in `out` and none was written after the state
    itself: nobody edited, damaged or removed one, and no sync stopped half-way through."""
    try:
        saved = state_path.stat().st_mtime_ns
        return all((out / name).stat().st_mtime_ns <= saved for name in state.outputs)
    except OSError:
        return False


def file_hash(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def stale_outputs(
    previous: SyncState | None,
    current: SyncState,
    out: Path,
    could_write: Callable[[str], bool] = lambda name: True,
    kept: Iterable[Path] = (),
) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Files the last sync wrote that this one did not (a CSV part of a layer that shrank, an
    output switched off): left in place they could be imported by mistake. Returns the files
    to remove and, for each other file the state names, why it is left in place.

    A file is removed only when it is a plain file whose folder (links followed) is inside
    `out`, its name is one an output `could_write`, and its bytes are still those the state
    kept a hash of (a state written before hashes were kept: its name alone), and it is none
    of the `kept` files (SyncFiles.kept(): the state, the id secret ...).
    """
    if previous is None:
        return (), ()
    never = {path.resolve() for path in kept}
    removals: list[Path] = []
    left: list[str] = []
    for name in sorted(set(previous.outputs) - set(current.outputs)):
        path = out / name
        why = _not_ours(path, out, previous.output_hashes.get(name))
        if why is None and not could_write(name):
            why = "no output of this configuration could have written it"
        if why is None and path.resolve() in never:
            why = "it is a file smwsync keeps for itself"
        if why == "":
            continue  # already gone
        if why is None:
            removals.append(path)
        else:
            left.append(
                f"Left {path} in place: the sync state names it as an earlier output, but {why}; "
                "the state may be damaged."
            )
    return tuple(removals), tuple(left)


def _not_ours(path: Path, out: Path, kept_hash: str | None) -> str | None:
    """Why smwsync cannot tell it wrote `path` ("" when there is no file), or None."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return ""
    except OSError as err:
        return f"it cannot be read ({err.strerror})"
    if not stat.S_ISREG(mode):
        return "it is not a plain file"
    try:
        if not path.parent.resolve().is_relative_to(out.resolve()):
            return "its folder is a link to outside the out folder"
        if kept_hash is not None and file_hash(path.read_bytes()) != kept_hash:
            return "it has changed since smwsync wrote it"
    except (OSError, RuntimeError) as err:
        return f"it cannot be read ({err})"
    return None


def held_back_events(report: SyncReport) -> dict[str, HeldBackEvent]:
    """Each event kept off the map and why: the first error in its row, no place, or on purpose."""
    first_error: dict[int, str] = {}
    first_problem: dict[int, str] = {}
    for problem in report.problems:
        first_problem.setdefault(problem.row_number, problem.message)
        if problem.severity is Severity.ERROR:
            first_error.setdefault(problem.row_number, problem.message)
    held: dict[str, HeldBackEvent] = {}
    for event in report.rejected:
        reason = first_error.get(event.row_number, "Its row has an error")
        held[event.id] = HeldBackEvent(event.title, reason)
    for event in report.unplaced:
        reason = first_problem.get(event.row_number, NOT_PLACED)
        held[event.id] = HeldBackEvent(event.title, reason)
    for group, reason in ((report.pending, WAITING), (report.past, PAST)):
        for event in group:
            held[event.id] = HeldBackEvent(event.title, reason)
    for event in report.hidden:  # hidden as spam, say: no text of it is kept
        held[event.id] = HeldBackEvent("", HIDDEN)
    return held


def without_hidden_text(summary: Mapping[str, Any], report: SyncReport) -> dict[str, Any]:
    """The --json report as the state keeps it: no title of a hidden event, and no problem of
    its row (a message may quote what was typed)."""
    hidden = {event.id for event in report.hidden}
    rows = {event.row_number for event in report.hidden}
    kept = dict(summary)
    if "not_on_map" in kept:
        kept["not_on_map"] = [
            {**item, "title": ""} if item.get("id") in hidden else item
            for item in kept["not_on_map"]
        ]
    problems = kept.get("problems")
    if isinstance(problems, Mapping) and "list" in problems:
        listed = [item for item in problems["list"] if item.get("row") not in rows]
        kept["problems"] = {**problems, "list": listed}
    return kept


@dataclass(frozen=True)
class StateHead:
    """What a sync of an unchanged sheet needs of the state: its first line (`load_head`)."""

    fingerprint: str
    outputs: tuple[str, ...]
    output_hashes: Mapping[str, str]
    counts: Mapping[str, int]
    synced_at: str
    report: Mapping[str, Any]  # the last --json report: a KeptReport, read when first used


class KeptReport(Mapping[str, Any]):
    """The --json report a state keeps on its second line, read when first asked for."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._data: dict[str, Any] | None = None

    def _read(self) -> dict[str, Any]:
        if self._data is None:
            try:
                with self._path.open("rb") as handle:
                    handle.readline()
                    line = handle.readline()
            except OSError as err:
                raise StateError(f"Could not read the sync state {self._path}: {err}.") from err
            try:
                data = _json_line(line, "its second line (the last report)")
                if not isinstance(data, dict):
                    raise DamagedState(f"report is {type(data).__name__}, not an object")
            except (ValueError, RecursionError, MemoryError) as err:
                raise StateError(damaged_text(self._path, err)) from err
            self._data = data
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def load_head(
    path: Path, out: Path | None = None, reserved: Collection[Path] = ()
) -> StateHead | None:
    """The head of the state at `path` (its first line alone), or None before the first sync.

    The head's shape is checked as `load_state` checks it; the events are not read. A state of
    an older format is read whole (`load_state`).
    """
    try:
        with path.open("rb") as handle:
            first = handle.readline()
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StateError(f"Could not read the sync state {path}: {err}.") from err
    try:
        head = _head_of(first)
        if head is None:  # an older format: read whole
            whole = load_state(path, out, reserved)
            if whole is None:
                return None
            return StateHead(
                whole.fingerprint,
                whole.outputs,
                whole.output_hashes,
                whole.counts,
                whole.synced_at,
                whole.report,
            )
        _check_length(head, size - len(first))
        check_head(head, out, reserved)
        return StateHead(
            fingerprint=str(head.get("fingerprint", "")),
            outputs=tuple(head.get("outputs", ())),
            output_hashes=dict(head.get("output_hashes", {})),
            counts=dict(head["counts"]),
            synced_at=str(head["synced_at"]),
            report=KeptReport(path),
        )
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError) as err:
        raise StateError(damaged_text(path, err)) from err


def load_state(
    path: Path, out: Path | None = None, reserved: Collection[Path] = ()
) -> SyncState | None:
    """The state the last successful sync left at `path`, or None before the first one.

    Its shape is checked first (sync/state_shape.py); with `out`, so are the outputs it names:
    only files inside `out`, none of the `reserved` ones (SyncFiles.kept()).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StateError(f"Could not read the sync state {path}: {err}.") from err
    try:
        parts = state_data_of(data)
        check_state(parts, out, reserved)
        return state_from_json(parts)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError) as err:
        raise StateError(damaged_text(path, err)) from err


def damaged_text(path: Path, err: BaseException) -> str:
    """The message for a state file that cannot be used as it is."""
    why = "nested too deeply" if isinstance(err, RecursionError) else f"{err}"
    return (
        f"The sync state {path} is damaged ({why}). Delete it to start afresh: the next "
        "sync will report every event as added and skip the guards once."
    )


def last_state(path: Path) -> SyncState | None:
    """The state at `path` for a run that publishes nothing: None when it is damaged too."""
    try:
        return load_state(path)
    except StateError:
        return None


def state_json_bytes(state: SyncState) -> bytes:
    """The state file's bytes: its head, its report, then its events one a line (sorted, so
    the same state gives the same bytes and a diff shows the events that changed)."""
    file = io.BytesIO()
    write_state(file, state)
    return file.getvalue()


def write_state(file: BinaryIO, state: SyncState, *, folder: Path | None = None) -> None:
    """Write the state file's bytes (`state_json_bytes`) into `file`, one event at a time:
    no copy of the whole state is made. The events go first to an unnamed temporary file in
    `folder` (the state's own, so a full disk is the one the state is on; it leaves nothing
    behind, whatever happens), to be measured for the head."""
    parts = {name: _event_lines(name, items) for name, items in _event_parts(state).items()}
    _write_state_file(file, _head_of_state(state), dict(state.report), parts, folder)


def state_data(state: SyncState) -> dict[str, Any]:
    """The state as plain JSON-ready data: what `check_state` checks."""
    data = _head_of_state(state)
    data["report"] = dict(state.report)
    for name, items in _event_parts(state).items():
        data[name] = {key: _event_value(name, value) for key, value in items.items()}
    return data


def _head_of_state(state: SyncState) -> dict[str, Any]:
    return {
        "format": STATE_FORMAT,
        "synced_at": state.synced_at,
        "outputs": list(state.outputs),
        "output_hashes": dict(state.output_hashes),
        "fingerprint": state.fingerprint,
        "counts": dict(state.counts),
        "columns": dict(state.columns),
    }


def _event_parts(state: SyncState) -> dict[str, Mapping[str, Any]]:
    return {
        "published": state.published,
        "cancelled": state.cancelled,
        "held_back": state.held_back,
        "known": state.known,
    }


def _event_lines(part: str, items: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """A part's events by id, sorted, each made JSON-ready only when it is written."""
    for key in sorted(items):
        yield key, _event_value(part, items[key])


def _event_value(part: str, item: Any) -> dict[str, Any]:
    """One event's entry in a part of the state file, as JSON-ready data."""
    if part == "published":
        return {"hash": item.hash, "record": dict(item.record), "sequence": item.sequence}
    if part == "cancelled":
        return {
            "record": dict(item.record),
            "sequence": item.sequence,
            "since": item.since,
            "at": item.at,
        }
    if part == "held_back":
        return {"title": item.title, "reason": item.reason}
    return {
        "row": item.row,
        "rows": list(item.rows),
        "owner": item.owner,
        "answers": list(item.answers),
        "fields": dict(item.fields),
    }


def state_file_bytes(data: Mapping[str, Any]) -> bytes:
    """The file form (this format) of state data (`state_data`)."""
    file = io.BytesIO()
    parts = {name: sorted(data.get(name, {}).items()) for name in EVENT_PARTS}
    _write_state_file(file, data, data.get("report", {}), parts)
    return file.getvalue()


def _write_state_file(
    file: BinaryIO,
    head: Mapping[str, Any],
    report: Mapping[str, Any],
    parts: Mapping[str, Iterable[tuple[str, Any]]],
    folder: Path | None = None,
) -> None:
    """Write the file form of a state: its head (which gives the length of the rest), its
    report, then each part's events, one a line, in the order given (sorted by id)."""
    # Not loaded by a sync that stops early.
    import shutil
    import tempfile

    from smwsync.publish.output_files import BLOCK, blocks

    with tempfile.TemporaryFile(dir=folder) as rest:
        for block in blocks(_rest_text(report, parts)):
            rest.write(block.encode())
        size = rest.tell()
        rest.seek(0)
        first = {key: head[key] for key in HEAD_KEYS if key in head}
        first.update(format=STATE_FORMAT, rest_bytes=size)
        file.write(ENCODER.encode(first).encode() + b"\n")
        shutil.copyfileobj(rest, file, BLOCK)


def _rest_text(
    report: Mapping[str, Any], parts: Mapping[str, Iterable[tuple[str, Any]]]
) -> Iterator[str]:
    encode = ENCODER.encode
    yield encode(report) + "\n{"
    for number, name in enumerate(EVENT_PARTS):
        if number:
            yield ",\n"
        first = True
        for key, value in parts.get(name, ()):
            opening = f'"{name}":{{\n' if first else ",\n"
            yield f"{opening}{encode(key)}:{encode(value)}"
            first = False
        yield f'"{name}":{{}}' if first else "\n}"
    yield "}\n"


def state_data_of(data: bytes) -> dict[str, Any]:
    """State data (as `state_data` gives it) from a state file's bytes, in any format read.

    Raises ValueError (DamagedState) naming the part that is damaged.
    """
    first, _, rest = data.partition(b"\n")
    head = _head_of(first)
    if head is None:
        return _json_line(data, "it")  # format 1: one JSON object
    _check_length(head, len(rest))
    report_line, newline, body = rest.partition(b"\n")
    if not newline:
        raise DamagedState("it ends before its events")
    report = _json_line(report_line, "its second line (the last report)")
    try:
        events = json.loads(body.decode("utf-8"))  # str parses faster than bytes
    except UnicodeDecodeError as err:
        raise DamagedState(f"its events are not UTF-8 text: {err}") from err
    except json.JSONDecodeError as err:
        raise DamagedState(
            f"its events, from line 3: {err.msg} at line {err.lineno + 2} column {err.colno}"
        ) from err
    if not isinstance(events, dict):
        raise DamagedState(f"its events are {type(events).__name__}, not an object")
    strange = sorted(set(events) - set(EVENT_PARTS))
    if strange:
        raise DamagedState(f"its events hold {strange[0]!r}, which is not a kind of event")
    return {**head, "report": report, **events}


def _check_length(head: Mapping[str, Any], length: int) -> None:
    """Raise DamagedState unless the state's bytes after its head are as many as it says: a
    state cut short (a full disk, a copy stopped half-way) is told at once, for a stat."""
    said = head.get("rest_bytes")
    if isinstance(said, bool) or not isinstance(said, int) or said < 0:
        raise DamagedState(f"rest_bytes is {said!r}, not a number of bytes")
    if said != length:
        raise DamagedState(
            f"its first line says {said} bytes follow it, but {length} do: it was cut short "
            "or changed by hand"
        )


def _head_of(first_line: bytes) -> dict[str, Any] | None:
    """The head a state file's first line holds; None for a format-1 file, which is one JSON
    object (indented, its first line "{" alone). Raises DamagedState for anything else."""
    if first_line.strip() == b"{":
        return None
    head = _json_line(first_line, "its first line")
    if not isinstance(head, dict):
        raise DamagedState(f"its first line is {type(head).__name__}, not an object")
    if head.get("format") == 1:
        return None  # format 1 written on one line
    if head.get("format") != STATE_FORMAT:
        raise DamagedState(f"format {head.get('format')!r} is not {STATE_FORMAT}")
    return head


def _json_line(line: bytes, where: str) -> Any:
    """One JSON value, a damaged one named by `where` it is."""
    try:
        return json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise DamagedState(f"{where} is not JSON: {err}") from err


def state_from_json(data: Mapping[str, Any]) -> SyncState:
    """Read state data (`state_data_of`) back; raise ValueError for a format not read."""
    if data.get("format") not in READ_FORMATS:
        raise ValueError(f"format {data.get('format')!r} is not {STATE_FORMAT}")
    from smwsync.sync.kept_records import kept_record  # not loaded by a sync that stops early

    return SyncState(
        file_format=int(data["format"]),
        published={
            event_id: PublishedEvent(
                str(item["hash"]), kept_record(item["record"]), int(item.get("sequence", 0))
            )
            for event_id, item in data["published"].items()
        },
        cancelled={
            event_id: CancelledEvent(
                dict(item["record"]),
                int(item["sequence"]),
                str(item["since"]),
                str(item.get("at", "")),
            )
            for event_id, item in data.get("cancelled", {}).items()
        },
        held_back={
            event_id: HeldBackEvent(str(item["title"]), str(item["reason"]))
            for event_id, item in data["held_back"].items()
        },
        columns=dict(data["columns"]),
        counts={key: int(value) for key, value in data["counts"].items()},
        synced_at=str(data["synced_at"]),
        outputs=tuple(str(name) for name in data.get("outputs", ())),
        output_hashes={str(k): str(v) for k, v in data.get("output_hashes", {}).items()},
        fingerprint=str(data.get("fingerprint", "")),
        report=dict(data.get("report", {})),
        known={
            str(event_id): KnownEvent(
                int(item["row"]),
                str(item["owner"]),
                tuple(str(answer) for answer in item["answers"]),
                {str(name): str(value) for name, value in item["fields"].items()},
                tuple(int(row) for row in item.get("rows", ())),
            )
            for event_id, item in data.get("known", {}).items()
        },
    )
