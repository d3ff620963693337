"""What a sync writes back to the response sheet: a tab of events and a status column.

Decided here, like every other output, and sent by `smwsync.google.writes`. What is already in
the sheet (read with the responses, in the same request) is compared first: when nothing
changed, nothing is sent at all. Only the status column and the events
tab are ever written; the form's own columns and rows are never moved, overwritten or deleted.

Beside the status column goes a column of each response's event id (`ID_COLUMN`): it moves with
its row however the sheet is sorted, so the next sync knows each answer's event by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gspread.utils import absolute_range_name

from smwsync.clean.identity import ID_COLUMN
from smwsync.config import Settings
from smwsync.errors import ConfigError, GoogleError
from smwsync.google.sheet import ResponseTab, find_tab
from smwsync.google.writes import SheetWrites
from smwsync.model import SyncReport, Table
from smwsync.publish.sheet_tab import is_sheet_tab, sheet_tab_rows
from smwsync.publish.statuses import response_statuses, write_back_wanted
from smwsync.sources.columns import column_letter, header_key

NEW_TAB_ROWS = 1000
NEW_TAB_COLUMNS = 26


@dataclass(frozen=True)
class SheetResults:
    """A sync's results for the sheet it read: what to send, and how the summary names it."""

    read: ResponseTab
    writes: SheetWrites
    description: str


def response_ids(report: SyncReport) -> dict[int, str]:
    """Each response row's event id: the event's own row, and the rows of its copies."""
    return {
        row: event_id
        for event_id, known in report.known.items()
        for row in (known.rows or (known.row,))
    }


def prepare_write_back(
    source: Table | ResponseTab, report: SyncReport, settings: Settings
) -> SheetResults | None:
    """Plan the write-back of a sync read from the live sheet; None when there is none to do.

    Call it before publishing the files, so that a setting that cannot work stops the sync
    while the last published files are still in place; send its writes after publishing.
    """
    if not isinstance(source, ResponseTab) or not write_back_wanted(settings.publish):
        return None
    publish = settings.publish
    statuses = response_statuses(report, (number for number, _ in source.table.rows))
    plan = plan_write_back(
        source,
        statuses=statuses,
        tab_rows=sheet_tab_rows(report.published),
        sheet_tab=publish.sheet_tab,
        status_column=publish.status_column,
        form_columns=settings.columns,
        ids=response_ids(report),
    )
    description = describe_write_back(source, publish.sheet_tab, publish.status_column)
    return SheetResults(source, plan, description)


def plan_write_back(
    read: ResponseTab,
    *,
    statuses: Mapping[int, str],
    tab_rows: list[list[str]],
    sheet_tab: str = "",
    status_column: str = "",
    form_columns: Mapping[str, str] | None = None,
    ids: Mapping[int, str] | None = None,
) -> SheetWrites:
    """Compare what the sheet holds with what this sync would write; plan only the changes.

    `statuses` maps each response's row number to its status; `tab_rows` are the events tab's
    rows, header first; `ids` each response's event id, for the column beside the status.
    Raises ConfigError when a setting would make smwsync write over cells that are not its own,
    and GoogleError when the sheet has no room left (saying what to do).
    """
    data: list[dict[str, Any]] = []
    if status_column:
        columns = {title: read_index(read, title) for title in (status_column, ID_COLUMN)}
        written = (status_column, statuses), (ID_COLUMN, ids)
        for title, by_row in written:
            if by_row is not None:
                column_range = _own_column(read, by_row, title, form_columns or {}, columns)
                if column_range:
                    data.append(column_range)
    new_tab = None
    if sheet_tab:
        tab_range, new_tab = _events_tab(read, tab_rows, sheet_tab)
        if tab_range:
            data.append(tab_range)
    return SheetWrites(tuple(data), new_tab)


def describe_write_back(read: ResponseTab, sheet_tab: str, column: str) -> str:
    """One line for the summary: which parts of which sheet hold this sync's results.

    The same words whether or not anything was written, like the files the summary lists.
    """
    parts = []
    if sheet_tab:
        parts.append(f"tab {sheet_tab!r}")
    if column:
        parts.append(f"column {column!r} of tab {read.tab_title!r}")
    return f"Google Sheet {read.sheet.title!r}: {' and '.join(parts)}"


def read_index(read: ResponseTab, title: str) -> int | None:
    """Where the column headed `title` is in the tab, wherever it was moved; None if nowhere."""
    headers = read.values[0] if read.values else []
    return next((i for i, h in enumerate(headers) if header_key(h) == header_key(title)), None)


