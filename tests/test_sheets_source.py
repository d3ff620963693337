"""Reading the live response sheet: real gspread and google-auth against a fake Google."""

from __future__ import annotations

import json
import logging
import random
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.config import SourceSettings, settings_from_mapping
from smwsync.errors import (
    ConfigError,
    GoogleAuthError,
    GoogleUnavailableError,
    SheetAccessError,
    SheetNotFoundError,
)
from smwsync.google.access import GoogleAccess
from smwsync.google.account import describe_credentials
from smwsync.google.http import RetryPolicy
from smwsync.google.sheet import SheetAddress, parse_sheet_address, table_from_values
from smwsync.sources.sheets import read_sheet

if TYPE_CHECKING:
    from fake_google import FakeGoogle, ServiceAccountKey, UserSignIn

# Loaded as a plugin (not imported) so that pytest rewrites its asserts and finds its fixtures.
pytest_plugins = ["fake_google"]
SERVICE_ACCOUNT_EMAIL = "smw-sync@smw-test-project.iam.gserviceaccount.com"

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-smw27"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
HEADERS = ["Timestamp", "Email address", "Event title", "Venue postcode", "Contact phone"]
RESPONSES = [
    HEADERS,
    ["20/11/2026 10:15:00", "priya@leeds.gov.uk", "Tea camp", "LS1 1UR", "07700 900123"],
    ["21/11/2026 09:00:00", "sam@york.gov.uk", "Digital drop-in"],
    [],
    ["22/11/2026 16:45:10", "", "Comms clinic", "YO1 7HH", ""],
]
APPROVED_GID = 1234567


class Sleeps(list):
    """Stands in for time.sleep: remembers how long each wait would have been."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sheet(fake_google: FakeGoogle):
    """The campaign's response sheet, with an organisers' tab beside the form's."""
    spreadsheet = fake_google.add_spreadsheet(KEY, RESPONSES)
    spreadsheet.add_tab("Approved", [["Event title", "OK?"], ["Tea camp", "yes"]])
    spreadsheet.tabs[-1].sheet_id = APPROVED_GID
    return spreadsheet


def source_for(fake: FakeGoogle, key: ServiceAccountKey | None, **settings) -> SourceSettings:
    defaults = {"sheet": URL, "api_endpoint": fake.url, "credentials": key and key.path}
    return SourceSettings(**{**defaults, **settings})


def read(fake: FakeGoogle, key: ServiceAccountKey | None, sleeps=None, **settings):
    return read_sheet(
        source_for(fake, key, **settings),
        GoogleAccess(sleep=sleeps if sleeps is not None else Sleeps()),
    )


def values_requests(fake: FakeGoogle) -> list[str]:
    return [r.path for r in fake.api_requests() if "/values/" in r.path]


def metadata_requests(fake: FakeGoogle) -> list[str]:
    return [r.path for r in fake.api_requests() if r.path == f"/v4/spreadsheets/{KEY}"]


# Reading --------------------------------------------------------------------------------------


def test_read_gives_the_response_tab_as_text_with_padded_rows(
    fake_google, sheet, service_account_key
):
    table = read(fake_google, service_account_key)

    assert table.headers == tuple(HEADERS)
    assert table.rows == (
        (2, ("20/11/2026 10:15:00", "priya@leeds.gov.uk", "Tea camp", "LS1 1UR", "07700 900123")),
        (3, ("21/11/2026 09:00:00", "sam@york.gov.uk", "Digital drop-in", "", "")),
        (5, ("22/11/2026 16:45:10", "", "Comms clinic", "YO1 7HH", "")),
    )
    assert table.locale == "en_GB"
    assert table.timezone == "Europe/London"
    assert table.name == "SMW 2027 events (Responses) - Form responses 1"


def test_a_us_sheet_says_so(fake_google, service_account_key):
    fake_google.add_spreadsheet(
        KEY, [["Timestamp"], ["9/27/2026 11:39:02"]], locale="en_US", time_zone="America/New_York"
    )
    table = read(fake_google, service_account_key)
    assert (table.locale, table.timezone) == ("en_US", "America/New_York")
    assert table.rows == ((2, ("9/27/2026 11:39:02",)),)


