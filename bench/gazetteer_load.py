"""Time loading the offline gazetteer against reading its CSV files with the csv module alone.

Each run is a child process: `Gazetteer.load()` once, and, as the baseline, the same files
read row by row with `csv.reader` and nothing built from them. The ratio says what indexing
costs over parsing. Target: loading within 8 times the bare read (about 5 times
measured on a busy 2-core machine). Beside them, what a sync with a work cache pays instead:
reading back the gazetteer the last sync kept (sync/kept_gazetteer.py), parsed and kept once
in the same child before the clock starts.

    .venv/bin/python bench/gazetteer_load.py [--repeat 5] [--json]

Exit status: 0 when the target is met, 1 when it is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

TARGET_RATIO = 8.0
LOAD = """
import time
from smwsync.geocode.gazetteer import Gazetteer
started = time.perf_counter()
Gazetteer.load()
print(time.perf_counter() - started)
"""
KEPT = """
import time
from smwsync.clean.identity import IdKey
from smwsync.memo import Memo
from smwsync.sync.kept_gazetteer import kept_gazetteer
campaign = IdKey(bytes(32))
first = Memo()
kept_gazetteer(first, campaign)
memo = Memo(first.used())
started = time.perf_counter()
kept_gazetteer(memo, campaign)
print(time.perf_counter() - started)
assert memo.hits == 1
"""
READ = """
import csv, time
from importlib import resources
folder = resources.files("smwsync").joinpath("data")
started = time.perf_counter()
for path in sorted(folder.iterdir()):
    if path.name.endswith(".csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
print(time.perf_counter() - started)
"""


def seconds(script: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def main() -> int:
    """Time both `--repeat` times each and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    load = statistics.median(seconds(LOAD) for _ in range(args.repeat))
    read = statistics.median(seconds(READ) for _ in range(args.repeat))
    kept = statistics.median(seconds(KEPT) for _ in range(args.repeat))
    result = {
        "load_s": round(load, 3),
        "kept_read_s": round(kept, 3),
        "csv_read_s": round(read, 3),
        "ratio": round(load / read, 1),
        "target": "PASS" if load <= TARGET_RATIO * read else "MISS",
    }
    if args.json:
        print(json.dumps({"target_ratio": TARGET_RATIO, **result}, indent=2))
    else:
        print(
            f"gazetteer load {load:.3f}s, csv read {read:.3f}s, ratio {result['ratio']}x "
            f"(target <= {TARGET_RATIO:g}x): {result['target']}; "
            f"read back from the work cache {kept:.3f}s"
        )
    return 0 if result["target"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
