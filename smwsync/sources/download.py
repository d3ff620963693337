"""Any download of the form's responses, recognised by what is in it rather than by its name.

Organisers download the responses as CSV, as an Excel workbook, as the zip Forms gives, or
re-save them from Excel as semicolon CSV or "Unicode Text"; and they rename files. The first
bytes say which it is: a zip holds a workbook (or Forms' CSV), a UTF-16 byte-order mark (or a
zero byte between letters) is Unicode Text, anything else is text in `encoding`. Files that hold
no responses get one message saying so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from smwsync.errors import SourceError
from smwsync.model import Table
from smwsync.sources.csv_export import decode, parse_csv_text, read_bytes

ZIP = b"PK\x03\x04"
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_MARKS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
# What Excel on Windows saves plain "CSV" in: detection falls back on it.
WINDOWS_EXCEL = "cp1252"


@dataclass(frozen=True)
class Download:
    """A download of the responses as read from the disk, not yet parsed: a sync that finds
    its bytes as the last sync found them stops there (sync/fingerprint.py)."""

    path: Path
    data: bytes
    encoding: str = "utf-8"  # for plain text (CSV) only; a workbook or UTF-16 text says its own
    worksheet: str = ""  # a workbook's sheet (default: its first)

    def table(self) -> Table:
        """The responses in it, whatever kind of download it is."""
        return table_of_download(self.path, self.data, self.encoding, self.worksheet)


def open_download(path: Path, *, encoding: str = "utf-8", worksheet: str = "") -> Download:
    """Read the file at `path` (once: what is parsed is what was read), without parsing it."""
    return Download(path, read_bytes(path), encoding, worksheet)


def read_download(path: Path, *, encoding: str = "utf-8", worksheet: str = "") -> Table:
    """Read the responses in the file at `path`, whatever kind of download it is.

    `encoding` applies to plain text (CSV) only; a workbook or UTF-16 text says its own.
    `worksheet` picks a workbook's sheet (default: its first).
    """
    return open_download(path, encoding=encoding, worksheet=worksheet).table()


def table_of_download(path: Path, data: bytes, encoding: str, worksheet: str) -> Table:
    """The responses in `data`, the bytes of the file at `path` (see `read_download`)."""
    if not data:
        raise SourceError(
            f"{path} is empty (0 bytes). Download the responses again: in the response sheet, "
            "File > Download > Comma-separated values (.csv) or Microsoft Excel (.xlsx)."
        )
    if data.startswith(ZIP):
        return _read_zip(path, data, worksheet)
    if data.startswith(OLD_EXCEL):
        raise SourceError(
            f"{path} is an old-style Excel workbook (.xls), which smwsync does not read. Open it "
            "in Excel and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
        )
    utf16 = utf16_encoding(data)
    if utf16:
        text = data[2:].decode(utf16) if data[:2] in UTF16_MARKS else data.decode(utf16)
        return parse_csv_text(text, name=f"{path.name} (Unicode Text)")
    if b"\x00" in data[:4096] and not _is_text(data, encoding):
        raise SourceError(
            f"{path} is not a CSV file, an Excel workbook or Unicode Text. Download the "
            "responses again: File > Download > Comma-separated values (.csv)."
        )
    return parse_csv_text(decode(data, encoding, path), name=path.name)


def utf16_encoding(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" when the bytes are UTF-16 text (Excel's "Unicode Text"), by
    its byte-order mark or, without one, by the zero bytes of its English letters; else ""."""
    mark = UTF16_MARKS.get(data[:2])
    if mark:
        return mark
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return ""
    if sample[1::2].count(0) > half * 0.4 and sample[0::2].count(0) < half * 0.1:
        return "utf-16-le"
    if sample[0::2].count(0) > half * 0.4 and sample[1::2].count(0) < half * 0.1:
        return "utf-16-be"
    return ""


def detect_encoding(data: bytes) -> str:
    """The encoding a text download is in: UTF-16, UTF-8, or else Excel's Windows cp1252."""
    utf16 = utf16_encoding(data)
    if utf16:
        return utf16
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return WINDOWS_EXCEL
    return "utf-8"


def _is_text(data: bytes, encoding: str) -> bool:
    # A zero byte may be typed into an answer; in a file that is not text at all, such as a
    # picture, it comes with bytes no text encoding allows.
    try:
        data.decode("utf-8" if encoding.lower().startswith("utf") else encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _read_zip(path: Path, data: bytes, worksheet: str) -> Table:
    import zipfile  # only a zip (a workbook, Forms' download) needs it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as err:
        raise SourceError(
            f"{path} is a damaged zip or Excel file ({err}). Download the responses again."
        ) from err
    if "xl/workbook.xml" in names:
        # openpyxl takes a fifth of a second to load: only a workbook pays for it.
        from smwsync.sources.xlsx import read_workbook

        return read_workbook(io.BytesIO(data), path, worksheet)
    csvs = [name for name in names if name.lower().endswith(".csv")]
    if len(csvs) == 1:
        # Forms' "Download responses" is a zip holding one CSV.
        text = decode(archive.read(csvs[0]), "utf-8", path)
        return parse_csv_text(text, name=f"{path.name}: {Path(csvs[0]).name}")
    raise SourceError(
        f"{path} is a zip file but not an Excel workbook or a zip of one CSV file. Unzip it "
        "and give smwsync the responses file inside."
    )
