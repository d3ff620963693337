"""Every kind of download an organiser has, recognised by what is in it, not by its name."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from smwsync.cli import cli
from smwsync.errors import SourceError
from smwsync.sources.download import detect_encoding, read_download

from conftest import HEADERS, TEA_CAMP, config_toml, form_csv

HEADER_ROW = ["Timestamp", "Event title", "Date of event", "Start time", "Venue postcode"]


def workbook(path, rows, *, title="Form responses 1", extra_sheet=""):
    """An .xlsx as Sheets writes one: typed cells, the responses on the first sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell in sheet["A"][1:]:
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    for cell in sheet["C"][1:]:
        cell.number_format = "dd/mm/yyyy"
    for cell in sheet["D"][1:]:
        cell.number_format = "hh:mm:ss"
    if extra_sheet:
        book.create_sheet(extra_sheet).append(["Notes"])
    book.save(path)
    return path


EXCEL_ROWS = [
    HEADER_ROW,
    [dt.datetime(2026, 11, 20, 10, 15), "Tea-camp", dt.datetime(2027, 3, 23), dt.time(14), "LS1"],
    [None, None, None, None, None],
    [dt.datetime(2026, 11, 21, 9, 0, 5), "Chat", dt.datetime(2027, 3, 4), dt.time(9, 30), 1234.0],
]


def test_an_excel_download_keeps_real_dates_and_times_and_names_its_sheet(tmp_path):
    table = read_download(workbook(tmp_path / "responses.xlsx", EXCEL_ROWS))
    assert table.headers == tuple(HEADER_ROW)
    # The blank row 3 is dropped; row 4 keeps its number as the sheet shows it.
    assert table.rows == (
        (2, ("2026-11-20 10:15:00", "Tea-camp", "2027-03-23", "14:00:00", "LS1")),
        (4, ("2026-11-21 09:00:05", "Chat", "2027-03-04", "09:30:00", "1234")),
    )
    assert table.name == "responses.xlsx (sheet 'Form responses 1')"


def test_an_excel_download_renamed_to_csv_is_still_read_as_excel(tmp_path):
    path = tmp_path / "responses.xlsx"
    workbook(path, EXCEL_ROWS)
    renamed = path.rename(tmp_path / "responses.csv")
    assert read_download(renamed).rows[0][1][2] == "2027-03-23"


def test_the_configured_worksheet_is_read_and_a_wrong_one_named(tmp_path):
    path = workbook(tmp_path / "r.xlsx", EXCEL_ROWS, title="Responses", extra_sheet="Map notes")
    assert read_download(path, worksheet="Map notes").headers == ("Notes",)
    with pytest.raises(SourceError, match=r"no sheet 'Sheet9'.*'Responses', 'Map notes'"):
        read_download(path, worksheet="Sheet9")


