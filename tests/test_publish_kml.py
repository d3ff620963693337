"""The KML publisher: what Google My Maps, Google Earth and any strict XML reader see."""

from __future__ import annotations

import datetime as dt
import html
import random
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Location, Precision
from smwsync.publish.fields import (
    KML_DATA_NAMES,
    PUBLIC_FIELDS,
    info_window_html,
    public_record,
    when_text,
)
from smwsync.publish.kml import PIN_ICON, kml_layers, render_kml

from conftest import make_event
from kml_readers import (
    KML,
    NS,
    coordinates,
    extended_data,
    fastkml_folders,
    fastkml_style_maps,
    folders,
    load_kml_schema,
    parse_strict,
    schema_errors,
)

LAYERS = ["Face-to-face", "Online", "Phone"]
MARKUP_TITLE = '<b>Tea & "cake"</b>'


def mixed_events() -> list[Event]:
    """Four events over three layers, given in no particular order."""
    return [
        make_event(3, title="Phone surgery", formats=(PHONE,), layer="Phone"),
        make_event(1, title="Tea-camp"),
        make_event(
            4, title="Twitter chat", formats=(ONLINE,), other_format="Twitter chat", layer="Online"
        ),
        make_event(2, title="Comms workshop", date=dt.date(2026, 9, 21)),
    ]


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return load_kml_schema()


def render(events: list[Event], **options: object) -> bytes:
    kwargs: dict[str, object] = {"title": "Social Media Week events", "layer_order": LAYERS}
    kwargs.update(options)
    return render_kml(events, **kwargs)  # type: ignore[arg-type]


def only_placemark(data: bytes) -> etree._Element:
    (placemark,) = parse_strict(data).iter(f"{KML}Placemark")
    return placemark


# --- the document as a whole ---------------------------------------------------------------


def test_output_is_strict_xml_and_valid_against_the_ogc_schema(schema: etree.XMLSchema) -> None:
    data = render(mixed_events(), description="Events near you", form_url="https://forms.gle/x")
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    parse_strict(data)
    assert schema_errors(schema, data) == []


def test_one_folder_per_layer_in_the_given_order_with_its_placemarks() -> None:
    data = render(mixed_events())
    by_folder = folders(parse_strict(data))
    assert list(by_folder) == LAYERS
    assert {name: len(marks) for name, marks in by_folder.items()} == {
        "Face-to-face": 2,
        "Online": 1,
        "Phone": 1,
    }
    # fastkml, reading the same bytes on its own, agrees.
    seen_by_fastkml = fastkml_folders(data)
    assert {name: [p.name for p in marks] for name, marks in seen_by_fastkml.items()} == {
        "Face-to-face": ["Comms workshop", "Tea-camp"],
        "Online": ["Twitter chat"],
        "Phone": ["Phone surgery"],
    }
    assert kml_layers(mixed_events(), LAYERS) == {"Face-to-face": 2, "Online": 1, "Phone": 1}


def test_without_a_layer_order_folders_are_sorted_and_unlisted_layers_come_last() -> None:
    assert list(folders(parse_strict(render(mixed_events(), layer_order=None)))) == [
        "Face-to-face",
        "Online",
        "Phone",
    ]
    partial = render(mixed_events(), layer_order=["Phone", "Hybrid"])
    assert list(folders(parse_strict(partial))) == ["Phone", "Face-to-face", "Online"]


def test_placemarks_are_sorted_by_date_then_title_with_undated_events_last() -> None:
    events = [
        make_event(1, title="Zebra crossing chat", date=dt.date(2026, 9, 22)),
        make_event(2, title="Undated", date=None),
        make_event(3, title="Breakfast", date=dt.date(2026, 9, 22)),
        make_event(4, title="Monday launch", date=dt.date(2026, 9, 21)),
    ]
    (marks,) = folders(parse_strict(render(events))).values()
    names = [mark.findtext("k:name", namespaces=NS) for mark in marks]
    assert names == ["Monday launch", "Breakfast", "Zebra crossing chat", "Undated"]


def test_events_without_a_location_are_left_off() -> None:
    events = [make_event(1), make_event(2, title="Nowhere", location=None)]
    names = [p.name for marks in fastkml_folders(render(events)).values() for p in marks]
    assert names == ["Social media surgery 1"]