def test_a_read_costs_a_token_one_metadata_and_one_values_request(
    fake_google, sheet, service_account_key
):
    sleeps = Sleeps()
    read(fake_google, service_account_key, sleeps)

    requests = fake_google.api_requests()
    assert [(r.method, r.path) for r in requests] == [
        ("POST", "/token"),
        ("GET", f"/v4/spreadsheets/{KEY}"),
        ("GET", f"/v4/spreadsheets/{KEY}/values/%27Form%20responses%201%27"),
    ]
    token_request, metadata, values = requests
    assert token_request.form()["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert metadata.query == {"includeGridData": ["false"]}
    assert values.query == {}
    assert metadata.headers["authorization"].startswith("Bearer ya29.")
    assert values.headers["authorization"] == metadata.headers["authorization"]
    assert sleeps == []


# google-auth 2.63 makes its background allowedLocations lookup only when this is true; the
# versions before made it always (from 2.5x) or never (2.40 to 2.4x). Both settings are tried.
LOCATION_LOOKUP_SWITCH = "GOOGLE_SDK_EXPERIMENTAL_PYTHON_REGIONAL_ACCESS_BOUNDARY_LOOKUP_ENABLED"


@pytest.mark.parametrize("switch", [None, "true"], ids=["lookup-switch-unset", "lookup-switch-on"])
def test_google_auths_background_lookup_is_answered_here_and_logs_nothing(
    fake_google, sheet, service_account_key, caplog, monkeypatch, switch
):
    if switch is None:
        monkeypatch.delenv(LOCATION_LOOKUP_SWITCH, raising=False)
    else:
        monkeypatch.setenv(LOCATION_LOOKUP_SWITCH, switch)
    caplog.set_level(logging.DEBUG, logger="google.auth")

    table = read(fake_google, service_account_key)
    fake_google.wait_for_background_lookups()

    assert table.rows[0] == (2, tuple(RESPONSES[1]))
    lookups = [r.path for r in fake_google.requests if r.is_location_lookup]
    expected = f"/v1/projects/-/serviceAccounts/{SERVICE_ACCOUNT_EMAIL}/allowedLocations"
    assert lookups == ([expected] if fake_google.google_auth_looks_up_locations() else [])
    assert not [r for r in caplog.records if "fail" in r.getMessage().lower()]


def test_an_empty_response_tab_gives_no_headers(fake_google, service_account_key):
    fake_google.add_spreadsheet(KEY, [])
    table = read(fake_google, service_account_key)
    assert table.headers == ()
    assert table.rows == ()


def test_a_tab_title_with_an_apostrophe_is_quoted_for_the_api(fake_google, service_account_key):
    fake_google.add_spreadsheet(KEY, [["Event title"], ["Bob's stall"]], tab="Bob's responses")
    table = read(fake_google, service_account_key)
    assert table.rows == ((2, ("Bob's stall",)),)
    assert values_requests(fake_google) == [
        f"/v4/spreadsheets/{KEY}/values/%27Bob%27%27s%20responses%27"
    ]


# Which sheet and which tab --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "tab"),
    [
        ({"sheet": URL}, "Form responses 1"),
        ({"sheet": KEY}, "Form responses 1"),
        ({"sheet": f"{URL}#gid={APPROVED_GID}"}, "Approved"),
        ({"sheet": f"{URL}?gid={APPROVED_GID}#gid={APPROVED_GID}"}, "Approved"),
        ({"sheet": KEY, "gid": APPROVED_GID}, "Approved"),
        ({"sheet": f"{URL}#gid={APPROVED_GID}", "gid": 0}, "Form responses 1"),
        ({"sheet": f"{URL}#gid=0", "worksheet": "Approved"}, "Approved"),
        ({"sheet": KEY, "worksheet": " approved "}, "Approved"),
    ],
)
def test_the_tab_comes_from_worksheet_then_gid_then_the_url_then_the_first(
    fake_google, sheet, service_account_key, settings, tab
):
    table = read(fake_google, service_account_key, **settings)
    assert table.name.endswith(f" - {tab}")
    assert len(metadata_requests(fake_google)) == 1


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (KEY, SheetAddress(KEY)),
        (f"{URL}#gid=0", SheetAddress(KEY, 0)),
        (f"{URL}?usp=sharing", SheetAddress(KEY)),
        (f"docs.google.com/spreadsheets/d/{KEY}/edit#gid=42", SheetAddress(KEY, 42)),
        (f"https://docs.google.com/spreadsheets/u/1/d/{KEY}/edit?gid=7", SheetAddress(KEY, 7)),
        (f"https://docs.google.com/spreadsheet/ccc?key={KEY}#gid=3", SheetAddress(KEY, 3)),
        (f"  {URL}#gid=5  ", SheetAddress(KEY, 5)),
    ],
)
def test_a_sheet_is_named_by_its_address_or_key(text, address):
    assert parse_sheet_address(text) == address


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "set \\[source\\] sheet"),
        ("https://docs.google.com/forms/d/1FAIpQLSf/viewform", "the form's address"),
        ("https://docs.google.com/spreadsheets/d/e/2PACX-1vT/pubhtml", "published to the web"),
        ("https://example.org/spreadsheets/d/abc/edit", "neither a Google Sheet"),
        ("my responses sheet", "neither a Google Sheet"),
    ],
)
def test_a_wrong_address_says_what_to_copy_instead(text, hint):
    with pytest.raises(ConfigError, match=hint):
        parse_sheet_address(text)


