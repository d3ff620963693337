"""The offline gazetteer as the last sync parsed it, kept in the work cache.

Parsing the gazetteer's five CSV files and building its indexes takes about 0.15 s, the
largest fixed cost of a sync with a change in it: for a sheet of a few hundred answers, more
than all the cleaning and rendering of the one that changed. The parsed gazetteer is kept in
the work cache (sync/work_cache.py) and read back in a tenth of the time.

Its key is keyed with the campaign's secret, as every kept answer's is, so a work cache made
for another campaign, or copied without the secret, is never read; and salted with
smwsync's files (the gazetteer's data and the code that parses it), so an upgrade or a
changed file parses the gazetteer again. It is kept pickled, and read back by an unpickler
that makes the gazetteer's own classes and nothing else (the pickle module's advice for data
from elsewhere, "Restricting Globals"): no function is called and no other object is made,
so even a forged work cache can hold a wrong gazetteer at worst, never code that runs. Like
the configuration, the work cache is trusted (whoever can write it can change the map, a
kept piece edited in place among other ways), so it is its owner's alone. One that cannot
be read, or is not a gazetteer, is parsed again, never reported: it is a cache.
"""

from __future__ import annotations

import base64
import io
import pickle

from smwsync.clean.identity import IdKey
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.memo import Memo

KIND = "parsed gazetteer"
# The pickle protocol is part of the key: a kept one in another protocol is made again.
PROTOCOL = 5
# Every class a parsed gazetteer is made of (tests/test_kept_gazetteer.py reads one back
# without parsing again, so a class added to the gazetteer and not here fails it).
CLASSES = frozenset(
    {
        ("smwsync.clean.postcode", "KnownPostcodes"),
        ("smwsync.geocode.councils", "Council"),
        ("smwsync.geocode.councils", "CouncilFacts"),
        ("smwsync.geocode.councils", "CouncilIndex"),
        ("smwsync.geocode.councils", "FormerCouncil"),
        ("smwsync.geocode.councils", "_Named"),
        ("smwsync.geocode.gazetteer", "Gazetteer"),
        ("smwsync.geocode.places", "Place"),
        ("smwsync.geocode.places", "PlaceIndex"),
        ("smwsync.geocode.postcode_areas", "PostcodeAreas"),
    }
)


class _GazetteerUnpickler(pickle.Unpickler):
    """Unpickles the gazetteer's classes, and refuses any other class or function."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a gazetteer")
        found: type = super().find_class(module, name)
        return found


def kept_gazetteer(memo: Memo, campaign: IdKey) -> Gazetteer:
    """The shipped gazetteer: as `memo` kept it from the last sync of the campaign whose
    secret is `campaign`, else parsed (and kept, unless the memo keeps nothing)."""
    if not memo.keeps():
        return Gazetteer.load()
    key = memo.key(KIND, PROTOCOL, campaign.digest(KIND, "", 16))
    kept = memo.get(key)
    if isinstance(kept, str):
        try:
            data = base64.b64decode(kept, validate=True)
            gazetteer = _GazetteerUnpickler(io.BytesIO(data)).load()
        # Damaged bytes can make unpickling raise almost anything (pickle's documentation
        # lists AttributeError, EOFError, ImportError and IndexError among others).
        except Exception:  # a cache that cannot be read is parsed again
            gazetteer = None
        if isinstance(gazetteer, Gazetteer):
            return gazetteer
    gazetteer = Gazetteer.load()
    memo.put(key, base64.b64encode(pickle.dumps(gazetteer, protocol=PROTOCOL)).decode("ascii"))
    return gazetteer
