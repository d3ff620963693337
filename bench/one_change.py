"""Time a sync that finds one answer changed in 10,000, against a no-op sync measured beside it.

For N generated responses (bench/generate.py, default 10,000, fixed seed), with every output
on (KML, KMZ, GeoJSON, calendar, My Maps CSVs, the live map), or with `--kml-only` the
default configuration's one output: one untimed sync
publishes and keeps its work. Then, `--repeat` times: a no-op sync of the same sheet (it must
print "No changes since the last sync."), then a sync after one answer's title was edited (a
different row each time; it must report "0 added, 1 updated, 0 removed"). Each is a child
process, run with its bytecode compiled as an installed smwsync is (bench/children.py); the
time is wall-clock around it.

Targets from issue 15: the one-change sync takes at most 1 second, and at most 3 times the
no-op sync measured in the same run.

    .venv/bin/python bench/one_change.py [--rows 10000] [--repeat 5] [--kml-only] [--json]
        [--profile]

Exit status: 0 when both targets are met, 1 when one is missed or a run misbehaves.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from children import child_environment  # noqa: E402 - bench/ is not a package
from generate import write_inputs  # noqa: E402

from smwsync.config import work_cache_name  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0
NO_CHANGES = "No changes since the last sync."
ONE_UPDATED = "0 added, 1 updated, 0 removed"


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    """Run `command`; its wall time and stdout. Fails loudly if it does not exit 0."""
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, env=child_environment(), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def edit_one_title(csv_path: Path, number: int) -> None:
    """Change the title of one answer on the map (a different one for each `number`)."""
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"), newline="")))
    title = rows[0].index("Event title")
    kml = (csv_path.parent / "out" / "smw-events.kml").read_text(encoding="utf-8")
    titles = Counter(row[title] for row in rows[1:])
    answers = [
        row
        for row in rows[1:]
        if titles[row[title]] == 1 and row[title].isascii() and f">{row[title]}<" in kml
    ]
    row = answers[(number * 7919) % len(answers)]
    row[title] = f"{row[title]} (edited {number})"
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    csv_path.write_bytes(text.getvalue().encode("utf-8"))


def bench(rows: int, repeat: int, profile: bool, kml_only: bool = False) -> dict[str, object]:
    folder = BENCH / "out" / f"one-change-{rows}{'-kml' if kml_only else ''}"
    csv_path, config = write_inputs(folder, rows, every_output=not kml_only)
    (folder / work_cache_name(config)).unlink(missing_ok=True)  # a cold first sync
    out = folder / "out"
    sync = [sys.executable, "-m", "smwsync", "sync", "--config", str(config), "--out", str(out)]
    first, _ = timed([*sync, "--force"], folder)
    noop, changed = [], []
    for number in range(repeat):
        seconds, stdout = timed(sync, folder)
        if stdout.strip() != NO_CHANGES:
            raise SystemExit(f"the no-op sync did something:\n{stdout[-2000:]}")
        noop.append(seconds)
        edit_one_title(csv_path, number)
        seconds, stdout = timed(sync, folder)
        if ONE_UPDATED not in stdout:
            raise SystemExit(f"the one-change sync did not report one update:\n{stdout[-2000:]}")
        changed.append(seconds)
    if profile:
        edit_one_title(csv_path, repeat)
        prof = folder / "one-change.prof"
        timed([sys.executable, "-m", "cProfile", "-o", str(prof), *sync[1:]], folder)
        import pstats

        pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(40)
    one, nothing = statistics.median(changed), statistics.median(noop)
    return {
        "rows": rows,
        "outputs": "KML only" if kml_only else "every output",
        "first_sync_s": round(first, 3),
        "no_op_s": round(nothing, 3),
        "one_change_s": round(one, 3),
        "ratio_to_no_op": round(one / nothing, 2),
        "target_seconds": TARGET_SECONDS,
        "target_ratio": TARGET_RATIO,
        "seconds_met": one <= TARGET_SECONDS,
        "ratio_met": one / nothing <= TARGET_RATIO,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="also profile one more change")
    parser.add_argument(
        "--kml-only", action="store_true", help="the default configuration's one output, not all"
    )
    args = parser.parse_args()
    result = bench(args.rows, args.repeat, args.profile, args.kml_only)
    if args.json:
        print(json.dumps(result))
    else:
        mark = {True: "PASS", False: "MISS"}
        first = result["first_sync_s"]
        print(f"{args.rows:,} responses, {result['outputs']}; first sync {first} s")
        print(f"no-op sync (median of {args.repeat})        {result['no_op_s']:>7} s")
        print(f"one answer changed (median of {args.repeat}) {result['one_change_s']:>7} s")
        print(f"one change <= {TARGET_SECONDS} s: {mark[bool(result['seconds_met'])]}")
        print(
            f"one change / no-op = {result['ratio_to_no_op']}x "
            f"(target <= {TARGET_RATIO}x): {mark[bool(result['ratio_met'])]}"
        )
    return 0 if result["seconds_met"] and result["ratio_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