@given(
    key=st.from_regex(r"[A-Za-z0-9_-]{20,60}", fullmatch=True),
    gid=st.none() | st.integers(min_value=0, max_value=2**31 - 1),
)
@settings(max_examples=50, deadline=None)
def test_any_sheet_address_gives_back_its_key_and_gid(key, gid):
    fragment = "" if gid is None else f"#gid={gid}"
    assert parse_sheet_address(f"https://docs.google.com/spreadsheets/d/{key}/edit{fragment}") == (
        SheetAddress(key, gid)
    )


def test_a_missing_tab_lists_the_tabs_there_are(fake_google, sheet, service_account_key):
    with pytest.raises(SheetNotFoundError) as caught:
        read(fake_google, service_account_key, worksheet="Form responses 2")
    message = str(caught.value)
    assert "no tab called 'Form responses 2'" in message
    assert "'Form responses 1', 'Approved'" in message
    assert values_requests(fake_google) == []


def test_a_missing_gid_lists_the_tabs_with_theirs(fake_google, sheet, service_account_key):
    with pytest.raises(SheetNotFoundError, match=r"'Approved' \(gid 1234567\)") as caught:
        read(fake_google, service_account_key, sheet=f"{URL}#gid=99")
    assert "no tab with gid 99" in str(caught.value)


# Retries --------------------------------------------------------------------------------------


def test_a_burst_of_429s_is_waited_out_as_retry_after_asks(fake_google, sheet, service_account_key):
    fake_google.fail(429, headers={"Retry-After": "7"}, times=2)
    sleeps = Sleeps()
    table = read(fake_google, service_account_key, sleeps)

    assert len(table.rows) == 3
    assert sleeps == [7.0, 7.0]
    assert len(metadata_requests(fake_google)) == 3


def test_a_503_that_is_not_json_is_retried_after_a_short_jittered_wait(
    fake_google, sheet, service_account_key
):
    fake_google.fail(
        503,
        body="<html><title>503 Service Unavailable</title></html>",
        path=f"/v4/spreadsheets/{KEY}/values/",
    )
    sleeps = Sleeps()
    table = read(fake_google, service_account_key, sleeps)

    assert len(table.rows) == 3
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0
    assert len(values_requests(fake_google)) == 2


def test_a_persistent_503_gives_up_after_the_allowed_retries(
    fake_google, sheet, service_account_key
):
    fake_google.fail(503, times=20)
    sleeps = Sleeps()
    with pytest.raises(GoogleUnavailableError) as caught:
        read(fake_google, service_account_key, sleeps, retries=3)

    message = str(caught.value)
    assert "HTTP 503" in message and "after 4 attempts" in message
    assert "previous map is kept" in message
    assert len(metadata_requests(fake_google)) == 4
    assert len(sleeps) == 3
    for attempt, seconds in enumerate(sleeps):
        assert 2**attempt / 2 <= seconds <= 2**attempt  # exponential, with jitter


def test_a_502_from_googles_front_end_is_retried_too(fake_google, sheet, service_account_key):
    fake_google.fail(502, times=20)
    with pytest.raises(GoogleUnavailableError, match=r"HTTP 502\) after 2 attempts"):
        read(fake_google, service_account_key, retries=1)


