"""Time an offline `smwsync sync` of 10,000 generated responses against GDAL's ogr2ogr.

Each measured command runs as a child process; its wall time is taken around Popen and
os.wait4, and its peak memory is that child's own ru_maxrss. The baseline is ogr2ogr converting
the same events, already located (read back from the KML smwsync wrote), from CSV to KML: the
least work any tool can do to publish those placemarks. `python -c "import smwsync.cli"` is timed
too, as the start-up cost every sync pays. Children keep their bytecode as an installed smwsync
does (bench/children.py).

    .venv/bin/python bench/sync_10k.py [--rows 10000] [--repeat 3] [--json] [--profile]

Exit status: 0 when both targets are met, 1 when one is missed or a command fails, 2 when
ogr2ogr is not installed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from children import child_environment  # noqa: E402 - bench/ is not a package

BENCH_OUT = BENCH / "out"
GENERATE = BENCH / "generate.py"
KML = "{http://www.opengis.net/kml/2.2}"
MAX_TIME_RATIO = 5.0  # smwsync's median time at most 5 times ogr2ogr's
MAX_RSS_MB = 300.0  # smwsync's peak memory (the target is set for 10,000 rows)
PROFILE_LINES = 30
SECRET_NAME = ".smwsync-id-secret"  # beside the configuration file by default


@dataclass(frozen=True)
class Run:
    """One child process: how long it took and the most memory it held."""

    seconds: float
    max_rss_kib: int


@dataclass(frozen=True)
class Measurement:
    """Repeated runs of one command."""

    name: str
    runs: tuple[Run, ...]

    @property
    def median_seconds(self) -> float:
        """The median wall time over the runs."""
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        """The largest peak RSS of any run, in MB (10^6 bytes)."""
        return max(run.max_rss_kib for run in self.runs) * 1024 / 1e6


def measure(command: list[str], cwd: Path, log: Path) -> Run:
    """Run `command` once in `cwd`; fail loudly (with its output) if it does not exit 0."""
    with log.open("wb") as output:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=cwd, env=child_environment(), stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    # Popen must know the child is reaped, or it would wait for it again when collected.
    child.returncode = exit_code = os.waitstatus_to_exitcode(status)
    if exit_code != 0:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} exited with {exit_code}:\n{tail}")
    return Run(seconds=seconds, max_rss_kib=usage.ru_maxrss)


def smwsync_command(config: Path, out: Path) -> list[str]:
    """The console script next to this Python, as `make demo` runs it."""
    script = Path(sys.executable).parent / "smwsync"
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "smwsync"]
    return [*launcher, "sync", "--config", str(config), "--out", str(out)]


def ogr2ogr_command(ogr2ogr: str, located_csv: Path, kml: Path) -> list[str]:
    """ogr2ogr writing KML from a CSV with longitude and latitude columns."""
    return [
        ogr2ogr,
        "-f",
        "KML",
        str(kml),
        str(located_csv),
        "-oo",
        "X_POSSIBLE_NAMES=longitude",
        "-oo",
        "Y_POSSIBLE_NAMES=latitude",
        "-oo",
        "KEEP_GEOM_COLUMNS=NO",
    ]


def located_rows(kml: Path) -> list[dict[str, str]]:
    """Every placemark of a KML file as name, longitude, latitude and its ExtendedData fields."""
    from lxml import etree  # only the helper process needs it: see main()

    rows = []
    for placemark in etree.parse(str(kml)).iter(f"{KML}Placemark"):
        coordinates = placemark.findtext(f"{KML}Point/{KML}coordinates", "").strip()
        longitude, latitude = coordinates.split(",")[:2]
        row = {"name": placemark.findtext(f"{KML}name", "")}
        for data in placemark.iter(f"{KML}Data"):
            row[data.get("name", "")] = data.findtext(f"{KML}value", "")
        row["longitude"], row["latitude"] = longitude, latitude
        rows.append(row)
    return rows


def write_located_csv(rows: list[dict[str, str]], path: Path) -> None:
    """The located events as a CSV ogr2ogr can read, every row with the same columns."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def machine_facts(ogr2ogr: str) -> dict[str, str | int]:
    """What the numbers were measured on."""
    gdal = subprocess.run([ogr2ogr, "--version"], capture_output=True, text=True, check=False)
    return {
        "date": dt.date.today().isoformat(),
        "python": platform.python_version(),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
        "platform": platform.platform(),
        "gdal": gdal.stdout.strip(),
    }


