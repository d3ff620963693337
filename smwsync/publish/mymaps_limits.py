"""My Maps' import limits, checked before they bite: My Maps fails past them with no useful
message, so the summary says what to do instead.

Limits as Google's help pages give them: 2,000 features in one layer (the KML splits such a
layer into numbered folders itself), 10 layers in a map, 10,000 features in a map, and 5 MB for
an imported KML file.
"""

from __future__ import annotations

from collections.abc import Mapping

from smwsync.publish.kml import MY_MAPS_LAYER_LIMIT, folder_name

MY_MAPS_MAX_LAYERS = 10
MY_MAPS_MAX_FEATURES = 10_000
MY_MAPS_MAX_KML_BYTES = 5 * 1000 * 1000


def limit_notices(layer_counts: Mapping[str, int], kml_size: int | None = None) -> list[str]:
    """What an organiser should know before importing into My Maps; empty when all fits."""
    notices = []
    folders = 0
    for layer, count in layer_counts.items():
        parts = -(-count // MY_MAPS_LAYER_LIMIT)
        folders += parts
        if parts > 1:
            names = ", ".join(f"'{folder_name(layer, part)}'" for part in range(1, parts + 1))
            notices.append(
                f"Layer '{layer}' has {count:,} events, more than the {MY_MAPS_LAYER_LIMIT:,} "
                f"My Maps takes in one layer: the KML splits it into {names}; import each into "
                "a layer of its own."
            )
    if folders > MY_MAPS_MAX_LAYERS:
        notices.append(
            f"The map has {folders} layers; My Maps takes at most {MY_MAPS_MAX_LAYERS}. Set "
            "[publish] layer_by to something with fewer values (format has three), or import "
            "only some of the layers."
        )
    total = sum(layer_counts.values())
    if total > MY_MAPS_MAX_FEATURES:
        notices.append(
            f"The map has {total:,} events; a My Map holds at most {MY_MAPS_MAX_FEATURES:,}. "
            "Split the campaign into several maps (for example one per nation, with "
            '[publish] layer_by = "nation") or use the GeoJSON with another web map.'
        )
    if kml_size is not None and kml_size > MY_MAPS_MAX_KML_BYTES:
        notices.append(
            f"The KML is {kml_size / 1e6:.1f} MB; My Maps refuses KML files over "
            f"{MY_MAPS_MAX_KML_BYTES / 1e6:.0f} MB. Import the KMZ ([publish] kmz) or the "
            "CSV files ([publish] csv) instead."
        )
    return notices
