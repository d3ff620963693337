"""Read an Excel workbook download (.xlsx) of the form's responses.

Sheets' "File > Download > Microsoft Excel (.xlsx)" keeps each answer's type: the timestamp and
date questions are real dates, time questions real times, numbers numbers. Each is written as
the text the cleaners read, dates and times in ISO form (2027-03-23, 14:30:00), which means the
same in every locale. The workbook is opened read-only, so a large one is streamed, not loaded
whole; formulas give the value Excel last saved.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from smwsync.errors import SourceError
from smwsync.model import Table
from smwsync.sources.csv_export import table_of


def read_xlsx(path: Path, worksheet: str = "") -> Table:
    """Read the responses from the sheet named `worksheet`, or the workbook's first sheet.

    The Table's name says which sheet was read: "responses.xlsx (sheet 'Form responses 1')".
    """
    # Opened by handle: openpyxl refuses a file by its name's ending, and downloads get renamed.
    with path.open("rb") as handle:
        return read_workbook(handle, path, worksheet)


def read_workbook(handle: BinaryIO, path: Path, worksheet: str = "") -> Table:
    """Read the responses from the workbook open in `handle`, downloaded to `path`."""
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as err:
        raise SourceError(
            f"{path} is not an Excel workbook smwsync can read ({err}). Download the responses "
            "again, as Excel (.xlsx) or CSV."
        ) from err
    try:
        if worksheet and worksheet not in book.sheetnames:
            raise SourceError(
                f"{path} has no sheet {worksheet!r} ([source] worksheet); its sheets are "
                f"{', '.join(repr(name) for name in book.sheetnames)}."
            )
        sheet = book[worksheet] if worksheet else book.worksheets[0]
        records = [[cell_text(cell) for cell in row] for row in sheet.iter_rows()]
        name = f"{path.name} (sheet {sheet.title!r})"
    finally:
        book.close()
    return table_of(records, name)


def cell_text(cell: Any) -> str:
    """A cell's value as the text a form answer would be."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        # A date question's answer is midnight: written as the date alone, it reads the same
        # as a timestamp and as a date.
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
