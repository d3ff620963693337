"""What changed on the map since the last sync, and the change log organisers read later.

`diff_states` is pure. The change log is a JSON-lines file: one object per sync that changed
something, appended by rewriting the file in the same commit as the outputs and the state
(so a crash never leaves half a line, and never a line without its map or a map without its
line).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from smwsync.errors import StateError
from smwsync.sync.commit import Commit, Recovery
from smwsync.sync.files import write_atomically
from smwsync.sync.state import (
    HIDDEN,
    STATE_FORMAT,
    StateHead,
    SyncFiles,
    SyncState,
    write_state,
)
from smwsync.sync.status_file import NO_CHANGES, PUBLISHED, record_success, success_status

KINDS = ("added", "updated", "removed", "held_back")


@dataclass(frozen=True)
class Change:
    """One event that changed: `fields` for an update, `reason` for one held back."""

    id: str
    title: str
    fields: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Changes:
    """Events added to the map, updated on it, removed from it, and held back off it."""

    added: tuple[Change, ...] = ()
    updated: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    held_back: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return any((self.added, self.updated, self.removed, self.held_back))

    def counts_text(self) -> str:
        """ "2 added, 1 updated, 0 removed, 1 held back"."""
        return ", ".join(f"{len(getattr(self, kind))} {kind.replace('_', ' ')}" for kind in KINDS)


def diff_states(previous: SyncState | None, current: SyncState) -> Changes:
    """Compare the last sync's state with this one's (pure); no previous state adds everything.

    An event removed (its response deleted) or hidden by the organisers is named by its id
    alone: neither leaves any text of the answer behind.
    """
    before = previous or SyncState()
    added, updated, removed, held_back = [], [], [], []
    for event_id, event in current.published.items():
        old = before.published.get(event_id)
        if old is None:
            added.append(Change(event_id, event.title))
        elif old.hash != event.hash:
            updated.append(Change(event_id, event.title, changed_fields(old.record, event.record)))
    for event_id in before.published:
        if event_id not in current.published and event_id not in current.held_back:
            removed.append(Change(event_id, ""))  # its response was deleted: keep no text
    for event_id, held in current.held_back.items():
        if before.held_back.get(event_id) != held:
            held_back.append(Change(event_id, held.title, reason=held.reason))
    return Changes(
        *(tuple(sorted(group, key=_order)) for group in (added, updated, removed, held_back))
    )


def changed_fields(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[str, ...]:
    """The public fields whose text differs, in the order the map shows them."""
    from smwsync.publish.fields import PUBLIC_FIELDS  # not loaded by a sync that stops early

    names = [f.name for f in PUBLIC_FIELDS]
    names += sorted((set(old) | set(new)) - set(names))
    return tuple(name for name in names if old.get(name, "") != new.get(name, ""))


def changes_json(changes: Changes) -> dict[str, list[dict[str, Any]]]:
    """The changes as plain JSON-ready data (for `--json` and the change log)."""
    return {kind: [_change_dict(kind, c) for c in getattr(changes, kind)] for kind in KINDS}


def changes_from_json(data: Mapping[str, Any]) -> Changes:
    """Read changes back from `changes_json` data."""
    groups = []
    for kind in KINDS:
        groups.append(
            tuple(
                Change(
                    str(item.get("id", "")),
                    str(item.get("title", "")),
                    tuple(item.get("fields", ())),
                    str(item.get("reason", "")),
                )
                for item in data.get(kind, ())
            )
        )
    return Changes(*groups)


def change_lines(changes: Changes, limit: int | None = None) -> list[str]:
    """The changes for people: a count line, then one line an event (at most `limit` a kind)."""
    lines = [f"Changes since the last sync: {changes.counts_text()}."]
    for kind in KINDS:
        group = getattr(changes, kind)
        shown = group if limit is None else group[:limit]
        for change in shown:
            lines.append("  " + change_line(kind, change))
        if len(group) > len(shown):
            lines.append(f"  … and {len(group) - len(shown)} more {kind.replace('_', ' ')}.")
    return lines


def change_line(kind: str, change: Change) -> str:
    """One change on one line: "updated smw-1a2b 'Tea camp': date, start_time"; an event that
    keeps no text (removed, hidden) by its id alone."""
    line = f"{kind.replace('_', ' ')} {change.id}"
    if change.title:
        line += f" {change.title!r}"
    if change.fields:
        line += ": " + ", ".join(change.fields)
    if change.reason:
        line += ": " + change.reason
    return line


def append_change_log(path: Path, changes: Changes, time: str) -> None:
    """Add one line for this sync's changes to the change log (nothing when nothing changed)."""
    if changes:
        write_atomically(path, change_log_bytes(path, changes, time))


