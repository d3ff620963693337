"""Exact postcodes offline: an SQLite index of every GB postcode from OS Code-Point Open.

`import_codepoint` reads Ordnance Survey's free download (`codepo_gb.zip`: one headerless CSV
per postcode area under Data/CSV, British National Grid eastings and northings) and writes the
index beside the configuration, converting coordinates to WGS84 latitude and longitude with
pyproj and keeping the release date from Doc/metadata.txt. The new index replaces the old one
in one rename, so a sync running at the same time reads one or the other, never half of each.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from smwsync.errors import CodePointError
from smwsync.geocode.cache import Answer
from smwsync.model import Precision

NAME = "codepoint"
NO_COORDINATES = "90"  # Positional_quality_indicator: the postcode has no coordinates
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right {year}. Contains Royal Mail data "
    "© Royal Mail copyright and database right {year}. Contains National Statistics data "
    "© Crown copyright and database right {year}."
)
_BATCH = 50_000
_DATA_FILE = re.compile(r"(^|/)Data/CSV/[a-z]{1,2}\.csv$", re.IGNORECASE)
_META = re.compile(r"^\s*([A-Z][A-Z _-]+?)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class IndexInfo:
    """What a Code-Point index holds: how many postcodes, which release, from which file."""

    path: Path
    postcodes: int
    release: str
    release_date: str
    imported_from: str
    areas: int


@dataclass(frozen=True)
class ImportSummary:
    """What `import_codepoint` did and how long it took."""

    info: IndexInfo
    skipped: int
    seconds: float


def import_codepoint(
    zip_path: Path, index_path: Path, *, clock: Callable[[], float] = time.perf_counter
) -> ImportSummary:
    """Build the postcode index at `index_path` from a Code-Point Open zip."""
    started = clock()
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as err:
        raise CodePointError(
            f"Cannot read {zip_path} as a Code-Point Open download (codepo_gb.zip): {err}."
        ) from err
    with archive:
        members = sorted(name for name in archive.namelist() if _DATA_FILE.search(name))
        if not members:
            raise CodePointError(
                f"{zip_path} holds no Data/CSV/<area>.csv files: is it OS Code-Point Open "
                "in CSV format (codepo_gb.zip)?"
            )
        meta = _metadata(archive)
        index_path.parent.mkdir(parents=True, exist_ok=True)
        building = index_path.with_name(index_path.name + ".building")
        building.unlink(missing_ok=True)
        db = sqlite3.connect(building)
        try:
            db.executescript(
                "pragma journal_mode=off; pragma synchronous=off;"
                "create table postcodes (postcode text primary key, latitude real, "
                "longitude real, lad_code text) without rowid;"
                "create table meta (key text primary key, value text);"
            )
            count, skipped = _load(db, archive, members)
            meta.update(
                postcodes=str(count),
                imported_from=zip_path.name,
                areas=str(len(members)),
            )
            db.executemany("insert into meta values (?, ?)", sorted(meta.items()))
            db.commit()
        finally:
            db.close()
    os.replace(building, index_path)
    info = CodePointIndex(index_path).info()
    return ImportSummary(info, skipped, clock() - started)


def _metadata(archive: zipfile.ZipFile) -> dict[str, str]:
    """The release ("2025.4.0") and its date ("2025-10-20") from Doc/metadata.txt."""
    names = [name for name in archive.namelist() if name.lower().endswith("doc/metadata.txt")]
    found: dict[str, str] = {"release": "", "release_date": ""}
    if not names:
        return found
    for line in archive.read(names[0]).decode("latin-1").splitlines():
        match = _META.match(line)
        if not match:
            continue
        key, value = match.group(1).upper(), match.group(2)
        if key == "DATASET VERSION NUMBER":
            found["release"] = value
        elif key == "COPYRIGHT DATE" and re.fullmatch(r"\d{8}", value):
            found["release_date"] = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return found


def _load(db: sqlite3.Connection, archive: zipfile.ZipFile, members: list[str]) -> tuple[int, int]:
    from pyproj import Transformer  # only an import needs it, and it loads slowly

    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    count, skipped = 0, [0]
    for batch in _batches(_rows(archive, members, skipped)):
        codes = [row[0] for row in batch]
        longitudes, latitudes = to_wgs84.transform(
            [float(row[1]) for row in batch], [float(row[2]) for row in batch]
        )
        db.executemany(
            "insert or replace into postcodes values (?, ?, ?, ?)",
            zip(
                codes,
                (round(v, 6) for v in latitudes),
                (round(v, 6) for v in longitudes),
                (row[3] for row in batch),
                strict=True,
            ),
        )
        count += len(batch)
    return count, skipped[0]


def _rows(
    archive: zipfile.ZipFile, members: list[str], skipped: list[int]
) -> Iterator[tuple[str, str, str, str]]:
    """(postcode, eastings, northings, council code) for every postcode with coordinates;
    those without are counted in `skipped[0]`."""
    for name in members:
        with archive.open(name) as raw:
            text = io.TextIOWrapper(raw, encoding="latin-1", newline="")
            for line_number, row in enumerate(csv.reader(text), start=1):
                if len(row) < 9:
                    raise CodePointError(
                        f"{name} line {line_number} has {len(row)} columns, not 10: "
                        "is this Code-Point Open in CSV format?"
                    )
                if row[1].strip() == NO_COORDINATES:
                    skipped[0] += 1
                    continue
                yield normalise_postcode(row[0]), row[2], row[3], row[8].strip()


def _batches(
    rows: Iterator[tuple[str, str, str, str]],
) -> Iterator[list[tuple[str, str, str, str]]]:
    batch: list[tuple[str, str, str, str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def normalise_postcode(text: str) -> str:
    """ "EH101AA", "eh10  1aa" -> "EH10 1AA": the form the index is keyed by."""
    compact = "".join(text.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class CodePointIndex:
    """Lookups in an index `import_codepoint` built; read-only."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise CodePointError(
                f"No Code-Point index at {path}: run `smwsync gazetteer import codepo_gb.zip` "
                "first (the free download from Ordnance Survey)."
            )
        self.path = path
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._meta = dict(self._db.execute("select key, value from meta").fetchall())
        except sqlite3.Error as err:
            raise CodePointError(
                f"{path} is not a Code-Point index ({err}): run `smwsync gazetteer import` again."
            ) from err
        release = self._meta.get("release", "")
        self._label = f" (Code-Point Open {release})" if release else " (Code-Point Open)"

    def lookup(self, postcode: str) -> Answer | None:
        """The postcode's centre, or None when the release does not hold it."""
        key = normalise_postcode(postcode)
        row = self._db.execute(
            "select latitude, longitude, lad_code from postcodes where postcode = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        latitude, longitude, lad_code = row
        return Answer(
            latitude, longitude, Precision.POSTCODE, f"postcode {key}{self._label}", lad_code
        )

    def info(self) -> IndexInfo:
        """Which release is in use, and how many postcodes it holds."""
        meta = self._meta
        return IndexInfo(
            self.path,
            int(meta.get("postcodes", 0)),
            meta.get("release", ""),
            meta.get("release_date", ""),
            meta.get("imported_from", ""),
            int(meta.get("areas", 0)),
        )

    def close(self) -> None:
        """Close the index file."""
        self._db.close()
