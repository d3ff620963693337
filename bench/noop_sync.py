"""Time a sync that has nothing to do (an unchanged sheet) against `python -c "import smwsync"`.

For 2,000 and 10,000 generated responses (bench/generate.py, fixed seed): one untimed sync
publishes, then `--repeat` no-op syncs are timed as child processes, and so is the bare import.
Each no-op sync must print "No changes since the last sync." and leave every output's
modification time as it was. Target: a no-op sync within 3 times the import's time.

    .venv/bin/python bench/noop_sync.py [--rows 2000 10000] [--repeat 5] [--json]

Exit status: 0 when the target is met for every size, 1 when it is missed or a run misbehaves.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import write_inputs  # noqa: E402 - bench/ is not a package

TARGET_RATIO = 3.0
NO_CHANGES = "No changes since the last sync."
TOUCHED_EVERY_RUN = {"status.json", ".smwsync-state.json.lock"}


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    """Run `command`; its wall time and stdout. Fails loudly if it does not exit 0."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def stamps(folder: Path) -> dict[str, int]:
    return {
        p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name not in TOUCHED_EVERY_RUN
    }


def bench_size(rows: int, repeat: int) -> dict[str, float | int | str]:
    """Publish `rows` responses once, then time `repeat` no-op syncs and bare imports."""
    folder = BENCH / "out" / f"noop-{rows}"
    _, config = write_inputs(folder, rows)
    out = folder / "out"
    sync = [sys.executable, "-m", "smwsync", "sync", "--config", str(config), "--out", str(out)]
    first, _ = timed(sync, folder)
    before = stamps(out)
    noop = []
    for _ in range(repeat):
        seconds, stdout = timed(sync, folder)
        if stdout.strip() != NO_CHANGES or stamps(out) != before:
            raise SystemExit(f"The sync of {rows} rows was not a no-op:\n{stdout[-2000:]}")
        noop.append(seconds)
    imports = [timed([sys.executable, "-c", "import smwsync"], folder)[0] for _ in range(repeat)]
    cli = [timed([sys.executable, "-c", "import smwsync.cli"], folder)[0] for _ in range(repeat)]
    noop_s, import_s = statistics.median(noop), statistics.median(imports)
    return {
        "rows": rows,
        "first_sync_s": round(first, 3),
        "noop_sync_s": round(noop_s, 3),
        "import_smwsync_s": round(import_s, 3),
        "import_smwsync_cli_s": round(statistics.median(cli), 3),
        "ratio": round(noop_s / import_s, 1),
        "target": "PASS" if noop_s <= TARGET_RATIO * import_s else "MISS",
    }


def main() -> int:
    """Run the benchmark for each size and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = [bench_size(rows, args.repeat) for rows in args.rows]
    if args.json:
        print(json.dumps({"target_ratio": TARGET_RATIO, "results": results}, indent=2))
    else:
        print(
            f"{'rows':>6} {'first sync':>11} {'no-op sync':>11} {'import smwsync':>15} "
            f"{'import cli':>11} {'ratio':>6}  target <= {TARGET_RATIO:g}x"
        )
        for r in results:
            print(
                f"{r['rows']:>6} {r['first_sync_s']:>10.3f}s {r['noop_sync_s']:>10.3f}s "
                f"{r['import_smwsync_s']:>14.3f}s {r['import_smwsync_cli_s']:>10.3f}s "
                f"{r['ratio']:>5.1f}x  {r['target']}"
            )
    return 0 if all(r["target"] == "PASS" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
