"""No personal data leaves the machine: every byte a sync writes or prints is searched for it.

A realistic sheet has a unique email address, name and phone number planted in every private
field (the submitter's email and name, a contact email without consent, the organisers'
approval column) and emails and phone numbers in every public free-text field. After syncs
with every output switched on, none may appear anywhere: not in the outputs, the state, the
change log, the status file, the problems report, the sheet tab or the status column, nor on
stdout or stderr with --json and without. The one exception is a contact email whose consent
question says yes, which must appear.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.model import FORM_FIELDS

pytest_plugins = ["fake_google"]

TITLES = {name: name.replace("_", " ").capitalize() + "?" for name in FORM_FIELDS}
CONSENTED = "events.leeds@example.gov.uk"

ROWS = [
    {  # consented contact email, on the map
        "timestamp": "20/11/2026 10:15:00",
        "submitter_email": "amira.hidden-a1@example.net",
        "submitter_name": "Amira Zzprivate",
        "council": "Leeds City Council",
        "title": "Social media surgery (text 07700 900111)",
        "event_type": "Drop-in, or ring 0113 496 0112",
        "formats": "Face-to-face, phone me on 07700900113",
        "date": "23/03/2027",
        "start_time": "14:00",
        "venue": "Civic Hall, ask for Amira on +44 7700 900114",
        "address": "Calverley Street, Leeds, amira.home-a2@example.net",
        "postcode": "LS1 1UR",
        "link": "https://example.org/book",
        "description": (
            f"Questions to {CONSENTED}, or to me at amira.hidden-a1@example.net, "
            "or ring +44 (0)7700 900115."
        ),
        "aims": "Ideas? Call (0113) 496 0116, or ask Ms ZZPRIVATE",
        "audience": "Residents; write to AMIRA.HIDDEN-A1@example.net",
        "contact_email": CONSENTED,
        "contact_consent": "Yes, I agree",
        "approved": "ok by Nadia Zzmoderator 07700 900117 nadia.mod-n1@example.net",
    },
    {  # no consent: the contact email must stay off the map, free text included
        "timestamp": "21/11/2026 09:00:00",
        "submitter_email": "bart.secret-b1@example.net",
        "submitter_name": "Bartholomew Zzhidden",
        "council": "Cardiff",
        "title": "Online chat about open data",
        "formats": "Online",
        "date": "24/03/2027",
        "description": "Email bart.direct-b2@example.net or call 0800 0900 118",
        "link": "https://book.example.org/?email=bart.direct-b2%40example.net&n=Bartholomew+Zzhidden",
        "contact_email": "bart.direct-b2@example.net",
        "contact_consent": "No",
    },
    {  # an error keeps it off the map
        "timestamp": "21/11/2026 11:00:00",
        "submitter_email": "cara.secret-c1@example.net",
        "submitter_name": "Cara Zzconfidential",
        "council": "York",
        "title": "Comms clinic 07700 900119",
        "formats": "Online",
        "date": "31/02/2027",
        "description": "cara.secret-c1@example.net",
        "contact_email": "cara.direct-c2@example.net",
    },
    {  # no title: reported, never published
        "timestamp": "21/11/2026 12:00:00",
        "submitter_email": "dev.secret-d1@example.net",
        "submitter_name": "Devika Zzundisclosed",
        "council": "Leeds",
        "description": "Ring Devika on 07700 900120 or dev.secret-d1@example.net",
        "contact_email": "dev.direct-d2@example.net",
        "contact_consent": "yes",
    },
    {  # hidden by the organisers
        "timestamp": "22/11/2026 08:00:00",
        "submitter_email": "eli.secret-e1@example.net",
        "submitter_name": "Elias Zzsecretive",
        "council": "Leeds",
        "title": "Buy followers cheap",
        "formats": "Online",
        "date": "25/03/2027",
        "description": "eli.secret-e1@example.net 07700 900121",
        "approved": "Spam",
    },
    {  # long over (published all the same: hide_past_events is off)
        "timestamp": "22/11/2026 08:30:00",
        "submitter_email": "fay.secret-f1@example.net",
        "submitter_name": "Fay Zzprivy",
        "council": "Leeds",
        "title": "Last year's tea with Fay Zzprivy",
        "formats": "Online",
        "date": "01/03/2001",
        "link": "https://wa.me/447700900122",
        "description": "Contact fay.secret-f1@example.net or 07700 900122",
    },
]

NAMES = ("Zzprivate", "Zzmoderator", "Zzhidden", "Zzconfidential", "Zzundisclosed", "Zzsecretive")
NAMES += ("Zzprivy",)
EMAILS = tuple(
    f"{local}@example.net"
    for local in (
        "amira.hidden-a1",
        "amira.home-a2",
        "nadia.mod-n1",
        "bart.secret-b1",
        "bart.direct-b2",
        "cara.secret-c1",
        "cara.direct-c2",
        "dev.secret-d1",
        "dev.direct-d2",
        "eli.secret-e1",
        "fay.secret-f1",
    )
)
# The last six digits of each phone number planted, and the numbers as typed.
PHONE_ENDINGS = tuple(f"900{n}" for n in range(111, 123) if n not in (112, 116, 118))
PHONE_ENDINGS += ("4960112", "4960116", "0900118")


def secrets_in(data: bytes) -> list[str]:
    """Every planted secret found in `data`, however it is spaced or cased."""
    text = data.decode("utf-8", "replace")
    folded = text.casefold()
    digits = "".join(char for char in text if char.isdigit() or char == "\n")
    found = [secret for secret in (*NAMES, *EMAILS) if secret.casefold() in folded]
    found += [ending for ending in PHONE_ENDINGS if ending in digits]
    return found


def responses_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TITLES.values())
    for row in rows:
        writer.writerow([row.get(name, "") for name in TITLES])
    return buffer.getvalue()


# Past events stay on (the clock would otherwise take March 2027 off the map one day).
ALL_OUTPUTS = (
    '[publish]\nout = "out"\nkml = "events.kml"\nkmz = "events.kmz"\n'
    'geojson = "events.geojson"\nics = "events.ics"\ncsv = "mymaps"\nhide_past_events = false\n'
)


def config_text(source: str, publish: str = ALL_OUTPUTS) -> str:
    columns = "\n".join(f'{name} = "{title}"' for name, title in TITLES.items())
    return f"[source]\n{source}\n\n[columns]\n{columns}\n\n{publish}"


def every_file(folder: Path, leave_out: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under `folder` (and every file inside a zip, such as a KMZ) -> its bytes."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path in leave_out:
            continue
        data = path.read_bytes()
        files[str(path)] = data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    files[f"{path}!{name}"] = archive.read(name)
    return files


def smwsync(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GOOGLE_")}
    return subprocess.run(
        [sys.executable, "-m", "smwsync", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=environment,
    )


def test_no_personal_data_in_any_byte_written_or_printed(tmp_path: Path) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_text(responses_csv(ROWS), encoding="utf-8", newline="")
    config = tmp_path / "smwsync.toml"
    config.write_text(config_text('csv = "responses.csv"'), encoding="utf-8")
    assert secrets_in(responses.read_bytes())  # the search finds what was planted

    printed: dict[str, str] = {}
    commands = {
        "sync": ("sync",),
        "sync --json": ("sync", "--json", "--force"),
        "sync --dry-run --json": ("sync", "--dry-run", "--json"),
        "check": ("check", "--report", "problems.csv"),
        "check --json": ("check", "--json"),
        "changes": ("changes",),
        "sync --log-file": ("sync", "--force", "--log-file", "sync.log"),
    }
    for name, args in commands.items():
        done = smwsync(*args, "--config", str(config), cwd=tmp_path)
        assert done.returncode == 0, (name, done.stdout, done.stderr)
        printed[f"{name} stdout"] = done.stdout
        printed[f"{name} stderr"] = done.stderr

    # The work cache is a private copy of the answers, like the download: owner-only, never
    # in the published folder (tests/test_work_cache.py).
    work = tmp_path / ".smwsync-work.sqlite"
    assert work.stat().st_mode & 0o077 == 0
    files = every_file(tmp_path, leave_out=(responses, config, work))
    names = {Path(name.split("!")[0]).name for name in files}
    assert {"events.kml", "events.kmz", "events.geojson", "events.ics", "problems.csv"} <= names
    assert any(name.startswith("mymaps") for name in names)
    assert "sync.log" in names
    leaks = {name: secrets_in(data) for name, data in files.items()}
    leaks |= {name: secrets_in(text.encode()) for name, text in printed.items()}
    assert {name: found for name, found in leaks.items() if found} == {}

    # The consented contact email is published, in its field and where it was typed.
    kml = files[str(tmp_path / "out" / "events.kml")].decode()
    assert kml.count(CONSENTED) >= 3  # the info window, the contact field, the description
    assert "Social media surgery" in kml and "Online chat about open data" in kml
    assert "[email removed]" in kml and "[phone number removed]" in kml
    # Each row with something taken out is told so, by row and field.
    assert (
        "row 2 description (warning): We took an email address and a phone number"
        in (printed["check stdout"])
    )
    assert (
        "row 3 description (warning): We took an email address and a phone number"
        in (printed["check stdout"])
    )
    # Links carrying personal data are left off, the events stay, and the warning says why.
    assert "Online chat about open data" in kml and "Last year" in kml
    assert "https://book.example.org" not in kml and "wa.me" not in kml
    assert (
        "row 3 link (warning): We left the link off the map because it carries an email "
        "address and your name" in printed["check stdout"]
    )
    assert (
        "row 7 link (warning): We left the link off the map because it carries a phone number"
        in printed["check stdout"]
    )
    assert "row 2 aims (warning): We took your name out of the aims" in printed["check stdout"]
    assert "[name removed]" in kml


KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789privy"


def test_no_personal_data_in_the_sheet_tab_or_the_status_column(
    tmp_path: Path, fake_google, service_account_key
) -> None:
    rows = [list(TITLES.values()), *[[row.get(name, "") for name in TITLES] for row in ROWS]]
    sheet = fake_google.add_spreadsheet(KEY, rows)
    source = (
        f'sheet = "{KEY}"\ncredentials = "{service_account_key.path}"\n'
        f'api_endpoint = "{fake_google.url}"\nretries = 0'
    )
    publish = ALL_OUTPUTS + 'sheet_tab = "Map"\nstatus_column = "Map status"\n'
    config = tmp_path / "smwsync.toml"
    config.write_text(config_text(source, publish), encoding="utf-8")

    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert secrets_in(result.output.encode()) == []

    map_tab = sheet.tab("Map").cells
    assert len(map_tab) == 4  # the header and the three events on the map
    assert secrets_in("\n".join("\t".join(row) for row in map_tab).encode()) == []
    assert any(CONSENTED in cell for row in map_tab for cell in row)
    status_index = len(TITLES)
    statuses = [row[status_index] for row in sheet.tab("Form responses 1").cells[1:]]
    assert statuses[0] == "On the map"
    assert secrets_in("\n".join(statuses).encode()) == []
    work = tmp_path / ".smwsync-work.sqlite"  # the private copy of the answers, owner-only
    assert work.stat().st_mode & 0o077 == 0
    files = every_file(tmp_path, leave_out=(config, work))
    assert {name: found for name, data in files.items() if (found := secrets_in(data))} == {}


@pytest.mark.parametrize("consent", ["No", "", "maybe", "Yes?No"])
def test_a_contact_email_without_a_clear_yes_is_nowhere(tmp_path: Path, consent: str) -> None:
    row = {**ROWS[0], "contact_consent": consent}
    (tmp_path / "responses.csv").write_text(responses_csv([row]), encoding="utf-8", newline="")
    config = tmp_path / "smwsync.toml"
    config.write_text(config_text('csv = "responses.csv"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "Published 1 event." in result.output
    for data in every_file(tmp_path / "out", leave_out=()).values():
        assert CONSENTED.encode() not in data


# The ways a reviewer found personal data still reaching the map, one row per submitter.
SLIPS = [
    {
        "submitter_name": "Hannah Whitaker",
        "description": (
            "Organised by Hannah Whitaker. Message wa.me/447700900218 or write to "
            "jozzone[@]example.org or kozztwo(@)example.org"
        ),
        "link": "https://calendly.com/hannahwhitaker",
    },
    {
        "submitter_name": "ABERNETHY, Rosa",
        "description": (
            "Organised by Rosa Abernethy: ｌｏｚｚｔｈｒｅｅ＠ｅｘａｍｐｌｅ．ｏｒｇ, "
            "mozzfour＠example．org. Call 07700—900223, 07700−900224 or 07700·900·225"
        ),
        "link": "https://calendly.com/rabernethy",
    },
    {
        "submitter_name": "Zoë Brontë",
        "description": (
            "Zoe Bronte hosts. Call\n07700\n900226. Phone no: 447700900227. "
            "07700-900-228ext, 07700900229/4, Dad07700900230"
        ),
        "link": "https://linktr.ee/zoebronte",
    },
    {
        "submitter_name": "Priya Okafor-Lindqvist",
        "description": "Ask Ms Lindqvist about the day",
        "link": "https://book.example.org/?u=nozzfive＠example．org",
    },
]
SLIP_WORDS = ("whitaker", "abernethy", "bronte", "lindqvist", "okafor")
SLIP_WORDS += ("jozzone", "kozztwo", "lozzthree", "mozzfour", "nozzfive")
SLIP_ENDINGS = tuple(f"900{n}" for n in range(218, 231) if n not in (219, 220, 221, 222))


def slips_in(data: bytes) -> list[str]:
    """Every planted slip in `data`, read with accents and full-width forms folded."""
    text = unicodedata.normalize("NFKD", data.decode("utf-8", "replace"))
    read = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    # A number's digits however it is spaced or punctuated; not across the letters a-f, or the
    # digits of unrelated hex hashes in the state would run together into a false find.
    runs = ["".join(char for char in run if char.isdigit()) for run in re.split("[a-f]", read)]
    found = [word for word in SLIP_WORDS if word in read]
    return found + [ending for ending in SLIP_ENDINGS if any(ending in run for run in runs)]


def test_the_reviewers_slips_reach_no_output_and_not_the_state(tmp_path: Path) -> None:
    base = {"council": "Cardiff", "formats": "Online", "date": "24/03/2027"}
    rows = [
        {**base, **slip, "timestamp": f"2{n}/11/2026 09:00:00", "title": f"Surgery {n}"}
        for n, slip in enumerate(SLIPS)
    ]
    responses = tmp_path / "responses.csv"
    responses.write_text(responses_csv(rows), encoding="utf-8", newline="")
    config = tmp_path / "smwsync.toml"
    config.write_text(config_text('csv = "responses.csv"'), encoding="utf-8")
    assert len(slips_in(responses.read_bytes())) == len(SLIP_WORDS + SLIP_ENDINGS)

    done = smwsync("sync", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 0, (done.stdout, done.stderr)

    # The work cache is a private copy of the answers, like the download: owner-only, never
    # in the published folder (tests/test_work_cache.py).
    work = tmp_path / ".smwsync-work.sqlite"
    assert work.stat().st_mode & 0o077 == 0
    files = every_file(tmp_path, leave_out=(responses, config, work))
    names = {Path(name.split("!")[0]).name for name in files}
    assert {"events.kml", "events.geojson", "events.ics"} <= names
    assert any(name.startswith("mymaps") for name in names)
    assert any("state" in name for name in files)
    leaks = {name: slips_in(data) for name, data in files.items()}
    leaks["stdout and stderr"] = slips_in((done.stdout + done.stderr).encode())
    assert {name: found for name, found in leaks.items() if found} == {}
    kml = files[str(tmp_path / "out" / "events.kml")].decode()
    assert all(f"Surgery {n}" in kml for n in range(len(SLIPS)))  # the events stay
    assert "Organised by [name removed]" in kml
