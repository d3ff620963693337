"""Whatever staff type into any question, a sync gives a well-formed map or a reported problem."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smwsync.clean.text import clean_text
from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Severity
from smwsync.sync import pipeline

from conftest import HEADERS, config_toml, form_csv
from kml_readers import extended_data, fastkml_folders, folders, parse_strict

GAZETTEER = Gazetteer.load()

# Any text, with the characters that break files and parsers made likely.
NASTY = st.sampled_from(
    ["\x00", "\x0b", "\ud800", "\ufffe", "<", "&", '"', "]]>", "=", "@", "\u202e", "☕", "\n"]
)
ANY_TEXT = st.lists(st.one_of(st.text(max_size=20), NASTY), max_size=6).map("".join)
PLAUSIBLE = {
    "title": st.one_of(ANY_TEXT, st.just("Tea-camp")),
    "council": st.one_of(ANY_TEXT, st.sampled_from(["Leeds", "Cardiff Council", "Belfast"])),
    "postcode": st.one_of(ANY_TEXT, st.sampled_from(["ls11ur", "CF10 1EP", "EH1 1YZ", "LS1"])),
    "date": st.one_of(ANY_TEXT, st.sampled_from(["23/03/2027", "3/25/2027", "31/02/2027"])),
}
ROW = st.fixed_dictionaries(
    {field: PLAUSIBLE.get(field, ANY_TEXT) for field in HEADERS},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=4))
def test_any_answers_give_a_valid_kml_or_a_reported_problem(rows):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        # Surrogates cannot be written as UTF-8; a real download never holds them.
        text = form_csv(rows).encode("utf-8", "replace").decode("utf-8")
        (root / "responses.csv").write_text(text, encoding="utf-8", newline="")
        (root / "smwsync.toml").write_text(config_toml(), encoding="utf-8")
        settings_ = load_settings(root / "smwsync.toml")
        report = pipeline.run(settings_, gazetteer=GAZETTEER)
        data = (root / "out" / "events.kml").read_bytes()

    by_folder = folders(parse_strict(data))
    published = [mark for marks in by_folder.values() for mark in marks]
    assert len(published) == len(report.published)
    assert sum(len(m) for m in fastkml_folders(data).values()) == len(published)
    ids = {extended_data(mark)["id"] for mark in published}
    assert ids == {event.id for event in report.published}

    # Every row with anything in it is on the map, or folded as a duplicate, or has a problem.
    rows_with_errors = {p.row_number for p in report.problems if p.severity is Severity.ERROR}
    explained = rows_with_errors | {p.row_number for p in report.problems}
    on_map = {event.row_number for event in report.published}
    for row_number in range(2, len(rows) + 2):
        if row_number not in on_map and row_number not in explained:
            row = rows[row_number - 2]
            assert not any(clean_text(value) for value in row.values()), row
