"""The week in numbers, for everyone: counts of the published events (pure).

Only published events and only public fields: nation and region, format, type of event, the
aims and audiences people wrote, and the councils taking part. Nothing about who submitted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smwsync.geocode.gazetteer import Council
from smwsync.model import FORMATS, Event
from smwsync.select import FORMAT_LAYERS

# Free-text answers (aims, audience) are counted as people wrote them, the commonest first;
# past this many the rest are one "Other answers" line.
TOP_ANSWERS = 10
OTHER = "Other answers"


@dataclass(frozen=True)
class Tally:
    """One table of the page: a caption and (label, count) rows in the order shown."""

    key: str
    caption: str
    heading: str  # what the labels are, for the table's first column
    rows: tuple[tuple[str, int], ...]
    unit: str = "Events"  # what is counted
    free_text: bool = False  # answers people wrote in their own words

    @property
    def has_shared_answers(self) -> bool:
        """False for free text where no two events gave the same answer: nothing to chart."""
        return not self.free_text or any(n > 1 for label, n in self.rows if label != OTHER)


@dataclass(frozen=True)
class CouncilDot:
    """A council taking part, where it is and how many events it runs."""

    name: str
    area: str
    latitude: float
    longitude: float
    events: int


@dataclass(frozen=True)
class WeekInNumbers:
    """Everything the public numbers page shows."""

    events: int
    local_councils: int
    counties: int
    counties_taking_part: int
    tallies: tuple[Tally, ...]
    councils: tuple[CouncilDot, ...]  # local councils taking part, most events first
    every_council: tuple[tuple[float, float], ...]  # all local councils: the map's backdrop

    @property
    def taking_part(self) -> int:
        """Local councils with at least one published event."""
        return len(self.councils)


def week_in_numbers(
    published: Sequence[Event], local_councils: Sequence[Council], counties: Sequence[Council] = ()
) -> WeekInNumbers:
    """Count the published events every way the page shows them."""
    per_council = Counter(e.council_code for e in published if e.council_code)
    councils = sorted(
        (
            CouncilDot(c.name, c.region or c.nation, c.latitude, c.longitude, per_council[c.code])
            for c in local_councils
            if per_council[c.code]
        ),
        key=lambda dot: (-dot.events, dot.name.casefold()),
    )
    by_area = Counter(dot.area for dot in councils)
    areas = sorted({c.region or c.nation for c in local_councils} | {_area(e) for e in published})
    tallies = (
        Tally(
            "area",
            "Events by nation and English region",
            "Nation or region",
            tuple((area, n) for area in areas if (n := sum(_area(e) == area for e in published))),
        ),
        Tally(
            "format",
            "Events by how people take part (an event can be more than one)",
            "Format",
            tuple(
                (FORMAT_LAYERS[name], n)
                for name in FORMATS
                if (n := sum(name in e.formats for e in published))
            ),
        ),
        Tally("type", "Events by type", "Type", _commonest(e.event_type for e in published)),
        Tally(
            "aims",
            "What the events hope to achieve, as written",
            "Aim",
            _answers(published, "aims"),
            free_text=True,
        ),
        Tally(
            "audience",
            "Who the events are for, as written",
            "Audience",
            _answers(published, "audience"),
            free_text=True,
        ),
        Tally(
            "councils",
            "Councils taking part, by nation and English region",
            "Nation or region",
            tuple((area, by_area[area]) for area in areas if by_area[area]),
            unit="Councils",
        ),
    )
    county_codes = {c.code for c in counties}
    return WeekInNumbers(
        events=len(published),
        local_councils=len(local_councils),
        counties=len(counties),
        counties_taking_part=sum(1 for code in per_council if code in county_codes),
        tallies=tallies,
        councils=tuple(councils),
        every_council=tuple((c.latitude, c.longitude) for c in local_councils),
    )


def _area(event: Event) -> str:
    return event.region or event.nation or "Not known"


def _commonest(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(value.strip() or "Not given" for value in values)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    top, rest = ranked[:TOP_ANSWERS], ranked[TOP_ANSWERS:]
    if rest:
        top.append((OTHER, sum(n for _, n in rest)))
    return tuple(top)


def _answers(events: Sequence[Event], field: str) -> tuple[tuple[str, int], ...]:
    """Each answer counted once per event, case and spacing ignored, in its commonest spelling."""
    spelled: dict[str, Counter[str]] = {}
    for event in events:
        text = " ".join(str(getattr(event, field)).split())
        if text:
            spelled.setdefault(_folded(text), Counter())[text] += 1
    counts = Counter({key: sum(c.values()) for key, c in spelled.items()})
    named = {key: c.most_common(1)[0][0] for key, c in spelled.items()}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], named[item[0]].casefold()))
    top = [(named[key], n) for key, n in ranked[:TOP_ANSWERS]]
    rest = sum(n for _, n in ranked[TOP_ANSWERS:])
    if rest:
        top.append((OTHER, rest))
    return tuple(top)


def _folded(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()