def change_log_bytes(path: Path, changes: Changes, time: str) -> bytes:
    """The change log with one more line, for this sync's changes.

    An event removed or hidden in this sync also loses its title and reasons from the earlier
    lines (see `erased`), so the log keeps no text of it.
    """
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = b""
    except OSError as err:
        raise StateError(f"Could not read the change log {path}: {err.strerror}.") from err
    if old and not old.endswith(b"\n"):
        old += b"\n"
    old = without_text_of(old, erased(changes))
    entry = {"time": time, **changes_json(changes)}
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    return old + line.encode("utf-8")


def erased(changes: Changes) -> set[str]:
    """The events that must leave no text behind: removed, or hidden by the organisers."""
    hidden = {c.id for c in changes.held_back if c.reason == HIDDEN}
    return {c.id for c in changes.removed} | hidden


def without_text_of(log: bytes, ids: Collection[str]) -> bytes:
    """The change log with the titles and reasons of events `ids` blanked in every line.

    Lines that do not name one are kept byte for byte, and so is a line that cannot be read.
    """
    if not ids:
        return log
    lines = []
    for line in log.splitlines(keepends=True):
        try:
            entry = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        if not isinstance(entry, dict) or not _names_any(entry, ids):
            lines.append(line)
            continue
        for kind in KINDS:
            entry[kind] = [
                {**item, "title": "", **({"reason": ""} if "reason" in item else {})}
                if isinstance(item, dict) and item.get("id") in ids
                else item
                for item in entry.get(kind, ())
            ]
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        lines.append(text.encode("utf-8"))
    return b"".join(lines)


def _names_any(entry: Mapping[str, Any], ids: Collection[str]) -> bool:
    return any(
        isinstance(item, dict) and item.get("id") in ids
        for kind in KINDS
        for item in entry.get(kind, ()) or ()
    )


def read_change_log(path: Path, since: dt.datetime | None = None) -> list[tuple[str, Changes]]:
    """Every sync's changes in the log, oldest first, from `since` (UTC when naive) on."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        raise StateError(f"Could not read the change log {path}: {err}.") from err
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            when = parse_time(str(data["time"]))
        except (ValueError, KeyError, TypeError) as err:
            raise StateError(f"Line {number} of the change log {path} is damaged: {err}.") from err
        if since is None or when >= _utc(since):
            entries.append((str(data["time"]), changes_from_json(data)))
    return entries


def entry_lines(entries: Iterable[tuple[str, Changes]]) -> list[str]:
    """The change log for people: each sync's time and counts, then its events."""
    lines = []
    for time, changes in entries:
        lines.append(f"{time}: {changes.counts_text()}")
        lines.extend(change_lines(changes)[1:])
    return lines


def parse_time(text: str) -> dt.datetime:
    """A time written by smwsync ("2026-11-24T02:30:00Z") as an aware UTC datetime."""
    return _utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _change_dict(kind: str, change: Change) -> dict[str, Any]:
    item: dict[str, Any] = {"id": change.id, "title": change.title}
    if kind == "updated":
        item["fields"] = list(change.fields)
    if kind == "held_back":
        item["reason"] = change.reason
    return item


