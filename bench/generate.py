"""Generate form responses for the benchmark: the demo form's CSV layout, deterministic, messy.

Councils, postcode sectors and towns come from the gazetteer that ships in smwsync/data, so every
face-to-face event has a real postcode sector (with an invented unit such as "LS1 9XQ") and a
council that covers it. Around one answer in ten is typed the way people really type them:
lower-case or unspaced postcodes, dates in words, times like "2pm", council nicknames.

Run on its own to write a CSV and its configuration:
    .venv/bin/python bench/generate.py --rows 10000 --out bench/out/rows-10000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "smwsync" / "data"
DEFAULT_SEED = 20270322

# The demo form: its header row as the example download has it (trailing spaces and the
# organisers' "Notes" column included) and its [columns] mapping from config/demo.toml.
ROOT = DATA_DIR.parents[1]
with (ROOT / "examples" / "form-responses.csv").open(encoding="utf-8", newline="") as _demo:
    HEADERS: tuple[str, ...] = tuple(next(csv.reader(_demo)))
COLUMNS: dict[str, str] = tomllib.loads(
    (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
)["columns"]

# Share of responses that are a second copy of an earlier one: people resubmit instead of editing.
RESUBMITTED = 0.01
# Letters Royal Mail uses in the last two places of a postcode.
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

FORMAT_ANSWERS: tuple[tuple[str, int], ...] = (
    ("Face-to-face", 70),
    ("Face-to-face, Online (Teams/Zoom)", 10),
    ("Online (Teams/Zoom)", 10),
    ("Phone", 4),
    ("Twitter chat", 3),
    ("Face-to-face, ", 3),
)
EVENT_TYPES = (
    "Workshop",
    "Talk",
    "Drop-in",
    "Training",
    "Tea-camp",
    "Instagram takeover",
    "Online chat",
    "Phone surgery",
    "Other",
)
TOPICS = (
    "Instagram",
    "Facebook groups",
    "TikTok",
    "LinkedIn",
    "WhatsApp communities",
    "Nextdoor",
    "YouTube",
    "Short video",
    "Alt text and captions",
    "Photography on a phone",
    "Writing for social media",
    "Staying safe online",
    "Social media planning",
    "Responding to comments",
    "Live streaming",
    "Podcasting",
    "Accessible posts",
    "Digital storytelling",
)
AUDIENCES = (
    "community groups",
    "libraries",
    "small businesses",
    "councillors",
    "volunteers",
    "museums and galleries",
    "tenants' associations",
    "young people",
    "older residents",
    "parish and town councils",
    "sports clubs",
    "carers",
    "charities",
    "council staff",
)
TITLE_FORMS = (
    "{topic} for {audience}",
    "{topic} for {audience} in {town}",
    "{town} social media surgery",
    "{topic}: a beginner's guide",
    "Coffee & hashtags: {topic}",
    "Ask the comms team: {topic}",
    "{town} digital drop-in",
    "{topic} masterclass for {audience}",
)
VENUE_FORMS = (
    "{town} Library",
    "{town} Civic Centre",
    "{town} Town Hall",
    "{town} Community Centre",
    "{town} Museum",
    "Civic Centre",
    "The Old Fire Station",
    "St Mary's Church Hall",
    "{town} Leisure Centre",
)
STREETS = (
    "High Street",
    "Market Place",
    "Church Street",
    "Station Road",
    "Victoria Road",
    "Park Lane",
    "King Street",
    "Mill Lane",
    "Queen Street",
)
FIRST_NAMES = (
    "Hannah",
    "Fiona",
    "Rhys",
    "Daniel",
    "Ciara",
    "Imran",
    "Alasdair",
    "Priya",
    "Tom",
    "Eilidh",
    "Gareth",
    "Amy",
    "Kwame",
    "Sophie",
    "Dylan",
    "Margaret",
    "Joe",
    "Anna",
)
SURNAMES = (
    "Whitaker",
    "MacKay",
    "Pritchard",
    "Osei",
    "McAllister",
    "Hussain",
    "Reid",
    "Patel",
    "Hughes",
    "Robertson",
    "Lloyd",
    "Turnbull",
    "Mensah",
    "Barker",
    "Morgan",
    "Lindsay",
    "McGrath",
    "Kowalski",
)
AIMS = (
    "More community groups confident posting about their work",
    "Help residents get more from their accounts",
    "Share what has worked so other teams can copy it",
    "Councillors more confident online",
    "Accessible content as the norm",
    "Busier high streets",
)
# Social Media Week is 22 to 26 March 2027; some events run either side of it.
SMW_DAYS = tuple(dt.date(2027, 3, day) for day in (22, 23, 24, 25, 26))
MARCH_DAYS = tuple(dt.date(2027, 3, day) for day in range(1, 32))
MONTHS = ("January", "February", "March")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Council:
    """A council from the gazetteer and the names staff call it by."""

    code: str
    name: str
    official_name: str
    nation: str
    parent_code: str
    alt_names: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """The slices of smwsync's data the generator draws from."""

    councils: dict[str, Council]
    sectors: tuple[tuple[str, str], ...]  # (sector, council code), in file order
    towns: dict[str, tuple[str, ...]]  # council code -> its towns, largest first

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Gazetteer:
        """Read councils, sectors and towns from smwsync's data folder."""
        councils = {
            row["gss_code"]: Council(
                code=row["gss_code"],
                name=row["name"],
                official_name=row["official_name"] or row["name"],
                nation=row["nation"],
                parent_code=row["parent_county_gss"],
                alt_names=tuple(n for n in row["alt_names"].split("|") if n),
            )
            for row in _rows(data_dir / "uk_local_authorities.csv")
        }
        sectors = tuple(
            (row["sector"], row["lad_code"])
            for row in _rows(data_dir / "uk_postcode_sectors.csv")
            if row["lad_code"] in councils
        )
        towns: dict[str, list[tuple[int, str]]] = {}
        for row in _rows(data_dir / "gb_places.csv"):
            towns.setdefault(row["lad_code"], []).append((-int(row["population"]), row["name"]))
        return cls(
            councils=councils,
            sectors=sectors,
            towns={code: tuple(name for _, name in sorted(pairs)) for code, pairs in towns.items()},
        )


