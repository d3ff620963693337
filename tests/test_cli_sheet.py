"""`smwsync sync` reading the live sheet: real gspread and google-auth against a fake Google."""

from __future__ import annotations

import json

from click.testing import CliRunner

from smwsync.cli import cli

from conftest import HEADERS, config_toml
from kml_readers import extended_data, folders, parse_strict

pytest_plugins = ["fake_google"]

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"
ROWS = [
    list(HEADERS.values()),
    [
        "20/11/2026 10:15:00",
        "priya@example.org",
        "Priya Private",
        "Leeds City Council",
        "Tea camp",
        "Tea-camp",
        "Face-to-face",
        "23/03/2027",
        "14:00:00",
        "",
        "Central Library",
        "Calverley Street",
        "ls11ur",
    ],
    [
        "21/11/2026 09:00:00",
        "sam@example.org",
        "Sam Second",
        "Cardiff",
        "Phone surgery",
        "Phone surgery",
        "Phone",
        "24/03/2027",
    ],
]


def sheet_config(tmp_path, fake_google, key_path):
    text = config_toml().replace(
        '[source]\ncsv = "responses.csv"',
        f'[source]\nsheet = "https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"\n'
        f'credentials = "{key_path}"\napi_endpoint = "{fake_google.url}"\nretries = 0',
    )
    path = tmp_path / "smwsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sync_from_the_sheet_costs_three_requests_and_publishes(
    tmp_path, fake_google, service_account_key
):
    fake_google.add_spreadsheet(KEY, ROWS)
    config = sheet_config(tmp_path, fake_google, service_account_key.path)
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["published"] == 2
    assert report["source"] == "SMW 2027 events (Responses) - Form responses 1"

    by_folder = folders(parse_strict((tmp_path / "out" / "events.kml").read_bytes()))
    assert sorted(by_folder) == ["Face-to-face", "Phone"]
    assert extended_data(by_folder["Face-to-face"][0])["postcode"] == "LS1 1UR"

    fake_google.wait_for_background_lookups()
    calls = [(r.method, r.path) for r in fake_google.requests if not r.is_location_lookup]
    assert calls == [
        ("POST", "/token"),
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", f"/v4/spreadsheets/{KEY}/values/%27Form%20responses%201%27"),
    ]


def test_an_unchanged_sheet_costs_its_one_read_and_nothing_more(
    tmp_path, fake_google, service_account_key
):
    fake_google.add_spreadsheet(KEY, ROWS)
    config = sheet_config(tmp_path, fake_google, service_account_key.path)
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    fake_google.wait_for_background_lookups()
    fake_google.requests.clear()

    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "No changes since the last sync."
    fake_google.wait_for_background_lookups()
    assert [(r.method, r.path) for r in fake_google.api_requests()] == [
        ("POST", "/token"),
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", f"/v4/spreadsheets/{KEY}/values/%27Form%20responses%201%27"),
    ]


def test_a_sheet_not_shared_keeps_the_last_map_and_says_whom_to_share_with(
    tmp_path, fake_google, service_account_key
):
    fake_google.add_spreadsheet(KEY, ROWS)
    config = sheet_config(tmp_path, fake_google, service_account_key.path)
    assert CliRunner().invoke(cli, ["sync", "--config", str(config)]).exit_code == 0
    kml = tmp_path / "out" / "events.kml"
    before = kml.read_bytes()

    fake_google.spreadsheets[KEY].shared_with = {"someone-else@example.org": "writer"}
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 1
    assert service_account_key.email in result.output
    assert kml.read_bytes() == before