def profile(config: Path, work: Path, lines: int = PROFILE_LINES) -> str:
    """Run one sync under cProfile; the top entries by cumulative time, as pstats prints them."""
    stats_path = work / "sync.prof"
    run_dir, config = _fresh_run(work / "profile-run", config)
    out = run_dir / "out"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_path), "-m", "smwsync"]
    measure(
        [*command, "sync", "--config", str(config), "--out", str(out)],
        out.parent,
        work / "profile.log",
    )
    report = work / "profile.txt"
    with report.open("w", encoding="utf-8") as file:
        stats = pstats.Stats(str(stats_path), stream=file)
        stats.sort_stats("cumulative").print_stats(lines)
    return report.read_text("utf-8")


def main() -> int:
    """Generate the responses, measure smwsync and the baselines, print the comparison."""
    args = _arguments()
    if args.write_located:
        kml, located_csv = args.write_located
        write_located_csv(located_rows(kml), located_csv)
        return 0
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        print(
            "ogr2ogr (GDAL) is not installed; install it with: apt-get install gdal-bin",
            file=sys.stderr,
        )
        return 2
    # A child's ru_maxrss starts from this process's peak (Linux carries it over at exec), so
    # everything big (generating rows, parsing KML) runs in helper processes, keeping this one
    # small; the "no-op" row of the table shows what is left of that floor.
    work = BENCH_OUT / f"rows-{args.rows}"
    work.mkdir(parents=True, exist_ok=True)
    generate = [sys.executable, str(GENERATE), "--rows", str(args.rows), "--out", str(work)]
    seed = ["--seed", str(args.seed)] if args.seed is not None else []
    measure([*generate, *seed], work, work / "generate.log")
    config = work / "bench.toml"
    _say(args, f"Generated {args.rows} responses in {work}")

    # A first, untimed sync warms the disk cache and writes the KML the baseline starts from.
    published = _sync_once(*_fresh_run(work / "warm-up", config))
    # Ids are keyed with the campaign's secret, which the first sync makes: each run gets a
    # copy, as a campaign keeps its own, so the same answers give the same KML bytes.
    secret = published.parent.parent / SECRET_NAME  # the run folder holds the configuration
    located_csv = work / "located.csv"
    to_csv = [sys.executable, __file__, "--write-located", str(published), str(located_csv)]
    measure(to_csv, work, work / "located.log")
    placemarks = _count_lines(located_csv) - 1
    _say(args, f"smwsync placed {placemarks} events; running {args.repeat} timed rounds")

    runs: dict[str, list[Run]] = {name: [] for name in ("smwsync", "ogr2ogr", "import", "no-op")}
    digests = {_digest(published)}
    for round_number in range(1, args.repeat + 1):
        run_dir, run_config = _fresh_run(work / f"run-{round_number}", config, secret)
        kml = run_dir / "out" / published.name
        commands = {
            "smwsync": smwsync_command(run_config, kml.parent),
            "ogr2ogr": ogr2ogr_command(ogr2ogr, located_csv, run_dir / "base.kml"),
            "import": [sys.executable, "-c", "import smwsync.cli"],
            "no-op": ["true"],
        }
        for name, command in commands.items():
            runs[name].append(measure(command, run_dir, run_dir / f"{name}.log"))
        digests.add(_digest(kml))
        _say(args, f"round {round_number}: smwsync {runs['smwsync'][-1].seconds:.2f} s")

    results = {name: Measurement(name, tuple(r)) for name, r in runs.items()}
    summary = _summary(args.rows, placemarks, results, len(digests) == 1, machine_facts(ogr2ogr))
    if args.profile:
        summary["profile"] = profile(config, work)
    print(json.dumps(summary, indent=2) if args.json else _table(summary))
    met = summary["time_target_met"] and summary["memory_target_met"]
    return 0 if met and summary["same_output_every_run"] else 1


def _sync_once(run_dir: Path, config: Path) -> Path:
    out = run_dir / "out"
    measure(smwsync_command(config, out), run_dir, run_dir / "smwsync.log")
    kmls = sorted(out.glob("*.kml"))
    if not kmls:
        raise SystemExit(f"smwsync wrote no KML file to {out}; see {run_dir / 'smwsync.log'}")
    return kmls[0]


