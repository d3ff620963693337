"""Each cleaner's time on hostile answers, as a ratio to a trivial pass over the same text.

For every cleaner and every hostile fragment (repeated to fill the answer), the time at 5,000,
50,000 (the Sheets cell limit) and 250,000 characters, divided by the time of a regular
expression visiting every character of the same text. A linear cleaner keeps about the same
ratio at every size; a quadratic one multiplies it by the growth in size. Prints the worst
fragment for each cleaner; exits 1 when a ratio grows more than 2.5 times from 50,000 to
250,000 characters and ends above 1 (a cleaner faster than the trivial pass is timed in
microseconds, where the noise is larger than any growth).

Then a whole sheet: `clean_responses` and the offline placing of `--rows` responses from
generate.py (default 10,000; 0 to skip), each as a ratio to reading the same CSV with the csv
module and tidying the spaces of every cell, the least any cleaning does. CPU time, the best
of three.

    .venv/bin/python bench/cleaner_speed.py [--rows 10000] [--json]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_linear_time import CLEANERS, HOSTILE

from smwsync.clean.identity import IdKey
from smwsync.clean.validate import clean_responses
from smwsync.config import load_settings
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.model import FORM_FIELDS, CleanResult
from smwsync.sources.columns import responses_from_table
from smwsync.sources.csv_export import read_csv
from smwsync.sync.pipeline import locate_events

BENCH = Path(__file__).resolve().parent

SIZES = (5_000, 50_000, 250_000)
TRIVIAL = re.compile(r"(?s).")


def seconds(run: Callable[[str], object], text: str, tries: int = 3) -> float:
    """The best of `tries` timings of `run(text)`."""
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    return best


def filled(fragment: str, size: int) -> str:
    """`fragment` repeated to exactly `size` characters."""
    return (fragment * (size // len(fragment) + 1))[:size]


def measure() -> dict[str, dict[str, object]]:
    """Cleaner -> its worst fragment and the ratios to the trivial pass at each size."""
    results: dict[str, dict[str, object]] = {}
    fragments = (*HOSTILE, "wrapped link")
    for name, cleaner in CLEANERS.items():
        passes = len(FORM_FIELDS) if name == "every field of a row" else 1
        worst: dict[str, object] = {"growth": 0.0}
        for fragment in fragments:
            ratios = []
            for size in SIZES:
                if fragment == "wrapped link":
                    half = (size - 14) // 2
                    text = "(" * half + "https://x.com/" + ")" * half
                else:
                    text = filled(fragment, size)
                ratio = seconds(cleaner, text, 2) / (passes * seconds(TRIVIAL.findall, text))
                ratios.append(ratio)
            growth = ratios[2] / ratios[1]
            if growth > worst["growth"]:  # type: ignore[operator]
                worst = {"fragment": fragment, "ratios": ratios, "growth": growth}
        results[name] = worst
    return results


def cpu_seconds(run: Callable[[], object]) -> tuple[float, object]:
    """The CPU time of one run of `run()`, and what it returned."""
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def sheet(rows: int) -> dict[str, float]:
    """Seconds to read `rows` generated responses plainly, to clean them and to place them,
    in this process as a sync does them once: nothing cleaned before, nothing remembered."""
    work = BENCH / "out" / f"rows-{rows}"
    if not (work / "responses.csv").is_file():
        generate = [sys.executable, str(BENCH / "generate.py"), "--rows", str(rows)]
        subprocess.run([*generate, "--out", str(work)], check=True, capture_output=True)
    settings = load_settings(work / "bench.toml")
    path = settings.source.csv
    assert path is not None
    responses, _ = responses_from_table(read_csv(path), settings.columns)
    gazetteer = Gazetteer.load()

    def read_plainly() -> int:
        with path.open(encoding="utf-8", newline="") as handle:
            return sum(len(" ".join(cell.split())) for row in csv.reader(handle) for cell in row)

    def clean() -> CleanResult:
        return clean_responses(
            responses,
            find_council=gazetteer.find_council,
            nearest_councils=gazetteer.nearest_councils,
            known_postcodes=gazetteer.known_postcodes,
            today=dt.date(2027, 3, 1),
            key=IdKey(b"bench"),
        )

    baseline = min(cpu_seconds(read_plainly)[0] for _ in range(3))
    cleaning, cleaned = cpu_seconds(clean)
    events = cleaned.events  # type: ignore[attr-defined]
    placing, _ = cpu_seconds(lambda: locate_events(events, gazetteer, settings))
    return {"rows": rows, "csv_read_s": baseline, "clean_s": cleaning, "place_s": placing}


def sheet_in_children(rows: int, runs: int = 3) -> dict[str, float]:
    """`sheet` in `runs` fresh processes (so no answer is remembered from a run before): the
    least time of each step."""
    command = [sys.executable, __file__, "--sheet-only", str(rows)]
    found = [
        json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        for _ in range(runs)
    ]
    return {key: min(run[key] for run in found) for key in found[0]}


def main() -> int:
    """Print the table (or JSON); 1 when a cleaner grows faster than linear."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument(
        "--rows", type=int, default=10_000, help="responses for the sheet (0: none)"
    )
    parser.add_argument("--sheet-only", type=int, help=argparse.SUPPRESS)  # one child's run
    args = parser.parse_args()
    if args.sheet_only:
        print(json.dumps(sheet(args.sheet_only)))
        return 0
    results = measure()
    whole = sheet_in_children(args.rows) if args.rows else None
    if args.json:
        print(json.dumps({"cleaners": results, "sheet": whole}, indent=2))
    else:
        print("| cleaner | worst fragment | 5k | 50k | 250k | growth 50k->250k |")
        print("|---|---|---:|---:|---:|---:|")
        for name, row in results.items():
            r5, r50, r250 = row["ratios"]  # type: ignore[misc]
            print(
                f"| {name} | {row['fragment']!r} | {r5:.1f} | {r50:.1f} | {r250:.1f} | "
                f"{row['growth']:.1f} |"
            )
        if whole is not None:
            read = whole["csv_read_s"]
            print(f"\n{whole['rows']:,} responses; reading them with the csv module: {read:.3f} s")
            for what, key in (
                ("cleaning (clean_responses)", "clean_s"),
                ("placing offline", "place_s"),
            ):
                print(f"{what}: {whole[key]:.3f} s, {whole[key] / read:.1f} times the reading")
    grew = [row for row in results.values() if row["growth"] > 2.5 and row["ratios"][2] > 1]  # type: ignore[operator,index]
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
