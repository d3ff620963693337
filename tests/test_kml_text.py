"""The KML writer's text templates write exactly what lxml would: the same escaping of any
text, and the same bytes for a whole placemark as an lxml tree indented in its folder."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from smwsync.model import FACE_TO_FACE, ONLINE, PHONE, Event, Location, Precision
from smwsync.publish.fields import KML_DATA_NAMES, info_window_html, public_record
from smwsync.publish.kml import (
    escape_attribute,
    escape_text,
    placemark_text,
    render_kml,
    style_id,
    xml_text,
)

from conftest import make_event

# Everything a writer must get right: markup, entities, CDATA's end, quotes, the whitespace
# that is escaped in some places only, control characters XML forbids, lone surrogates, the
# non-characters, non-ASCII (2, 3 and 4 bytes in UTF-8) and the line and paragraph separators.
HOSTILE = (
    "<b>Tea & \"cake\"</b> 'quoted' ]]> <![CDATA[x]]> &amp; &#13; \t\n\r\r\n"
    "\x00\x01\x08\x0b\x0c\x0e\x1f\x7f\x80\x85\x9f é € 😀 \u2028\u2029 \ud800 \udfff"
    " \ufffe \uffff \ufffd \u202e"
)
hostile_text = st.one_of(
    st.text(), st.lists(st.sampled_from(HOSTILE.split(" ")), max_size=6).map(" ".join)
)


@st.composite
def any_event(draw: st.DrawFn) -> Event:
    """An event with any text in every field a placemark shows."""
    text = {
        name: draw(hostile_text)
        for name in (
            *("id", "title", "description", "council", "nation", "region", "event_type"),
            *("other_format", "venue", "address", "postcode", "aims", "audience"),
            *("contact_email", "layer"),
        )
    }
    return make_event(
        1,
        **text,
        link=draw(st.one_of(hostile_text, hostile_text.map(lambda url: "https://" + url))),
        formats=draw(st.sampled_from([(), (FACE_TO_FACE,), (ONLINE, PHONE)])),
        date=draw(st.none() | st.dates()),
        end_date=draw(st.none() | st.dates()),
        start_time=draw(st.none() | st.times()),
        end_time=draw(st.none() | st.times()),
        contact_consent=draw(st.booleans()),
        location=Location(
            draw(st.floats(-90, 90)),
            draw(st.floats(-180, 180)),
            draw(st.sampled_from(list(Precision))),
            draw(hostile_text),
        ),
    )


def lxml_text(text: str) -> str:
    """What lxml writes for `text` inside an element."""
    element = etree.Element("value")
    element.text = xml_text(text)
    return etree.tostring(element, encoding="unicode")[len("<value>") : -len("</value>")]


def lxml_attribute(text: str) -> str:
    """What lxml writes for `text` as an attribute's value."""
    element = etree.Element("Data", name=xml_text(text))
    return etree.tostring(element, encoding="unicode")[len('<Data name="') : -len('"/>')]


def lxml_placemark(
    event: Event, location: Location, colour: str, form_url: str, with_id: bool
) -> str:
    """A placemark the way the writer built it before its templates: an lxml tree, indented
    at a folder's depth."""

    def leaf(parent: etree._Element, tag: str, text: str) -> None:
        etree.SubElement(parent, tag).text = xml_text(text)

    placemark = etree.Element("Placemark")
    if with_id:
        placemark.set("id", xml_text(event.id))
    leaf(placemark, "name", event.title)
    leaf(placemark, "description", info_window_html(event, form_url, with_title=False))
    leaf(placemark, "styleUrl", f"#{style_id(colour)}")
    extended_data = etree.SubElement(placemark, "ExtendedData")
    for name, value in public_record(event).items():
        data = etree.SubElement(extended_data, "Data", name=KML_DATA_NAMES.get(name, name))
        leaf(data, "value", value)
    point = etree.SubElement(placemark, "Point")
    leaf(point, "coordinates", f"{location.longitude:.6f},{location.latitude:.6f}")
    etree.indent(placemark, space="  ", level=3)
    return "\n      " + etree.tostring(placemark, encoding="unicode")


def test_hostile_text_is_escaped_as_lxml_escapes_it() -> None:
    assert escape_text(HOSTILE) == lxml_text(HOSTILE)
    assert escape_attribute(HOSTILE) == lxml_attribute(HOSTILE)
    # What each of them does, said plainly: quotes only in attributes, whitespace too.
    assert escape_text("a&b<c>d\re\"f'g\th\ni") == "a&amp;b&lt;c&gt;d&#13;e\"f'g\th\ni"
    assert escape_attribute('a\t"b\n') == "a&#9;&quot;b&#10;"


@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_any_text_is_escaped_as_lxml_escapes_it(text: str) -> None:
    assert escape_text(text) == lxml_text(text)
    assert escape_attribute(text) == lxml_attribute(text)


def test_a_placemark_of_hostile_text_is_what_lxml_writes() -> None:
    fields = ("title", "description", "venue", "address", "postcode", "aims", "audience")
    event = make_event(
        1,
        **{name: HOSTILE for name in fields},
        link="https://example.org/?a=1&b=<2>\r\n",
        contact_email=HOSTILE,
        contact_consent=True,
        other_format=HOSTILE,
    )
    assert event.location is not None
    for with_id in (True, False):
        written = placemark_text(event, event.location, "0072B2", HOSTILE, with_id)
        assert written == lxml_placemark(event, event.location, "0072B2", HOSTILE, with_id)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event=any_event(), form_url=hostile_text, with_id=st.booleans())
def test_any_placemark_is_what_lxml_writes(event: Event, form_url: str, with_id: bool) -> None:
    assert event.location is not None
    written = placemark_text(event, event.location, "D55E00", form_url, with_id)
    assert written == lxml_placemark(event, event.location, "D55E00", form_url, with_id)


def test_the_document_around_the_placemarks_is_what_lxml_writes() -> None:
    # Every field filled in, so lxml reads no element it would write back as <empty/>.
    events = [
        make_event(number, end_date=dt.date(2027, 3, 24), contact_consent=True, layer=layer)
        for number, layer in enumerate((HOSTILE, "Online", HOSTILE), 1)
    ]
    data = render_kml(events, title=HOSTILE, description=HOSTILE, form_url=HOSTILE)
    root = etree.fromstring(data)
    # lxml writing back what it read gives the same bytes: every escape is lxml's own.
    assert etree.tostring(root, encoding="UTF-8", xml_declaration=True) == data
