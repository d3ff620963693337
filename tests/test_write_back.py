"""Writing results back to the response sheet: real gspread and google-auth against a fake."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.cli import cli
from smwsync.google.sheet import OpenSheet, ResponseTab, SheetAddress, table_from_values
from smwsync.model import Event, Location, Precision, Problem, Severity, SyncReport
from smwsync.publish.sheet_tab import HEADER, sheet_tab_rows
from smwsync.publish.sheet_writes import plan_write_back
from smwsync.publish.statuses import response_statuses

from conftest import HEADERS, config_toml

pytest_plugins = ["fake_google"]

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789wback"
TAB = "Form responses 1"
WRITE_BACK = 'sheet_tab = "Map"\nstatus_column = "Map status"\n'


def answer(**fields: str) -> list[str]:
    """One response row in the form's column order."""
    return [fields.get(name, "") for name in HEADERS]


TEA_CAMP = answer(
    timestamp="20/11/2026 10:15:00",
    submitter_email="priya@example.org",
    submitter_name="Priya Private",
    council="Leeds City Council",
    title="Tea camp",
    formats="Face-to-face",
    date="23/03/2027",
    start_time="14:00:00",
    venue="Central Library",
    address="Calverley Street",
    postcode="ls11ur",
)
PHONE_SURGERY = answer(
    timestamp="21/11/2026 09:00:00",
    submitter_email="sam@example.org",
    submitter_name="Sam Second",
    council="Cardiff",
    title="Phone surgery",
    formats="Phone",
    date="24/03/2027",
)
BAD_DATE = answer(
    timestamp="21/11/2026 11:00:00",
    submitter_email="kim@example.org",
    council="York",
    title="Comms clinic",
    formats="Online",
    date="31/02/2027",
)


def rows(*responses: list[str]) -> list[list[str]]:
    return [list(HEADERS.values()), *[list(r) for r in responses]]


def write_config(tmp_path, fake_google, key_path, extra: str = WRITE_BACK):
    text = config_toml(extra=extra).replace(
        '[source]\ncsv = "responses.csv"',
        f'[source]\nsheet = "https://docs.google.com/spreadsheets/d/{KEY}/edit"\n'
        f'credentials = "{key_path}"\napi_endpoint = "{fake_google.url}"\nretries = 0',
    )
    path = tmp_path / "smwsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sync(config, *options: str):
    return CliRunner().invoke(cli, ["sync", "--config", str(config), *options])


def calls(fake_google) -> list[tuple[str, str]]:
    fake_google.wait_for_background_lookups()
    return [(r.method, r.path) for r in fake_google.api_requests()]


def column(tab, index: int) -> list[str]:
    return [row[index] if index < len(row) else "" for row in tab.cells]


@pytest.fixture
def sheet(fake_google):
    return fake_google.add_spreadsheet(KEY, rows(TEA_CAMP, PHONE_SURGERY, BAD_DATE))


@pytest.fixture
def config(tmp_path, fake_google, service_account_key):
    return write_config(tmp_path, fake_google, service_account_key.path)


# The first sync and the ones after -------------------------------------------------------------


def test_first_sync_adds_the_tab_and_writes_everything_in_one_raw_batch(fake_google, sheet, config):
    result = sync(config)
    assert result.exit_code == 0, result.output

    values = f"/v4/spreadsheets/{KEY}/values/%27Form%20responses%201%27"
    assert calls(fake_google) == [
        ("POST", "/token"),
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", values),
        ("POST", f"/v4/spreadsheets/{KEY}:batchUpdate"),
        ("POST", f"/v4/spreadsheets/{KEY}/values:batchUpdate"),
    ]
    [add] = sheet.batch_updates
    assert add["requests"][0]["addSheet"]["properties"]["title"] == "Map"
    assert {w["valueInputOption"] for w in sheet.writes} == {"RAW"}

    map_tab = sheet.tab("Map")
    assert map_tab.cells[0] == list(HEADER)
    by_title = {row[1]: dict(zip(HEADER, row, strict=True)) for row in map_tab.cells[1:]}
    assert sorted(by_title) == ["Phone surgery", "Tea camp"]
    assert by_title["Tea camp"]["Postcode"] == "LS1 1UR"
    assert by_title["Tea camp"]["Date"] == "2027-03-23"
    assert by_title["Tea camp"]["Layer"] == "Face-to-face"
    assert float(by_title["Tea camp"]["Latitude"]) == pytest.approx(53.8, abs=0.05)

    status = column(sheet.tab(TAB), len(HEADERS))
    assert status[:3] == ["Map status", "On the map", "On the map"]
    assert status[3].startswith("Not on the map: ")
    assert "31 February" in status[3]
    assert "Wrote Google Sheet 'SMW 2027 events (Responses)': tab 'Map' and column" in (
        result.output
    )


