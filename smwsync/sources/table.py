"""The form's responses as read, before any field is interpreted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A header row and the rows under it, each with its row number in the sheet (header = 1).

    `locale` and `timezone` are the spreadsheet's own (e.g. "en_GB", "Europe/London") when it
    was read from Google; a CSV download does not say, so they stay empty.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    name: str = ""
    locale: str = ""
    timezone: str = ""
