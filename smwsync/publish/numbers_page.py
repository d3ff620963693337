""" "The week in numbers": the public page of counts beside the live map, and its CSV (pure).

Every chart is SVG drawn here, with a table of the same numbers under it and the whole lot as a
CSV to download and cite. Only published events, only public fields.
"""

from __future__ import annotations

import csv
import io
from html import escape

from smwsync.publish.charts import bar_chart, dot_map
from smwsync.publish.numbers import WeekInNumbers
from smwsync.publish.plain_page import count_table, plain_page
from smwsync.publish.text_safety import neutralise_formula

NUMBERS_PAGE = "numbers.html"
NUMBERS_CSV = "numbers.csv"


def render_numbers_page(numbers: WeekInNumbers, *, title: str, map_link: str = "") -> bytes:
    """The page; `map_link` (relative, such as "index.html") leads back to the map."""
    heading = f"{title}: the week in numbers"
    share = round(100 * numbers.taking_part / max(numbers.local_councils, 1))
    body = [f"<h1>{escape(heading)}</h1>"]
    if map_link:
        body.append(f'<p><a href="{escape(map_link, quote=True)}">Back to the map</a></p>')
    body += [
        f"<p>{numbers.events} events on the map. {numbers.taking_part} of the UK's "
        f"{numbers.local_councils} district, borough, unitary and metropolitan councils "
        f"({share}%) are taking part, and {numbers.counties_taking_part} of England's "
        f"{numbers.counties} county councils.</p>",
        f'<p><a href="{NUMBERS_CSV}" download>Download every number on this page (CSV)</a></p>',
    ]
    for tally in numbers.tallies:
        body.append(f"<h2>{escape(tally.caption)}</h2>")
        if not tally.rows:
            body.append("<p>None yet.</p>")
            continue
        if not tally.has_shared_answers:
            body.append(
                f"<p>Each of the {sum(n for _, n in tally.rows)} events says this in its own "
                "words, so there is nothing to count: read them on the map.</p>"
            )
            continue
        body.append("<figure>")
        body.append(
            bar_chart(
                f"chart-{tally.key}",
                tally.caption,
                tally.rows,
                description="The table below gives the same numbers.",
            )
        )
        body.append("</figure>")
        body.append(count_table(tally.caption, tally.heading, tally.rows, tally.unit))
    body.append("<h2>Where the councils taking part are</h2>")
    body.append("<figure>")
    body.append(
        dot_map(
            "council-map",
            "Councils taking part, sized by their number of events",
            numbers.every_council,
            [(d.name, d.latitude, d.longitude, d.events) for d in numbers.councils],
            description="Grey dots are every council in the UK; blue ones are taking part, the "
            "larger the more events. The table below lists them.",
        )
    )
    body.append("</figure>")
    rows = "".join(
        f'<tr><th scope="row">{escape(d.name)}</th><td>{escape(d.area)}</td>'
        f'<td class="number">{d.events}</td></tr>'
        for d in numbers.councils
    )
    body.append(
        "<table><caption>Councils taking part, most events first</caption><thead><tr>"
        '<th scope="col">Council</th><th scope="col">Area</th>'
        f'<th scope="col" class="number">Events</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return plain_page(heading, body)


def render_numbers_csv(numbers: WeekInNumbers) -> bytes:
    """Every number on the page as rows of (table, label, events), for citing and reuse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Table", "Label", "Count"])
    writer.writerow(["Total", "Events on the map", numbers.events])
    writer.writerow(["Total", "Councils taking part", numbers.taking_part])
    writer.writerow(["Total", "Councils in the UK", numbers.local_councils])
    writer.writerow(["Total", "County councils taking part", numbers.counties_taking_part])
    for tally in numbers.tallies:
        for label, count in tally.rows:
            writer.writerow([tally.caption, neutralise_formula(label), count])
    for dot in numbers.councils:
        writer.writerow(["Events by council", neutralise_formula(dot.name), dot.events])
    return buffer.getvalue().encode("utf-8")


def numbers_files(numbers: WeekInNumbers, *, title: str, map_link: str = "") -> dict[str, bytes]:
    """The page and its CSV, by file name, for the site's folder."""
    return {
        NUMBERS_PAGE: render_numbers_page(numbers, title=title, map_link=map_link),
        NUMBERS_CSV: render_numbers_csv(numbers),
    }
