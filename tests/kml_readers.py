"""Independent ways to read the KML we publish, for tests: strict XML, the OGC schema, fastkml."""

from __future__ import annotations

from pathlib import Path

from fastkml import kml as fastkml_kml
from fastkml.features import Placemark
from lxml import etree

from smwsync.publish.fields import KML_DATA_NAMES

KML = "{http://www.opengis.net/kml/2.2}"
NS = {"k": "http://www.opengis.net/kml/2.2"}
SCHEMA_DIR = Path(__file__).parent / "data" / "kml22_schema"


def load_kml_schema() -> etree.XMLSchema:
    """The OGC KML 2.2 schema, with its imports made local (tests/data/kml22_schema/)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "ogckml22.xsd")))


def parse_strict(data: bytes) -> etree._Element:
    """The document's root, or an XMLSyntaxError: no recovery, no silent repair."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def schema_errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    """Every way the document breaks the schema, as "line N: message" ("" list when valid)."""
    if schema.validate(etree.fromstring(data)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def folders(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Folder name -> its Placemark elements, in document order."""
    return {
        folder.findtext("k:name", namespaces=NS): folder.findall("k:Placemark", NS)
        for folder in root.iterfind("k:Document/k:Folder", NS)
    }


def extended_data(placemark: etree._Element) -> dict[str, str]:
    """A Placemark's ExtendedData as name -> value."""
    return {
        data.get("name"): data.findtext("k:value", namespaces=NS)
        for data in placemark.iterfind("k:ExtendedData/k:Data", NS)
    }


def public_names(values: dict[str, str]) -> dict[str, str]:
    """ExtendedData under the public fields' own names (the KML renames a few, see fields.py)."""
    by_kml_name = {kml_name: name for name, kml_name in KML_DATA_NAMES.items()}
    return {by_kml_name.get(name, name): value for name, value in values.items()}


def coordinates(placemark: etree._Element) -> tuple[float, float]:
    """A Placemark's Point as (longitude, latitude), the order KML writes them."""
    longitude, latitude = placemark.findtext("k:Point/k:coordinates", namespaces=NS).split(",")
    return float(longitude), float(latitude)


def fastkml_folders(data: bytes) -> dict[str, list[Placemark]]:
    """Folder name -> Placemarks, as fastkml (a second, independent reader) sees the file."""
    document = fastkml_kml.KML.from_string(data).features[0]
    return {folder.name: list(folder.features) for folder in document.features}


def fastkml_style_maps(data: bytes) -> dict[str, list[str]]:
    """StyleMap id -> the style urls of its pairs, as fastkml reads them."""
    document = fastkml_kml.KML.from_string(data).features[0]
    return {
        style.id: [pair.style.url for pair in style.pairs]
        for style in document.styles
        if hasattr(style, "pairs")
    }