def _summary(
    rows: int,
    placemarks: int,
    results: dict[str, Measurement],
    same_output: bool,
    machine: dict[str, str | int],
) -> dict:
    smwsync, ogr2ogr = results["smwsync"], results["ogr2ogr"]
    start_up, no_op = results["import"], results["no-op"]
    ratio = smwsync.median_seconds / ogr2ogr.median_seconds
    return {
        "rows": rows,
        "placemarks": placemarks,
        "repeat": len(smwsync.runs),
        "smwsync_median_s": round(smwsync.median_seconds, 3),
        "smwsync_peak_rss_mb": round(smwsync.peak_rss_mb, 1),
        "ogr2ogr_median_s": round(ogr2ogr.median_seconds, 3),
        "ogr2ogr_peak_rss_mb": round(ogr2ogr.peak_rss_mb, 1),
        "import_median_s": round(start_up.median_seconds, 3),
        "import_peak_rss_mb": round(start_up.peak_rss_mb, 1),
        "no_op_median_s": round(no_op.median_seconds, 3),
        "no_op_peak_rss_mb": round(no_op.peak_rss_mb, 1),
        "time_ratio": round(ratio, 2),
        "time_target_ratio": MAX_TIME_RATIO,
        "time_target_met": ratio <= MAX_TIME_RATIO,
        "memory_target_mb": MAX_RSS_MB,
        "memory_target_met": smwsync.peak_rss_mb <= MAX_RSS_MB,
        "same_output_every_run": same_output,
        "runs_s": {m.name: [round(run.seconds, 3) for run in m.runs] for m in results.values()},
        "machine": machine,
    }


def _table(summary: dict) -> str:
    def verdict(met: bool) -> str:
        return "PASS" if met else "MISS"

    lines = [
        f"{summary['rows']} responses, {summary['placemarks']} placemarks, "
        f"median of {summary['repeat']} runs",
        "",
        f"{'command':<34} {'median s':>9} {'peak RSS MB':>12}",
        f"{'smwsync sync (offline)':<34} {summary['smwsync_median_s']:>9.3f} "
        f"{summary['smwsync_peak_rss_mb']:>12.1f}",
        f"{'ogr2ogr CSV -> KML (baseline)':<34} {summary['ogr2ogr_median_s']:>9.3f} "
        f"{summary['ogr2ogr_peak_rss_mb']:>12.1f}",
        f"{'python -c import smwsync.cli':<34} {summary['import_median_s']:>9.3f} "
        f"{summary['import_peak_rss_mb']:>12.1f}",
        f"{'true (no-op: the measuring floor)':<34} {summary['no_op_median_s']:>9.3f} "
        f"{summary['no_op_peak_rss_mb']:>12.1f}",
        "",
        f"time:   smwsync / ogr2ogr = {summary['time_ratio']:.2f}x "
        f"(target <= {summary['time_target_ratio']:g}x)  {verdict(summary['time_target_met'])}",
        f"memory: smwsync peak {summary['smwsync_peak_rss_mb']:.1f} MB "
        f"(target <= {summary['memory_target_mb']:g} MB)  {verdict(summary['memory_target_met'])}",
        f"same KML bytes every run: {'yes' if summary['same_output_every_run'] else 'NO'}",
        "",
        *(f"{key}: {value}" for key, value in summary["machine"].items()),
    ]
    if "profile" in summary:
        lines += ["", "Where smwsync's time goes (cProfile, cumulative):", summary["profile"]]
    return "\n".join(lines)


def _digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _count_lines(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as file:
        return sum(1 for _ in csv.reader(file))


def _fresh_run(folder: Path, config: Path, secret: Path | None = None) -> tuple[Path, Path]:
    """An empty folder holding its own copy of the configuration (its paths are absolute), so
    anything a sync keeps beside its configuration or working folder starts afresh each run;
    with `secret`, a copy of the campaign's id secret where the sync keeps it."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if secret is not None:
        shutil.copy(secret, folder / SECRET_NAME)
    return folder, Path(shutil.copy(config, folder / config.name))


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.json:
        print(message, file=sys.stderr, flush=True)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=_positive, default=10_000, help="responses to generate")
    parser.add_argument("--repeat", type=_positive, default=3, help="timed runs of each command")
    parser.add_argument("--seed", type=int, help="generator seed (default: generate.py's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one sync with cProfile"
    )
    # Internal: the helper process that turns smwsync's KML into the baseline's CSV.
    parser.add_argument(
        "--write-located", nargs=2, type=Path, metavar=("KML", "CSV"), help=argparse.SUPPRESS
    )
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
