"""Whatever staff type into any question, a sync gives a well-formed map or a reported problem."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import icalendar
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smwsync.clean.text import clean_text
from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import Severity
from smwsync.sync import pipeline

from conftest import HEADERS, config_toml, form_csv
from kml_readers import NS, extended_data, fastkml_folders, folders, parse_strict

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


# Hostile answers: markup, scripts, links that run code, formulas, personal data, 100 kB text.
PLANTED_EMAIL = "planted.person@example.net"
PLANTED_PHONE = "07700 900461"
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "javascript:alert(1)",
        "data:text/html,<script>x</script>",
        '=HYPERLINK("http://evil.example")',
        "+1+1",
        "-2",
        "@SUM(A1)",
        "]]><x>",
        "&amp;",
        f"mail {PLANTED_EMAIL} now",
        f"ring {PLANTED_PHONE}",
        "مرحبا \u202b👩🏽‍💻",
    ]
)
HUGE = st.sampled_from(["<script>", "x", "= ", "\u202e", "☕", "a@", "0"]).map(
    lambda piece: piece * (100_000 // len(piece))
)
HOSTILE_TEXT = st.lists(st.one_of(ANY_TEXT, HOSTILE), max_size=4).map("".join)
FREE_TEXT = ("title", "description", "venue", "address", "event_type", "link", "council")
HOSTILE_ROW = st.fixed_dictionaries(
    {
        **{field: PLAUSIBLE.get(field, ANY_TEXT) for field in HEADERS},
        **{field: st.one_of(HOSTILE_TEXT, HUGE) for field in FREE_TEXT},
        "title": st.one_of(HOSTILE_TEXT, st.just("Tea-camp"), HUGE),
        "contact_email": st.just("events@example.org"),
    }
)
ALL_OUTPUTS = 'kmz = "events.kmz"\ngeojson = "events.geojson"\nics = "events.ics"\ncsv = "mymaps"\n'


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(HOSTILE_ROW, min_size=1, max_size=4))
def test_hostile_answers_give_safe_parseable_outputs_in_every_format(rows):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        text = form_csv(rows).encode("utf-8", "replace").decode("utf-8")
        (root / "responses.csv").write_text(text, encoding="utf-8", newline="")
        (root / "smwsync.toml").write_text(config_toml(extra=ALL_OUTPUTS), encoding="utf-8")
        report = pipeline.run(load_settings(root / "smwsync.toml"), gazetteer=GAZETTEER)
        files = {path.name: path.read_bytes() for path in (root / "out").iterdir()}

    kml = files["events.kml"]
    with zipfile.ZipFile(io.BytesIO(files["events.kmz"])) as kmz:
        assert kmz.read("doc.kml") == kml
    marks = [mark for marks in folders(parse_strict(kml)).values() for mark in marks]
    assert len(marks) == len(report.published)
    assert sum(len(m) for m in fastkml_folders(kml).values()) == len(marks)
    # Form text never becomes markup: no raw tag from it, and the info window's HTML holds
    # only our own line breaks and http(s) links.
    assert b"<script" not in kml and b"<x>" not in kml and b"<a " not in kml
    for mark in marks:
        window = lxml.html.fragment_fromstring(
            mark.findtext("k:description", namespaces=NS), create_parent="div"
        )
        assert {element.tag for element in window.iter()} <= {"div", "br", "a"}
        for link in window.iter("a"):
            assert link.get("href").startswith(("https://", "http://"))

    features = json.loads(files["events.geojson"])["features"]
    assert {f["id"] for f in features} == {e.id for e in report.published}
    calendar = icalendar.Calendar.from_ical(files["events.ics"])
    assert len(calendar.walk("VEVENT")) == sum(1 for e in report.published if e.date)
    csv_rows, csv_links = 0, []
    for name, data in files.items():
        if name.startswith("mymaps"):
            cells = list(csv.reader(io.StringIO(data.decode("utf-8"))))
            csv_rows += len(cells) - 1
            csv_links += [row[cells[0].index("Booking link")] for row in cells[1:]]
            assert not any(
                cell.startswith(("=", "+", "-", "@"))
                for row in cells[1:]
                for cell in row
                if not re.fullmatch(r"-?\d+\.\d+", cell)
            )
    assert csv_rows == len(report.published)

    # Links that run code are never published as links, in any format.
    links = [f["properties"]["link"] for f in features]
    links += [str(vevent["URL"]) for vevent in calendar.walk("VEVENT") if "URL" in vevent]
    links += csv_links
    assert all(link.startswith(("https://", "http://")) for link in links if link)
    for name, data in files.items():
        assert PLANTED_EMAIL.encode() not in data, name
        assert PLANTED_PHONE.encode() not in data, name

    rows_with_errors = {p.row_number for p in report.problems if p.severity is Severity.ERROR}
    assert all(event.row_number in rows_with_errors for event in report.rejected)
    rows_with_problems = {p.row_number for p in report.problems}
    on_map = {event.row_number for event in report.published}
    for row_number in range(2, len(rows) + 2):
        if row_number not in on_map and row_number not in rows_with_problems:
            assert not any(clean_text(value) for value in rows[row_number - 2].values())
