"""Each cleaner's time on hostile answers, as a ratio to a trivial pass over the same text.

For every cleaner and every hostile fragment (repeated to fill the answer), the time at 5,000,
50,000 (the Sheets cell limit) and 250,000 characters, divided by the time of a regular
expression visiting every character of the same text. A linear cleaner keeps about the same
ratio at every size; a quadratic one multiplies it by the growth in size. Prints the worst
fragment for each cleaner; exits 1 when a ratio grows more than 2.5 times from 50,000 to
250,000 characters and ends above 1 (a cleaner faster than the trivial pass is timed in
microseconds, where the noise is larger than any growth).

    .venv/bin/python bench/cleaner_speed.py [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_linear_time import CLEANERS, HOSTILE

from smwsync.model import FORM_FIELDS

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


def main() -> int:
    """Print the table (or JSON); 1 when a cleaner grows faster than linear."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    results = measure()
    if parser.parse_args().json:
        print(json.dumps(results, indent=2))
    else:
        print("| cleaner | worst fragment | 5k | 50k | 250k | growth 50k->250k |")
        print("|---|---|---:|---:|---:|---:|")
        for name, row in results.items():
            r5, r50, r250 = row["ratios"]  # type: ignore[misc]
            print(
                f"| {name} | {row['fragment']!r} | {r5:.1f} | {r50:.1f} | {r250:.1f} | "
                f"{row['growth']:.1f} |"
            )
    grew = [row for row in results.values() if row["growth"] > 2.5 and row["ratios"][2] > 1]  # type: ignore[operator,index]
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