def _order(change: Change) -> tuple[str, str]:
    return (change.title.casefold(), change.id)


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync changed: the events, the output files it rewrote, and the state."""

    changes: Changes
    rewritten: tuple[str, ...] = ()
    state_written: bool = False
    # The lock this sync took over from a killed one, and what it did with the files it left.
    taken_over: str = ""
    # Set when the sync stopped after the read (the sheet was as the last sync found it):
    # that sync's --json report, which still describes the map.
    last_report: Mapping[str, Any] | None = None
    # What the emails after the sync did, when [notify] is on (smwsync.notify.deliver.Outcome).
    emails: Any = None

    @property
    def nothing_changed(self) -> bool:
        """True for a no-op run: no event changed and no output file or state was rewritten."""
        return not (self.changes or self.rewritten or self.state_written)


def finished_changes(recovered: Recovery | None, change_log: Path) -> Changes | None:
    """What a killed sync changed, when this one finished publishing its set (the last line
    of the change log it wrote); None when there was no such sync, or it changed no event."""
    if recovered is None or not recovered.completed:
        return None
    if os.path.normpath(change_log) not in {os.path.normpath(p) for p in recovered.written}:
        return None
    entries = read_change_log(change_log)
    return entries[-1][1] if entries else None


def record_unchanged(
    files: SyncFiles,
    previous: StateHead | SyncState,
    *,
    time: str,
    taken_over: str = "",
    finished: Changes | None = None,
) -> SyncOutcome:
    """Record a sync that stopped after the read: only the status file says it ran. The
    changes of a killed sync this one `finished` publishing are reported as its own."""
    changes = finished or Changes()
    record_success(
        files.status,
        time=time,
        result=PUBLISHED if changes else NO_CHANGES,
        counts=previous.counts,
        changes=changes.counts_text(),
    )
    return SyncOutcome(changes, taken_over=taken_over, last_report=previous.report)


def record_sync(
    files: SyncFiles,
    previous: SyncState | None,
    current: SyncState,
    *,
    outputs: Commit,
    removals: tuple[Path, ...] = (),
    taken_over: str = "",
    finished: Changes | None = None,
) -> SyncOutcome:
    """Publish the outputs (written already to the temporary files of the commit `outputs`),
    save the state, log the changes and update the status file: all in that one commit
    (sync/commit.py), so they change together or not at all.

    Neither the state nor the change log is rewritten when nothing changed; the status file
    always is. When this sync changed no event but `finished` a killed one's set, those
    changes are the ones reported.
    """
    changes = diff_states(previous, current)
    rewritten = tuple(str(path) for path in outputs.changed()) + tuple(map(str, removals))
    saved: SyncState | None = None  # the state to save, if any
    rewrite = False
    state_written = previous is None or not previous.same_content(current)
    if state_written:
        if changes:
            log = change_log_bytes(files.change_log, changes, current.synced_at)
            outputs.put({files.change_log: log})
        saved = current
    elif (
        previous.file_format != STATE_FORMAT
        or previous.fingerprint != current.fingerprint
        or previous.report != current.report
        or previous.output_hashes != current.output_hashes
        or rewritten
    ):
        # Only what was read moved on (a new day), files were put back as they should be, or
        # the state is in an older form: save anyway, so the next sync can stop early; written
        # after the outputs, so it is newer than they are (see `outputs_as_left`). Not a
        # change to the map, so the time of the last change (which the live map shows) stays.
        saved = replace(current, synced_at=previous.synced_at or current.synced_at)
        rewrite = bool(rewritten)
    if saved is not None:  # written a line at a time
        write = partial(write_state, state=saved, folder=files.state.parent)
        outputs.write_file(files.state, write, rewrite=rewrite)
    shown = changes or finished or changes
    outcome = SyncOutcome(shown, rewritten, state_written=state_written, taken_over=taken_over)
    status = success_status(
        files.status,
        time=current.synced_at,
        result=NO_CHANGES if outcome.nothing_changed else PUBLISHED,
        counts=current.counts,
        changes=shown.counts_text(),
    )
    outputs.put({files.status: status})
    outputs.publish(removals)
    return outcome
