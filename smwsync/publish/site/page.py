"""The live map's HTML: every published event listed by date, readable with no script at all.

The list is the page: title, date and time, place, what it is, who it is for, the booking link
and the council of every event, grouped by date, so a screen reader, a browser's find, a search
engine and a visitor without JavaScript all get everything. The page's script (static/site.js)
turns it into a map with filters and search. Form text is escaped here, once, and the script
only ever copies these nodes or sets text: it never makes markup from form text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from smwsync.model import Event
from smwsync.publish.fields import (
    FORMAT_LABELS,
    date_text,
    format_text,
    html_paragraph,
    time_range_text,
)
from smwsync.publish.pieces import Pieces
from smwsync.publish.site.assets import static_file
from smwsync.publish.site.data import is_web_link, rough_place, site_order, where_line

NO_DATE = "Date to be confirmed"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class PageText:
    """What the page says about itself: its title, the text under it and its links."""

    title: str
    description: str = ""
    form_url: str = ""
    calendar: str = ""  # the whole calendar's address, "" when the ics output is off
    site_url: str = ""  # where the site is served, for share links ("" is relative)
    updated: str = ""  # when the published events last changed, "2026-11-24T02:30:00Z"
    numbers: str = ""  # the week-in-numbers page's address, "" when there is none


def render_page(
    events: Sequence[Event],
    text: PageText,
    *,
    head: str,
    tail: str,
    organiser_panel: str = "",
    pieces: Pieces | None = None,
) -> str:
    """The whole page. `head` is what goes in <head> after the title (the policy, styles),
    `tail` what ends <body> (the data and scripts); `organiser_panel` only in the preview.
    Events' list items kept in `pieces` are not written again."""
    return "".join(
        page_text(
            events, text, head=head, tail=tail, organiser_panel=organiser_panel, pieces=pieces
        )
    )


def page_text(
    events: Sequence[Event],
    text: PageText,
    *,
    head: str,
    tail: str,
    organiser_panel: str = "",
    pieces: Pieces | None = None,
) -> Iterator[str]:
    """The text of `render_page`, the list of events one item at a time."""
    values = {
        "title": html.escape(text.title),
        "head": head,
        "about": html_paragraph(text.description),
        "add": _add_your_own(text.form_url),
        "numbers": _numbers_link(text.numbers),
        "updated": updated_html(text.updated),
        "count": html.escape(_plural(len(events), "event")),
        "panel": organiser_panel,
        "calendar": _calendar_link(text.calendar),
        "tail": tail,
    }
    template = static_file("page.html").decode("utf-8")
    before, _, after = template.partition("{{list}}")
    yield _PLACEHOLDER.sub(lambda match: values[match.group(1)], before)
    yield from event_list_text(events, text.site_url, pieces)
    yield _PLACEHOLDER.sub(lambda match: values[match.group(1)], after)


def event_list_html(
    events: Iterable[Event], site_url: str = "", pieces: Pieces | None = None
) -> str:
    """Every event, as sections by date (undated last), each an ordered list of events."""
    return "".join(event_list_text(events, site_url, pieces))


def event_list_text(
    events: Iterable[Event], site_url: str = "", pieces: Pieces | None = None
) -> Iterator[str]:
    """The text of `event_list_html`, one event at a time."""
    pieces = pieces or Pieces()
    days: dict[dt.date | None, list[Event]] = {}
    for event in site_order(events):
        days.setdefault(event.date, []).append(event)
    for number, (day, day_events) in enumerate(days.items()):
        heading = date_text(day) if day else NO_DATE
        value = day.isoformat() if day else "undated"
        separator = "\n" if number else ""
        yield (
            f'{separator}<section class="day" data-date="{value}">\n'
            f"<h3>{html.escape(heading)}</h3>\n"
            '<ol class="events">\n'
        )
        for index, event in enumerate(day_events):
            if index:
                yield "\n"
            yield pieces.piece(
                "site item", event, (site_url,), partial(event_html, event, site_url)
            )
        yield "\n</ol>\n</section>"