def generate_rows(
    count: int, seed: int = DEFAULT_SEED, data_dir: Path = DATA_DIR
) -> list[list[str]]:
    """`count` form responses as CSV rows (header first); the same seed gives the same rows."""
    gazetteer = Gazetteer.load(data_dir)
    rng = random.Random(seed)
    ni_councils = sorted(
        c for c, council in gazetteer.councils.items() if council.nation == "Northern Ireland"
    )
    rows: list[list[str]] = []
    while len(rows) < count:
        if rows and rng.random() < RESUBMITTED:
            rows.append(_resubmitted(rng, rng.choice(rows)))
        else:
            rows.append(_response(rng, gazetteer, ni_councils))
    return [list(HEADERS), *rows]


def csv_text(rows: list[list[str]]) -> str:
    """Rows as Sheets' "Download > CSV" writes them: CRLF, quoted where needed, no final newline."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().removesuffix("\r\n")


# Every output smwsync writes, beside the KML: the files for My Maps and others, and the live map.
EVERY_OUTPUT = (
    'kmz = "smw-events.kmz"',
    'geojson = "smw-events.geojson"',
    'ics = "smw-events.ics"',
    'csv = "smw-events"',
    'site = "map"',
)


def config_toml(
    csv_path: Path,
    out_dir: Path,
    title: str = "Social Media Week 2027 (bench)",
    every_output: bool = False,
) -> str:
    """A configuration that syncs `csv_path` offline and publishes to `out_dir` (the KML, or
    with `every_output` every file smwsync can write)."""
    lines = [
        "# Written by bench/generate.py: the benchmark's generated responses.",
        "[source]",
        f"csv = {_toml_string(str(csv_path))}",
        'locale = "en_GB"',
        "",
        "[columns]",
        *(f"{name} = {_toml_string(title_)}" for name, title_ in COLUMNS.items()),
        "",
        "[geocode]",
        "offline = true",
        "",
        "[publish]",
        f"out = {_toml_string(str(out_dir))}",
        'kml = "smw-events.kml"',
        'layer_by = "format"',
        f"title = {_toml_string(title)}",
        'form_url = "https://forms.gle/example-smw-2027"',
        *(EVERY_OUTPUT if every_output else ()),
        "",
    ]
    return "\n".join(lines)


def write_inputs(
    folder: Path, count: int, seed: int = DEFAULT_SEED, every_output: bool = False
) -> tuple[Path, Path]:
    """Write responses.csv and bench.toml into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "responses.csv"
    config_path = folder / "bench.toml"
    csv_path.write_bytes(csv_text(generate_rows(count, seed)).encode("utf-8"))
    config = config_toml(csv_path.resolve(), (folder / "out").resolve(), every_output=every_output)
    config_path.write_text(config, "utf-8")
    return csv_path, config_path