def _own_column(
    read: ResponseTab,
    by_row: Mapping[int, str],
    title: str,
    form_columns: Mapping[str, str],
    columns: dict[str, int | None],
) -> dict[str, Any] | None:
    """The write that makes smwsync's column `title` say `by_row`; `columns` holds where each
    of smwsync's columns is (a new one is added to it)."""
    form_titles = {header_key(t) for t in form_columns.values()}
    if header_key(title) in form_titles:
        if title == ID_COLUMN:
            raise ConfigError(
                f"The question {title!r} in [columns] has the name smwsync gives the column of "
                "event ids beside the status column: rename that question in the form."
            )
        raise ConfigError(
            f"[publish] status_column = {title!r} is also a question in [columns]: smwsync "
            "would write over the form's answers. Choose another name, such as 'Map status'."
        )
    values = read.values
    if not values:
        return None
    headers = values[0]
    index = columns.get(title)
    if index is None:
        # A new column goes right of every cell in use, so nothing of anyone else's is touched.
        taken = {i for i in columns.values() if i is not None}
        index = max((len(row) for row in values), default=0)
        while index in taken:
            index += 1
        columns[title] = index
        grid = read.tab.get("gridProperties", {})
        if index >= int(grid.get("columnCount", index + 1)):
            letter = column_letter(index - 1)
            raise GoogleError(
                f"The tab {read.tab_title!r} has no empty column for {title!r}: right-click the "
                f"header of column {letter}, choose 'Insert 1 column right', and type {title!r} "
                "in its first row; smwsync will find it there."
            )
    ours = {i for i in columns.values() if i is not None}
    current = [row[index] if index < len(row) else "" for row in values]
    wanted = [headers[index] if index < len(headers) and headers[index] else title]
    for number in range(2, len(values) + 1):
        row = values[number - 1]
        form_cells = (cell for i, cell in enumerate(row) if i not in ours)
        answered = any(cell.strip() for cell in form_cells)
        wanted.append(by_row.get(number, "") if answered else "")
    if wanted == current:
        return None
    letter = column_letter(index)
    cells = f"{letter}1:{letter}{len(wanted)}"
    range_name = absolute_range_name(read.tab_title, cells)
    return {"range": range_name, "values": [[cell] for cell in wanted]}


def _events_tab(
    read: ResponseTab, rows: list[list[str]], title: str
) -> tuple[dict[str, Any] | None, Mapping[str, Any] | None]:
    tab = find_tab(read.sheet.tabs, title)
    if tab is not None and tab.get("sheetId") == read.tab.get("sheetId"):
        raise ConfigError(
            f"[publish] sheet_tab = {title!r} is the tab the responses are read from: choose "
            "another name, such as 'Map'."
        )
    current = read.other_tab or []
    if tab is not None and not is_sheet_tab(current):
        raise ConfigError(
            f"The tab {tab.get('title')!r} already holds something smwsync did not write: set "
            "[publish] sheet_tab to a new name (smwsync creates the tab), or empty that tab."
        )
    height = max(len(rows), len(current))
    width = max((len(row) for row in (*rows, *current)), default=0)
    wanted = _rectangle(rows, height, width)
    new_tab = None
    if tab is None:
        grid = {
            "rowCount": max(NEW_TAB_ROWS, height),
            "columnCount": max(NEW_TAB_COLUMNS, width),
        }
        new_tab = {"properties": {"title": title, "gridProperties": grid}}
    else:
        if wanted == _rectangle(current, height, width):
            return None, None
        _check_room(tab, height, width)
    cells = f"A1:{column_letter(width - 1)}{height}"
    range_name = absolute_range_name(str(tab.get("title")) if tab else title, cells)
    return {"range": range_name, "values": wanted}, new_tab


def _check_room(tab: Mapping[str, Any], height: int, width: int) -> None:
    grid = tab.get("gridProperties", {})
    rows, columns = int(grid.get("rowCount", height)), int(grid.get("columnCount", width))
    if height > rows or width > columns:
        raise GoogleError(
            f"The tab {tab.get('title')!r} is too small for the map's {height - 1} events: "
            f"it has {rows} rows and {columns} columns and needs {height} and {width}. Add "
            "rows at the bottom of the tab (or delete the tab: smwsync makes a bigger one)."
        )


def _rectangle(rows: list[list[str]], height: int, width: int) -> list[list[str]]:
    padded = [list(row) + [""] * (width - len(row)) for row in rows]
    return padded + [[""] * width for _ in range(height - len(rows))]
