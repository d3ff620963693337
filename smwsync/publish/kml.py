"""KML for Google My Maps and Google Earth, written with lxml.

The file follows the OGC KML 2.2 schema's element order and the style form that My Maps itself
exports: per layer a colour, styles `icon-1899-RRGGBB-normal` and `-highlight` paired by a
StyleMap `icon-1899-RRGGBB`, and a `styleUrl` on every placemark (My Maps ignores folder styles).
Every text node goes through lxml, so it is escaped; characters XML 1.0 forbids are removed
first. The same events always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import partial

from lxml import etree

from smwsync.model import Event, Location
from smwsync.publish.fields import (
    KML_DATA_NAMES,
    PUBLIC_FIELDS,
    html_link,
    html_paragraph,
    info_window_html,
    public_record,
)
from smwsync.publish.pieces import Pieces

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
PIN_ICON = "https://www.gstatic.com/mapspro/images/stock/503-wht-blank_maps.png"

# Okabe & Ito's palette, told apart with the common colour-vision deficiencies, as RRGGBB:
# blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow, black. Layers take
# the colours in folder order; a ninth layer starts again at blue.
PALETTE: tuple[str, ...] = (
    "0072B2",
    "D55E00",
    "009E73",
    "E69F00",
    "CC79A7",
    "56B4E9",
    "F0E442",
    "000000",
)
UNNAMED_LAYER = "Other events"
# My Maps imports at most this many features into one layer.
MY_MAPS_LAYER_LIMIT = 2000

# Characters XML 1.0 does not allow in a document (lxml refuses them, lone surrogates included).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An xs:ID (kept to ASCII): what a Placemark's id attribute must be for the file to validate.
_XML_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Characters that text cannot be written with as it is: those XML 1.0 forbids, and those the
# writer escapes.
_TEXT_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff&<>\r]")
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"


def render_kml(
    events: Sequence[Event],
    *,
    title: str,
    description: str = "",
    layer_order: Sequence[str] | None = None,
    form_url: str = "",
    max_per_folder: int = MY_MAPS_LAYER_LIMIT,
    pieces: Pieces | None = None,
) -> bytes:
    """The KML document for the events that have a location, one folder per layer.

    Folders follow `layer_order` (layers not named there come after it, sorted); placemarks in
    a folder are sorted by date (undated last), title and id. A layer of more than
    `max_per_folder` events continues in numbered folders of the same colour (`folder_name`).
    Events without a location, or with coordinates that are not finite numbers, are left out:
    choose them with `is_mappable`. Placemarks kept in `pieces` are not written again.
    """
    return "".join(
        kml_text(
            events,
            title=title,
            description=description,
            layer_order=layer_order,
            form_url=form_url,
            max_per_folder=max_per_folder,
            pieces=pieces,
        )
    ).encode()


def kml_text(
    events: Sequence[Event],
    *,
    title: str,
    description: str = "",
    layer_order: Sequence[str] | None = None,
    form_url: str = "",
    max_per_folder: int = MY_MAPS_LAYER_LIMIT,
    pieces: Pieces | None = None,
) -> Iterator[str]:
    """The text of `render_kml`'s document, one piece at a time (a placemark, a folder's
    opening, ...), each made only when it is asked for."""
    pieces = pieces or Pieces()
    by_layer: dict[str, list[tuple[Event, Location]]] = {}
    for event in events:
        if event.location is not None and is_mappable(event):
            by_layer.setdefault(_layer(event), []).append((event, event.location))
    layers = _in_order(by_layer, layer_order)
    colours = {layer: PALETTE[index % len(PALETTE)] for index, layer in enumerate(layers)}

    # Each piece is indented as if the whole document were pretty-printed.
    yield f'{XML_DECLARATION}\n<kml xmlns="{KML_NAMESPACE}">\n  <Document>'
    yield _leaf(2, "name", title)
    about = document_description_html(description, form_url)
    if about:
        yield _leaf(2, "description", about)
    used_ids: set[str] = set()
    for colour in dict.fromkeys(colours.values()):
        for piece in _styles(colour):
            yield "\n    " + _lxml_piece(piece, 2)
            used_ids.add(piece.get("id"))
    for layer in layers:
        placed = sorted(by_layer[layer], key=_placemark_order)
        for part, start in enumerate(range(0, len(placed), max_per_folder), 1):
            yield "\n    <Folder>" + _leaf(3, "name", folder_name(layer, part))
            for event, location in placed[start : start + max_per_folder]:
                # Without the attribute My Maps loses nothing (the id is in ExtendedData
                # too); an invalid or repeated id would make the whole file invalid.
                with_id = _XML_ID.fullmatch(event.id) is not None and event.id not in used_ids
                if with_id:
                    used_ids.add(event.id)
                colour = colours[layer]
                yield pieces.piece(
                    "kml placemark",
                    event,
                    (colour, form_url, with_id),
                    partial(placemark_text, event, location, colour, form_url, with_id),
                )
            yield "\n    </Folder>"
    yield "\n  </Document>\n</kml>"


def folder_name(layer: str, part: int) -> str:
    """A layer's folder; past My Maps' 2,000 features a layer, its later parts are numbered:
    "Face-to-face", "Face-to-face (2)", … (events in date, title and id order)."""
    return layer if part == 1 else f"{layer} ({part})"


def is_mappable(event: Event) -> bool:
    """True when the event has a location with real coordinates, so it can be a placemark."""
    location = event.location
    return (
        location is not None
        and math.isfinite(location.latitude)
        and math.isfinite(location.longitude)
    )


def kml_layers(events: Iterable[Event], layer_order: Sequence[str] | None = None) -> dict[str, int]:
    """How many placemarks each layer's folder gets, in the order render_kml writes them."""
    counts: dict[str, int] = {}
    for event in events:
        if is_mappable(event):
            counts[_layer(event)] = counts.get(_layer(event), 0) + 1
    return {layer: counts[layer] for layer in _in_order(counts, layer_order)}


