"""How often the scrubber removes something that is not personal data, and misses what is.

Three sets of answers:

1. The demo (examples/form-responses.csv): every public free-text answer (title, description,
   venue, address, aims, audience, event type, council, formats), scrubbed as a sync scrubs it.
   Two answers have personal data typed in (rows 12 and 41, labelled by hand below); a removal
   anywhere else is a false positive.
2. 10,000 generated descriptions: bench/generate.py's rows (fixed seed), each description
   followed by the sentences with numbers that real ones carry (dates and times typed every
   way, prices, rooms, postcodes, booking and meeting references, links with long ids, charity
   and company numbers, grid references, bus routes, hex ids and codes with letters round their
   digits, digit groups that look North American but are not numbers...). One in ten also has a
   phone number or email address planted, written one of the ways people write them; those are
   counted as found or missed, and any other removal is a false positive.
3. The same 10,000 descriptions with the submitter's name from the row (three in ten given a
   surname that is an everyday word: Hall, May, Green...) and sentences that only look like it
   ("Meet in Block T Hall", "A May morning walk", "Tom will bring cake; the hall collection");
   one in ten also has the name planted (in full, "Ms Whitaker", "H. Whitaker", "H.Whitaker",
   "H Whitaker", "h whitaker", "H WHITAKER"; with an everyday surname only the full name and
   the initial with a full stop, as README says). A planted name counts as found only when
   all of it, initial too, became the marker.

    .venv/bin/python bench/scrub_accuracy.py [--rows 10000] [--json]

Prints the false-positive and detection rates; exits 1 when any false positive or miss is
found, listing them.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the benchmark's own row generator

from smwsync.clean.names import NAME_MARKER, SubmitterName
from smwsync.clean.scrub import scrub_personal_data
from smwsync.clean.text import clean_text

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_TEXT = ("title", "description", "venue", "address", "aims", "audience", "event_type")
PUBLIC_TEXT += ("council", "formats")
# The demo's answers with personal data typed in: (row, field).
DEMO_PERSONAL = {(12, "description"), (41, "description")}
PLANTED_SHARE = 0.1

PHONES = (
    "07700 900{n:03d}",
    "+44 7700 900{n:03d}",
    "447700900{n:03d}",
    "Mob07700900{n:03d}",
    "0113 496 0{n:03d}",
    "(0113) 496 0{n:03d}",
    "00353 1 234 5{n:03d}",
    "001 212 555 0{n:03d}",
    "07700/900/{n:03d}",
    "07700_900_{n:03d}",
    "O77OO 9OO {n:03d}",
    "０７７００ ９００{n:03d}",
    "+500 12{n:03d}",
    "07700—900{n:03d}",
    "07700−900{n:03d}",
    "07700·900·{n:03d}",
    "\n07700\n900{n:03d}",
    "no: 447700900{n:03d}",
    "07700-900-{n:03d}ext",
    "07700900{n:03d}/4",
    "Dad07700900{n:03d}",
    "wa.me/447700900{n:03d}",
    "Call07700900{n:03d}now",
    "ring01632960{n:03d}today",
    "Tel.07700900{n:03d}Thanks",
    "(617) 555-0{n:03d}",
    "617-555-0{n:03d}",
    "617.555.0{n:03d}",
    "1-212-555-0{n:03d}",
    "call 212 555 0{n:03d}",
)
EMAILS = (
    "{name}@example.org",
    "{name} at example dot org",
    "{name}[at]example.org",
    "{name} (at) example (dot) org",
    "{name}&#64;example.org",
    "{name}%40example.org",
    "{name} @ example.org",
    "{name}[@]example.org",
    "{name}(@)example.org",
    "{name}＠example．org",
)


def demo_rates() -> dict[str, object]:
    """Scrub every public answer of the demo; count removals outside the labelled ones."""
    columns = tomllib.loads((ROOT / "config" / "demo.toml").read_text(encoding="utf-8"))["columns"]
    path = ROOT / "examples" / "form-responses.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    answers = wrong = found = 0
    mistakes: list[str] = []
    for row_number, row in enumerate(rows, start=2):
        for field in PUBLIC_TEXT:
            text = clean_text(row.get(columns.get(field, ""), "") or "", multiline=True)
            if not text:
                continue
            answers += 1
            _, kinds = scrub_personal_data(text)
            personal = (row_number, field) in DEMO_PERSONAL
            if kinds and not personal:
                wrong += 1
                mistakes.append(f"false positive, row {row_number} {field}: {text!r}")
            elif personal and kinds:
                found += 1
            elif personal:
                mistakes.append(f"missed, row {row_number} {field}: {text!r}")
    clean = answers - len(DEMO_PERSONAL)
    return {
        "answers": answers,
        "without_personal_data": clean,
        "false_positives": wrong,
        "false_positive_rate": wrong / clean,
        "with_personal_data": len(DEMO_PERSONAL),
        "found": found,
        "mistakes": mistakes,
    }


def generated_descriptions(count: int, seed: int) -> list[tuple[str, bool]]:
    """`count` descriptions as generate.py writes them plus realistic numbers; and whether
    personal data was planted in each."""
    rows = generate.generate_rows(count, seed)
    headers = [header.strip() for header in rows[0]]  # the demo's headers have stray spaces
    index = headers.index(generate.COLUMNS["description"].strip())
    postcode_index = headers.index(generate.COLUMNS["postcode"].strip())
    rng = random.Random(seed)
    described = []
    for row in rows[1:]:
        sentences = [row[index]]
        sentences += rng.sample(_number_sentences(rng, row[postcode_index]), k=rng.randint(2, 5))
        planted = rng.random() < PLANTED_SHARE
        if planted:
            sentences.insert(rng.randint(0, len(sentences)), _planted(rng))
        described.append((" ".join(sentences), planted))
    return described


def generated_rates(count: int, seed: int) -> dict[str, object]:
    """Scrub generated descriptions; count false positives and planted data missed."""
    outcomes = []
    for text, planted in generated_descriptions(count, seed):
        _, kinds = scrub_personal_data(text)
        outcomes.append((planted, bool(kinds), f": {text!r}"))
    return _rates(outcomes)


def _rates(outcomes: list[tuple[bool, bool, str]]) -> dict[str, object]:
    """The counts of a set of scrubbed descriptions, each (whether personal data was planted
    in it, whether the scrubber caught it (planted) or removed anything (not planted), the
    description as a mistake shows it)."""
    wrong = found = planted_count = 0
    mistakes: list[str] = []
    for planted, caught, shown in outcomes:
        planted_count += planted
        if planted and caught:
            found += 1
        elif planted:
            mistakes.append(f"missed{shown}")
        elif caught:
            wrong += 1
            mistakes.append(f"false positive{shown}")
    clean = len(outcomes) - planted_count
    return {
        "descriptions": len(outcomes),
        "without_personal_data": clean,
        "false_positives": wrong,
        "false_positive_rate": wrong / clean,
        "with_personal_data": planted_count,
        "found": found,
        "mistakes": mistakes[:20],
    }


# The submitter's name written into a description: the sentence, the name as written, and
# whether the form is found when the surname is an everyday word ("Ms Hall" and "T Hall" are
# left then, on purpose: README).
NAME_FORMS = (
    ("Hosted by {name}.", "{first} {last}", True),
    ("Hosted by {name}.", "{i}. {last}", True),
    ("Talk by Dr {name}.", "{i}.{last}", True),
    ("Ask Ms {name} at the desk.", "{last}", False),
    ("Questions? Contact {name}.", "{i} {last}", False),
    ("contact {name} for slides.", "{i_lower} {last_lower}", False),
    ("WITH {name} AND FRIENDS.", "{I} {LAST}", False),
)
# Surnames that are everyday words: a share of submitters get one, and their descriptions say
# the word in its own sense beside the initial ("Block T Hall").
EVERYDAY_SURNAMES = ("Hall", "May", "Green", "Best", "Walker", "Church", "Street")


def named_descriptions(count: int, seed: int) -> list[tuple[str, str, str | None]]:
    """`count` descriptions with the submitter's name as typed in the form, and the text the
    name should leave when it was planted (None when it was not)."""
    rows = generate.generate_rows(count, seed)
    headers = [header.strip() for header in rows[0]]
    index = headers.index(generate.COLUMNS["description"].strip())
    name_index = headers.index(generate.COLUMNS["submitter_name"].strip())
    rng = random.Random(seed + 1)
    described = []
    for row in rows[1:]:
        first, last = row[name_index].split()[0], row[name_index].split()[-1]
        everyday = rng.random() < 0.3
        last = rng.choice(EVERYDAY_SURNAMES) if everyday else last
        initial = first[0]
        sentences = [
            row[index],
            f"{first} will bring cake; the {last.lower()} collection is upstairs.",
            rng.choice(("A May morning walk.", "Plan A. may change if it rains.", "")),
        ]
        if everyday:
            sentences.append(f"Meet in Block {initial} {last}, by the Town Hall.")
        expected = None
        if rng.random() < PLANTED_SHARE:
            forms = [form for form in NAME_FORMS if form[2] or not everyday]
            if initial in "AI":  # "a" and "i" in small letters are words (README)
                forms = [form for form in forms if "i_lower" not in form[1]]
            sentence, written, _ = rng.choice(forms)
            name = written.format(
                first=first,
                last=last,
                i=initial,
                i_lower=initial.lower(),
                last_lower=last.lower(),
                I=initial.upper(),
                LAST=last.upper(),
            )
            at = rng.randint(0, len(sentences))
            expected = " ".join(
                [*sentences[:at], sentence.format(name=NAME_MARKER), *sentences[at:]]
            )
            sentences.insert(at, sentence.format(name=name))
        described.append((" ".join(sentences), f"{first} {last}", expected))
    return described


def name_rates(count: int, seed: int) -> dict[str, object]:
    """Remove each row's submitter name from its description; count removals where none was
    planted, and planted names not wholly replaced by the marker."""
    outcomes = []
    for text, name, expected in named_descriptions(count, seed):
        scrubbed, removed = SubmitterName.of(name).remove(text)
        planted = expected is not None
        caught = scrubbed == expected if planted else removed
        outcomes.append((planted, caught, f" ({name}): {scrubbed!r}"))
    return _rates(outcomes)


def _number_sentences(rng: random.Random, postcode: str) -> list[str]:
    date = rng.choice(generate.SMW_DAYS)
    start = rng.choice((9, 10, 11, 12, 13, 14, 17, 18))
    slug = "-".join(rng.choice(generate.TOPICS).lower().split())
    return [
        f"On {generate._date_answer(rng, date)} from {start}:00 to {start + 2}:00.",
        f"Doors open {start - 1}.45am, talks {start}-{start + 1}pm.",
        f"Runs {date:%d/%m/%Y}-{date.replace(day=26):%d/%m/%Y}, {start}:30 each day.",
        f"Room {rng.randint(1, 40)}.{rng.randint(1, 20):02d}, floor {rng.randint(1, 9)}.",
        f"Tickets £{rng.randint(2, 30)}.50 (concessions £{rng.randint(1, 9)}), "
        f"{rng.randint(10, 300)} places.",
        f"Parking at {rng.randint(1, 250)} {rng.choice(generate.STREETS)}, "
        f"{postcode or 'LS1 1UR'}.",
        f"Book at https://www.eventbrite.co.uk/e/{slug}-tickets-{rng.randrange(10**11, 10**12)}",
        f"Zoom meeting ID {rng.randint(800, 999)} {rng.randint(1000, 9999)} "
        f"{rng.randint(1000, 9999)}, passcode {rng.randint(100000, 999999)}.",
        f"Teams meeting ID: {rng.randint(100, 999)} {rng.randint(100, 999)} "
        f"{rng.randint(100, 999)} {rng.randint(100, 999)}.",
        f"Registered charity {rng.randint(200000, 1199999)}, "
        f"company {rng.randint(0, 99999999):08d}.",
        f"Booking reference SMW-2027-{rng.randint(0, 9999):04d}, "
        f"order #{rng.randint(10**8, 10**9)}.",
        f"Grid reference SE {rng.randint(10000, 99999)} {rng.randint(10000, 99999)}.",
        f"Buses {rng.randint(1, 99)}, {rng.randint(1, 99)} and {rng.randint(1, 99)}A stop outside.",
        f"Ages {rng.randint(8, 12)}-{rng.randint(13, 18)}; since {rng.randint(1950, 2020)}.",
        f"Slides: https://www.example.gov.uk/files/2027/03/{date:%d}/"
        f"smw-{rng.randint(1, 99):02d}.pdf",
        f"Video https://www.facebook.com/events/{rng.randrange(10**15, 10**16)}/",
        f"Follow @smw{rng.randint(2020, 2027)} and #SMW2027; event smw-{rng.getrandbits(48):012x}.",
        f"In an emergency call 999; NHS 111; police 101. Wi-Fi code {rng.randint(10**7, 10**8)}.",
        f"ISBN 978-0-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)}.",
        "Scores 3-0 and 2026/27 season; open 9am-5pm Mon-Fri, 09:00-17:00.",
        f"Find us at www.{slug}.example.gov.uk/smw or book at eventbrite.co.uk.",
        f"Order 0{rng.randrange(10**8, 10**9)}; event 00{rng.randrange(10**8, 10**9)}.",
        f"Zoom ID 0{rng.randint(800, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}.",
        f"Starts {date:%a %d %m %Y} {start} 00.",
        "Scores 0-1 2-3 4-5 6-7 8-9 last year.",
        # hex ids and codes with letters round the digits (not phone numbers)
        f"Build {rng.getrandbits(64):016x}, commit {rng.getrandbits(40):010x}0"
        f"{rng.getrandbits(40):x}.",
        f"Voucher AB0{rng.randrange(10**9, 10**10)}CD; ref SMW0{rng.randrange(10**9, 10**10)}X.",
        f"Room {rng.randint(1, 9)}B0{rng.randrange(10**9, 10**10)}; "
        f"token 0{rng.randrange(10**9, 10**10)}ab{rng.randint(1, 99)}.",
        # North American-looking groups that are not phone numbers
        f"Zoom {rng.randint(800, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}; "
        f"meeting ID {rng.randint(200, 999)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}.",
        f"Runs {rng.randint(2020, 2026)}-{rng.randint(2027, 2030)}, 9.30-10.30, "
        f"${rng.randint(10, 99)}.{rng.randint(10, 99)}, {rng.randint(200, 999)} seats, "
        f"v{rng.randint(1, 9)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}."
        f"{rng.randint(1000, 9999)}.",
    ]


def _planted(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return "Ring " + rng.choice(PHONES).format(n=rng.randint(0, 999)) + " to book."
    name = rng.choice(generate.FIRST_NAMES).lower() + "." + rng.choice(generate.SURNAMES).lower()
    return "Questions to " + rng.choice(EMAILS).format(name=name) + "."


def main() -> int:
    """Print both rates (or JSON); 1 when anything was wrongly removed or missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="generated descriptions")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    results = {
        "demo": demo_rates(),
        "generated": generated_rates(args.rows, args.seed),
        "names": name_rates(args.rows, args.seed),
    }
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for name, result in results.items():
            print(
                f"{name}: {result['false_positives']} false positives in "
                f"{result['without_personal_data']:,} answers without personal data "
                f"({result['false_positive_rate']:.2%}); found personal data in "
                f"{result['found']} of {result['with_personal_data']}"
            )
            for mistake in result["mistakes"]:  # type: ignore[attr-defined]
                print("   ", mistake)
    mistaken = any(result["mistakes"] for result in results.values())
    return 1 if mistaken else 0


if __name__ == "__main__":
    sys.exit(main())