def test_the_document_carries_the_map_title_description_and_form_link() -> None:
    data = render(
        mixed_events(),
        title="Social Media Week 2026 & friends",
        description="Every event <near> you",
        form_url="https://forms.gle/abc?x=1&y=2",
    )
    document = parse_strict(data).find("k:Document", NS)
    assert document.findtext("k:name", namespaces=NS) == "Social Media Week 2026 & friends"
    about = lxml.html.fromstring(document.findtext("k:description", namespaces=NS))
    assert "Every event <near> you" in about.text_content()
    assert [a.get("href") for a in about.iter("a")] == ["https://forms.gle/abc?x=1&y=2"]


def test_same_events_give_identical_bytes_whatever_their_order() -> None:
    events = mixed_events()
    first = render(events)
    assert render(events) == first
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    assert render(list(reversed(shuffled))) == first


# --- placemarks ----------------------------------------------------------------------------


def test_placemark_has_its_id_name_and_children_in_schema_order() -> None:
    placemark = only_placemark(render([make_event(1)]))
    assert placemark.get("id") == "smw-000000000001"
    assert [etree.QName(child).localname for child in placemark] == [
        "name",
        "description",
        "styleUrl",
        "ExtendedData",
        "Point",
    ]


def test_coordinates_are_longitude_then_latitude_to_six_decimals() -> None:
    event = make_event(1, location=Location(51.5033638, -0.1276248, Precision.EXACT, "sheet"))
    data = render([event])
    text = only_placemark(data).findtext("k:Point/k:coordinates", namespaces=NS)
    assert text == "-0.127625,51.503364"
    assert coordinates(only_placemark(data)) == (-0.127625, 51.503364)
    (point,) = [p.geometry for marks in fastkml_folders(data).values() for p in marks]
    assert (point.x, point.y) == (-0.127625, 51.503364)


def test_extended_data_holds_every_public_field_as_display_text() -> None:
    event = make_event(
        4, formats=(FACE_TO_FACE, ONLINE), other_format="Twitter chat", contact_consent=True
    )
    data = render([event])
    values = extended_data(only_placemark(data))
    assert list(values) == [KML_DATA_NAMES.get(field.name, field.name) for field in PUBLIC_FIELDS]
    assert values == {
        "id": "smw-000000000004",
        "title": "Social media surgery 4",
        "date": "2027-03-23",
        "end_date": "",
        "start_time": "14:30",
        "end_time": "16:00",
        "format": "Face-to-face, Online, Twitter chat",
        "event_type": "Drop-in",
        "council": "Leeds City Council",
        "nation": "England",
        "region": "Yorkshire and The Humber",
        "venue": "Civic Hall",
        "address": "Calverley Street, Leeds",
        "postcode": "LS1 1UR",
        "link": "https://example.org/book?event=1&ref=map",
        "event_description": "Drop in with your questions about the council's pages.",
        "aims": "Help residents find services online",
        "audience": "Residents and councillors",
        "contact_email": "digital@leeds.example.gov.uk",
        "latitude": "53.797580",
        "longitude": "-1.558320",
        "precision": "sector",
        "location_source": "gazetteer",
        "layer": "Face-to-face",
    }
    (placemark,) = [p for marks in fastkml_folders(data).values() for p in marks]
    read_by_fastkml = {d.name: d.value for d in placemark.extended_data.elements}
    assert read_by_fastkml["format"] == "Face-to-face, Online, Twitter chat"
    assert read_by_fastkml["link"] == "https://example.org/book?event=1&ref=map"


def test_every_placemark_style_resolves_to_a_my_maps_style_map() -> None:
    data = render(mixed_events())
    root = parse_strict(data)
    styles = {style.get("id"): style for style in root.iterfind("k:Document/k:Style", NS)}
    style_maps = fastkml_style_maps(data)
    colours = {}
    for layer, marks in folders(root).items():
        for mark in marks:
            url = mark.findtext("k:styleUrl", namespaces=NS)
            assert url.startswith("#icon-1899-")
            pairs = style_maps[url[1:]]
            assert pairs == [f"{url}-normal", f"{url}-highlight"]
            for pair in pairs:
                icon = styles[pair[1:]].find("k:IconStyle", NS)
                assert icon.findtext("k:Icon/k:href", namespaces=NS) == PIN_ICON
                rrggbb = url.removeprefix("#icon-1899-")
                # KML writes colours as aabbggrr.
                expected = f"ff{rrggbb[4:6]}{rrggbb[2:4]}{rrggbb[0:2]}".lower()
                assert icon.findtext("k:color", namespaces=NS) == expected
            # As My Maps exports: the label shows only when the pin is highlighted.
            label_scales = [
                styles[pair[1:]].findtext("k:LabelStyle/k:scale", namespaces=NS) for pair in pairs
            ]
            assert label_scales == ["0", "1"]
            colours.setdefault(layer, set()).add(url)
    assert all(len(urls) == 1 for urls in colours.values())
    assert len({url for urls in colours.values() for url in urls}) == len(LAYERS)


