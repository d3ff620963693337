"""Read a text download of the form's responses: Google's CSVs and Excel's.

Sheets' "File > Download > CSV" (CRLF, quoting only where needed) and Forms' "Download
responses" (every field quoted, LF) both parse with the csv module; what differs is the
timestamp text, which the date cleaner reads. Excel re-saves them in its own ways: with a
byte-order mark (dropped), with semicolons between the cells where the decimal mark is a comma
("CSV" in much of Europe), or as "Unicode Text" (UTF-16, tabs between the cells). The separator
is taken from the header row. Text must be UTF-8 unless `encoding` says otherwise; a file that
is not (usually one re-saved by Excel as "CSV" rather than "CSV UTF-8") is refused with a
message saying which line is wrong and how to fix it.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from smwsync.errors import SourceError
from smwsync.model import Table

# A form answer can be long; the csv module's default cell limit is 128 kB.
MAX_CELL_BYTES = 16 * 1024 * 1024
# What may separate the cells, most usual first: a tie goes to the comma.
SEPARATORS = (",", ";", "\t")


def read_csv(path: Path, encoding: str = "utf-8") -> Table:
    """Read the responses CSV at `path`; raise SourceError if it cannot be read."""
    data = read_bytes(path)
    return parse_csv_text(decode(data, encoding, path), name=path.name)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a SourceError saying what to do."""
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise SourceError(
            f"The responses file {path} does not exist. Download the responses again or fix "
            "[source] csv (or --csv)."
        ) from err
    except OSError as err:
        raise SourceError(f"Could not read the responses file {path}: {err.strerror}.") from err


def decode(data: bytes, encoding: str, path: Path) -> str:
    """Decode file bytes, dropping a byte-order mark; explain undecodable bytes by line."""
    try:
        codecs.lookup(encoding)
    except LookupError as err:
        raise SourceError(
            f"[source] encoding {encoding!r} is not an encoding Python knows."
        ) from err
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SourceError(
            f"{path} is not {encoding.removesuffix('-sig').upper()} text: line {line} has the "
            f"byte 0x{data[err.start]:02X}. Google writes UTF-8, so the file was probably re-saved "
            "by Excel: download it from Google again, or save it as 'CSV UTF-8', or set "
            '[source] encoding = "cp1252" if it came from Excel on Windows.'
        ) from err


def separator(text: str) -> str:
    """The character between the cells of the header row (the first line that is not blank):
    a comma, a semicolon or a tab."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = seen = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if seen:
                break
        elif char in counts:
            counts[char] += 1
        seen = seen or not char.isspace()
    return max(SEPARATORS, key=lambda sep: (counts[sep], -SEPARATORS.index(sep)))


def parse_csv_text(text: str, name: str = "") -> Table:
    """Parse CSV text into a Table; blank rows are dropped but keep their row numbers."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text), strict=False)
    try:
        records = list(reader)
    except csv.Error as err:
        raise SourceError(f"{name or 'The CSV'} is not readable as CSV: {err}.") from err
    return table_of(records, name)


def table_of(records: list[list[str]], name: str) -> Table:
    """The header row and the rows under it, each row padded or cut to the header's width.

    Blank lines before the header are skipped, keeping the sheet's row numbers.
    """
    what = name or "The responses file"
    numbered = [
        (number, record)
        for number, record in enumerate(records, start=1)
        if any(cell.strip() for cell in record)
    ]
    if not records:
        raise SourceError(f"{what} is empty: it has no header row. Download the responses again.")
    if not numbered:
        raise SourceError(
            f"{what} has only blank lines: it has no header row or answers. "
            "Download the responses again."
        )
    headers = tuple(numbered[0][1])
    width = len(headers)
    rows = tuple(
        (number, tuple(record[:width]) + ("",) * (width - len(record)))
        for number, record in numbered[1:]
    )
    return Table(headers=headers, rows=rows, name=name)
