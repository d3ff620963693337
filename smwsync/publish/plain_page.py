"""A plain, self-contained HTML page: no script, its one style sheet allowed by hash, so the
Content-Security-Policy allows nothing else (pure). The numbers pages are built on it."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html import escape

STYLE = """
body { font: 16px/1.5 Arial, sans-serif; color: #0b0c0c; margin: 0 auto; max-width: 60rem;
  padding: 1rem; }
h1, h2 { line-height: 1.2; }
a { color: #1d70b8; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.25rem 0.75rem 0.25rem 0; text-align: left;
  vertical-align: top; }
td.number, th.number { text-align: right; }
figure { margin: 1rem 0; overflow-x: auto; }
svg { max-width: 100%; height: auto; }
.note { border-left: 5px solid #1d70b8; padding-left: 0.75rem; }
summary { cursor: pointer; }
:focus { outline: 3px solid #ffdd00; }
"""


def plain_page(title: str, body: Sequence[str], *, style: str = STYLE) -> bytes:
    """The page: `title` escaped, `body` as given (already HTML), nothing loaded from anywhere."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")


def count_table(
    caption: str, heading: str, rows: Sequence[tuple[str, int]], unit: str = "Events"
) -> str:
    """A two-column table of labels and counts (of `unit`), with a caption."""
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td class="number">{count}</td></tr>'
        for label, count in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>"
        f'<th scope="col">{escape(heading)}</th><th scope="col" class="number">{escape(unit)}</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )
