"""Time rendering every output of 10,000 events with a cold memo against a warm one.

`generate.py` writes 10,000 responses; one sync's stages up to rendering (clean, place,
select: `prepare(..., render=False)`) give the published events, once, untimed. Then
`render_files` makes every output (KML, KMZ, GeoJSON, calendar, My Maps CSVs, the live map)
in this process:

- cold: an empty memo, as the first sync after an upgrade (every piece made);
- warm: the memo the cold run left, the same events (a cron sync of an unchanged map);
- one changed: the same memo, one event's title changed (the common cron sync);
- none: no memo at all (`smwsync publish`, a dry run).

Every run must give the same bytes as the cold one (the changed one as a render of the
changed events from scratch). The ratio is warm (one changed) / cold, measured in the same
run; the target is that a sync with one changed event renders in at most a fifth of a cold
render's time.

    .venv/bin/python bench/render_10k.py [--rows 10000] [--repeat 3] [--json] [--profile]

Exit status: 0 when the target is met and every run gave the same bytes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import write_inputs  # noqa: E402

from smwsync.config import load_settings  # noqa: E402
from smwsync.geocode.gazetteer import Gazetteer  # noqa: E402
from smwsync.memo import Memo  # noqa: E402
from smwsync.publish.output_files import InMemory  # noqa: E402
from smwsync.sync.pipeline import prepare, render_files  # noqa: E402

MAX_RATIO = 0.2  # one changed event: at most a fifth of a cold render
EVERY_OUTPUT = """
kmz = "smw-events.kmz"
geojson = "smw-events.geojson"
ics = "smw-events.ics"
csv = "smw-events"
site = "map"
"""


def main() -> int:
    """Generate, prepare, then time the renders and print the comparison."""
    args = _arguments()
    work = BENCH / "out" / f"render-{args.rows}"
    _, config = write_inputs(work, args.rows)
    text = config.read_text(encoding="utf-8").replace("[publish]\n", "[publish]" + EVERY_OUTPUT)
    config.write_text(text, encoding="utf-8")
    settings = load_settings(config)
    gazetteer = Gazetteer.load()
    prepared = prepare(settings, render=False, gazetteer=gazetteer)
    events = prepared.report.published
    changed = (dataclasses.replace(events[0], title=events[0].title + " (moved)"), *events[1:])
    _say(args, f"{len(events)} events to publish; {args.repeat} rounds")

    def render(published: tuple, memo: Memo | None) -> dict[str, bytes]:
        files = InMemory()  # the bytes, to compare (a sync writes each to its file instead)
        render_files(
            published,
            settings,
            prepared.report.calendar,
            into=files,
            gazetteer=gazetteer,
            memo=memo,
        )
        return files.files

    kept = Memo()
    expected = render(events, kept)
    expected_changed = render(changed, None)
    times: dict[str, list[float]] = {"cold": [], "warm": [], "one changed": [], "none": []}
    same = True
    for _ in range(args.repeat):
        runs: dict[str, tuple[Callable[[], dict[str, bytes]], dict[str, bytes]]] = {
            "cold": (lambda: render(events, Memo()), expected),
            "warm": (lambda: render(events, Memo(kept.used())), expected),
            "one changed": (lambda: render(changed, Memo(kept.used())), expected_changed),
            "none": (lambda: render(events, None), expected),
        }
        for name, (run, want) in runs.items():
            started = time.perf_counter()
            files = run()
            times[name].append(time.perf_counter() - started)
            same = same and files == want
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["one changed"] / medians["cold"]
    summary = {
        "rows": args.rows,
        "events": len(events),
        "files": len(expected),
        "megabytes": round(sum(map(len, expected.values())) / 1e6, 1),
        "memo_entries": len(kept.used()),
        "memo_megabytes": round(len(json.dumps(kept.used())) / 1e6, 1),
        "median_s": {name: round(value, 3) for name, value in medians.items()},
        "ratio": round(ratio, 3),
        "target_ratio": MAX_RATIO,
        "target_met": ratio <= MAX_RATIO,
        "same_bytes": same,
    }
    if args.profile:
        summary["profile"] = _profile(lambda: render(events, Memo()))
    print(json.dumps(summary, indent=2) if args.json else _table(summary))
    return 0 if summary["target_met"] and same else 1


def _profile(run: Callable[[], object], lines: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def _table(summary: dict) -> str:
    medians = summary["median_s"]
    lines = [
        f"{summary['rows']} responses, {summary['events']} events published, "
        f"{summary['files']} files, {summary['megabytes']} MB; the memo keeps "
        f"{summary['memo_entries']} pieces ({summary['memo_megabytes']} MB as JSON)",
        "",
        f"{'render_files':<40} {'median s':>9}",
        *(f"{name:<40} {seconds:>9.3f}" for name, seconds in medians.items()),
        "",
        f"one changed / cold = {summary['ratio']:.3f} (target <= {summary['target_ratio']:g})  "
        f"{'PASS' if summary['target_met'] else 'MISS'}",
        f"same bytes every run: {'yes' if summary['same_bytes'] else 'NO'}",
    ]
    if "profile" in summary:
        lines += ["", "A cold render (cProfile, by own time):", summary["profile"]]
    return "\n".join(lines)


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.json:
        print(message, file=sys.stderr, flush=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="responses to generate")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="also profile a cold render")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
