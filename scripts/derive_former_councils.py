"""Derive smwsync/data/uk_former_councils.csv (and the test copy of the register) from mySociety.

Source: mySociety's "UK Local Authority Names and Codes" (CC BY 4.0), the same dataset the
shipped uk_local_authorities.csv comes from, at commit
67ef8b118938678401a452f4f19f669a7221cc73 (2025-07-10). Run from the repository's root:

    git clone https://github.com/mysociety/uk_local_authority_names_and_codes register
    git -C register checkout 67ef8b118938678401a452f4f19f669a7221cc73
    python scripts/derive_former_councils.py register

Each abolished council gets the GSS code of the council that has its area today: the register's
`replaced-by`, followed through later changes (Taunton Deane -> Somerset West and Taunton ->
Somerset). The 25 Northern Ireland districts abolished on 1 April 2015 have no `replaced-by`
in the register; their successors are the groupings of the Local Government (Boundaries) Act
(Northern Ireland) 2008 (Schedule 1: the eleven new districts and the old districts each is
formed from), which the 2015 councils' names reflect. Belfast continued as Belfast.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

COMMIT = "67ef8b118938678401a452f4f19f669a7221cc73"
REGISTER = "data/packages/uk_la_future/uk_local_authorities_future.csv"
ROOT = Path(__file__).resolve().parents[1]
FORMER_FILE = ROOT / "smwsync" / "data" / "uk_former_councils.csv"
TEST_COPY = ROOT / "tests" / "data" / "mysociety_uk_local_authorities.csv"
TEST_COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "end-date",
    "replaced-by",
    "alt-names",
)

# Local Government (Boundaries) Act (Northern Ireland) 2008, Schedule 1: each 2015 district
# (by its mySociety code) and the pre-2015 districts (by their mySociety codes) it is formed from.
NI_2008_ACT = {
    "ANN": ("NIR-T", "NIR-U"),  # Antrim and Newtownabbey: Antrim, Newtownabbey
    "AND": ("NIR-X", "NIR-W"),  # Ards and North Down: Ards, North Down
    "ABC": ("NIR-O", "NIR-Q", "NIR-N"),  # Armagh City, Banbridge and Craigavon
    "CCG": ("NIR-D", "NIR-C", "NIR-B", "NIR-E"),  # Causeway Coast and Glens
    "DRS": ("NIR-A", "NIR-J"),  # Derry City and Strabane: Derry, Strabane
    "FMO": ("NIR-L", "NIR-K"),  # Fermanagh and Omagh: Fermanagh, Omagh
    "LBC": ("NIR-S", "NIR-Y"),  # Lisburn and Castlereagh: Lisburn, Castlereagh
    "MEA": ("NIR-G", "NIR-V", "NIR-F"),  # Mid and East Antrim: Ballymena, Carrickfergus, Larne
    "MUL": ("NIR-I", "NIR-M", "NIR-H"),  # Mid Ulster: Cookstown, Dungannon, Magherafelt
    "NMD": ("NIR-P", "NIR-R"),  # Newry, Mourne and Down: Newry and Mourne, Down
}


def read_register(folder: Path) -> list[dict[str, str]]:
    text = subprocess.run(
        ["git", "-C", str(folder), "show", f"{COMMIT}:{REGISTER}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(csv.DictReader(io.StringIO(text)))


def successors(rows: list[dict[str, str]]) -> dict[str, tuple[tuple[str, ...], str]]:
    """Each abolished council's code -> (the current councils' codes, where that came from)."""
    by_code = {row["local-authority-code"]: row for row in rows}
    ni = {old: new for new, olds in NI_2008_ACT.items() for old in olds}

    def today(code: str) -> tuple[str, ...]:
        row = by_code[code]
        if not row["end-date"]:
            return (code,)
        nexts = [c for c in row["replaced-by"].split(",") if c] or [ni[code]]
        return tuple(sorted({final for n in nexts for final in today(n)}))

    found = {}
    for row in rows:
        code = row["local-authority-code"]
        if row["end-date"]:
            source = "ni_2008_act" if code in ni and not row["replaced-by"] else "replaced_by"
            found[code] = (today(code), source)
    return found


def main(folder: Path) -> None:
    rows = read_register(folder)
    by_code = {row["local-authority-code"]: row for row in rows}
    with FORMER_FILE.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(
            (
                "mysociety_code",
                "gss_code",
                "name",
                "official_name",
                "end_date",
                "successor_gss",
                "successor_names",
                "successor_source",
                "alt_names",
            )
        )
        for code, (current, source) in sorted(successors(rows).items()):
            row = by_code[code]
            names = [name.strip() for name in row["alt-names"].split(",") if name.strip()]
            out.writerow(
                (
                    code,
                    row["gss-code"],
                    row["nice-name"].strip(),
                    row["official-name"].strip(),
                    row["end-date"],
                    "|".join(by_code[c]["gss-code"] for c in current),
                    "|".join(by_code[c]["official-name"].strip() for c in current),
                    source,
                    "|".join(names),
                )
            )
    with TEST_COPY.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(TEST_COLUMNS)
        for row in rows:
            out.writerow([row[column] for column in TEST_COLUMNS])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
