"""The organisers' report as one self-contained HTML page, and as JSON (pure).

No script; its one style sheet is allowed by hash, so the Content-Security-Policy allows nothing
else. It names rows and councils, never a submitter's email address or name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html import escape
from typing import Any

from smwsync.publish.charts import bar_chart, stacked_columns
from smwsync.publish.coverage import STATUSES, CouncilEvents, Coverage
from smwsync.publish.plain_page import plain_page

REPORT_FILE = "campaign-report.html"
MOST_EVENTS_SHOWN = 20


def render_coverage_page(coverage: Coverage, *, title: str, today: dt.date) -> bytes:
    """The report page: councils taking part and not, registrations per day, problems."""
    heading = f"{title}: the campaign in numbers"
    return plain_page(
        heading,
        [
            f"<h1>{escape(heading)}</h1>",
            f"<p>For the organisers, as of {today:%-d %B %Y}.</p>",
            '<p class="note">This report names rows of the response sheet and councils, never an '
            "email address or a name. Keep it among the organisers: do not publish it.</p>",
            *_councils_section(coverage),
            *_registrations_section(coverage),
            *_problems_section(coverage),
        ],
    )


def coverage_json(coverage: Coverage) -> dict[str, Any]:
    """The same numbers as the page, for `smwsync report --json`."""
    return {
        "local_councils": coverage.local_councils,
        "taking_part": [_council_json(c) for c in coverage.taking_part],
        "without_events": {area: list(names) for area, names in coverage.without_events},
        "county_councils": coverage.counties,
        "county_councils_taking_part": [_council_json(c) for c in coverage.counties_taking_part],
        "council_not_known": coverage.council_not_known,
        "registrations": [
            {"day": day.day.isoformat(), **dict(zip(STATUSES, day.counts, strict=True))}
            for day in coverage.days
        ],
        "not_dated": coverage.not_dated,
        "problems": [
            {
                "field": p.field,
                "code": p.code,
                "severity": p.severity.value,
                "count": len(p.rows),
                "rows": list(p.rows),
            }
            for p in coverage.problems
        ],
    }


def _council_json(council: CouncilEvents) -> dict[str, Any]:
    return {
        "code": council.code,
        "name": council.name,
        "area": council.area,
        "events": council.events,
    }


def _councils_section(coverage: Coverage) -> list[str]:
    taking = Counter(c.area for c in coverage.taking_part)
    missing = dict(coverage.without_events)
    areas = sorted(set(taking) | set(missing))
    share = round(100 * len(coverage.taking_part) / max(coverage.local_councils, 1))
    lines = [
        "<h2>Councils taking part</h2>",
        f"<p>{len(coverage.taking_part)} of the UK's {coverage.local_councils} district, borough, "
        f"unitary and metropolitan councils ({share}%) have at least one event on the map; "
        f"{len(coverage.counties_taking_part)} of England's {coverage.counties} county councils "
        "too.</p>",
    ]
    if coverage.council_not_known:
        lines.append(
            f"<p>{coverage.council_not_known} published events name no council smwsync "
            "knows: see the problems below.</p>"
        )
    lines.append("<figure>")
    lines.append(
        bar_chart(
            "councils-by-area",
            "Councils taking part, by area",
            [(area, taking[area]) for area in areas],
            description="The number of councils in each nation or English region with at least "
            "one published event; the table below gives the same numbers.",
        )
    )
    lines.append("</figure>")
    lines.append(
        '<table><caption>Councils by area</caption><thead><tr><th scope="col">Area</th>'
        '<th scope="col" class="number">Taking part</th>'
        '<th scope="col" class="number">No event yet</th></tr></thead><tbody>'
    )
    for area in areas:
        lines.append(
            f'<tr><th scope="row">{escape(area)}</th><td class="number">{taking[area]}</td>'
            f'<td class="number">{len(missing.get(area, ()))}</td></tr>'
        )
    lines.append("</tbody></table>")
    lines.append("<h2>Councils with no event yet</h2>")
    lines.append("<p>The people to persuade, by area.</p>")
    for area, names in coverage.without_events:
        lines.append(
            f"<details><summary>{escape(area)}: {len(names)}</summary><ul>"
            + "".join(f"<li>{escape(name)}</li>" for name in names)
            + "</ul></details>"
        )
    lines.append("<h2>Councils with the most events</h2>")
    lines.append(_council_table(coverage.taking_part[:MOST_EVENTS_SHOWN], "Most events first"))
    if coverage.counties_taking_part:
        lines.append("<h2>County councils taking part</h2>")
        lines.append(_council_table(coverage.counties_taking_part, "County councils"))
    return lines


def _council_table(councils: tuple[CouncilEvents, ...], caption: str) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(c.name)}</th><td>{escape(c.area)}</td>'
        f'<td class="number">{c.events}</td></tr>'
        for c in councils
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>"
        '<th scope="col">Council</th><th scope="col">Area</th>'
        f'<th scope="col" class="number">Events</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _registrations_section(coverage: Coverage) -> list[str]:
    lines = ["<h2>Registrations per day</h2>"]
    if not coverage.days:
        lines.append("<p>No response has a date and time the form recorded.</p>")
        return lines
    total = sum(day.total for day in coverage.days)
    lines.append(
        f"<p>{total} events registered in the {len(coverage.days)} days from "
        f"{coverage.days[0].day:%-d %B %Y} to {coverage.days[-1].day:%-d %B %Y}, by what has "
        "happened to them since.</p>"
    )
    lines.append("<figure>")
    lines.append(
        stacked_columns(
            "registrations",
            "Events registered per day",
            [(f"{day.day:%-d %b %Y}", day.counts) for day in coverage.days],
            [status.capitalize() for status in STATUSES],
            description="One column a day, coloured by what happened to each event; the table "
            "below gives the same numbers.",
        )
    )
    lines.append("</figure>")
    head = "".join(f'<th scope="col" class="number">{s.capitalize()}</th>' for s in STATUSES)
    lines.append(
        "<table><caption>Events registered per day</caption><thead><tr>"
        f'<th scope="col">Day</th>{head}<th scope="col" class="number">All</th></tr></thead><tbody>'
    )
    for day in coverage.days:
        cells = "".join(f'<td class="number">{n}</td>' for n in day.counts)
        lines.append(
            f'<tr><th scope="row">{day.day.isoformat()}</th>{cells}'
            f'<td class="number">{day.total}</td></tr>'
        )
    lines.append("</tbody></table>")
    if coverage.not_dated:
        lines.append(f"<p>{coverage.not_dated} more events have no readable date of sending.</p>")
    return lines


def _problems_section(coverage: Coverage) -> list[str]:
    lines = [
        "<h2>The problems staff most often make</h2>",
        "<p>Where many people stumble on the same question, its wording may be worth changing.</p>",
    ]
    if not coverage.problems:
        lines.append("<p>No problems.</p>")
        return lines
    lines.append(
        "<table><caption>Problems by question and kind, commonest first</caption><thead><tr>"
        '<th scope="col">Question</th><th scope="col">Kind</th><th scope="col">Severity</th>'
        '<th scope="col" class="number">Rows</th><th scope="col">Which rows</th></tr></thead>'
        "<tbody>"
    )
    for problem in coverage.problems:
        rows = ", ".join(str(n) for n in problem.rows)
        lines.append(
            f"<tr><td>{escape(problem.field)}</td><td>{escape(problem.code.replace('_', ' '))}"
            f"</td><td>{problem.severity.value}</td>"
            f'<td class="number">{len(problem.rows)}</td><td>{rows}</td></tr>'
        )
    lines.append("</tbody></table>")
    return lines
