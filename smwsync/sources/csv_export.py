"""Read a CSV download of the form's responses, in either of Google's two flavours.

Sheets' "File > Download > CSV" (CRLF, quoting only where needed) and Forms' "Download
responses" (every field quoted, LF) both parse with the csv module; what differs is the
timestamp text, which the date cleaner reads. A byte-order mark (added when Excel re-saves the
file) is dropped. Text must be UTF-8, as Google writes it; a file that is not (usually one
re-saved by Excel as "CSV" rather than "CSV UTF-8") is refused with a message saying which line
is wrong and how to fix it, unless `[source] encoding` names the encoding it is in.
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


def read_csv(path: Path, encoding: str = "utf-8") -> Table:
    """Read the responses CSV at `path`; raise SourceError if it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise SourceError(
            f"The responses file {path} does not exist. Download the responses again or fix "
            "[source] csv (or --csv)."
        ) from err
    except OSError as err:
        raise SourceError(f"Could not read the responses file {path}: {err.strerror}.") from err
    text = decode(data, encoding, path)
    return parse_csv_text(text, name=path.name)


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


def parse_csv_text(text: str, name: str = "") -> Table:
    """Parse CSV text into a Table; blank rows are dropped but keep their row numbers."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        records = list(reader)
    except csv.Error as err:
        raise SourceError(f"{name or 'The CSV'} is not readable as CSV: {err}.") from err
    if not records:
        raise SourceError(f"{name or 'The CSV'} is empty: it has no header row.")
    headers = tuple(records[0])
    width = len(headers)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = tuple(record[:width]) + ("",) * (width - len(record))
        rows.append((number, cells))
    return Table(headers=headers, rows=tuple(rows), name=name)
