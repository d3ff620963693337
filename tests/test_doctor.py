"""`smwsync doctor` and `smwsync auth login`: real gspread and google-auth against a fake Google."""

from __future__ import annotations

import json
import stat

import google.oauth2.credentials
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.commands.auth import sign_in
from smwsync.commands.doctor import run_checks
from smwsync.config import load_settings
from smwsync.google.access import GoogleAccess
from smwsync.sources.sheets import read_sheet

from conftest import HEADERS, ROOT, config_toml, form_csv

pytest_plugins = ["fake_google"]

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789doctor"
WRITE_BACK = 'sheet_tab = "Map"\nstatus_column = "Map status"\n'
TEA_CAMP = {
    "council": "Leeds City Council",
    "title": "Tea camp",
    "formats": "Face-to-face",
    "date": "23/03/2027",
    "postcode": "LS1 1UR",
}


def rows(*answers: dict[str, str]) -> list[list[str]]:
    return [list(HEADERS.values())] + [[a.get(name, "") for name in HEADERS] for a in answers]


def write_config(tmp_path, fake_google, key_path, extra: str = WRITE_BACK):
    text = config_toml(extra=extra).replace(
        '[source]\ncsv = "responses.csv"',
        f'[source]\nsheet = "{KEY}"\ncredentials = "{key_path}"\n'
        f'api_endpoint = "{fake_google.url}"\nretries = 0',
    )
    path = tmp_path / "smwsync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def doctor(config):
    return CliRunner().invoke(cli, ["doctor", "--config", str(config)])


def test_a_healthy_setup_passes_every_check_in_three_requests(
    tmp_path, fake_google, service_account_key
):
    fake_google.add_spreadsheet(KEY, rows(TEA_CAMP))
    config = write_config(tmp_path, fake_google, service_account_key.path)

    result = doctor(config)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ok    configuration",
        "ok    Google account",
        "ok    sheet",
        "ok    response tab",
        "ok    columns",
        "ok    write-back",
        "ok    geocoder",
    ]
    assert f"service account {service_account_key.email}" in lines[1]
    assert "'SMW 2027 events (Responses)' opened" in lines[2]
    assert "title E" in lines[4] and "postcode M" in lines[4]
    assert "tab 'Map' will be created" in lines[5] and "Editor" in lines[5]

    fake_google.wait_for_background_lookups()
    assert [(r.method, r.path) for r in fake_google.api_requests()] == [
        ("POST", "/token"),
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", f"/v4/spreadsheets/{KEY}/values:batchGet"),
    ]
    assert fake_google.spreadsheets[KEY].writes == []


def test_a_question_missing_from_the_sheet_fails_with_the_closest_header(
    tmp_path, fake_google, service_account_key
):
    cells = rows(TEA_CAMP)
    cells[0][list(HEADERS).index("postcode")] = "Venue post code"
    fake_google.add_spreadsheet(KEY, cells)
    result = doctor(write_config(tmp_path, fake_google, service_account_key.path))
    assert result.exit_code == 1
    [failure] = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert failure.startswith("FAIL  columns: [columns] postcode = 'Venue postcode'")
    assert "'Venue post code'" in failure


def test_a_sheet_not_shared_says_whom_to_share_it_with(tmp_path, fake_google, service_account_key):
    fake_google.add_spreadsheet(KEY, rows(TEA_CAMP), shared_with={"else@example.org": "writer"})
    result = doctor(write_config(tmp_path, fake_google, service_account_key.path))
    assert result.exit_code == 1
    assert f"FAIL  sheet: The sheet {KEY!r} is not shared with {service_account_key.email}" in (
        result.output
    )
    assert "columns" not in result.output


def test_a_tab_of_someone_elses_fails_the_write_back_check(
    tmp_path, fake_google, service_account_key
):
    sheet = fake_google.add_spreadsheet(KEY, rows(TEA_CAMP))
    sheet.add_tab("Map", [["Budget", "Amount"]])
    result = doctor(write_config(tmp_path, fake_google, service_account_key.path))
    assert result.exit_code == 1
    assert "FAIL  write-back: the tab 'Map' holds something smwsync did not write" in result.output


