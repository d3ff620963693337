"""What the last successful sync published, kept in a small JSON file beside the outputs.

The state holds, for every published event, its public fields and a hash of them (so the next
sync can tell added, updated and removed events apart and name the fields that changed), the
events held back and why, the question titles found in the sheet (so a question that
disappears can be told from a configuration mistake), and the last change's time and counts.
It is rewritten only when one of those changes, so a sync of an unchanged sheet leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from smwsync.clean.identity import Memory
from smwsync.config import PublishSettings
from smwsync.errors import StateError
from smwsync.model import CancelledEvent, KnownEvent, Severity, SyncReport
from smwsync.publish.fields import public_record
from smwsync.sync.state_shape import check_state

STATE_FORMAT = 1
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
    written: Mapping[str, bytes] | None = None,
) -> SyncState:
    """The state a sync leaves: what it published and held back, and the questions it found.
    `written` is each output's bytes by name in `out`, whose hashes the state keeps."""
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
        output_hashes={name: file_hash(written[name]) for name in outputs if name in written},
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


def outputs_as_left(state: SyncState, out: Path, state_path: Path) -> bool:
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


def load_state(
    path: Path, out: Path | None = None, reserved: Collection[Path] = ()
) -> SyncState | None:
    """The state the last successful sync left at `path`, or None before the first one.

    Its shape is checked first (sync/state_shape.py); with `out`, so are the outputs it names:
    only files inside `out`, none of the `reserved` ones (SyncFiles.kept()).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StateError(f"Could not read the sync state {path}: {err}.") from err
    try:
        data = json.loads(text)
        check_state(data, out, reserved)
        return state_from_json(data)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError) as err:
        why = "nested too deeply" if isinstance(err, RecursionError) else f"{err}"
        raise StateError(
            f"The sync state {path} is damaged ({why}). Delete it to start afresh: the next "
            "sync will report every event as added and skip the guards once."
        ) from err


def last_state(path: Path) -> SyncState | None:
    """The state at `path` for a run that publishes nothing: None when it is damaged too."""
    try:
        return load_state(path)
    except StateError:
        return None


def state_json_bytes(state: SyncState) -> bytes:
    """The state file's bytes: sorted, indented JSON that diffs well."""
    data: dict[str, Any] = {
        "format": STATE_FORMAT,
        "synced_at": state.synced_at,
        "outputs": list(state.outputs),
        "output_hashes": dict(state.output_hashes),
        "fingerprint": state.fingerprint,
        "report": dict(state.report),
        "counts": dict(state.counts),
        "columns": dict(state.columns),
        "published": {
            event_id: {"hash": event.hash, "record": dict(event.record), "sequence": event.sequence}
            for event_id, event in state.published.items()
        },
        "cancelled": {
            event_id: {
                "record": dict(gone.record),
                "sequence": gone.sequence,
                "since": gone.since,
                "at": gone.at,
            }
            for event_id, gone in state.cancelled.items()
        },
        "held_back": {
            event_id: {"title": event.title, "reason": event.reason}
            for event_id, event in state.held_back.items()
        },
        "known": {
            event_id: {
                "row": known.row,
                "rows": list(known.rows),
                "owner": known.owner,
                "answers": list(known.answers),
                "fields": dict(known.fields),
            }
            for event_id, known in state.known.items()
        },
    }
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def state_from_json(data: Mapping[str, Any]) -> SyncState:
    """Read the state file's parsed JSON back; raise ValueError for another format."""
    if data.get("format") != STATE_FORMAT:
        raise ValueError(f"format {data.get('format')!r} is not {STATE_FORMAT}")
    return SyncState(
        published={
            event_id: PublishedEvent(
                str(item["hash"]), dict(item["record"]), int(item.get("sequence", 0))
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
