"""KML for Google My Maps and Google Earth, written with lxml.

The file follows the OGC KML 2.2 schema's element order and the style form that My Maps itself
exports: per layer a colour, styles `icon-1899-RRGGBB-normal` and `-highlight` paired by a
StyleMap `icon-1899-RRGGBB`, and a `styleUrl` on every placemark (My Maps ignores folder styles).
Every text node goes through lxml, so it is escaped; characters XML 1.0 forbids are removed
first. The same events always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

from smwsync.model import Event, Location
from smwsync.publish.fields import (
    KML_DATA_NAMES,
    html_link,
    html_paragraph,
    info_window_html,
    public_record,
)

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


def render_kml(
    events: Sequence[Event],
    *,
    title: str,
    description: str = "",
    layer_order: Sequence[str] | None = None,
    form_url: str = "",
    max_per_folder: int = MY_MAPS_LAYER_LIMIT,
) -> bytes:
    """The KML document for the events that have a location, one folder per layer.

    Folders follow `layer_order` (layers not named there come after it, sorted); placemarks in
    a folder are sorted by date (undated last), title and id. A layer of more than
    `max_per_folder` events continues in numbered folders of the same colour (`folder_name`).
    Events without a location, or with coordinates that are not finite numbers, are left out:
    choose them with `is_mappable`.
    """
    by_layer: dict[str, list[tuple[Event, Location]]] = {}
    for event in events:
        if event.location is not None and is_mappable(event):
            by_layer.setdefault(_layer(event), []).append((event, event.location))
    layers = _in_order(by_layer, layer_order)
    colours = {layer: PALETTE[index % len(PALETTE)] for index, layer in enumerate(layers)}

    # Written one placemark at a time, so memory does not grow with a tree of the whole map.
    # Pieces are built without a namespace and written inside <kml xmlns="...">, whose default
    # namespace they take, so no placemark repeats the declaration.
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element(_kml("kml"), nsmap={None: KML_NAMESPACE}):
            _newline(xml, 1)
            with xml.element(_kml("Document")):
                _write(xml, _element("name", title), 2)
                about = document_description_html(description, form_url)
                if about:
                    _write(xml, _element("description", about), 2)
                used_ids: set[str] = set()
                for colour in dict.fromkeys(colours.values()):
                    for piece in _styles(colour):
                        _write(xml, piece, 2)
                        used_ids.add(piece.get("id"))
                for layer in layers:
                    placed = sorted(by_layer[layer], key=_placemark_order)
                    for part, start in enumerate(range(0, len(placed), max_per_folder), 1):
                        _newline(xml, 2)
                        with xml.element(_kml("Folder")):
                            _write(xml, _element("name", folder_name(layer, part)), 3)
                            for event, location in placed[start : start + max_per_folder]:
                                placemark = _placemark(
                                    event, location, colours[layer], form_url, used_ids
                                )
                                _write(xml, placemark, 3)
                            _newline(xml, 2)
                _newline(xml, 1)
            _newline(xml, 0)
    return buffer.getvalue()


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


def _placemark(
    event: Event, location: Location, colour: str, form_url: str, used_ids: set[str]
) -> etree._Element:
    placemark = _element("Placemark")
    # Without the attribute My Maps loses nothing (the id is in ExtendedData too); an invalid or
    # repeated id would make the whole file invalid.
    if _XML_ID.fullmatch(event.id) and event.id not in used_ids:
        placemark.set("id", event.id)
        used_ids.add(event.id)
    _text(placemark, "name", event.title)
    # My Maps and Google Earth head the info window with the name: the title is not repeated.
    _text(placemark, "description", info_window_html(event, form_url, with_title=False))
    _text(placemark, "styleUrl", f"#{style_id(colour)}")
    extended_data = _child(placemark, "ExtendedData")
    for name, value in public_record(event).items():
        _text(_child(extended_data, "Data", name=KML_DATA_NAMES.get(name, name)), "value", value)
    point = _child(placemark, "Point")
    _text(point, "coordinates", f"{location.longitude:.6f},{location.latitude:.6f}")
    return placemark


def _kml(tag: str) -> str:
    return f"{{{KML_NAMESPACE}}}{tag}"


def _element(tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.Element(tag, attributes or None)
    if text is not None:
        element.text = xml_text(text)
    return element


def _child(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, attributes or None)


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = xml_text(text)


def _write(xml: Any, element: etree._Element, depth: int) -> None:
    """Write one finished piece, indented as if the whole document were pretty-printed."""
    _newline(xml, depth)
    etree.indent(element, space="  ", level=depth)
    xml.write(element)


def _newline(xml: Any, depth: int) -> None:
    xml.write("\n" + "  " * depth)