def test_no_retries_when_configured_so(fake_google, sheet, service_account_key):
    fake_google.fail(503, times=5)
    sleeps = Sleeps()
    with pytest.raises(GoogleUnavailableError):
        read(fake_google, service_account_key, sleeps, retries=0)
    assert sleeps == []
    assert len(metadata_requests(fake_google)) == 1


def test_quota_exhausted_after_retries_says_to_run_less_often(
    fake_google, sheet, service_account_key
):
    fake_google.fail(429, headers={"Retry-After": "2"}, times=20)
    sleeps = Sleeps()
    with pytest.raises(GoogleUnavailableError, match="quota is used up") as caught:
        read(fake_google, service_account_key, sleeps, retries=2)
    assert "run smwsync less often" in str(caught.value)
    assert sleeps == [2.0, 2.0]


def test_a_retry_after_too_long_to_wait_is_not_waited(fake_google, sheet, service_account_key):
    fake_google.fail(429, headers={"Retry-After": "3600"})
    sleeps = Sleeps()
    with pytest.raises(GoogleUnavailableError, match="quota"):
        read(fake_google, service_account_key, sleeps)
    assert sleeps == []


def test_back_off_grows_and_is_capped():
    policy = RetryPolicy(retries=10, first_delay=1.0, max_delay=8.0)
    rng = random.Random(1)
    waits = [policy.delay(attempt, None, rng) for attempt in range(10)]
    assert all(w is not None for w in waits)
    assert waits[0] <= 1.0 and 4.0 <= waits[4] <= 8.0 and max(waits) <= 8.0
    assert policy.delay(10, None, rng) is None


# What Google refuses --------------------------------------------------------------------------


def test_a_sheet_not_shared_with_the_service_account_says_whom_to_share_with(
    fake_google, service_account_key
):
    fake_google.add_spreadsheet(KEY, RESPONSES, shared_with={"someone@leeds.gov.uk": "writer"})
    with pytest.raises(SheetAccessError) as caught:
        read(fake_google, service_account_key)
    message = str(caught.value)
    assert f"not shared with {SERVICE_ACCOUNT_EMAIL}" in message
    assert "Share" in message and "Viewer" in message
    assert_no_secrets(message, service_account_key.path)


def test_a_switched_off_sheets_api_says_to_enable_it(fake_google, sheet, service_account_key):
    fake_google.fail(
        403,
        message="Google Sheets API has not been used in project 123456789012 before or it is "
        "disabled. Enable it by visiting https://console.developers.google.com/apis/api/"
        "sheets.googleapis.com/overview?project=123456789012 then retry.",
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
            }
        ],
    )
    with pytest.raises(SheetAccessError, match="Sheets API is switched off"):
        read(fake_google, service_account_key)


def test_an_unknown_sheet_key_says_to_check_the_address(fake_google, service_account_key):
    with pytest.raises(SheetNotFoundError, match=f"no Google Sheet with the key '{KEY}'"):
        read(fake_google, service_account_key)


def test_a_deleted_key_is_refused_by_the_token_endpoint_with_what_to_do(
    fake_google, sheet, service_account_key
):
    fake_google.service_accounts.clear()  # as if the key had been deleted in the console
    with pytest.raises(GoogleAuthError) as caught:
        read(fake_google, service_account_key)
    message = str(caught.value)
    assert SERVICE_ACCOUNT_EMAIL in message and "invalid_grant" in message
    assert "Create a new JSON key" in message and "[source] credentials" in message
    assert_no_secrets(message, service_account_key.path)
    assert [r.path for r in fake_google.api_requests()] == ["/token"]


def test_an_access_token_google_keeps_rejecting_asks_for_new_credentials(
    fake_google, sheet, service_account_key
):
    fake_google.fail(401, times=5)
    with pytest.raises(GoogleAuthError, match="did not accept the sign-in"):
        read(fake_google, service_account_key)


