"""Work kept from the last sync, by what it was made from, so a sync redoes only what changed.

Cron syncs a sheet where one answer in thousands changed. A `Memo` maps a key, a hash of
everything a piece of work depends on (an answer's cells and the settings that clean it, an
event's public record and the settings of an output), to the result, as plain JSON values.
Because a key names all its inputs, a kept result is right for any sync that asks for it:
nothing needs forgetting when the sheet changes, and a memo from any earlier sync gives the
same bytes as none. The `salt` holds what every key depends on (smwsync's version and files,
the campaign's secret): a change to it makes every kept result unusable at once.

Where the results are kept is a `Kept`: a sync's is the work cache file (sync/work_cache.py),
which reads each result when it is asked for and writes each one as it is made, so a sync
holds no more of the work than it is using; `KeptInMemory` holds them in a dict (tests,
benchmarks); `KEPT_NOWHERE` keeps nothing (the cache switched off, a preview). Whichever it
is, the next sync keeps only what this one asked for or made, so an answer deleted from the
sheet leaves it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class Kept(Protocol):
    """Where a memo's results are kept from one sync to the next."""

    def find(self, key: str) -> Any | None:
        """The result kept for `key`, or None (none, or one that is damaged); one that is
        found is kept for the next sync."""

    def keep(self, key: str, value: Any) -> None:
        """Keep `value` for `key` for the next sync."""

    def expect(self, keys: Iterable[str]) -> None:
        """The keys that will be asked for next, in that order, to read them in batches."""

    def keeps(self) -> bool:
        """False when what is kept is forgotten (the cache is off, or cannot be used): work
        that only pays for itself from the next sync on is not worth making."""


class KeptInMemory:
    """Results kept in a dict: what a sync asked for and made, by key."""

    def __init__(self, kept: Mapping[str, Any] | None = None) -> None:
        self._kept: Mapping[str, Any] = kept or {}
        self._asked: set[str] = set()
        self._made: dict[str, Any] = {}

    def find(self, key: str) -> Any | None:
        value = self._made.get(key)
        if value is None:
            value = self._kept.get(key)
            if value is not None:
                self._asked.add(key)
        return value

    def keep(self, key: str, value: Any) -> None:
        self._made[key] = value

    def expect(self, keys: Iterable[str]) -> None:
        return None

    def keeps(self) -> bool:
        return True

    def used(self) -> dict[str, Any]:
        """Every result asked for or made: what the next sync keeps."""
        kept = {key: self._kept[key] for key in self._asked if key not in self._made}
        return {**kept, **self._made}

    def made_now(self) -> dict[str, Any]:
        """The results made (new, or made again for a kept one that was damaged)."""
        return dict(self._made)

    def unused(self) -> list[str]:
        """The keys kept that were not asked for."""
        return [key for key in self._kept if key not in self._asked and key not in self._made]


class _KeptNowhere:
    """Nothing is kept: every result is made, and forgotten once used."""

    def find(self, key: str) -> Any | None:
        return None

    def keep(self, key: str, value: Any) -> None:
        return None

    def expect(self, keys: Iterable[str]) -> None:
        return None

    def keeps(self) -> bool:
        return False


KEPT_NOWHERE: Kept = _KeptNowhere()


class Memo:
    """Results of work kept from the last sync, by a hash of all they depend on."""

    def __init__(self, kept: Mapping[str, Any] | Kept | None = None, *, salt: str = "") -> None:
        """`kept`: where results are kept (a mapping or nothing: in memory, from that)."""
        self._kept: Kept = KeptInMemory(kept) if kept is None or isinstance(kept, Mapping) else kept
        self._hits = 0
        self._asked = False
        self._salt = salt
        # Keys carry a short hash of the salt, which may be long (a stamp of smwsync's files).
        self._salted = hashlib.sha256(salt.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def key(self, kind: str, *parts: Any) -> str:
        """The key of a piece of work of `kind` made from `parts` (JSON, `str` for the rest)."""
        text = json.dumps(
            [self._salted, kind, *parts], ensure_ascii=False, separators=(",", ":"), default=str
        )
        return digest(text)

    def get(self, key: str) -> Any | None:
        """The kept result for `key`, or None; one that is found is kept for the next sync."""
        self._asked = True
        value = self._kept.find(key)
        if value is not None:
            self._hits += 1
        return value

    def expect(self, keys: Iterable[str]) -> None:
        """Say which keys will be asked for next, in that order (cleaning knows every answer's
        before it starts), so they are read a batch at a time rather than one by one."""
        self._kept.expect(keys)

    def put(self, key: str, value: Any) -> None:
        """Keep `value` (plain JSON: str, int, float, bool, None, list, dict) for `key`."""
        self._asked = True
        self._kept.keep(key, value)

    def keeps(self) -> bool:
        """False when what is put is forgotten: the work cache is off or cannot be used."""
        return self._kept.keeps()

    def asked(self) -> bool:
        """True when this sync asked for or made anything."""
        return self._asked

    @property
    def salt(self) -> str:
        """What every key of this memo depends on."""
        return self._salt

    @property
    def hits(self) -> int:
        """How many results this sync took from the last one."""
        return self._hits

    def used(self) -> dict[str, Any]:
        """Every result asked for or made, of a memo kept in memory: what the next one keeps."""
        return self._in_memory().used()

    def made_now(self) -> dict[str, Any]:
        """The results made, of a memo kept in memory."""
        return self._in_memory().made_now()

    def unused(self) -> list[str]:
        """The keys kept but not asked for, of a memo kept in memory."""
        return self._in_memory().unused()

    def _in_memory(self) -> KeptInMemory:
        if not isinstance(self._kept, KeptInMemory):
            raise TypeError("this memo's results are not kept in memory")
        return self._kept


def digest(text: str) -> str:
    """A key's hash of `text` (32 hex digits); callers that build many keys from parts they
    have already hashed (publish/pieces.py) make theirs with it too."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
