"""On a live sheet written back to, each response's event id is written beside its status and
moves with its row: identity survives any re-sort, even of answers edited beyond recognition."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from smwsync.cli import cli

from conftest import HEADERS, config_toml, read_state

pytest_plugins = ["fake_google"]

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ident"
TAB = "Form responses 1"
FIELDS = list(HEADERS)


def answer(n: int, **fields: str) -> list[str]:
    values = {
        "timestamp": f"20/11/2026 10:{n:02d}:00",
        "submitter_email": "jo@leeds.example.gov.uk",  # one person sends them all
        "council": "Leeds City Council",
        "title": f"Leeds drop-in {n}",
        "formats": "Face-to-face",
        "date": f"{20 + n}/03/2027",
        "start_time": "14:00",
        "venue": f"Library {n}",
        "postcode": "LS1 1UR",
        **fields,
    }
    return [values.get(name, "") for name in HEADERS]


@pytest.fixture
def config(tmp_path, fake_google, service_account_key):
    text = config_toml(extra='status_column = "Map status"\n').replace(
        '[source]\ncsv = "responses.csv"',
        f'[source]\nsheet = "https://docs.google.com/spreadsheets/d/{KEY}/edit"\n'
        f'credentials = "{service_account_key.path}"\napi_endpoint = "{fake_google.url}"\n'
        "retries = 0",
    )
    path = tmp_path / "smwsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sync(config, *options: str) -> str:
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), *options])
    assert result.exit_code == 0, result.output
    return result.output


def published(config) -> dict[str, str]:
    """id -> title of every event on the map."""
    state = read_state(config.parent / "out")
    return {key: item["record"]["title"] for key, item in state["published"].items()}


def test_the_id_column_keeps_ids_through_a_re_sort_of_answers_edited_beyond_recognition(
    fake_google, config
):
    sheet = fake_google.add_spreadsheet(KEY, [list(HEADERS.values()), *map(answer, (1, 2, 3))])
    sync(config)
    tab = sheet.tab(TAB)
    assert tab.cells[0][len(HEADERS) : len(HEADERS) + 2] == ["Map status", "Map event ID"]
    row_ids = [row[len(HEADERS) + 1] for row in tab.cells[1:]]
    before = published(config)
    assert sorted(row_ids) == sorted(before)

    # Every answer edited (title, date, venue: most of it), then the sheet sorted so the rows
    # come in another order, their own two columns moving with them as Sheets does.
    edited = []
    for row, event_id in zip(tab.cells[1:], row_ids, strict=True):
        cells = list(row)
        for name, value in (("title", "Moved: "), ("venue", "Town Hall "), ("date", "")):
            index = FIELDS.index(name)
            cells[index] = "30/03/2027" if name == "date" else value + cells[index]
        cells[FIELDS.index("start_time")] = "10:00"
        edited.append((event_id, cells))
    tab.cells[1:] = [cells for _, cells in reversed(edited)]

    output = sync(config)
    assert "0 added, 3 updated, 0 removed" in output
    after = published(config)
    assert set(after) == set(before)
    for event_id, title in before.items():
        assert after[event_id] == "Moved: " + title
    assert [row[len(HEADERS) + 1] for row in tab.cells[1:]] == [i for i, _ in reversed(edited)]


def test_the_id_column_gives_the_ids_back_when_the_state_is_lost(fake_google, config):
    fake_google.add_spreadsheet(KEY, [list(HEADERS.values()), *map(answer, (1, 2, 3))])
    sync(config)
    before = published(config)
    (config.parent / "out" / ".smwsync-state.json").unlink()
    (config.parent / ".smwsync-id-secret").unlink()
    sync(config)
    assert published(config) == before