def test_an_unchanged_sheet_costs_three_requests_and_writes_nothing(fake_google, sheet, config):
    assert sync(config).exit_code == 0
    fake_google.requests.clear()
    writes = len(sheet.writes)

    result = sync(config)
    assert result.exit_code == 0, result.output
    assert calls(fake_google) == [
        ("POST", "/token"),
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", f"/v4/spreadsheets/{KEY}/values:batchGet"),
    ]
    batch_get = fake_google.api_requests()[-1]
    assert batch_get.query["ranges"] == [f"'{TAB}'", "'Map'"]
    assert len(sheet.writes) == writes


def test_a_fixed_answer_is_one_batch_update_of_the_status_and_the_tab(fake_google, sheet, config):
    assert sync(config).exit_code == 0
    fake_google.requests.clear()
    sheet.tab(TAB).cells[3][list(HEADERS).index("date")] = "28/02/2027"

    assert sync(config).exit_code == 0
    assert calls(fake_google)[-1] == ("POST", f"/v4/spreadsheets/{KEY}/values:batchUpdate")
    assert [m for m, _ in calls(fake_google)].count("POST") == 2  # the token, then the write
    assert column(sheet.tab(TAB), len(HEADERS))[3] == "On the map"
    titles = [row[1] for row in sheet.tab("Map").cells[1:]]
    assert titles == ["Comms clinic", "Tea camp", "Phone surgery"]


def test_an_event_taken_off_the_map_leaves_no_row_behind(fake_google, config):
    more = [
        answer(title=f"Drop-in {n}", council="York", formats="Online", date="25/03/2027")
        for n in range(1, 5)
    ]
    sheet = fake_google.add_spreadsheet(KEY, rows(TEA_CAMP, PHONE_SURGERY, *more))
    assert sync(config).exit_code == 0
    assert len(sheet.tab("Map").rows()) == 7
    sheet.tab(TAB).cells[2][list(HEADERS).index("title")] = ""

    result = sync(config)
    assert result.exit_code == 0, result.output
    titles = [row[1] for row in sheet.tab("Map").rows()[1:]]
    assert titles == ["Tea camp", "Drop-in 1", "Drop-in 2", "Drop-in 3", "Drop-in 4"]
    assert column(sheet.tab(TAB), len(HEADERS))[2].startswith("Not on the map: ")


# Never touching the form's cells ---------------------------------------------------------------


def test_the_forms_columns_stay_byte_identical_and_organiser_columns_stay_put(fake_google, config):
    # The organisers added a "Notes" column and typed the status column's header themselves,
    # in their own spelling; then the form added a row below.
    cells = rows(TEA_CAMP, PHONE_SURGERY)
    cells[0] += ["Notes", "MAP STATUS "]
    cells[1] += ["ring Priya", "old status"]
    cells.append(answer(title="Late entry", council="York", formats="Online", date="25/03/2027"))
    sheet = fake_google.add_spreadsheet(KEY, cells)
    before = copy.deepcopy(sheet.tab(TAB).cells)

    assert sync(config).exit_code == 0

    status, ids = len(HEADERS) + 1, len(HEADERS) + 2
    after = sheet.tab(TAB)
    others = [i for i in range(after.column_count) if i not in (status, ids)]
    assert [column(after, i) for i in others] == [
        [row[i] if i < len(row) else "" for row in before] for i in others
    ]
    assert column(after, status) == ["MAP STATUS ", *["On the map"] * 3]
    # Each response's event id goes in a column of its own, right of every column in use.
    assert column(after, ids)[0] == "Map event ID"
    assert {w["range"] for w in sheet.writes} == {
        f"'{TAB}'!S1:S4",
        f"'{TAB}'!T1:T4",
        "'Map'!A1:O4",
    }