def test_a_closed_port_is_connection_refused_and_retried_then_explained(
    fake_google, sheet, service_account_key
):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    sleeps = Sleeps()
    with pytest.raises(GoogleUnavailableError) as caught:
        read(
            fake_google,
            service_account_key,
            sleeps,
            api_endpoint=f"http://127.0.0.1:{port}",
            retries=2,
        )
    message = str(caught.value)
    assert f"Could not reach Google Sheets at 127.0.0.1:{port}" in message
    assert "after 3 attempts" in message and "[source] api_endpoint" in message
    assert len(sleeps) == 2
    assert [r.path for r in fake_google.api_requests()] == ["/token"]


# Endpoints and credentials --------------------------------------------------------------------


def test_the_endpoint_comes_from_the_environment_when_the_config_has_none(
    fake_google, sheet, service_account_key
):
    source = source_for(fake_google, service_account_key, api_endpoint="")
    table = read_sheet(source, GoogleAccess(endpoint=fake_google.url, sleep=Sleeps()))
    assert len(table.rows) == 3


def test_the_configured_endpoint_wins_over_the_environment(fake_google, sheet, service_account_key):
    table = read_sheet(
        source_for(fake_google, service_account_key),
        GoogleAccess(endpoint="http://127.0.0.1:9", sleep=Sleeps()),
    )
    assert len(table.rows) == 3


def test_a_junk_endpoint_in_the_environment_is_refused_before_any_request(
    fake_google, sheet, service_account_key
):
    source = source_for(fake_google, service_account_key, api_endpoint="")
    with pytest.raises(ConfigError, match="SMWSYNC_SHEETS_ENDPOINT"):
        read_sheet(source, GoogleAccess(endpoint="sheets.example.org", sleep=Sleeps()))
    assert fake_google.requests == []


def test_credentials_come_from_the_environment_when_the_config_has_none(
    fake_google, sheet, service_account_key, tmp_path
):
    source = source_for(fake_google, None)
    table = read_sheet(
        source,
        GoogleAccess(
            credentials_file=str(service_account_key.path),
            sleep=Sleeps(),
            user_token_file=tmp_path / "no-sign-in.json",
        ),
    )
    assert len(table.rows) == 3


def test_configured_credentials_win_over_the_environment(fake_google, sheet, service_account_key):
    source = source_for(fake_google, None, credentials=Path("/nowhere/key.json"))
    with pytest.raises(GoogleAuthError, match=r"\[source\] credentials names /nowhere/key.json"):
        read_sheet(
            source, GoogleAccess(credentials_file=str(service_account_key.path), sleep=Sleeps())
        )
    assert fake_google.requests == []


def test_a_person_signed_in_with_smwsync_auth_login_reads_the_sheet(
    fake_google, sheet, user_sign_in: UserSignIn
):
    table = read_sheet(
        source_for(fake_google, None),
        GoogleAccess(user_token_file=user_sign_in.path, sleep=Sleeps()),
    )
    assert len(table.rows) == 3
    token_request = fake_google.api_requests()[0]
    assert token_request.form()["grant_type"] == "refresh_token"
    described = describe_credentials(
        source_for(fake_google, None), user_token_file=user_sign_in.path
    )
    assert described == f"your own Google sign-in from {user_sign_in.path} (smwsync auth login)"


def test_a_sign_in_saved_by_gspread_itself_without_a_type_is_read_too(
    fake_google, sheet, user_sign_in: UserSignIn
):
    # gspread.oauth() saves google-auth's to_json(), which names no "type".
    info = json.loads(user_sign_in.path.read_text(encoding="utf-8"))
    del info["type"]
    user_sign_in.path.write_text(json.dumps(info), encoding="utf-8")
    table = read_sheet(
        source_for(fake_google, None),
        GoogleAccess(user_token_file=user_sign_in.path, sleep=Sleeps()),
    )
    assert len(table.rows) == 3


def test_a_revoked_sign_in_says_to_sign_in_again(fake_google, sheet, user_sign_in: UserSignIn):
    fake_google.users.clear()
    with pytest.raises(GoogleAuthError, match="expired or been revoked") as caught:
        read_sheet(
            source_for(fake_google, None),
            GoogleAccess(user_token_file=user_sign_in.path, sleep=Sleeps()),
        )
    assert "smwsync auth login" in str(caught.value)
    assert user_sign_in.refresh_token not in str(caught.value)


