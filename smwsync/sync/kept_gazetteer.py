"""The offline gazetteer as the last sync parsed it, kept in the work cache.

Parsing the gazetteer's five CSV files and building its indexes takes about 0.2 s, the largest
fixed cost of a sync with a change in it: for a sheet of a few hundred answers, more than all
the cleaning and rendering of the one that changed. The parsed gazetteer is kept in the work
cache (sync/work_cache.py) and read back in a tenth of the time.

It is kept pickled, so only a work cache this user wrote is read: the work cache is made
readable and writable by its owner alone and one that belongs to another user is refused,
which makes it as trusted as smwsync's own installed files. Its key is salted as every kept
result is, with smwsync's files (the gazetteer's data and the code that parses it), so an
upgrade or a changed file parses the gazetteer again. A kept one that cannot be read (damage)
is parsed again too, never used and never reported: it is a cache.
"""

from __future__ import annotations

import base64
import pickle

from smwsync.geocode.gazetteer import Gazetteer
from smwsync.memo import Memo

KIND = "parsed gazetteer"
# The pickle protocol is part of the key: a kept one in another protocol is made again.
PROTOCOL = 5


def kept_gazetteer(memo: Memo) -> Gazetteer:
    """The shipped gazetteer: as `memo` kept it from the last sync, else parsed (and kept)."""
    key = memo.key(KIND, PROTOCOL)
    kept = memo.get(key)
    if isinstance(kept, str):
        try:
            gazetteer = pickle.loads(base64.b64decode(kept, validate=True))
        # Damaged bytes can make unpickling raise almost anything (pickle's documentation
        # lists AttributeError, EOFError, ImportError and IndexError among others).
        except Exception:  # a cache that cannot be read is parsed again
            gazetteer = None
        if isinstance(gazetteer, Gazetteer):
            return gazetteer
    gazetteer = Gazetteer.load()
    memo.put(key, base64.b64encode(pickle.dumps(gazetteer, protocol=PROTOCOL)).decode("ascii"))
    return gazetteer
