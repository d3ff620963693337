"""Matching configured question titles to the form's header row."""

from __future__ import annotations

import pytest

from smwsync.errors import ColumnsError
from smwsync.model import Severity, Table
from smwsync.sources.columns import column_letter, map_columns, responses_from_table


def test_titles_match_after_trimming_and_case_folding():
    headers = ("Timestamp", "  Event TITLE ", "Venue  postcode ")
    found, problems = map_columns(headers, {"title": "event title", "postcode": "Venue postcode"})
    assert found == {"title": 1, "postcode": 2}
    assert problems == []


def test_a_missing_header_names_the_closest_one():
    headers = ("Timestamp", "Event title", "Venue post code")
    with pytest.raises(ColumnsError) as caught:
        map_columns(headers, {"title": "Event title", "postcode": "Venue postcode"})
    assert "'Venue post code'" in str(caught.value)
    assert "[columns] postcode" in str(caught.value)


def test_a_duplicated_header_uses_the_first_and_warns():
    found, problems = map_columns(("Title", "Notes", "Title"), {"title": "Title"})
    assert found == {"title": 0}
    assert [(p.row_number, p.severity, p.code) for p in problems] == [
        (1, Severity.WARNING, "duplicate_header")
    ]
    assert "Columns A, C" in problems[0].message


def test_rows_become_responses_keyed_by_field():
    table = Table(("Event title", "Postcode", "Notes"), ((2, ("Tea-camp", "LS1", "x")),), "f.csv")
    responses, _ = responses_from_table(table, {"title": "Event title", "postcode": "postcode"})
    assert responses[0].row_number == 2
    assert dict(responses[0].values) == {"title": "Tea-camp", "postcode": "LS1"}
    assert responses[0].get("venue") == ""


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letter):
    assert column_letter(index) == letter
