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
import hashlib
import io
import json
import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from smwsync.errors import PublishError, StateError
from smwsync.publish.output_files import BLOCK, OutputFiles, Written
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


class Commit(OutputFiles):
    """One commit's new files, each written in full to its temporary file as it is made
    (steps 1 and 2), then published together by `publish` (steps 3 and 4).

    The journal says "prepared" and names every temporary file before that file is made, so
    a failure or a kill at any point leaves every old file as it was, and the next sync
    deletes what this one left. A new file that holds exactly the bytes of the file it would
    replace is dropped at once: that file is left alone, its modification time too.

    Use it as a context manager: an error inside the block rolls the commit back.
    """

    def __init__(self, journal: Path, out: Path, also: Iterable[Path] = ()) -> None:
        """A commit of files in `out`, journalled in `journal`. The files `also` (the state,
        ...) are named in its first journal, so that one write serves the whole set."""
        super().__init__()
        self.journal = journal
        self.out = out
        self._token = new_token()
        self._also = tuple(also)
        self._named: dict[Path, Path] = {}  # every file -> temporary the journal names
        self._folders: list[Path] = []  # folders made for the set, which a roll-back removes
        self._changed: dict[Path, Path] = {}  # file -> temporary holding its new bytes
        self._done = False

    def __enter__(self) -> Commit:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None and not self._done:
            self.roll_back()

    def changed(self) -> list[Path]:
        """The files written so far whose new bytes differ from those on disk."""
        return list(self._changed)

    def expect(self, names: Iterable[str]) -> None:
        """Name the temporary files of these outputs in the journal, in one write."""
        self._name([self.out / name for name in names])

    @contextmanager
    def create(self, name: str) -> Iterator[BinaryIO]:
        """The temporary file of the output `name`, written and flushed to the disk; then
        recorded in `written` (size, SHA-256), and dropped if the file already holds it."""
        with self._creating(self.out / name) as (file, written):
            yield file
        self.written[name] = written[0]

    def write_file(
        self, path: Path, write: Callable[[BinaryIO], None], *, rewrite: bool = False
    ) -> None:
        """Add `path` (any path the journal may name) to the set, as `write` writes it into
        its temporary file; dropped if the file already holds those bytes, unless `rewrite`."""
        with self._creating(path, rewrite=rewrite) as (file, _):
            write(file)

    @contextmanager
    def _creating(
        self, path: Path, *, rewrite: bool = False
    ) -> Iterator[tuple[BinaryIO, list[Written]]]:
        temporary = self._make(path)
        written: list[Written] = []
        try:
            with _Descriptor(_new_file(temporary)) as file:
                yield file, written
                os.fsync(file.fileno())
            written.append(self._settle(path, temporary, rewrite=rewrite))
        except OSError as err:
            raise write_error(path, err) from err

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        """The output `name` as this commit has written it (its temporary file, or the file
        it left alone for holding the same bytes)."""
        path = self.out / name
        with open(self._changed.get(path, path), "rb") as file:
            yield file

    def put(self, writes: Mapping[Path, bytes], *, rewrite: Collection[Path] = ()) -> None:
        """Add each path in `writes` holding its bytes to the set (any path the journal may
        name), but those that hold their bytes already and are not to be `rewrite`n."""
        changed = {
            path: data for path, data in writes.items() if path in rewrite or not holds(path, data)
        }
        self._name(changed)
        for path, data in changed.items():
            temporary = self._make(path)
            try:
                write_new_file(temporary, data)
            except OSError as err:
                raise write_error(path, err) from err
            self._changed[path] = temporary

    def publish(self, removals: Iterable[Path] = ()) -> list[Path]:
        """Steps 3 and 4: commit the set and put it in place, removing `removals`. Returns
        the files written and removed; with none, nothing is committed."""
        gone = tuple(path for path in removals if path.is_file())
        self._done = True
        if not self._changed and not gone:
            self._roll_back()  # the temporaries of files left alone, and the journal
            return []
        plan = _Plan(
            replacements=tuple((temporary, path) for path, temporary in self._changed.items()),
            removals=gone,
            folders=tuple(self._folders),
        )
        try:
            for folder in sorted({temporary.parent for temporary, _ in plan.replacements}):
                sync_folder(folder)
            _write_journal(self.journal, COMMITTED, plan)
        except BaseException:
            self._roll_back()
            raise
        _finish(self.journal, plan)
        return [*self._changed, *gone]

    def roll_back(self) -> None:
        """Delete every temporary file the journal names and the journal: the old set stays.
        Nothing to do once the set is published or rolled back."""
        if not self._done:
            self._done = True
            self._roll_back()

    def _roll_back(self) -> None:
        if self._named:
            _roll_back(self.journal, self._plan())

    def _plan(self) -> _Plan:
        return _Plan(
            tuple((temporary, path) for path, temporary in self._named.items()),
            (),
            tuple(self._folders),
        )

    def _name(self, paths: Iterable[Path]) -> None:
        """Journal the temporary files of `paths` not named yet, and the folders they need."""
        new = [path for path in dict.fromkeys(paths) if path not in self._named]
        if not new:
            return
        if not self._named:
            new += [path for path in self._also if path not in new]
        for path in new:
            self._named[path] = temporary_for(path, self._token)
        known = set(self._folders)
        self._folders += [f for f in _missing_folders(p.parent for p in new) if f not in known]
        _write_journal(self.journal, PREPARED, self._plan())

    def _make(self, path: Path) -> Path:
        """The temporary file for `path`, named in the journal, in a folder that exists."""
        if self._done:
            raise ValueError("This commit is over: start another.")
        self._name([path])
        try:
            check_not_a_folder(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise write_error(path, err) from err
        return self._named[path]

    def _settle(self, path: Path, temporary: Path, *, rewrite: bool = False) -> Written:
        """The new file's size and SHA-256; the temporary is kept only when `path` does not
        hold the same bytes already, or is to be `rewrite`n."""
        written, same = _compare(temporary, path)
        if same and not rewrite:
            temporary.unlink()
            self._changed.pop(path, None)
        else:
            self._changed[path] = temporary
        return written


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
    with Commit(journal, journal.parent) as staged:
        staged.put(writes, rewrite=rewrite)
        return staged.publish(removals)


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


class _Descriptor(io.RawIOBase):
    """A file open for reading and writing, unbuffered: each write is made at once, whole,
    with os.write (so a test can stop it there, as a full disk or a kill would)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def readinto(self, buffer: Any) -> int:
        data = os.read(self._fd, len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        while view:
            view = view[os.write(self._fd, view) :]
        return size

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self._fd, offset, whence)

    def tell(self) -> int:
        return os.lseek(self._fd, 0, os.SEEK_CUR)

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            finally:
                super().close()


def _new_file(path: Path) -> int:
    """Create `path`, which must not exist, for reading and writing; its descriptor."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, 0o666)


def _compare(new: Path, old: Path) -> tuple[Written, bool]:
    """The size and SHA-256 of the file `new`, and whether `old` holds exactly its bytes;
    both read a block at a time."""
    digest = hashlib.sha256()
    size = 0
    with open(new, "rb") as made, contextlib.ExitStack() as stack:
        try:
            there = stack.enter_context(open(old, "rb")) if old.is_file() else None
        except OSError:
            there = None
        same = (
            there is not None
            and os.fstat(there.fileno()).st_size == os.fstat(made.fileno()).st_size
        )
        while block := made.read(BLOCK):
            digest.update(block)
            size += len(block)
            if same and there is not None:
                same = there.read(len(block)) == block
    return Written(size, digest.hexdigest()), same


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
