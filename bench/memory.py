"""Peak memory of a full sync with every output on, as the sheet grows.

For each size (default 10,000, 50,000 and 100,000 generated responses, bench/generate.py,
fixed seed), one cold `smwsync sync --force` with every output on (KML, KMZ, GeoJSON,
calendar, My Maps CSVs, the live map) runs as a child process; its peak memory is the child's
own `ru_maxrss` from `os.wait4`, and so is that of `python -c "import smwsync.cli"` (the
floor: Python and smwsync's imports) measured in the same run. The rows are generated in a
helper process, so this script stays small (a child's ru_maxrss starts at its parent's).
Then a second `sync --force` of the same rows, with the work cache the first one left (the
cron case: every answer and piece read back from it), is measured the same way ("warm").

Target from issue 15: at most 300 MB at 100,000 rows with every output on, and flat in the
number of rows past the size of the largest single output. The script prints each peak, the
growth per 1,000 rows between the two largest sizes, and PASS or MISS for the 300 MB target.

    .venv/bin/python bench/memory.py [--rows 10000 50000 100000] [--json]

Exit status: 0 when the target is met at the largest size, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from children import child_environment  # noqa: E402 - bench/ is not a package

from smwsync.config import work_cache_name  # noqa: E402

TARGET_MB = 300.0
TARGET_ROWS = 100_000


def measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run `command` as a child; its wall time in seconds and its peak memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=child_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed:\n{error[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def generate(folder: Path, rows: int) -> Path:
    """Write the responses and an every-output configuration in a helper process."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from generate import write_inputs; "
        "from pathlib import Path; write_inputs(Path(sys.argv[2]), int(sys.argv[3]), "
        "every_output=True)"
    )
    subprocess.run([sys.executable, "-c", code, str(BENCH), str(folder), str(rows)], check=True)
    return folder / "bench.toml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    floor_seconds, floor_mb = measured([sys.executable, "-c", "import smwsync.cli"], BENCH)
    sizes = []
    for rows in sorted(args.rows):
        folder = BENCH / "out" / f"memory-{rows}"
        config = generate(folder, rows)
        (folder / work_cache_name(config)).unlink(missing_ok=True)
        command = [sys.executable, "-m", "smwsync", "sync", "--force", "--config", str(config)]
        seconds, peak = measured(command, folder)
        warm_seconds, warm_peak = measured(command, folder)
        out = folder / "out"
        largest = max((p.stat().st_size for p in out.rglob("*") if p.is_file()), default=0)
        sizes.append(
            {
                "rows": rows,
                "seconds": round(seconds, 2),
                "peak_mb": round(peak, 1),
                "warm_seconds": round(warm_seconds, 2),
                "warm_peak_mb": round(warm_peak, 1),
                "largest_output_mb": round(largest / 2**20, 1),
            }
        )
    biggest = sizes[-1]
    growth = None
    if len(sizes) > 1:
        before = sizes[-2]
        growth = (biggest["peak_mb"] - before["peak_mb"]) / (biggest["rows"] - before["rows"])
    result = {
        "sizes": sizes,
        "import_floor_mb": round(floor_mb, 1),
        "growth_mb_per_1000_rows": None if growth is None else round(growth * 1000, 2),
        "target_mb": TARGET_MB,
        "met": biggest["rows"] >= TARGET_ROWS and biggest["peak_mb"] <= TARGET_MB,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"python -c 'import smwsync.cli': peak {floor_mb:.1f} MB ({floor_seconds:.2f} s)")
        for size in sizes:
            print(
                f"{size['rows']:>7,} rows: sync {size['seconds']:>7.2f} s, peak "
                f"{size['peak_mb']:>7.1f} MB (largest output {size['largest_output_mb']} MB); "
                f"warm: {size['warm_seconds']:.2f} s, peak {size['warm_peak_mb']:.1f} MB"
            )
        if growth is not None:
            print(f"growth: {growth * 1000:.2f} MB per 1,000 rows")
        mark = "PASS" if result["met"] else "MISS"
        print(f"peak at {biggest['rows']:,} rows <= {TARGET_MB:.0f} MB: {mark}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
