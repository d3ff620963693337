"""Match the configured question titles to the form's header row and name each answer."""

from __future__ import annotations

from collections.abc import Mapping

from smwsync.config import closest
from smwsync.errors import ColumnsError
from smwsync.model import Problem, Response, Severity, Table


def header_key(title: str) -> str:
    """How headers are compared: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(title.split()).casefold()


def column_letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def map_columns(
    headers: tuple[str, ...], columns: Mapping[str, str]
) -> tuple[dict[str, int], list[Problem]]:
    """Find the column of every configured field; a title not in the header row is an error."""
    positions: dict[str, list[int]] = {}
    for index, title in enumerate(headers):
        if title.strip():
            positions.setdefault(header_key(title), []).append(index)
    found: dict[str, int] = {}
    problems: list[Problem] = []
    missing: list[str] = []
    for field_name, title in columns.items():
        indexes = positions.get(header_key(title), [])
        if not indexes:
            missing.append(_missing_message(field_name, title, headers))
            continue
        found[field_name] = indexes[0]
        if len(indexes) > 1:
            letters = ", ".join(column_letter(i) for i in indexes)
            problems.append(
                Problem(
                    1,
                    field_name,
                    Severity.WARNING,
                    "duplicate_header",
                    f"Columns {letters} are all titled {title!r}; using column "
                    f"{column_letter(indexes[0])}. Give the questions different titles.",
                )
            )
    if missing:
        raise ColumnsError(" ".join(missing))
    return found, problems


def responses_from_table(
    table: Table, columns: Mapping[str, str]
) -> tuple[list[Response], list[Problem]]:
    """Turn each row into a Response keyed by field name; report header problems."""
    found, problems = map_columns(table.headers, columns)
    responses = [
        Response(
            row_number=number,
            values={field_name: cells[index] for field_name, index in found.items()},
            source=table.name,
        )
        for number, cells in table.rows
    ]
    return responses, problems


def _missing_message(field_name: str, title: str, headers: tuple[str, ...]) -> str:
    titles = {header_key(h): h.strip() for h in headers if h.strip()}
    key = closest(header_key(title), list(titles))
    guess = titles[key] if key else None
    hint = f" The closest header is {guess!r}." if guess else ""
    return (
        f"[columns] {field_name} = {title!r} is not a header of the form's responses.{hint} "
        "Copy the question's title exactly into the configuration."
    )
