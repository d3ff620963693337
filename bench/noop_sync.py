"""Time a cron run that has nothing to do: `smwsync sync` of an unchanged 10,000-row CSV.

For each size (default 10,000 generated responses, bench/generate.py, fixed seed): one untimed
sync publishes, one untimed no-op sync warms the disk cache, then `--repeat` no-op syncs are
timed as child processes, each checked to print "No changes since the last sync." and to leave
every output's modification time alone. Beside them, in the same run, the baselines:
`python -c "import smwsync.cli"` (what any command pays to start) and `python -c pass`.

Target (issue 15): a no-op sync of 10,000 rows takes at most 0.25 s, wall time of the whole
process. The ratio to the command line's start-up is printed too: it says how much a no-op
adds to starting smwsync at all, and it moves less than the seconds when the machine is busy.

Children run as an installed smwsync does: with its bytecode compiled once (into
bench/out/pycache, so the source tree is left alone), even where PYTHONDONTWRITEBYTECODE is
set; `--no-bytecode` measures them compiling every module on every run instead.

    .venv/bin/python bench/noop_sync.py [--rows 10000] [--repeat 7] [--json] [--profile]
    .venv/bin/python bench/noop_sync.py --rows 2000 10000 --no-bytecode

Exit status: 0 when the target is met for every size, 1 when it is missed or a run misbehaves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from children import child_environment  # noqa: E402 - bench/ is not a package
from generate import write_inputs  # noqa: E402

from smwsync.config import work_cache_name  # noqa: E402

TARGET_SECONDS = 0.25
TARGET_ROWS = 10_000
NO_CHANGES = "No changes since the last sync."
TOUCHED_EVERY_RUN = {"status.json", ".smwsync-state.json.lock"}
PROFILE_LINES = 25


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Run `command`; its wall time and stdout. Fails loudly if it does not exit 0."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def stamps(folder: Path) -> dict[str, int]:
    return {
        p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name not in TOUCHED_EVERY_RUN
    }


def sync_command(config: Path, out: Path, *before: str) -> list[str]:
    command = [sys.executable, *before, "-m", "smwsync", "sync"]
    return [*command, "--config", str(config), "--out", str(out)]


def bench_size(rows: int, repeat: int, env: dict[str, str]) -> dict[str, float | int | str]:
    """Publish `rows` responses once, then time `repeat` no-op syncs and the baselines, taking
    turns so that a change in the machine's load falls on all of them alike."""
    folder = BENCH / "out" / f"noop-{rows}"
    _, config = write_inputs(folder, rows)
    out = folder / "out"
    # The first sync publishes everything, from nothing kept (bench/one_change.py times the
    # sync that finds one answer changed).
    shutil.rmtree(out, ignore_errors=True)
    (folder / work_cache_name(config)).unlink(missing_ok=True)
    sync = sync_command(config, out)
    first, _ = timed(sync, folder, env)
    timed(sync, folder, env)  # warm: the state read once, the disk cache full
    before = stamps(out)
    noop: list[float] = []
    cli: list[float] = []
    bare: list[float] = []
    for _ in range(repeat):
        seconds, stdout = timed(sync, folder, env)
        if stdout.strip() != NO_CHANGES or stamps(out) != before:
            raise SystemExit(f"The sync of {rows} rows was not a no-op:\n{stdout[-2000:]}")
        noop.append(seconds)
        cli.append(timed([sys.executable, "-c", "import smwsync.cli"], folder, env)[0])
        bare.append(timed([sys.executable, "-c", "pass"], folder, env)[0])
    noop_s, cli_s = statistics.median(noop), statistics.median(cli)
    met = noop_s <= TARGET_SECONDS
    return {
        "rows": rows,
        "first_sync_s": round(first, 3),
        "noop_sync_s": round(noop_s, 3),
        "noop_sync_min_s": round(min(noop), 3),
        "import_cli_s": round(cli_s, 3),
        "python_s": round(statistics.median(bare), 3),
        "ratio_to_import_cli": round(noop_s / cli_s, 2),
        "state_mb": round((out / ".smwsync-state.json").stat().st_size / 1e6, 1),
        "csv_mb": round((folder / "responses.csv").stat().st_size / 1e6, 1),
        "target": ("PASS" if met else "MISS") if rows == TARGET_ROWS else "-",
    }


def profile(rows: int, env: dict[str, str]) -> str:
    """Where a no-op sync's time goes: the slowest imports (-X importtime) and the functions
    with the most time of their own (cProfile), one run each."""
    folder = BENCH / "out" / f"noop-{rows}"
    config, out = folder / "bench.toml", folder / "out"
    done = subprocess.run(
        sync_command(config, out, "-X", "importtime"),
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    imports = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            imports.append((int(parts[1]), int(parts[0].split(":")[1]), parts[2].rstrip()))
    total = max(imports)[0] if imports else 0
    lines = [f"-X importtime: {total / 1000:.0f} ms importing; the largest (cumulative, own):"]
    for cumulative, own, name in sorted(imports, reverse=True)[:PROFILE_LINES]:
        lines.append(f"  {cumulative / 1000:7.1f} ms {own / 1000:6.1f} ms {name}")
    stats_path = BENCH / "out" / "noop.prof"
    subprocess.run(
        sync_command(config, out, "-m", "cProfile", "-o", str(stats_path)),
        cwd=folder,
        env=env,
        capture_output=True,
        check=True,
    )
    report = BENCH / "out" / "noop-profile.txt"
    with report.open("w", encoding="utf-8") as handle:
        stats = pstats.Stats(str(stats_path), stream=handle)
        stats.sort_stats("tottime").print_stats(PROFILE_LINES)
        stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    lines.append(f"cProfile (by own time, then cumulative): {report}")
    lines.append(report.read_text(encoding="utf-8"))
    return "\n".join(lines)


def machine() -> dict[str, str | int | float]:
    """What the numbers were measured on, and how busy it was."""
    return {
        "date": dt.date.today().isoformat(),
        "python": platform.python_version(),
        "nproc": len(os.sched_getaffinity(0)),
        "platform": platform.platform(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    """Run the benchmark for each size and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[TARGET_ROWS])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="also: where the time goes")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile every module on every run"
    )
    args = parser.parse_args()
    env = child_environment(bytecode=not args.no_bytecode)
    results = [bench_size(rows, args.repeat, env) for rows in args.rows]
    facts = {**machine(), "bytecode": not args.no_bytecode}
    if args.json:
        print(json.dumps({"target_seconds": TARGET_SECONDS, **facts, "results": results}))
    else:
        print(", ".join(f"{key} {value}" for key, value in facts.items()))
        print(
            f"{'rows':>6} {'first sync':>11} {'no-op sync':>11} {'import cli':>11} "
            f"{'python':>7} {'no-op/import':>13}  target <= {TARGET_SECONDS:g} s "
            f"at {TARGET_ROWS:,} rows"
        )
        for r in results:
            print(
                f"{r['rows']:>6} {r['first_sync_s']:>10.3f}s {r['noop_sync_s']:>10.3f}s "
                f"{r['import_cli_s']:>10.3f}s {r['python_s']:>6.3f}s "
                f"{r['ratio_to_import_cli']:>12.2f}x  {r['target']}"
            )
    if args.profile:
        print(profile(args.rows[-1], env))
    return 0 if all(r["target"] != "MISS" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