def event_html(event: Event, site_url: str = "") -> str:
    """One event: a list item whose id is the event's id, so "#<id>" links to it."""
    title = _text(event.title)
    when = _when(event)
    where = where_line(event)
    rough = rough_place(event)
    rough_html = f' <span class="rough">({_text(rough)})</span>' if rough else ""
    details = [
        ("Where", _text(where) + rough_html),
        ("Format", _text(format_text(event))),
        ("Type of event", _text(event.event_type)),
        ("Who it is for", html_paragraph(event.audience)),
        ("Organised by", _text(event.council)),
        ("Contact", _text(event.contact_email) if event.contact_consent else ""),
    ]
    rows = "".join(
        f'<dt>{label}</dt><dd class="{label.split()[0].lower()}">{value}</dd>'
        for label, value in details
        if value
    )
    parts = [
        f"<h4>{title}</h4>",
        f'<p class="when">{_text(when)}</p>',
        f"<dl>{rows}</dl>" if rows else "",
        f'<p class="description">{html_paragraph(event.description)}</p>'
        if event.description
        else "",
        f'<p class="aims">Aims: {html_paragraph(event.aims)}</p>' if event.aims else "",
        f'<p class="actions">{_actions(event, title, site_url)}</p>',
    ]
    formats = " ".join(f"format-{name}" for name in event.formats if name in FORMAT_LABELS)
    return (
        f'<li id="{html.escape(event.id, quote=True)}" class="event {formats}">'
        f"<article>{''.join(part for part in parts if part)}</article></li>"
    )


def updated_html(updated: str) -> str:
    """ "Last updated Tuesday 24 November 2026 at 02:30" (UK time) from a UTC time, or ""."""
    if not updated:
        return ""
    try:
        when = dt.datetime.fromisoformat(updated.replace("Z", "+00:00")).astimezone(_LONDON)
    except ValueError:
        return ""
    shown = f"{date_text(when.date())} at {when:%H:%M}"
    return (
        f'Last updated <time datetime="{html.escape(updated, quote=True)}">'
        f"{html.escape(shown)}</time>."
    )


def _actions(event: Event, title: str, site_url: str) -> str:
    about = f'<span class="visually-hidden">: {title}</span>'
    links = []
    if event.link and is_web_link(event.link):
        href = html.escape(event.link, quote=True)
        links.append(f'<a href="{href}" rel="noopener">Book or find out more{about}</a>')
    elif event.link:
        links.append(f"Booking: {_text(event.link)}")
    if event.date is not None:
        links.append(
            f'<button type="button" class="needs-js add-to-calendar" data-id="{event.id}">'
            f"Add to calendar{about}</button>"
        )
    if event.location is not None:
        links.append(
            f'<button type="button" class="needs-js show-on-map" data-id="{event.id}">'
            f"Show on the map{about}</button>"
        )
    share = html.escape(f"{site_url}#{event.id}", quote=True)
    links.append(f'<a class="share" href="{share}">Link to this event{about}</a>')
    return " ".join(links)


def _when(event: Event) -> str:
    hours = time_range_text(event)
    if event.date is None:
        return f"{NO_DATE}, {hours}" if hours else NO_DATE
    return f"{date_text(event.date)}, {hours}" if hours else date_text(event.date)


def _numbers_link(address: str) -> str:
    if not address:
        return ""
    href = html.escape(address, quote=True)
    return f'<p class="numbers-link"><a href="{href}">The week in numbers</a></p>'


def _add_your_own(form_url: str) -> str:
    if not form_url or not is_web_link(form_url):
        return ""
    href = html.escape(form_url, quote=True)
    return f'<p class="add-your-own"><a href="{href}">Add your own event</a></p>'


def _calendar_link(calendar: str) -> str:
    if not calendar:
        return ""
    href = html.escape(calendar, quote=True)
    return (
        f'<p><a href="{href}">Subscribe to the whole calendar</a> (every event, kept up to '
        "date in your calendar app).</p>"
    )


def _text(text: str) -> str:
    return html.escape(_no_surrogates(text), quote=False)


def _no_surrogates(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def attribute_values(values: Mapping[str, str]) -> str:
    """HTML attributes from a mapping, escaped: ' a="1" b="2"'."""
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in values.items())