def test_no_credentials_at_all_points_to_auth_login(tmp_path, fake_google):
    config = write_config(tmp_path, fake_google, "unused.json").read_text(encoding="utf-8")
    path = tmp_path / "no-key.toml"
    path.write_text(config.replace('credentials = "unused.json"\n', ""), encoding="utf-8")
    checks = run_checks(path, {}, user_token_file=tmp_path / "none.json")
    assert [(c.name, c.ok) for c in checks] == [
        ("configuration", True),
        ("Google account", False),
        ("geocoder", True),
    ]
    assert "smwsync auth login" in checks[1].message


def test_a_broken_configuration_is_one_failed_line(tmp_path):
    path = tmp_path / "smwsync.toml"
    path.write_text("[publish]\nlayer_by = 'colour'\n", encoding="utf-8")
    result = doctor(path)
    assert result.exit_code == 1
    assert result.output.startswith("FAIL  configuration: [publish] layer_by = 'colour'")
    assert len(result.output.splitlines()) == 1


def test_the_demo_passes_and_notes_that_a_csv_gets_no_write_back(tmp_path):
    result = doctor(ROOT / "config" / "demo.toml")
    assert result.exit_code == 0, result.output
    assert "ok    responses file:" in result.output

    (tmp_path / "responses.csv").write_text(form_csv([TEA_CAMP]), encoding="utf-8")
    config = tmp_path / "smwsync.toml"
    config.write_text(config_toml(extra=WRITE_BACK), encoding="utf-8")
    result = doctor(config)
    assert result.exit_code == 0, result.output
    assert "ok    responses file: " in result.output
    assert "ok    write-back: Not written back to the sheet" in result.output

    (tmp_path / "responses.csv").write_text("", encoding="utf-8")
    result = doctor(config)
    assert result.exit_code == 1
    assert "FAIL  responses file:" in result.output


# smwsync auth login ----------------------------------------------------------------------------


def test_login_without_a_client_file_says_where_to_get_one(tmp_path):
    missing = tmp_path / "client_secret.json"
    result = CliRunner().invoke(cli, ["auth", "login", "--client-file", str(missing)])
    assert result.exit_code == 1
    assert f"No OAuth client file at {missing}" in result.output
    assert "OAuth client ID" in result.output and "'Desktop app'" in result.output


def test_login_with_a_service_account_key_says_no_sign_in_is_needed(service_account_key):
    result = CliRunner().invoke(
        cli, ["auth", "login", "--client-file", str(service_account_key.path)]
    )
    assert result.exit_code == 1
    assert "is a service account's key, not an OAuth client" in result.output


def test_login_keeps_a_private_token_that_later_reads_use(tmp_path, fake_google, user_sign_in):
    client_file = tmp_path / "client_secret.json"
    client_file.write_text(json.dumps({"installed": {"client_id": "x"}}), encoding="utf-8")
    asked = []

    def browser_flow(client_config, scopes):
        # Stands in for the browser page: Google hands back the person's sign-in.
        asked.append((client_config, scopes))
        return google.oauth2.credentials.Credentials.from_authorized_user_file(user_sign_in.path)

    token_file = tmp_path / "config" / "gspread" / "authorized_user.json"
    assert sign_in(client_file, token_file, flow=browser_flow) == token_file

    assert asked == [
        ({"installed": {"client_id": "x"}}, ["https://www.googleapis.com/auth/spreadsheets"])
    ]
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert "token" not in json.loads(token_file.read_text(encoding="utf-8"))
    fake_google.add_spreadsheet(KEY, rows(TEA_CAMP))
    source = write_config(tmp_path, fake_google, "unused.json")
    text = source.read_text(encoding="utf-8").replace('credentials = "unused.json"\n', "")
    source.write_text(text, encoding="utf-8")
    table = read_sheet(load_settings(source).source, GoogleAccess(user_token_file=token_file))
    assert table.rows[0][1][list(HEADERS).index("title")] == "Tea camp"


def test_online_geocoders_are_checked_without_asking_them_anything(tmp_path):
    (tmp_path / "responses.csv").write_text(form_csv([TEA_CAMP]), encoding="utf-8")
    config = tmp_path / "smwsync.toml"
    online = (
        '[geocode]\noffline = false\n\n[geocode.nominatim]\nuser_agent = "smw-test (t@x.org)"\n'
    )
    config.write_text(
        config_toml().replace("[geocode]\noffline = true\n", online), encoding="utf-8"
    )
    result = doctor(config)
    assert result.exit_code == 0, result.output
    assert "ok    geocoder: offline gazetteer loaded" in result.output
    assert "online: postcodes.io at https://api.postcodes.io" in result.output
