"""KMZ: the KML zipped as `doc.kml`, for Google Earth and My Maps (smaller to upload).

The archive is deterministic: one entry with a fixed timestamp (1980-01-01, the earliest a zip
can hold), fixed permissions and a fixed compression level, so the same KML gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

KMZ_MEMBER = "doc.kml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # the "made by" system in the zip header; Python's default depends on the platform


def render_kmz(kml: bytes) -> bytes:
    """A KMZ archive holding `kml` as its only file, doc.kml."""
    buffer = io.BytesIO()
    write_kmz(buffer, [kml])
    return buffer.getvalue()


def write_kmz(into: BinaryIO, kml: Iterable[bytes]) -> None:
    """Write into `into` (a new, seekable file) the KMZ archive of the KML whose bytes are
    the blocks of `kml`, compressed a block at a time: the same bytes as `render_kmz`."""
    entry = zipfile.ZipInfo(KMZ_MEMBER, date_time=_FIXED_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = _UNIX
    entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    # Compressed at zlib's default level (6): half the time of the best (9) for a file 3%
    # larger. The archive is seekable, so the sizes go in the entry's header, as for one write.
    with zipfile.ZipFile(into, "w") as archive, archive.open(entry, "w") as member:
        for block in kml:
            member.write(block)
