"""Publish a set of files together or not at all, even when the process is killed mid-way.

A journal beside the state makes the set's replacement one atomic step:

1. The journal is written saying "prepared", with every temporary file about to be made.
2. Every new file is written in full to its temporary file beside the file it replaces, and
   flushed to the disk.
3. The journal is rewritten saying "committed" (a rename: the one atomic step). From here on the
   new set is published, whatever happens.
4. Each temporary file is renamed over its file, the files the set no longer holds are
   removed, and the journal is deleted.

The next sync, before anything else, finishes a committed journal (step 4 again, skipping what
was done) or rolls back a prepared one (deleting the temporary files it lists, and nothing
else). A killed sync therefore leaves the old set or, once the next sync has run, the new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from smwsync.errors import PublishError, StateError
from smwsync.sync.files import (
    check_not_a_folder,
    holds,
    is_temporary_for,
    new_token,
    remove_own_temporaries,
    sync_folder,
    temporary_for,
    write_atomically,
    write_error,
    write_new_file,
)

PREPARED = "prepared"
COMMITTED = "committed"
JOURNAL_FORMAT = 1


@dataclass(frozen=True)
class Recovery:
    """What the next sync did with the set a killed sync left half-published."""

    completed: bool  # True: the set was committed and is now whole; False: rolled back
    files: int
    written: tuple[Path, ...] = ()  # the files a finished set put in place

    def describe(self) -> str:
        """ "finished publishing its 7 files" or "removed its unpublished files"."""
        if self.completed:
            return f"finished publishing its {self.files} files"
        return "removed its unpublished files"


@dataclass(frozen=True)
class _Plan:
    """One commit: temporary -> file renames, files to remove, folders made for the set."""

    replacements: tuple[tuple[Path, Path], ...]
    removals: tuple[Path, ...]
    folders: tuple[Path, ...]


def changed_files(writes: Mapping[Path, bytes]) -> list[Path]:
    """The files among `writes` whose bytes on disk differ from those given."""
    return [path for path, data in writes.items() if not holds(path, data)]


def commit(
    journal: Path,
    writes: Mapping[Path, bytes],
    removals: Iterable[Path] = (),
    *,
    rewrite: Collection[Path] = (),
) -> list[Path]:
    """Replace the files in `writes` and remove those in `removals`, all at once or not at all.

    Files that already hold their bytes are left alone (their modification times too), except
    those in `rewrite`. Returns the files written and removed. A failure before the commit
    (a full disk, a folder in the way) raises PublishError naming the file and leaves every
    old file exactly as it was.
    """
    changed = [
        (path, data) for path, data in writes.items() if path in rewrite or not holds(path, data)
    ]
    gone = tuple(path for path in removals if path.is_file())
    if not changed and not gone:
        return []
    token = new_token()
    plan = _Plan(
        replacements=tuple((temporary_for(path, token), path) for path, _ in changed),
        removals=gone,
        folders=_missing_folders(path.parent for path, _ in changed),
    )
    _write_journal(journal, PREPARED, plan)
    try:
        for (temporary, path), (_, data) in zip(plan.replacements, changed, strict=True):
            try:
                check_not_a_folder(path)
                path.parent.mkdir(parents=True, exist_ok=True)
                write_new_file(temporary, data)
            except OSError as err:
                raise write_error(path, err) from err
        for folder in sorted({temporary.parent for temporary, _ in plan.replacements}):
            sync_folder(folder)
        _write_journal(journal, COMMITTED, plan)
    except BaseException:
        _roll_back(journal, plan)
        raise
    _finish(journal, plan)
    return [path for path, _ in changed] + list(gone)


def recover(
    journal: Path,
    loose: Iterable[Path] = (),
    *,
    out: Path | None = None,
    reserved: Collection[Path] = (),
) -> Recovery | None:
    """Finish or roll back the commit a killed sync left; None when there was none. Then
    remove smwsync's temporary files for the `loose` files, written outside a commit (the
    status file), which a killed sync may have left.

    Every file and folder the journal names is checked first: inside `out` (the journal's
    folder when not given), and never one of the `reserved` files smwsync keeps (to be
    removed). A journal naming anything else is damaged, and nothing is touched.

    Call it holding the sync lock, before reading the state.
    """
    recovery = _recover(journal, out or journal.parent, reserved)
    for path in loose:
        remove_own_temporaries(path)
    return recovery


def _recover(journal: Path, out: Path, reserved: Collection[Path]) -> Recovery | None:
    remove_own_temporaries(journal)
    try:
        text = journal.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StateError(f"Could not read the sync journal {journal}: {err}.") from err
    phase, plan = _read_journal(journal, text)
    _check_plan(journal, plan, out, reserved)
    if phase == COMMITTED:
        _finish(journal, plan)
        written = tuple(path for _, path in plan.replacements)
        return Recovery(True, len(plan.replacements) + len(plan.removals), written)
    _roll_back(journal, plan)
    return Recovery(False, len(plan.replacements))


def _finish(journal: Path, plan: _Plan) -> None:
    """Step 4: rename every temporary file still there, remove the files gone; idempotent."""
    try:
        for temporary, path in plan.replacements:
            if temporary.exists():
                os.replace(temporary, path)
        for path in plan.removals:
            path.unlink(missing_ok=True)
        for folder in sorted(
            {path.parent for path in (*(p for _, p in plan.replacements), *plan.removals)}
        ):
            sync_folder(folder)
        journal.unlink()
    except OSError as err:
        raise StateError(
            f"The new files are committed but could not all be put in place ({err}); the next "
            f"sync finishes the job from the journal {journal}."
        ) from err
    sync_folder(journal.parent)


def _roll_back(journal: Path, plan: _Plan) -> None:
    """Delete the temporary files a prepared plan lists and the folders made for it, if empty."""
    for temporary, _ in plan.replacements:
        temporary.unlink(missing_ok=True)
    for folder in sorted(plan.folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty, or already gone: leave it
            folder.rmdir()
    try:
        journal.unlink(missing_ok=True)
    except OSError as err:
        raise StateError(f"Could not remove the sync journal {journal}: {err.strerror}.") from err
    sync_folder(journal.parent)


def _missing_folders(parents: Iterable[Path]) -> tuple[Path, ...]:
    """The folders (and their missing parents) that do not exist yet and the set will make."""
    missing: set[Path] = set()
    for folder in parents:
        while not folder.exists() and folder != folder.parent:
            missing.add(folder)
            folder = folder.parent
    return tuple(sorted(missing))


def _write_journal(journal: Path, phase: str, plan: _Plan) -> None:
    base = journal.parent

    def rel(path: Path) -> str:
        return os.path.relpath(path, base)

    record = {
        "format": JOURNAL_FORMAT,
        "phase": phase,
        "replace": [[rel(temporary), rel(path)] for temporary, path in plan.replacements],
        "remove": [rel(path) for path in plan.removals],
        "folders": [rel(folder) for folder in plan.folders],
    }
    text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
    try:
        write_atomically(journal, text.encode("utf-8"))
    except PublishError as err:
        raise PublishError(f"{err} Nothing was published.") from err


def _read_journal(journal: Path, text: str) -> tuple[str, _Plan]:
    """The journal's phase and plan; StateError when it is damaged or names foreign files."""
    base = journal.parent
    try:
        data = json.loads(text)
        if data["format"] != JOURNAL_FORMAT or data["phase"] not in (PREPARED, COMMITTED):
            raise ValueError(f"format {data['format']!r}, phase {data['phase']!r}")
        replacements = tuple(
            (_named(base, temporary), _named(base, path)) for temporary, path in data["replace"]
        )
        removals = tuple(_named(base, path) for path in data["remove"])
        folders = tuple(_named(base, folder) for folder in data["folders"])
    except (ValueError, TypeError, KeyError, RecursionError, MemoryError) as err:
        why = "nested too deeply" if isinstance(err, RecursionError) else f"{err}"
        raise StateError(_damaged(journal, why)) from err
    for temporary, path in replacements:
        if not is_temporary_for(temporary, path):
            raise StateError(_damaged(journal, f"{temporary.name} is not smwsync's own file"))
    return data["phase"], _Plan(replacements, removals, folders)