def test_text_that_looks_like_a_formula_is_written_as_text(fake_google, config):
    sneaky = list(TEA_CAMP)
    sneaky[list(HEADERS).index("title")] = '=HYPERLINK("http://evil.example","Click")'
    sneaky[list(HEADERS).index("venue")] = "+Central Library annexe"
    sneaky[list(HEADERS).index("description")] = "@everyone come along"
    sheet = fake_google.add_spreadsheet(KEY, rows(sneaky))

    assert sync(config).exit_code == 0

    assert {w["valueInputOption"] for w in sheet.writes} == {"RAW"}
    row = dict(zip(HEADER, sheet.tab("Map").cells[1], strict=True))
    assert row["Title"] == '=HYPERLINK("http://evil.example","Click")'
    assert row["Venue"] == "+Central Library annexe"
    assert row["Description"] == "@everyone come along"


def test_the_tab_holds_no_private_details(fake_google, sheet, config):
    assert sync(config).exit_code == 0
    text = json.dumps(sheet.tab("Map").cells)
    for private in ("priya@example.org", "Priya Private", "sam@example.org", "Sam Second"):
        assert private not in text


# Refusals --------------------------------------------------------------------------------------


def test_a_viewer_account_gets_told_to_ask_for_editor(
    fake_google, sheet, config, service_account_key, tmp_path
):
    sheet.shared_with = {service_account_key.email: "reader"}
    result = sync(config)
    assert result.exit_code == 1
    assert f"{service_account_key.email} can read the sheet" in result.output
    assert "Editor" in result.output
    assert "map files were published" in result.output
    assert (tmp_path / "out" / "events.kml").is_file()
    assert sheet.writes == []


def test_a_tab_of_someone_elses_is_never_written_over(fake_google, sheet, config, tmp_path):
    sheet.add_tab("map", [["Budget", "Amount"], ["Venues", "£300"]])
    result = sync(config)
    assert result.exit_code == 2
    assert "already holds something smwsync did not write" in result.output
    assert sheet.tab("map").cells == [["Budget", "Amount"], ["Venues", "£300"]]
    assert sheet.writes == []
    assert not (tmp_path / "out" / "events.kml").exists()


def test_a_status_column_named_like_a_question_is_refused(
    fake_google, sheet, tmp_path, service_account_key
):
    config = write_config(
        tmp_path, fake_google, service_account_key.path, 'status_column = "Venue name"\n'
    )
    result = sync(config)
    assert result.exit_code == 2
    assert "would write over the form's answers" in result.output
    assert sheet.writes == []


def test_the_response_tab_cannot_be_the_events_tab(
    fake_google, sheet, tmp_path, service_account_key
):
    extra = 'sheet_tab = "form responses 1"\n'
    result = sync(write_config(tmp_path, fake_google, service_account_key.path, extra))
    assert result.exit_code == 2
    assert "is the tab the responses are read from" in result.output
    assert sheet.writes == []


def test_a_full_grid_asks_for_a_column_instead_of_writing(fake_google, sheet, config):
    sheet.tab(TAB).column_count = len(HEADERS)
    result = sync(config)
    assert result.exit_code == 1
    assert "Insert 1 column right" in result.output
    assert sheet.writes == []


def test_a_csv_sync_says_write_back_is_skipped(campaign):
    config = campaign([dict(zip(HEADERS, TEA_CAMP, strict=True))], extra_config=WRITE_BACK)
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "Not written back to the sheet: the responses came from a CSV file" in result.output


