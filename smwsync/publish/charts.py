"""Charts drawn as SVG on the server: no chart script, nothing from another host (pure).

Each chart is a standalone, well-formed XML element with a title and a description for screen
readers; the page puts an equivalent table of the same numbers under it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape as _escape

SVG_NS = "http://www.w3.org/2000/svg"
# Colours with at least 3:1 contrast against white (WCAG 2.2, non-text contrast).
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#6f72af", "#b58840", "#505a5f")
TEXT = "#0b0c0c"
ROW_HEIGHT = 22
LABEL_WIDTH = 220
BAR_WIDTH = 360
FONT = 'font-family="Arial, sans-serif" font-size="13"'


def escape(text: str) -> str:
    """Text for an element's content: &, < and > escaped, quotes left as typed."""
    return _escape(text, quote=False)


def bar_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, int]], *, description: str = ""
) -> str:
    """Horizontal bars, one a row, each labelled with its name and its number."""
    most = max((value for _, value in rows), default=0) or 1
    height = ROW_HEIGHT * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [_open(chart_id, title, description, width, height)]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        length = round(BAR_WIDTH * value / most)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" fill="{TEXT}" {FONT}>'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW_HEIGHT - 6}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" fill="{TEXT}" {FONT}>{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(
    chart_id: str,
    title: str,
    columns: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[str],
    *,
    description: str = "",
) -> str:
    """One column a label (a day, say), stacked by series, with a legend naming each colour."""
    tallest = max((sum(values) for _, values in columns), default=0) or 1
    plot_height = 180
    step = max(8, min(36, 720 // max(len(columns), 1)))
    legend_height = ROW_HEIGHT * len(series)
    width = max(40 + step * len(columns), 300)
    height = plot_height + 40 + legend_height
    parts = [_open(chart_id, title, description, width, height)]
    for index, (label, values) in enumerate(columns):
        x = 30 + index * step
        base = plot_height + 10
        for colour, value in zip(PALETTE, values, strict=False):
            size = round(plot_height * value / tallest)
            if size:
                base -= size
                parts.append(
                    f'<rect x="{x}" y="{base}" width="{step - 2}" height="{size}" fill="{colour}">'
                    f"<title>{escape(label)}: {value}</title></rect>"
                )
    parts.append(
        f'<text x="30" y="{plot_height + 28}" fill="{TEXT}" {FONT}>'
        f"{escape(columns[0][0]) if columns else ''}</text>"
    )
    if len(columns) > 1:
        parts.append(
            f'<text x="{30 + step * len(columns)}" y="{plot_height + 28}" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{escape(columns[-1][0])}</text>'
        )
    for index, (name, colour) in enumerate(zip(series, PALETTE, strict=False)):
        y = plot_height + 40 + index * ROW_HEIGHT
        parts.append(
            f'<rect x="30" y="{y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="50" y="{y + 12}" fill="{TEXT}" {FONT}>{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    labelled = f"{chart_id}-title {chart_id}-desc" if description else f"{chart_id}-title"
    desc = f'<desc id="{chart_id}-desc">{escape(description)}</desc>' if description else ""
    return (
        f'<svg xmlns="{SVG_NS}" role="img" aria-labelledby="{_escape(labelled)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>{desc}'
    )


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def dot_map(
    chart_id: str,
    title: str,
    backdrop: Sequence[tuple[float, float]],
    dots: Sequence[tuple[str, float, float, int]],
    *,
    description: str = "",
) -> str:
    """A map of the UK drawn from points: faint `backdrop` (latitude, longitude) points give
    its shape; each dot (label, latitude, longitude, count) is sized by its count."""
    north, south, west, east = 61.0, 49.8, -8.3, 1.9
    scale = math.cos(math.radians((north + south) / 2))
    width = 320
    height = round(width * (north - south) / ((east - west) * scale))

    def place(latitude: float, longitude: float) -> tuple[float, float]:
        x = (longitude - west) / (east - west) * width
        y = (north - latitude) / (north - south) * height
        return round(x, 1), round(y, 1)

    parts = [_open(chart_id, title, description, width, height)]
    parts.append(f'<rect width="{width}" height="{height}" fill="#f3f2f1"/>')
    for latitude, longitude in backdrop:
        x, y = place(latitude, longitude)
        parts.append(f'<circle cx="{x}" cy="{y}" r="1.5" fill="#b1b4b6"/>')
    most = max((count for *_, count in dots), default=1) or 1
    for label, latitude, longitude, count in sorted(dots, key=lambda d: -d[3]):
        x, y = place(latitude, longitude)
        radius = round(3 + 9 * math.sqrt(count / most), 1)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{PALETTE[0]}" fill-opacity="0.7" '
            f'stroke="#ffffff" stroke-width="1"><title>{escape(label)}: {count}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