def test_semicolons_from_excel_in_many_locales_are_detected(tmp_path):
    path = tmp_path / "responses.csv"
    text = (
        'Timestamp;Event title;"Where; exactly?"\r\n'
        "20/11/2026 10:15:00;Workshop, for managers;x\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = read_download(path)
    assert table.headers == ("Timestamp", "Event title", "Where; exactly?")
    assert table.rows == ((2, ("20/11/2026 10:15:00", "Workshop, for managers", "x")),)


def test_the_separator_comes_from_the_header_row_alone(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text('\nEvent title\nTea; cake; chat\n"Tea, cake"\n', encoding="utf-8")
    assert read_download(path).rows == ((3, ("Tea; cake; chat",)), (4, ("Tea, cake",)))


@pytest.mark.parametrize("mark", [True, False])
def test_unicode_text_from_excel_is_detected(tmp_path, mark):
    path = tmp_path / "responses.txt"
    answers = ("20/11/2026 10:15:00", "Caf\u00e9 chat, all welcome", "Ynys M\u00f4n")
    text = "Timestamp\tEvent title\tCouncil\r\n" + "\t".join(answers) + "\r\n"
    path.write_bytes((b"\xff\xfe" if mark else b"") + text.encode("utf-16-le"))
    table = read_download(path)
    assert table.headers == ("Timestamp", "Event title", "Council")
    assert table.rows == (
        (2, ("20/11/2026 10:15:00", "Caf\u00e9 chat, all welcome", "Ynys M\u00f4n")),
    )
    assert table.name == "responses.txt (Unicode Text)"
    assert detect_encoding(path.read_bytes()) == "utf-16-le"


def test_forms_zip_of_one_csv_is_read(tmp_path):
    path = tmp_path / "Social Media Week.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Social Media Week.csv", '"Event title"\n"Tea-camp"')
    table = read_download(path)
    assert table.rows == ((2, ("Tea-camp",)),)
    assert table.name == "Social Media Week.csv.zip: Social Media Week.csv"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"is empty \(0 bytes\)\. Download the responses again"),
        (b"\r\n\r\n  \r\n", r"has only blank lines: it has no header row or answers"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            r"old-style Excel workbook \(\.xls\)",
        ),
        (b"PK\x03\x04 broken", r"damaged zip or Excel file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"not a CSV file, an Excel workbook or Unicode"),
    ],
    ids=["empty", "blank lines", "xls", "broken zip", "picture"],
)
def test_a_file_without_responses_gets_one_clear_message(tmp_path, content, message):
    path = tmp_path / "responses.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as caught:
        read_download(path)
    assert str(caught.value).count(". ") <= 3


def test_windows_excel_text_is_detected_as_cp1252():
    assert detect_encoding("Caf\u00e9".encode("cp1252")) == "cp1252"
    assert detect_encoding("Caf\u00e9".encode("utf-8")) == "utf-8"


def test_sync_publishes_from_an_excel_download(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Form responses 1"
    sheet.append(list(HEADERS.values()))
    row = {
        **TEA_CAMP,
        "timestamp": dt.datetime(2026, 11, 20, 10, 15),
        "date": dt.datetime(2027, 3, 23),
    }
    row["start_time"] = dt.time(14)
    sheet.append([row.get(field, "") for field in HEADERS])
    sheet["H2"].number_format = "dd/mm/yyyy"
    book.save(tmp_path / "responses.xlsx")
    (tmp_path / "smwsync.toml").write_text(config_toml("responses.xlsx"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["sync", "--config", str(tmp_path / "smwsync.toml"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"published": 1' in result.output
    kml = (tmp_path / "out" / "events.kml").read_text(encoding="utf-8")
    assert "2027-03-23" in kml and "14:00" in kml
    text = CliRunner().invoke(cli, ["check", "--config", str(tmp_path / "smwsync.toml")])
    assert "from responses.xlsx (sheet 'Form responses 1')" in text.output


def test_sync_reads_a_semicolon_download_given_with_csv(tmp_path):
    (tmp_path / "smwsync.toml").write_text(config_toml("responses.csv"), encoding="utf-8")
    semicolons = form_csv([TEA_CAMP]).replace(",", ";")
    (tmp_path / "export.csv").write_text(semicolons, encoding="utf-8")
    config = str(tmp_path / "smwsync.toml")
    result = CliRunner().invoke(
        cli, ["check", "--config", config, "--csv", str(tmp_path / "export.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "Read 1 row from export.csv: 1 event." in result.output


def test_a_blank_download_after_a_good_sync_leaves_the_map_as_it_was(tmp_path):
    config = tmp_path / "smwsync.toml"
    config.write_text(config_toml("responses.csv"), encoding="utf-8")
    (tmp_path / "responses.csv").write_text(form_csv([TEA_CAMP]), encoding="utf-8")
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    kml = (tmp_path / "out" / "events.kml").read_bytes()
    (tmp_path / "responses.csv").write_text("\r\n\r\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 1
    assert result.output.count("Error:") == 1
    assert "has only blank lines" in result.output
    assert (tmp_path / "out" / "events.kml").read_bytes() == kml