def test_dry_run_and_check_write_nothing(fake_google, sheet, config):
    assert sync(config, "--dry-run").exit_code == 0
    result = CliRunner().invoke(cli, ["check", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert sheet.writes == [] and sheet.batch_updates == []


# Status text (pure) ----------------------------------------------------------------------------


def event(row: int, **fields) -> Event:
    place = Location(53.8, -1.55, Precision.SECTOR, "gazetteer")
    return Event(id=f"e{row}", title=f"Event {row}", row_number=row, location=place, **fields)


def test_each_row_says_on_the_map_waiting_or_what_to_fix():
    copy_message = "This looks like a second copy of the event in row 2; we kept that newer answer."
    report = SyncReport(
        events=(event(2), event(3), event(5), event(6), event(7)),
        published=(event(2),),
        rejected=(event(3),),
        pending=(event(5, approved="pending"),),
        hidden=(event(6, approved="hidden"),),
        past=(event(7, date=dt.date(2026, 1, 1)),),
        problems=(
            Problem(2, "postcode", Severity.WARNING, "postcode_partial", "Give the whole one."),
            Problem(3, "date", Severity.WARNING, "date_month_first", "Read as 3 Feb."),
            Problem(3, "date", Severity.ERROR, "date_invalid", "There is no 31 February 2027."),
            Problem(4, "title", Severity.WARNING, "duplicate", copy_message),
        ),
    )
    assert response_statuses(report, [2, 3, 4, 5, 6, 7, 8]) == {
        2: "On the map",
        3: "Not on the map: There is no 31 February 2027.",
        4: f"Not on the map: {copy_message}",
        5: "Waiting for approval",
        6: "Not on the map: hidden by the organisers",
        7: "Not on the map: the event is over",
        8: "Not on the map: we could not tell where it is; add the venue's postcode",
    }


def test_tab_rows_run_by_date_and_time_with_undated_events_last():
    events = [
        event(2, date=dt.date(2027, 3, 24)),
        event(3),
        event(4, date=dt.date(2027, 3, 23), start_time=dt.time(15)),
        event(5, date=dt.date(2027, 3, 23), start_time=dt.time(9)),
    ]
    assert [row[0] for row in sheet_tab_rows(events)] == ["Event ID", "e5", "e4", "e2", "e3"]


# Planning against any sheet (property) ---------------------------------------------------------

STATUS_TEXT = st.sampled_from(["On the map", "Not on the map: =1+1", "+44", ""])
CELL = st.sampled_from(["", "", "x", "=SUM(A1)", "Map status", "map STATUS", " "])


def planned_sheet(values: list[list[str]], column_count: int) -> ResponseTab:
    """A ResponseTab as a read would give it, with no connection: enough for planning."""
    tab = {
        "sheetId": 0,
        "title": TAB,
        "index": 0,
        "gridProperties": {"rowCount": 1000, "columnCount": column_count},
    }
    sheet = OpenSheet(None, None, None, SheetAddress(KEY), {"sheets": [{"properties": tab}]})  # type: ignore[arg-type]
    return ResponseTab(sheet, tab, values, table_from_values(values))


def apply(values: list[list[str]], write: dict) -> list[list[str]]:
    letters, first = re.fullmatch(r".*!([A-Z]+)(\d+):[A-Z]+\d+", write["range"]).groups()
    index = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(letters))) - 1
    grid = [list(row) for row in values]
    for offset, [cell] in enumerate(write["values"]):
        row_number = int(first) - 1 + offset
        while len(grid) <= row_number:
            grid.append([])
        grid[row_number] += [""] * (index + 1 - len(grid[row_number]))
        grid[row_number][index] = cell
    return grid


@settings(max_examples=80, deadline=None)
@given(
    header=st.lists(CELL, min_size=1, max_size=6),
    body=st.lists(st.lists(CELL, max_size=7), max_size=8),
    statuses=st.dictionaries(st.integers(2, 10), STATUS_TEXT),
)
def test_write_back_touches_only_its_column_and_a_second_plan_is_empty(header, body, statuses):
    values = [header, *body]
    read = planned_sheet(values, column_count=30)
    plan = plan_write_back(read, statuses=statuses, tab_rows=[], status_column="Map status")
    if not plan.data:
        return
    [write] = plan.data
    after = apply(values, write)
    index = ord(re.fullmatch(r".*!([A-Z])1:.*", write["range"]).group(1)) - 65

    def cell(grid: list[list[str]], row: int, column: int) -> str:
        return grid[row][column] if row < len(grid) and column < len(grid[row]) else ""

    for row in range(len(after)):
        for column in range(10):
            if column != index:
                assert cell(after, row, column) == cell(values, row, column)
    again = plan_write_back(
        planned_sheet(after, 30), statuses=statuses, tab_rows=[], status_column="Map status"
    )
    assert again.data == ()