def document_description_html(description: str, form_url: str = "") -> str:
    """The map's own description: the configured text, then a link to the form."""
    lines = (html_paragraph(description), html_link(form_url, "Add your own event"))
    return "<br>".join(line for line in lines if line)


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 forbids (C0 controls, lone surrogates, ...)."""
    return _NOT_XML.sub("", text)


def style_id(colour: str) -> str:
    """The My Maps style id (a StyleMap) for a pin of this RRGGBB colour: "icon-1899-0072B2"."""
    return f"icon-1899-{colour}"


def kml_colour(colour: str) -> str:
    """An RRGGBB colour in KML's opaque aabbggrr order: "0072B2" -> "ffb27200"."""
    return f"ff{colour[4:6]}{colour[2:4]}{colour[0:2]}".lower()


def _layer(event: Event) -> str:
    return event.layer or UNNAMED_LAYER


def _in_order(layers: Iterable[str], layer_order: Sequence[str] | None) -> list[str]:
    present = set(layers)
    first = [layer for layer in dict.fromkeys(layer_order or ()) if layer in present]
    return first + sorted(present.difference(first))


def _placemark_order(placed: tuple[Event, Location]) -> tuple[dt.date, str, str]:
    event = placed[0]
    return (event.date or dt.date.max, event.title, event.id)


def _styles(colour: str) -> list[etree._Element]:
    """The pin styles for one colour, the way My Maps exports them: two Styles and a StyleMap."""
    pair_ids = {state: f"{style_id(colour)}-{state}" for state in ("normal", "highlight")}
    pieces = []
    for state, label_scale in (("normal", "0"), ("highlight", "1")):
        style = _element("Style", id=pair_ids[state])
        icon_style = _child(style, "IconStyle")
        _text(icon_style, "color", kml_colour(colour))
        _text(icon_style, "scale", "1")
        _text(_child(icon_style, "Icon"), "href", PIN_ICON)
        _child(icon_style, "hotSpot", x="32", xunits="pixels", y="64", yunits="insetPixels")
        _text(_child(style, "LabelStyle"), "scale", label_scale)
        pieces.append(style)
    style_map = _element("StyleMap", id=style_id(colour))
    for state, pair_id in pair_ids.items():
        pair = _child(style_map, "Pair")
        _text(pair, "key", state)
        _text(pair, "styleUrl", f"#{pair_id}")
    pieces.append(style_map)
    return pieces


def placemark_text(
    event: Event, location: Location, colour: str, form_url: str, with_id: bool
) -> str:
    """One placemark as the text lxml would write for it, indented for its place in a folder
    ("\\n      <Placemark ...>...</Placemark>"); `with_id` writes the event's id attribute."""
    opening = f'<Placemark id="{escape_attribute(event.id)}">' if with_id else "<Placemark>"
    data = "".join(
        [
            f"{_DATA_OPENINGS[name]}{escape_text(value)}{_DATA_CLOSING}"
            for name, value in public_record(event).items()
        ]
    )
    # My Maps and Google Earth head the info window with the name: the title is not repeated.
    about = info_window_html(event, form_url, with_title=False)
    return _PLACEMARK.format(
        opening=opening,
        name=escape_text(event.title),
        description=escape_text(about),
        style=escape_text(f"#{style_id(colour)}"),
        data=data,
        coordinates=f"{location.longitude:.6f},{location.latitude:.6f}",
    )


def escape_text(text: str) -> str:
    """Text as lxml (libxml2) writes it inside an element: the characters XML 1.0 forbids
    removed, then & < > and carriage returns escaped; quotes and non-ASCII kept as they are."""
    if _TEXT_SPECIAL.search(text) is None:
        return text
    text = xml_text(text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(text: str) -> str:
    """Text as lxml (libxml2) writes it in a double-quoted attribute value: as `escape_text`,
    and also the double quote, tab and line feed escaped."""
    return escape_text(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


# What libxml2 writes in place of a Placemark element built and indented with lxml, at the
# depth a placemark has in a folder (three levels: kml, Document, Folder).
_PLACEMARK = (
    "\n      {opening}"
    "\n        <name>{name}</name>"
    "\n        <description>{description}</description>"
    "\n        <styleUrl>{style}</styleUrl>"
    "\n        <ExtendedData>{data}"
    "\n        </ExtendedData>"
    "\n        <Point>"
    "\n          <coordinates>{coordinates}</coordinates>"
    "\n        </Point>"
    "\n      </Placemark>"
)
# Each public field in ExtendedData: <Data name="..."><value>...</value></Data>.
_DATA_OPENINGS = {
    field.name: (
        f'\n          <Data name="{escape_attribute(KML_DATA_NAMES.get(field.name, field.name))}">'
        "\n            <value>"
    )
    for field in PUBLIC_FIELDS
}
_DATA_CLOSING = "</value>\n          </Data>"


def _element(tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.Element(tag, attributes or None)
    if text is not None:
        element.text = xml_text(text)
    return element


def _child(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, attributes or None)


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = xml_text(text)


def _lxml_piece(element: etree._Element, depth: int) -> str:
    """One element lxml built, indented as if the whole document were pretty-printed."""
    etree.indent(element, space="  ", level=depth)
    return etree.tostring(element, encoding="unicode")


def _leaf(depth: int, tag: str, text: str) -> str:
    """An element holding only text, on its own line at `depth`."""
    return f"\n{'  ' * depth}<{tag}>{escape_text(text)}</{tag}>"