def test_repeated_or_invalid_ids_still_give_a_valid_file(schema: etree.XMLSchema) -> None:
    events = [
        make_event(1, title="First"),
        make_event(2, title="Second", id="smw-000000000001"),
        make_event(3, title="Third", id="3 not an id"),
    ]
    data = render(events)
    assert schema_errors(schema, data) == []
    marks = list(parse_strict(data).iter(f"{KML}Placemark"))
    assert [mark.get("id") for mark in marks] == ["smw-000000000001", None, None]
    assert [extended_data(mark)["id"] for mark in marks] == [
        "smw-000000000001",
        "smw-000000000001",
        "3 not an id",
    ]


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_gdal_reads_the_info_window_as_the_description_and_every_data_field(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.kml"
    path.write_bytes(render([make_event(1, description="Bring a laptop.")]))
    shown = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout
    # The LIBKML driver takes a data field named like one of KML's own in that one's place.
    assert "description (String) = When: Tuesday 23 March 2027, 14:30–16:00<br>" in shown
    assert "event_description (String) = Bring a laptop." in shown
    assert "title (String) = Social media surgery 1" in shown


# --- text from the form is data ------------------------------------------------------------


def test_markup_in_a_title_reads_back_as_the_literal_text(schema: etree.XMLSchema) -> None:
    data = render([make_event(1, title=MARKUP_TITLE, venue="<script>alert(1)</script>")])
    assert schema_errors(schema, data) == []
    placemark = only_placemark(data)
    assert placemark.findtext("k:name", namespaces=NS) == MARKUP_TITLE
    assert extended_data(placemark)["title"] == MARKUP_TITLE
    (read,) = [p for marks in fastkml_folders(data).values() for p in marks]
    assert read.name == MARKUP_TITLE
    assert {d.name: d.value for d in read.extended_data.elements}["title"] == MARKUP_TITLE

    description = placemark.findtext("k:description", namespaces=NS)
    shown = lxml.html.fromstring(description)
    assert "<script>alert(1)</script>" in shown.text_content()
    assert not list(shown.iter("script", "b"))
    # Where the page heads the window itself, the title is its first line, shown as text.
    window = info_window_html(make_event(1, title=MARKUP_TITLE))
    assert window.split("<br>")[0] == html.escape(MARKUP_TITLE, quote=True)
    assert lxml.html.fromstring(window).text_content().startswith(MARKUP_TITLE + "When: ")


def test_the_info_window_does_not_repeat_the_title_under_the_placemarks_name() -> None:
    placemark = only_placemark(render([make_event(1, title="Tea and cake")]))
    assert placemark.findtext("k:name", namespaces=NS) == "Tea and cake"
    window = lxml.html.fromstring(placemark.findtext("k:description", namespaces=NS))
    assert "Tea and cake" not in window.text_content()
    assert window.text_content().startswith("When: Tuesday 23 March 2027")


def test_markup_in_every_info_window_field_shows_as_text() -> None:
    event = make_event(
        1,
        description='<img src=x onerror="steal()">',
        aims="<i>aims</i>",
        audience="<u>everyone</u>",
        council="Leeds & District",
        address="1 <Main> Street",
        event_type="<em>talk</em>",
    )
    window = info_window_html(event)
    for text in ('<img src=x onerror="steal()">', "<i>aims</i>", "<u>everyone</u>"):
        assert html.escape(text, quote=True) in window
    shown = lxml.html.fromstring(window)
    tags = [element.tag for element in shown.iter()][1:]
    assert set(tags) == {"br", "a"} and tags.count("a") == 1  # only our own line breaks and link
    assert "Leeds & District" in shown.text_content()
    assert "1 <Main> Street" in shown.text_content()


def test_control_characters_and_lone_surrogates_are_removed(schema: etree.XMLSchema) -> None:
    event = make_event(
        1,
        title="Tea\x00 and\x0b cake\ud800",
        address="1 High St\x1f",
        description="Line\x08 one\nLine two\ufffe",
        layer="Face\x0c-to-face",
    )
    data = render([event])
    assert schema_errors(schema, data) == []
    placemark = only_placemark(data)
    assert placemark.findtext("k:name", namespaces=NS) == "Tea and cake"
    values = extended_data(placemark)
    assert values["address"] == "1 High St"
    assert values["event_description"] == "Line one\nLine two"
    assert list(folders(parse_strict(data))) == ["Face-to-face"]


def test_emoji_and_right_to_left_text_are_kept_exactly() -> None:
    title = "Coffee ☕ and chat 🎉 — مرحبا بكم — שלום"
    venue = "Neuadd y Dref, Caerdydd 🏴󠁧󠁢󠁷󠁬󠁳󠁿"
    data = render([make_event(1, title=title, venue=venue)])
    placemark = only_placemark(data)
    assert placemark.findtext("k:name", namespaces=NS) == title
    assert extended_data(placemark)["venue"] == venue
    assert title.encode("utf-8") in data  # written as UTF-8, not as character references
    (read,) = [p for marks in fastkml_folders(data).values() for p in marks]
    assert read.name == title


# --- privacy -------------------------------------------------------------------------------


def test_submitter_details_and_moderation_never_reach_the_file() -> None:
    events = mixed_events()
    data = render(events, form_url="https://forms.gle/x")
    for event in events:  # each value is taken from the events, so each is really in the input
        assert event.submitted_at is not None
        private = {
            "submitter's email": event.submitter_email,
            "submitter's email, without its domain": event.submitter_email.split("@")[0],
            "submitter's name": event.submitter_name,
            "submitter's surname": event.submitter_name.split()[-1],
            "moderator's note": event.approved,
            "moderator's name": event.approved.split(" by ")[-1],
            "time the answer was sent": event.submitted_at.isoformat(),
            "day the answer was sent": event.submitted_at.date().isoformat(),
        }
        for what, value in private.items():
            assert value.encode() not in data, f"the {what} is in the published file"
    public = [KML_DATA_NAMES.get(field.name, field.name) for field in PUBLIC_FIELDS]
    for placemark in parse_strict(data).iter(f"{KML}Placemark"):
        assert list(extended_data(placemark)) == public


def test_contact_email_is_published_only_with_consent() -> None:
    events = [
        make_event(1, title="Consented", contact_email="yes@council.example", contact_consent=True),
        make_event(
            2, title="Not consented", contact_email="no@council.example", contact_consent=False
        ),
    ]
    data = render(events)
    assert b"yes@council.example" in data
    assert b"no@council.example" not in data
    by_title = {
        mark.findtext("k:name", namespaces=NS): extended_data(mark)
        for mark in parse_strict(data).iter(f"{KML}Placemark")
    }
    assert by_title["Consented"]["contact_email"] == "yes@council.example"
    assert by_title["Not consented"]["contact_email"] == ""


# --- the info window and public fields -----------------------------------------------------


def test_info_window_tells_what_when_where_and_links_to_booking_and_the_form() -> None:
    window = info_window_html(make_event(1), form_url="https://forms.gle/abc")
    shown = lxml.html.fromstring(window)
    text = shown.text_content()
    assert "When: Tuesday 23 March 2027, 14:30–16:00" in text
    assert "Where: Civic Hall, Calverley Street, Leeds, LS1 1UR" in text
    assert "Format: Face-to-face" in text
    assert "Organised by: Leeds City Council" in text
    assert "Who it is for: Residents and councillors" in text
    links = {a.text_content(): a.get("href") for a in shown.iter("a")}
    assert links == {
        "Book or find out more": "https://example.org/book?event=1&ref=map",
        "Add your own event": "https://forms.gle/abc",
    }
    assert "<script" not in window and "style" not in window


def test_a_link_that_is_not_a_web_address_is_never_clickable() -> None:
    window = info_window_html(make_event(1, link="javascript:alert(1)"))
    shown = lxml.html.fromstring(window)
    assert not list(shown.iter("a"))
    assert "javascript:alert(1)" in shown.text_content()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "Tuesday 23 March 2027, 14:30–16:00"),
        ({"end_time": None}, "Tuesday 23 March 2027, 14:30"),
        ({"start_time": None}, "Tuesday 23 March 2027, until 16:00"),
        ({"start_time": None, "end_time": None}, "Tuesday 23 March 2027"),
        (
            {"date": dt.date(2027, 1, 1), "start_time": dt.time(9, 5)},
            "Friday 1 January 2027, 09:05–16:00",
        ),
        ({"date": None}, ""),
        (
            {"end_date": dt.date(2027, 3, 25), "start_time": None, "end_time": None},
            "Tuesday 23 March 2027 to Thursday 25 March 2027",
        ),
        (
            {"end_date": dt.date(2027, 3, 24), "start_time": dt.time(22), "end_time": dt.time(1)},
            "Tuesday 23 March 2027, 22:00 to Wednesday 24 March 2027, 01:00",
        ),
        ({"end_date": dt.date(2027, 3, 23)}, "Tuesday 23 March 2027, 14:30–16:00"),
    ],
)
def test_when_text(changes: dict[str, object], expected: str) -> None:
    assert when_text(make_event(1, **changes)) == expected