def _named(base: Path, name: object) -> Path:
    """A path the journal names, relative to its folder, with any ".." worked out."""
    if not isinstance(name, str) or not name or "\0" in name or os.path.isabs(name):
        raise ValueError(f"{name!r} is not a path relative to the journal's folder")
    return Path(os.path.normpath(base / name))


def _check_plan(journal: Path, plan: _Plan, out: Path, reserved: Collection[Path]) -> None:
    """Raise StateError unless every file and folder in `plan` is one smwsync may touch."""
    kept = {Path(os.path.normpath(path)) for path in reserved}
    for _, path in plan.replacements:
        if path not in kept:
            _check_inside(journal, path, out, "file")
    for path in plan.removals:
        _check_inside(journal, path, out, "file")
        if path in kept:
            raise StateError(_damaged(journal, f"it would remove {path}, a file smwsync keeps"))
        if _kind(path) not in (None, stat.S_IFREG):
            raise StateError(_damaged(journal, f"it would remove {path}, not a plain file"))
    for folder in plan.folders:
        _check_inside(journal, folder, out, "folder")
        if folder == Path(os.path.normpath(out)) or _kind(folder) not in (None, stat.S_IFDIR):
            raise StateError(_damaged(journal, f"it names {folder}, not a folder it made"))


def _check_inside(journal: Path, path: Path, out: Path, what: str) -> None:
    """Raise StateError unless `path`, its folders' links followed, is inside `out`."""
    try:
        parent = path.parent.resolve()
        inside = parent.is_relative_to(out.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise StateError(_damaged(journal, f"it names the {what} {path}, outside {out}"))


def _kind(path: Path) -> int | None:
    """The file type of `path` itself (a link is a link), or None when there is nothing."""
    try:
        return stat.S_IFMT(path.lstat().st_mode)
    except FileNotFoundError:
        return None
    except OSError:
        return -1


def _damaged(journal: Path, why: str) -> str:
    return (
        f"The sync journal {journal} is damaged ({why}). Check the published files, delete "
        "the journal, and run `smwsync sync --force`."
    )