def test_a_signed_in_person_without_access_is_told_to_ask_the_owner(
    fake_google, user_sign_in: UserSignIn
):
    fake_google.add_spreadsheet(KEY, RESPONSES, shared_with={})
    with pytest.raises(SheetAccessError, match="ask the sheet's owner to share it with you"):
        read_sheet(
            source_for(fake_google, None),
            GoogleAccess(user_token_file=user_sign_in.path, sleep=Sleeps()),
        )


def test_no_credentials_at_all_says_to_sign_in_or_configure_a_key(fake_google, sheet, tmp_path):
    with pytest.raises(GoogleAuthError, match="run `smwsync auth login`") as caught:
        read_sheet(
            source_for(fake_google, None), GoogleAccess(user_token_file=tmp_path / "none.json")
        )
    assert "[source] credentials" in str(caught.value)
    assert fake_google.requests == []


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        ("not json", "it is not JSON"),
        ('{"type": "service_account", "client_email": "x@y"}', "not a usable service account key"),
        ('{"type": "external_account"}', "'external_account' credentials file"),
    ],
)
def test_an_unusable_key_file_is_explained(tmp_path, content, hint):
    path = tmp_path / "key.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoogleAuthError, match=hint):
        describe_credentials(SourceSettings(credentials=path))


def test_describe_credentials_names_the_account_and_file_but_no_secret(service_account_key):
    text = describe_credentials(SourceSettings(credentials=service_account_key.path))
    assert text.startswith(
        f"service account {SERVICE_ACCOUNT_EMAIL} from {service_account_key.path}"
    )
    assert "Warning" not in text
    assert_no_secrets(text, service_account_key.path)


def test_a_key_file_others_can_read_is_warned_about(
    fake_google, sheet, service_account_key, caplog
):
    service_account_key.path.chmod(0o644)
    text = describe_credentials(SourceSettings(credentials=service_account_key.path))
    assert "can be read by other users of this computer (permissions 644)" in text
    assert f"chmod 600 {service_account_key.path}" in text

    with caplog.at_level(logging.WARNING, logger="smwsync"):
        read(fake_google, service_account_key)
    assert any("chmod 600" in r.getMessage() for r in caplog.records)


def assert_no_secrets(message: str, key_path: Path) -> None:
    info = json.loads(key_path.read_text(encoding="utf-8"))
    assert "PRIVATE KEY" not in message
    assert info["private_key_id"] not in message
    assert "ya29." not in message


# Pure pieces and settings ---------------------------------------------------------------------


@given(st.lists(st.lists(st.text(max_size=3), max_size=6), max_size=8))
@settings(max_examples=100, deadline=None)
def test_every_row_is_padded_to_the_same_width_and_keeps_its_number(values):
    table = table_from_values(values)
    if not values:
        assert table.headers == ()
        return
    width = len(table.headers)
    assert all(len(cells) == width for _, cells in table.rows)
    for number, cells in table.rows:
        original = values[number - 1]
        assert cells[: len(original)] == tuple(original)
        assert any(cell.strip() for cell in cells)


def test_sheet_settings_are_read_from_the_configuration(tmp_path):
    settings = settings_from_mapping(
        {
            "source": {
                "sheet": URL,
                "worksheet": "Form responses 1",
                "gid": 0,
                "credentials": "keys/smw.json",
                "api_endpoint": "https://sheets.example.gov.uk",
                "timeout_seconds": 10,
                "retries": 2,
            },
            "columns": {"title": "Event title"},
        },
        base_dir=tmp_path,
    )
    source = settings.source
    assert source.credentials == tmp_path / "keys" / "smw.json"
    assert (source.gid, source.retries, source.timeout_seconds) == (0, 2, 10.0)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"gid": "123"}, r"\[source\] gid must be a whole number"),
        ({"gid": -1}, r"\[source\] gid must be 0 or more"),
        ({"retries": 1.5}, r"\[source\] retries must be a whole number"),
        ({"retries": -1}, r"\[source\] retries must be 0 or more"),
        ({"timeout_seconds": 0}, r"timeout_seconds must be more than 0"),
        ({"api_endpoint": "sheets.example.org"}, r"must be an address starting https://"),
        ({"credentials": 7}, r"\[source\] credentials must be a path"),
    ],
)
def test_wrong_sheet_settings_are_explained(tmp_path, source, message):
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping({"source": source, "columns": {"title": "T"}}, base_dir=tmp_path)