def test_public_record_of_an_event_with_nothing_optional() -> None:
    bare = Event(id="smw-1", title="Just a title", row_number=2)
    record = public_record(bare)
    assert list(record) == [field.name for field in PUBLIC_FIELDS]
    assert record["title"] == "Just a title"
    assert all(value == "" for name, value in record.items() if name not in {"id", "title"})


# --- any text at all -----------------------------------------------------------------------

XML_TROUBLE = [
    "<",
    ">",
    "&",
    '"',
    "'",
    "]]>",
    "\x00",
    "\x1f",
    "\r",
    "\n",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\u0085",
    "\u2028",
    "\U0001f389",
    "\u202e",
    "&amp;",
    "<!--",
]
any_text = st.lists(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(XML_TROUBLE)), max_size=12
).map("".join)


def xml_chars(text: str) -> str:
    """The characters of XML 1.0's Char production, as a reader must see them."""
    return "".join(
        char
        for char in text
        if char in "\t\n\r"
        or "\x20" <= char <= "\ud7ff"
        or "\ue000" <= char <= "\ufffd"
        or char >= "\U00010000"
    )


@st.composite
def any_event(draw: st.DrawFn) -> Event:
    return Event(
        id=draw(st.one_of(any_text, st.from_regex(r"smw-[0-9a-f]{12}", fullmatch=True))),
        title=draw(any_text),
        row_number=draw(st.integers(2, 5000)),
        description=draw(any_text),
        council=draw(any_text),
        event_type=draw(any_text),
        formats=draw(st.sampled_from([(), (FACE_TO_FACE,), (ONLINE, PHONE)])),
        other_format=draw(any_text),
        date=draw(st.none() | st.dates()),
        start_time=draw(st.none() | st.times()),
        end_time=draw(st.none() | st.times()),
        venue=draw(any_text),
        address=draw(any_text),
        postcode=draw(any_text),
        link=draw(st.one_of(any_text, any_text.map(lambda text: "https://" + text))),
        aims=draw(any_text),
        audience=draw(any_text),
        contact_email=draw(any_text),
        contact_consent=draw(st.booleans()),
        submitter_email="never@private.invalid",
        submitter_name="Never Published",
        location=Location(
            draw(st.floats(-90, 90)),
            draw(st.floats(-180, 180)),
            draw(st.sampled_from(list(Precision))),
            draw(any_text),
            draw(any_text),
        ),
        layer=draw(st.one_of(st.sampled_from(LAYERS), any_text)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(any_event(), min_size=1, max_size=4),
    title=any_text,
    description=any_text,
    form_url=any_text,
)
def test_any_text_in_any_field_gives_a_strict_valid_file(
    schema: etree.XMLSchema, events: list[Event], title: str, description: str, form_url: str
) -> None:
    data = render_kml(events, title=title, description=description, form_url=form_url)
    root = parse_strict(data)
    assert schema_errors(schema, data) == []
    assert root.findtext("k:Document/k:name", namespaces=NS) == xml_chars(title)
    marks = list(root.iter(f"{KML}Placemark"))
    assert len(marks) == len(events)
    assert sorted(mark.findtext("k:name", namespaces=NS) for mark in marks) == sorted(
        xml_chars(event.title) for event in events
    )
    assert sorted(extended_data(mark)["postcode"] for mark in marks) == sorted(
        xml_chars(event.postcode) for event in events
    )
    assert b"never@private.invalid" not in data and b"Never Published" not in data
    assert render_kml(events, title=title, description=description, form_url=form_url) == data
