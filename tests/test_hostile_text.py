"""Text from an open form is data: markup, scripts, formulas, huge answers and any script survive
a full sync as the literal text (or cut, with a warning), never as markup or formulas."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import icalendar
import lxml.html
from click.testing import CliRunner

from smwsync.cli import cli

from kml_readers import NS, extended_data, fastkml_folders, folders, parse_strict

# Past events stay on: the clock would otherwise take these March 2027 events off one day.
KEEP_PAST = "hide_past_events = false\n"
ALL_OUTPUTS = KEEP_PAST + 'kmz = "events.kmz"\ngeojson = "events.geojson"\nics = "events.ics"\n'
ALL_OUTPUTS += 'csv = "mymaps"\n'


def answer(title: str, **fields: str) -> dict[str, str]:
    return {
        "timestamp": "20/11/2026 10:15:00",
        "submitter_email": hashlib.sha256(title.encode()).hexdigest()[:8] + "@example.org",
        "council": "Leeds City Council",
        "title": title,
        "formats": "Face-to-face",
        "date": "23/03/2027",
        "start_time": "14:00",
        "venue": "Civic Hall",
        "postcode": "LS1 1UR",
        **fields,
    }


def sync(config: Path, *args: str):
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result


def placemarks(config: Path) -> dict[str, object]:
    """Title -> Placemark of the published KML."""
    root = parse_strict((config.parent / "out" / "events.kml").read_bytes())
    return {
        mark.findtext("k:name", namespaces=NS): mark
        for marks in folders(root).values()
        for mark in marks
    }


def test_markup_in_a_title_reads_back_as_exactly_that_text_in_the_info_window(campaign) -> None:
    title = '<b>Tea & "cake"</b>'
    config = campaign(
        [answer(title, description="<script>alert('x')</script> & more")], extra_config=KEEP_PAST
    )
    sync(config)
    data = (config.parent / "out" / "events.kml").read_bytes()
    assert b"<script" not in data and b"<b>" not in data
    (mark,) = placemarks(config).values()
    assert mark.findtext("k:name", namespaces=NS) == title
    description = mark.findtext("k:description", namespaces=NS)
    assert title not in description  # the name heads the window; it is not said twice
    shown = lxml.html.fragment_fromstring(description, create_parent="div")
    assert "<script>alert('x')</script> & more" in shown.text_content()
    assert {element.tag for element in shown.iter()} <= {"div", "br", "a"}


def test_links_that_are_not_web_addresses_are_never_published(campaign) -> None:
    links = ["javascript:alert(1)", "data:text/html,<script>x</script>", "file:///etc/passwd"]
    config = campaign(
        [answer(f"Event {n}", link=link) for n, link in enumerate(links)], extra_config=KEEP_PAST
    )
    result = sync(config)
    data = (config.parent / "out" / "events.kml").read_bytes()
    for bad in (b"javascript:", b"data:text", b"file:"):
        assert bad not in data
    assert result.output.count("(warning): The link") == 3
    for mark in placemarks(config).values():
        assert extended_data(mark)["link"] in ("", None)


def test_answers_longer_than_max_text_length_are_cut_with_a_marker_and_a_warning(campaign) -> None:
    long_description = "Word " * 1000
    config = campaign(
        [answer("Long one", description=long_description, venue="V" * 400)],
        extra_config=KEEP_PAST + "max_text_length = 300\n",
    )
    result = sync(config)
    values = extended_data(placemarks(config)["Long one"])
    assert len(values["event_description"]) <= 300
    assert values["event_description"].endswith(" …")
    assert len(values["venue"]) <= 300 and values["venue"].endswith(" …")
    assert "row 2 description (warning): The description is 4,999 characters long" in result.output
    assert "so we cut it to 300" in result.output


def test_a_100_kb_answer_is_cut_to_the_default_2000(campaign) -> None:
    config = campaign([answer("Huge", description="x" * 100_000)], extra_config=KEEP_PAST)
    sync(config)
    values = extended_data(placemarks(config)["Huge"])
    assert len(values["event_description"]) == 2000


def test_formulas_are_neutralised_in_csv_files_and_kept_as_text_elsewhere(campaign) -> None:
    formulas = ['=HYPERLINK("http://evil.example","x")', "+44 is the code", "-2+3", "@SUM(A1)"]
    rows = [answer(f"Formula {n}", description=text) for n, text in enumerate(formulas)]
    rows.append(answer("=1+1"))
    config = campaign(rows, extra_config=ALL_OUTPUTS)
    sync(config)
    out = config.parent / "out"
    (csv_path,) = out.glob("mymaps*.csv")
    with csv_path.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    for text in [*formulas, "=1+1"]:
        assert "'" + text in cells
        assert text not in cells
    # Elsewhere the text is what was typed: the KML and GeoJSON are not spreadsheets.
    assert "=1+1" in placemarks(config)
    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["description"] for f in features} >= set(formulas)


def test_right_to_left_text_and_emoji_survive_every_output_intact(campaign) -> None:
    title = "Coffee ☕ and chat 🎉 — مرحبا بكم — שלום 👩🏽‍💻"
    venue = "Neuadd y Dref 🏴󠁧󠁢󠁷󠁬󠁳󠁿"
    config = campaign([answer(title, venue=venue)], extra_config=ALL_OUTPUTS)
    sync(config)
    out = config.parent / "out"
    assert title in placemarks(config)
    assert extended_data(placemarks(config)[title])["venue"] == venue
    (read,) = [
        mark
        for marks in fastkml_folders((out / "events.kml").read_bytes()).values()
        for mark in marks
    ]
    assert read.name == title
    (feature,) = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    assert (feature["properties"]["title"], feature["properties"]["venue"]) == (title, venue)
    calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == title
    (csv_path,) = out.glob("mymaps*.csv")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert (rows[0]["Title"], rows[0]["Venue"]) == (title, venue)


def test_control_characters_and_bidi_overrides_are_removed_everywhere(campaign) -> None:
    config = campaign(
        [answer("Tea\x00 and\x0b cake\u202e", description="a\x1fb\ufffe", venue="Hall\x08")],
        extra_config=ALL_OUTPUTS,
    )
    sync(config)
    out = config.parent / "out"
    assert "Tea and cake" in placemarks(config)
    for path in out.iterdir():
        if path.suffix in (".kml", ".geojson", ".ics", ".csv"):
            text = path.read_text(encoding="utf-8")
            for bad in ("\x00", "\x0b", "\x1f", "\x08", "\ufffe", "\u202e"):
                assert bad not in text, (path.name, bad)


def test_a_max_text_length_too_short_to_read_is_a_configuration_error(campaign) -> None:
    config = campaign([answer("Tea")], extra_config="max_text_length = 20\n")
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 2
    assert "max_text_length must be 100 characters or more" in result.output
