"""Which Google account reads the sheet: a service account's key, or your own sign-in.

In order: `[source] credentials` (a JSON key file), then the file GOOGLE_APPLICATION_CREDENTIALS
names (the CLI reads the variable and passes its value in), then the sign-in token that
`smwsync auth login` (gspread's `oauth()`) keeps in your configuration folder. Nothing here runs
a browser sign-in, and no message ever contains a key or a token.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import google.auth.exceptions
import gspread.auth
from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from smwsync.config import SourceSettings
from smwsync.errors import GoogleAuthError

# Read and write: the same sign-in serves reading responses and writing results back.
SHEETS_SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
# Where gspread.oauth() keeps a person's sign-in (~/.config/gspread/authorized_user.json).
USER_TOKEN_FILE: Path = gspread.auth.DEFAULT_AUTHORIZED_USER_FILENAME
LOGIN_HINT = (
    "run `smwsync auth login` to sign in with your Google account, or set [source] credentials "
    "to a service account's JSON key file"
)
SERVICE_ACCOUNT = "service account"
SIGN_IN = "sign-in"


@dataclass(frozen=True)
class GoogleAccount:
    """Credentials ready for gspread, and whose they are (never the key or token itself)."""

    credentials: Credentials
    kind: str
    email: str
    path: Path
    origin: str
    warnings: tuple[str, ...] = ()

    @property
    def is_service_account(self) -> bool:
        """True for a service account's key, False for a person's own sign-in."""
        return self.kind == SERVICE_ACCOUNT

    def describe(self) -> str:
        """Whose credentials these are and where they came from, safe to print."""
        if self.is_service_account:
            return f"service account {self.email} from {self.path} ({self.origin})"
        who = f" as {self.email}" if self.email else ""
        return f"your own Google sign-in{who} from {self.path} ({self.origin})"


def load_credentials(
    source: SourceSettings,
    credentials_env: str | None = None,
    *,
    user_token_file: Path = USER_TOKEN_FILE,
) -> GoogleAccount:
    """The first credentials configured, ready to use; GoogleAuthError if none is usable."""
    path, origin = _credentials_file(source, credentials_env, user_token_file)
    info = _read_json(path, origin)
    kind = info.get("type")
    if kind is None and {"refresh_token", "client_id", "client_secret"} <= info.keys():
        kind = "authorized_user"  # gspread.oauth() saves a sign-in without naming its type
    if kind == "service_account":
        account = _service_account(info, path, origin)
    elif kind == "authorized_user":
        account = _signed_in_user(info, path, origin)
    else:
        raise GoogleAuthError(
            f"{path} ({origin}) is a {kind or 'unknown'!r} credentials file: smwsync can use a "
            "service account's JSON key or the sign-in saved by `smwsync auth login`."
        )
    warning = exposed_file_warning(path, account)
    return replace(account, warnings=(warning,) if warning else ())


def describe_credentials(
    source: SourceSettings,
    credentials_env: str | None = None,
    *,
    user_token_file: Path = USER_TOKEN_FILE,
) -> str:
    """One line for `smwsync doctor`: which account reads the sheet, plus any warning.

    Raises GoogleAuthError, saying what to do, when no usable credentials are configured.
    """
    account = load_credentials(source, credentials_env, user_token_file=user_token_file)
    return " ".join((account.describe(), *account.warnings))


def exposed_file_warning(path: Path, account: GoogleAccount) -> str:
    """A warning when other users of this computer can read a key or token file, else ""."""
    if os.name != "posix":
        return ""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return ""
    if not mode & 0o077:
        return ""
    who = account.email or "you"
    return (
        f"Warning: {path} can be read by other users of this computer (permissions {mode:o}); "
        f"anyone who can read it can open your sheets as {who}. Run: chmod 600 {path}"
    )


def _credentials_file(
    source: SourceSettings, credentials_env: str | None, user_token_file: Path
) -> tuple[Path, str]:
    if source.credentials is not None:
        return _existing(source.credentials, "[source] credentials")
    if credentials_env:
        return _existing(Path(credentials_env).expanduser(), "GOOGLE_APPLICATION_CREDENTIALS")
    if user_token_file.is_file():
        return user_token_file, "smwsync auth login"
    raise GoogleAuthError(f"No Google credentials to read the sheet with: {LOGIN_HINT}.")


def _existing(path: Path, origin: str) -> tuple[Path, str]:
    if not path.is_file():
        raise GoogleAuthError(
            f"{origin} names {path}, but there is no such file. Download the service account's "
            f"JSON key again and point {origin} at it, or {LOGIN_HINT}."
        )
    return path, origin


def _read_json(path: Path, origin: str) -> dict[str, Any]:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GoogleAuthError(f"Could not read {path} ({origin}): {err.strerror}.") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GoogleAuthError(
            f"{path} ({origin}) is not a Google credentials file: it is not JSON. Download the "
            "service account's key again, choosing the JSON format."
        ) from err
    if not isinstance(info, dict):
        raise GoogleAuthError(f"{path} ({origin}) is not a Google credentials file.")
    return info


def _service_account(info: dict[str, Any], path: Path, origin: str) -> GoogleAccount:
    try:
        creds = service_account.Credentials.from_service_account_info(
            info, scopes=list(SHEETS_SCOPES)
        )
    except (ValueError, TypeError, google.auth.exceptions.GoogleAuthError) as err:
        # The library's own message may quote the key, so it is not repeated here.
        raise GoogleAuthError(
            f"{path} ({origin}) is not a usable service account key: it needs client_email, "
            "private_key and token_uri. Create a new JSON key for the service account in the "
            "Google Cloud console and use that file."
        ) from err
    return GoogleAccount(creds, SERVICE_ACCOUNT, str(info.get("client_email", "")), path, origin)


def _signed_in_user(info: dict[str, Any], path: Path, origin: str) -> GoogleAccount:
    try:
        creds = user_credentials.Credentials.from_authorized_user_info(info)
    except (ValueError, TypeError, google.auth.exceptions.GoogleAuthError) as err:
        raise GoogleAuthError(
            f"{path} ({origin}) is not a usable Google sign-in: it needs refresh_token, "
            "client_id and client_secret. Run `smwsync auth login` again."
        ) from err
    # gcloud writes the account's address as "account"; gspread's file does not say.
    return GoogleAccount(creds, SIGN_IN, str(info.get("account") or ""), path, origin)
