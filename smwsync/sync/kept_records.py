"""The public records of the events the last sync published, held compactly while a sync runs.

A sync reads the last state's record of every published event (to name the fields an update
changed, and to keep a cancelled event's start), but uses few of them. As parsed from the
state, each was a dict of 24 fresh strings, about 2.3 kB: 210 MB for 91,000 events. Held as
a tuple in PUBLIC_FIELDS order, with the values many events have in common (council, region,
dates, times, ...) held once, it takes about 1 kB. It reads as the dict did: a Mapping, equal to a
dict of the same fields. It is not a dict: what encodes one as JSON takes `dict(record)`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any

from smwsync.publish.fields import PUBLIC_FIELDS

NAMES: tuple[str, ...] = tuple(field.name for field in PUBLIC_FIELDS)
_INDEX = {name: index for index, name in enumerate(NAMES)}
# The fields whose values many events share (interned: held once): 118 MB of 210 MB saved at
# 100,000 events, for 0.02 s at 10,000 (sharing every short value saved 6 MB more, for 0.03 s).
SHARED_FIELDS = (
    "date",
    "end_date",
    "start_time",
    "end_time",
    "format",
    "event_type",
    "council",
    "nation",
    "region",
    "aims",
    "audience",
    "precision",
    "location_source",
    "layer",
)
_SHARED = tuple(_INDEX[name] for name in SHARED_FIELDS)


class KeptRecord(Mapping[str, str]):
    """An event's public record (`public_record`), its values in PUBLIC_FIELDS order."""

    __slots__ = ("_values",)

    def __init__(self, values: tuple[str, ...]) -> None:
        self._values = values

    def __getitem__(self, name: str) -> str:
        return self._values[_INDEX[name]]

    def get(self, name: str, default: Any = None) -> Any:
        index = _INDEX.get(name)
        return default if index is None else self._values[index]

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)

    def __contains__(self, name: object) -> bool:
        return name in _INDEX

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KeptRecord):
            return self._values == other._values
        if isinstance(other, Mapping):
            return len(other) == len(NAMES) and all(
                other.get(name) == value for name, value in zip(NAMES, self._values, strict=True)
            )
        return NotImplemented

    def __repr__(self) -> str:
        return f"KeptRecord({dict(self)!r})"


def kept_record(record: Mapping[str, str]) -> Mapping[str, str]:
    """`record` held compactly when it has exactly the public fields (a state written by this
    version, checked by state_shape.py); any other (an older state's) as a plain dict copy."""
    if len(record) == len(NAMES):
        try:
            values = list(map(record.__getitem__, NAMES))
            for index in _SHARED:
                values[index] = _share(values[index])
            return KeptRecord(tuple(values))
        except (KeyError, TypeError):
            pass
    return dict(record)


_share = sys.intern