def _response(rng: random.Random, gazetteer: Gazetteer, ni_councils: list[str]) -> list[str]:
    formats = _weighted(rng, FORMAT_ANSWERS)
    in_person = formats.startswith("Face-to-face")
    if not in_person and rng.random() < 0.15:
        council = gazetteer.councils[rng.choice(ni_councils)]
        sector = ""
    else:
        sector, code = rng.choice(gazetteer.sectors)
        council = gazetteer.councils[code]
        if council.parent_code in gazetteer.councils and rng.random() < 0.1:
            council = gazetteer.councils[council.parent_code]  # the county runs it
    towns = gazetteer.towns.get(council.code) or (council.name,)
    town = rng.choice(towns[:5])
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    domain = "".join(char for char in council.name.lower() if char.isalnum())
    email = f"{first.lower()}.{last.lower()}@{domain}.example.gov.uk"
    topic, audience = rng.choice(TOPICS), rng.choice(AUDIENCES)
    title = rng.choice(TITLE_FORMS).format(topic=topic, audience=audience, town=town)
    date = rng.choice(SMW_DAYS) if rng.random() < 0.85 else rng.choice(MARCH_DAYS)
    start = dt.time(rng.choice((9, 10, 11, 12, 13, 14, 17, 18)), rng.choice((0, 0, 30)))
    end = dt.time(start.hour + rng.choice((1, 2, 3)), start.minute)
    consent = rng.choice(("Yes", "Yes", "yes", "No", ""))
    slug = "-".join(title.lower().replace(":", "").replace("&", "and").split()[:5])
    approved = "yes" if rng.random() < 0.9 else rng.choice(("", "hide", "cancelled"))
    return [
        _timestamp(rng),
        email,
        f"{first} {last}",
        _council_answer(rng, council),
        title if rng.random() > 0.002 else "",
        rng.choice(EVENT_TYPES),
        formats,
        _date_answer(rng, date),
        _time_answer(rng, start),
        _time_answer(rng, end) if rng.random() < 0.9 else "",
        rng.choice(VENUE_FORMS).format(town=town) if in_person else "",
        f"{rng.randint(1, 250)} {rng.choice(STREETS)}, {town}" if in_person else "",
        _postcode_answer(rng, sector) if in_person and sector else "",
        f"https://www.example.gov.uk/{council.code.lower()}/{slug}",
        f"A session on {topic.lower()} for {audience} in {town}. "
        "Bring a phone or laptop; no experience needed.\nTea and biscuits provided.",
        rng.choice(AIMS),
        audience.capitalize(),
        email if consent else "",
        consent,
        approved,
        "Internal only, not for the public map" if rng.random() < 0.02 else "",
    ]


def _resubmitted(rng: random.Random, row: list[str]) -> list[str]:
    """The same event sent again later instead of edited, sometimes with a new start time."""
    copy = list(row)
    copy[0] = _timestamp(rng)
    if rng.random() < 0.5:
        copy[8] = f"{rng.choice((9, 10, 11, 14)):02d}:00:00"
    return copy


def _timestamp(rng: random.Random) -> str:
    moment = dt.datetime(2026, 10, 1, 8) + dt.timedelta(seconds=rng.randrange(60 * 86400))
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def _council_answer(rng: random.Random, council: Council) -> str:
    roll = rng.random()
    if roll < 0.7:
        return council.official_name
    if roll < 0.85:
        return council.name
    if roll < 0.95 and council.alt_names:
        return rng.choice(council.alt_names)
    return council.name.lower()


def _postcode_answer(rng: random.Random, sector: str) -> str:
    postcode = f"{sector}{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"
    roll = rng.random()
    if roll < 0.85:
        return postcode
    if roll < 0.92:
        return postcode.lower()
    if roll < 0.97:
        return postcode.replace(" ", "")
    return f" {postcode.replace(' ', '  ')} "


def _date_answer(rng: random.Random, date: dt.date) -> str:
    roll = rng.random()
    if roll < 0.88:
        return f"{date.day:02d}/{date.month:02d}/{date.year}"
    if roll < 0.93:
        return f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    if roll < 0.96:
        return date.isoformat()
    if roll < 0.99:
        return f"{DAY_NAMES[date.weekday()]} {date.day}{_ordinal(date.day)} March"
    return "31/02/2027"  # a date that does not exist: the row is reported, not published


def _time_answer(rng: random.Random, time: dt.time) -> str:
    if rng.random() < 0.95:
        return f"{time.hour:02d}:{time.minute:02d}:00"
    hour = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    return f"{hour}{suffix}" if time.minute == 0 else f"{hour}.{time.minute:02d}{suffix}"


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    """Write generated responses and their configuration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="how many responses")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "generated")
    args = parser.parse_args()
    csv_path, config_path = write_inputs(args.out, args.rows, args.seed)
    print(f"Wrote {args.rows} responses to {csv_path} and the configuration {config_path}")


if __name__ == "__main__":
    main()
