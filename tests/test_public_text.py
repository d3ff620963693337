"""The public text says each thing once: where, how to take part, who organises it."""

from __future__ import annotations

import re

import icalendar
import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smwsync.clean.choices import clean_formats
from smwsync.cli import cli
from smwsync.model import FACE_TO_FACE, ONLINE, PHONE
from smwsync.publish.fields import (
    event_from_record,
    format_text,
    holds_postcode,
    public_record,
    where_text,
)
from smwsync.publish.site.page import event_html

from conftest import make_event
from kml_readers import NS, folders, parse_strict

OUTPUTS = 'hide_past_events = false\nics = "events.ics"\n'


def answer(title: str, **fields: str) -> dict[str, str]:
    return {
        "timestamp": "20/11/2026 10:15:00",
        "submitter_email": f"{len(title)}@example.org",
        "council": "Birmingham",
        "title": title,
        "formats": "Face-to-face",
        "date": "23/03/2027",
        "start_time": "14:00",
        **fields,
    }


def test_a_whole_sync_says_the_venue_address_postcode_and_council_once(campaign) -> None:
    config = campaign(
        [
            answer(
                "Library drop-in",
                venue="Library of Birmingham",
                address="Library of Birmingham\nCentenary Square\nBirmingham B1 2ND",
                postcode="b1 2nd",
            ),
            answer("Phone surgery", formats="Phone, On the phone", postcode="B1 2ND"),
            answer("Zoom chat", formats="Online, Online (Zoom)"),
        ],
        extra_config=OUTPUTS,
    )
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    out = config.parent / "out"
    windows = {
        mark.findtext("k:name", namespaces=NS): lxml.html.fragment_fromstring(
            mark.findtext("k:description", namespaces=NS), create_parent="div"
        ).text_content()
        for marks in folders(parse_strict((out / "events.kml").read_bytes())).values()
        for mark in marks
    }
    where = "Where: Library of Birmingham, Centenary Square, Birmingham B1 2ND"
    assert where + "Format: Face-to-face" in windows["Library drop-in"]
    assert "Organised by: Birmingham City Council" in windows["Library drop-in"]
    assert "Format: PhoneOrganised by" in windows["Phone surgery"]
    assert "Format: Online (Zoom)Organised by" in windows["Zoom chat"]

    calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    by_title = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    library = by_title["Library drop-in"]
    assert str(library["LOCATION"]) == where.removeprefix("Where: ")
    assert where + "\n" in str(library["DESCRIPTION"])
    assert "Council: Birmingham City Council" in str(library["DESCRIPTION"])
    assert "Format: Phone\n" in str(by_title["Phone surgery"]["DESCRIPTION"]) + "\n"


@pytest.mark.parametrize(
    ("venue", "address", "postcode", "expected"),
    [
        (
            "Civic Hall",
            "Calverley Street, Leeds",
            "LS1 1UR",
            "Civic Hall, Calverley Street, Leeds, LS1 1UR",
        ),
        (
            "Civic Hall",
            "Calverley Street, Leeds LS1 1UR",
            "LS1 1UR",
            "Civic Hall, Calverley Street, Leeds LS1 1UR",
        ),
        (
            "Civic Hall",
            "Calverley Street, LS11UR",
            "LS1 1UR",
            "Civic Hall, Calverley Street, LS11UR",
        ),
        ("Civic Hall", "Calverley St, ls1 1ur", "LS1 1UR", "Civic Hall, Calverley St, ls1 1ur"),
        ("Civic Hall", "Civic hall, Calverley Street", "", "Civic Hall, Calverley Street"),
        ("", "Calverley Street, Leeds LS1", "LS1", "Calverley Street, Leeds LS1"),
        ("", "", "LS1 1UR", "LS1 1UR"),
        ("Unit LS1 10", "Leeds", "LS1 1UR", "Unit LS1 10, Leeds, LS1 1UR"),  # not the postcode
        ("", "Flat 2, LS11 1UR", "LS1 1UR", "Flat 2, LS11 1UR, LS1 1UR"),  # another district
    ],
)
def test_where_says_each_part_once(venue: str, address: str, postcode: str, expected: str) -> None:
    event = make_event(1, venue=venue, address=address, postcode=postcode)
    assert where_text(event) == expected


def regex_holds_postcode(text: str, postcode: str) -> bool:
    """Whether the text holds the postcode as a word, found with a regular expression."""
    outward, _, inward = postcode.upper().partition(" ")
    pattern = rf"(?<![A-Z0-9]){re.escape(outward)}\s*{re.escape(inward)}(?![A-Z0-9])"
    return re.search(pattern, text.upper()) is not None


POSTCODE_PIECES = ["LS1", "1UR", "LS11UR", " ", "  ", "\t", "\u3000", "l", "s", "1", "ß", ",", "X"]


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(st.sampled_from(POSTCODE_PIECES), max_size=8).map("".join),
    postcode=st.sampled_from(["LS1 1UR", "LS1  1UR", "LS1", "S 1", "1 UR", "ß 1", "LS1 1UR X"]),
)
@example(text="Leeds LS1  1UR", postcode="LS1  1UR")  # \s* gives back a space it took
def test_a_postcode_is_found_as_a_regular_expression_finds_it(text: str, postcode: str) -> None:
    assert holds_postcode(text, postcode) == regex_holds_postcode(text, postcode)


def test_the_live_maps_list_says_the_postcode_once_too() -> None:
    event = make_event(1, venue="Civic Hall", address="Calverley Street, Leeds LS1 1UR")
    where = '<dd class="where">Civic Hall, Calverley Street, Leeds LS1 1UR</dd>'
    assert where in event_html(event)


@pytest.mark.parametrize(
    ("answer_text", "formats", "shown"),
    [
        ("Phone, On the phone", (PHONE,), "Phone"),
        ("On the phone", (PHONE,), "Phone"),
        ("Online, Online (Zoom)", (ONLINE,), "Online (Zoom)"),
        ("Online (Zoom)", (ONLINE,), "Online (Zoom)"),
        ("Zoom", (ONLINE,), "Online, Zoom"),
        (
            "Face-to-face, Online via Teams",
            (FACE_TO_FACE, ONLINE),
            "Face-to-face, Online via Teams",
        ),
        ("Face to face, in person", (FACE_TO_FACE,), "Face-to-face"),
        ("Face-to-face, by telephone", (FACE_TO_FACE, PHONE), "Face-to-face, Phone"),
        ("Phone, Zoom call", (ONLINE, PHONE), "Online, Phone, Zoom call"),
    ],
)
def test_a_format_is_said_once_and_extra_detail_is_kept(
    answer_text: str, formats: tuple[str, ...], shown: str
) -> None:
    found, other, note = clean_formats(answer_text)
    assert (found, note) == (formats, None)
    event = make_event(1, formats=found, other_format=other)
    assert format_text(event) == shown
    # A cancelled event is published again from its public record: the same formats.
    again = event_from_record(public_record(event))
    assert (again.formats, format_text(again)) == (formats, shown)
