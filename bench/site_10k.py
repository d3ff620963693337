"""Time the live map's page with 10,000 events in headless chromium, and weigh what it loads.

`generate.py` writes 10,000 responses; `smwsync sync` writes the site; a local web server
serves it and a fake tile server answers every tile (tests/web_servers.py), and chromium loads
the page through the DevTools protocol (tests/cdp.py), as the browser tests do. "Interactive"
is the page's own `map-ready` performance mark: the list filled, every marker added to the
map, filters and search ready. The baseline, measured in the same run, is the same page loaded
with JavaScript switched off (the browser reading and laying out the list alone), so the ratio
says what the map costs on top of the page itself.

    .venv/bin/python bench/site_10k.py [--rows 10000] [--repeat 3] [--json]

Exit status: 0 when the page is interactive within 2 s, 1 when not or when a step fails.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))

from generate import write_inputs  # noqa: E402

import cdp  # noqa: E402
from web_servers import serve_folder, serve_tiles  # noqa: E402

TARGET_SECONDS = 2.0
WAIT_FOR_READY = (
    "new Promise(done => { const check = () => {"
    " const mark = performance.getEntriesByName('map-ready')[0];"
    " mark ? done(mark.startTime) : setTimeout(check, 5); }; check();"
    " setTimeout(() => done(-1), 30000); })"
)
LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd"


def write_site(folder: Path, rows: int, tiles_url: str) -> Path:
    """Generated responses synced into a site; return the site's folder."""
    _, config = write_inputs(folder, rows)
    text = config.read_text(encoding="utf-8")
    text += f'site = "map"\n\n[site]\ntiles = "{tiles_url}/{{z}}/{{x}}/{{y}}.png"\n'
    config.write_text(text, encoding="utf-8")
    smwsync = Path(sys.executable).parent / "smwsync"
    subprocess.run([str(smwsync), "sync", "--quiet", "--config", str(config)], check=True)
    return folder / "out" / "map"


def gzip_sizes(site: Path) -> dict[str, int]:
    """Each file's size gzipped (level 6, as web servers commonly send it)."""
    return {
        path.name: len(gzip.compress(path.read_bytes(), compresslevel=6))
        for path in sorted(site.iterdir())
        if path.is_file()
    }


def measure(page: cdp.Page, url: str, repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds to interactive with JavaScript, and to the load event without it."""
    interactive, baseline = [], []
    for _ in range(repeat):
        page.open("about:blank")
        page.open(url)
        interactive.append(page.evaluate(WAIT_FOR_READY))
        page.send("Emulation.setScriptExecutionDisabled", value=True)
        page.open("about:blank")
        page.open(url)
        baseline.append(page.evaluate(LOADED))
        page.send("Emulation.setScriptExecutionDisabled", value=False)
    return interactive, baseline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with serve_tiles() as tiles:
        site = write_site(BENCH / "out" / "site", args.rows, tiles.url)
        events = len(json.loads((site / "events.json").read_text(encoding="utf-8"))["events"])
        sizes = gzip_sizes(site)
        with serve_folder(site) as served, cdp.headless_page() as page:
            interactive, baseline = measure(page, f"{served.url}/index.html", args.repeat)
    if min(interactive) < 0:
        print("The page never became interactive.", file=sys.stderr)
        return 1
    on_load = sum(size for name, size in sizes.items() if name not in ("search.json",))
    on_load -= sizes.get(next((n for n in sizes if n.endswith(".ics")), ""), 0)
    result = {
        "events": events,
        "interactive_ms_median": round(statistics.median(interactive)),
        "interactive_ms_runs": [round(ms) for ms in interactive],
        "no_script_load_ms_median": round(statistics.median(baseline)),
        "ratio_to_no_script": round(
            statistics.median(interactive) / statistics.median(baseline), 2
        ),
        "gzip_bytes_on_load": on_load,
        "gzip_bytes_search_index": sizes.get("search.json", 0),
        "gzip_bytes": sizes,
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }
    met = result["interactive_ms_median"] <= TARGET_SECONDS * 1000
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{events} events")
        print(
            f"interactive (markers drawn, list filled): median {result['interactive_ms_median']}"
            f" ms of {result['interactive_ms_runs']} -> {'PASS' if met else 'MISS'}"
            f" (target {TARGET_SECONDS:g} s)"
        )
        print(
            f"same page without JavaScript, to its load event: median"
            f" {result['no_script_load_ms_median']} ms; ratio {result['ratio_to_no_script']}"
        )
        print(f"downloaded on load, gzipped: {on_load / 1024:.0f} kB")
        for name, size in sizes.items():
            print(f"  {name}: {size / 1024:.1f} kB")
        print(
            f"search index, loaded on the first search: {sizes.get('search.json', 0) / 1024:.0f} kB"
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
