"""Work kept from the last sync, by what it was made from, so a sync redoes only what changed.

Cron syncs a sheet where one answer in thousands changed. A `Memo` maps a key, a hash of
everything a piece of work depends on (an answer's cells and the settings that clean it, an
event's public record and the settings of an output), to the result, as plain JSON values.
Because a key names all its inputs, a kept result is right for any sync that asks for it:
nothing needs forgetting when the sheet changes, and a memo from any earlier sync gives the
same bytes as none. The `salt` holds what every key depends on (smwsync's version and files,
the campaign's secret): a change to it makes every kept result unusable at once.

`used()` is what the next sync keeps: only what this sync asked for, so the memo never holds
more than one sync's worth of work and an answer deleted from the sheet leaves it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


class Memo:
    """Results of work kept from the last sync, by a hash of all they depend on."""

    def __init__(self, kept: Mapping[str, Any] | None = None, *, salt: str = "") -> None:
        self._kept: Mapping[str, Any] = kept or {}
        # Keys only, for what was kept: a sync holds no second copy of the last sync's work.
        self._asked: set[str] = set()
        self._made: dict[str, Any] = {}
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
        value = self._made.get(key)
        if value is None:
            value = self._kept.get(key)
            if value is not None:
                self._asked.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep `value` (plain JSON: str, int, float, bool, None, list, dict) for `key`."""
        self._made[key] = value

    def used(self) -> dict[str, Any]:
        """Every result asked for or made in this sync: what the next sync keeps."""
        kept = {key: self._kept[key] for key in self._asked if key not in self._made}
        return {**kept, **self._made}

    def made_now(self) -> dict[str, Any]:
        """The results made in this sync (new, or made again for a kept one that was damaged)."""
        return dict(self._made)

    def unused(self) -> list[str]:
        """The keys kept from the last sync that this one did not ask for."""
        return [key for key in self._kept if key not in self._asked and key not in self._made]

    def asked(self) -> bool:
        """True when this sync asked for or made anything."""
        return bool(self._asked or self._made)

    @property
    def salt(self) -> str:
        """What every key of this memo depends on."""
        return self._salt

    @property
    def hits(self) -> int:
        """How many results this sync took from the last one."""
        return len(self._asked)


def digest(text: str) -> str:
    """A key's hash of `text` (32 hex digits); callers that build many keys from parts they
    have already hashed (publish/pieces.py) make theirs with it too."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
