"""The form's responses as read, before any field is interpreted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A header row and the rows under it, each with its row number in the sheet (header = 1)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    name: str = ""
