"""Time the Code-Point import and lookups against baselines measured in the same run.

The import of the three-area sample (tests/data/codepoint/, 70,880 postcodes) is timed against
the floor of any import: reading the same CSVs out of the zip with the csv module. Lookups
(CodePointIndex.lookup, any spelling) are timed against a bare SQLite select of the same keys,
already in the index's spelling, on the same file.

    .venv/bin/python bench/codepoint.py [--repeat 5] [--lookups 20000] [--json]

Targets: the import within 4 times the reading of its CSVs; a lookup within 4 times the bare
select. Exit status: 0 when both are met, 1 when one is missed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sqlite3
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from smwsync.geocode.codepoint import CodePointIndex, import_codepoint

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "codepoint" / "codepo_gb_sample.zip"
FULL_DOWNLOAD = 1_750_000  # postcodes in the whole of Code-Point Open
IMPORT_TARGET = 4.0
LOOKUP_TARGET = 4.0


def read_csvs() -> list[list[str]]:
    """Every row of the sample's CSVs: the least work any import has to do."""
    rows: list[list[str]] = []
    with zipfile.ZipFile(SAMPLE) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("Data/CSV/")):
            with archive.open(name) as raw:
                rows.extend(csv.reader(io.TextIOWrapper(raw, encoding="latin-1", newline="")))
    return rows


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The shortest of `repeat` wall times of `work()`, in seconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    rows = read_csvs()
    chosen = random.Random(27).choices(rows, k=args.lookups)
    typed = [row[0].lower().replace(" ", "") for row in chosen]  # as people type them
    keys = [f"{row[0].replace(' ', '')[:-3]} {row[0].replace(' ', '')[-3:]}" for row in chosen]

    with tempfile.TemporaryDirectory() as folder:
        index_path = Path(folder) / "codepoint.sqlite"
        read_seconds = best_of(args.repeat, read_csvs)
        import_seconds = best_of(args.repeat, lambda: import_codepoint(SAMPLE, index_path))
        postcodes = CodePointIndex(index_path).info().postcodes

        index = CodePointIndex(index_path)
        bare = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
        select = "select latitude, longitude, lad_code from postcodes where postcode = ?"
        lookup_seconds = best_of(args.repeat, lambda: [index.lookup(p) for p in typed])
        select_seconds = best_of(
            args.repeat, lambda: [bare.execute(select, (k,)).fetchone() for k in keys]
        )
        found = sum(index.lookup(p) is not None for p in typed)
        index.close()
        bare.close()

    import_ratio = import_seconds / read_seconds
    lookup_ratio = lookup_seconds / select_seconds
    result = {
        "postcodes": postcodes,
        "read_csvs_seconds": round(read_seconds, 3),
        "import_seconds": round(import_seconds, 3),
        "import_ratio": round(import_ratio, 2),
        "import_target": IMPORT_TARGET,
        "full_download_seconds_projected": round(import_seconds * FULL_DOWNLOAD / postcodes, 1),
        "lookups": args.lookups,
        "lookups_found": found,
        "lookup_microseconds": round(1e6 * lookup_seconds / args.lookups, 1),
        "select_microseconds": round(1e6 * select_seconds / args.lookups, 1),
        "lookup_ratio": round(lookup_ratio, 2),
        "lookup_target": LOOKUP_TARGET,
    }
    met = import_ratio <= IMPORT_TARGET and lookup_ratio <= LOOKUP_TARGET
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>34}: {value}")
        print("PASS" if met else "MISS")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
