"""Where outputs are written as they are made, one piece at a time, so that no output is
ever held whole in memory (let alone every output at once).

The renderers write into an `OutputFiles`: a sync's is its commit (sync/commit.py), which puts
each file in a temporary file beside the one it replaces; `InMemory` keeps the bytes, for a
caller that wants them (tests, `render_outputs`). Either way each file written is recorded as a
`Written`: its size and SHA-256, which the state keeps and the My Maps notices need.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import BinaryIO

# Pieces are gathered into blocks of about this many bytes before each write.
BLOCK = 1 << 20


@dataclass(frozen=True)
class Written:
    """One output as written: its size in bytes and the SHA-256 of its bytes, in hex."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> Written:
        return cls(len(data), hashlib.sha256(data).hexdigest())


class OutputFiles(ABC):
    """The files one sync's outputs are written to, by name relative to the out folder."""

    def __init__(self) -> None:
        self.written: dict[str, Written] = {}

    @abstractmethod
    def create(self, name: str) -> AbstractContextManager[BinaryIO]:
        """A new, empty, seekable binary file for the output `name`; recorded in `written`
        when the block ends without an error."""

    @abstractmethod
    def open(self, name: str) -> AbstractContextManager[BinaryIO]:
        """The bytes of the output `name`, written already, to read."""

    def expect(self, names: Iterable[str]) -> None:
        """Say which outputs are about to be written (a commit journals them at once);
        nothing to do for files that need no journal."""
        del names

    def text(self, name: str, pieces: Iterable[str], errors: str = "strict") -> Written:
        """Write `name` as the UTF-8 of the pieces, in order; a few pieces are encoded at a
        time, so at most a block of the file is in memory beside the piece being made."""
        with self.create(name) as file:
            for block in blocks(pieces):
                file.write(block.encode("utf-8", errors))
        return self.written[name]

    def data(self, name: str, data: bytes) -> Written:
        """Write `name` holding `data` (a small file: a script, a style sheet)."""
        with self.create(name) as file:
            file.write(data)
        return self.written[name]

    def copy(self, name: str, source: str) -> Written:
        """Write `name` as a copy of the output `source`, written already."""
        with self.open(source) as original, self.create(name) as file:
            shutil.copyfileobj(original, file, BLOCK)
        return self.written[name]


class InMemory(OutputFiles):
    """Outputs kept as bytes in `files`, name -> bytes, in the order they were written."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}

    @contextmanager
    def create(self, name: str) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.files[name] = buffer.getvalue()
        self.written[name] = Written.of(self.files[name])

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        yield io.BytesIO(self.files[name])


def blocks(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces joined into blocks of about BLOCK characters (and the odd larger piece)."""
    gathered: list[str] = []
    size = 0
    for piece in pieces:
        gathered.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield "".join(gathered)
            gathered.clear()
            size = 0
    if gathered:
        yield "".join(gathered)
