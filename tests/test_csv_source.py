"""Reading both of Google's CSV downloads of a form's responses."""

from __future__ import annotations

import pytest

from smwsync.errors import SourceError
from smwsync.sources.csv_export import read_csv

SHEETS_DOWNLOAD = (
    "Timestamp,Email address,Event title,Venue postcode \r\n"
    "30/04/2026 15:31:44,ann@example.org,Tea-camp,ls11ur\r\n"
    '01/05/2026 09:02:10,bob@example.org,"Workshop, for managers",CF10 1EP\r\n'
    ",,,\r\n"
    '02/05/2026 11:00:00,cy@example.org,"Line one\nline two",EH1 1YZ'
)

FORMS_DOWNLOAD = (
    '"Timestamp","Email address","Event title","Venue postcode "\n'
    '"2026/04/30 3:31:44 PM GMT+1","ann@example.org","Tea-camp","ls11ur"\n'
    '"2026/05/01 9:02:10 AM GMT+1","bob@example.org","Workshop, for managers","CF10 1EP"'
)


def test_sheets_download_keeps_cells_and_sheet_row_numbers(tmp_path):
    path = tmp_path / "Form responses 1.csv"
    path.write_bytes(SHEETS_DOWNLOAD.encode("utf-8"))
    table = read_csv(path)
    assert table.headers == ("Timestamp", "Email address", "Event title", "Venue postcode ")
    # The blank row 4 is dropped, but row 5 keeps its number as the sheet shows it.
    assert [number for number, _ in table.rows] == [2, 3, 5]
    assert table.rows[1][1][2] == "Workshop, for managers"
    assert table.rows[2][1][2] == "Line one\nline two"
    assert table.name == "Form responses 1.csv"


def test_forms_download_with_every_field_quoted(tmp_path):
    path = tmp_path / "Social Media Week.csv"
    path.write_bytes(FORMS_DOWNLOAD.encode("utf-8"))
    table = read_csv(path)
    assert table.headers[3] == "Venue postcode "
    assert table.rows[0] == (
        2,
        ("2026/04/30 3:31:44 PM GMT+1", "ann@example.org", "Tea-camp", "ls11ur"),
    )


def test_byte_order_mark_from_excel_is_dropped(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SHEETS_DOWNLOAD.encode("utf-8"))
    assert read_csv(path).headers[0] == "Timestamp"


def test_ragged_rows_are_padded_and_trimmed(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text("A,B,C\n1\n1,2,3,4,5\n", encoding="utf-8")
    table = read_csv(path)
    assert table.rows == ((2, ("1", "", "")), (3, ("1", "2", "3")))


def test_duplicate_and_blank_headers_are_kept_as_read(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text("Title,,Title\nx,y,z\n", encoding="utf-8")
    table = read_csv(path)
    assert table.headers == ("Title", "", "Title")
    assert table.rows == ((2, ("x", "y", "z")),)


def test_text_that_is_not_utf8_names_the_line_and_the_fix(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes("Title\nCaf\u00e9 chat\n".encode("cp1252"))
    with pytest.raises(SourceError) as caught:
        read_csv(path)
    message = str(caught.value)
    assert "line 2" in message
    assert "0xE9" in message
    assert 'encoding = "cp1252"' in message


def test_a_declared_encoding_reads_an_excel_file(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes("Title\nCaf\u00e9 chat\n".encode("cp1252"))
    assert read_csv(path, encoding="cp1252").rows == ((2, ("Caf\u00e9 chat",)),)


def test_missing_file_says_how_to_fix_it(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        read_csv(tmp_path / "nope.csv")


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="no header row"):
        read_csv(path)
