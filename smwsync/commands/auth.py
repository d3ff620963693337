"""`smwsync auth login`: sign in once with your own Google account, through gspread's browser flow.

The sign-in needs an "OAuth client" file (Desktop app) from a Google Cloud project: it says
which app is asking, not who you are. The token Google gives back is kept in your configuration
folder (where `gspread.oauth()` keeps it), readable by you alone, and used by every later sync.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import google.auth.exceptions
import gspread.auth
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from smwsync.errors import GoogleAuthError
from smwsync.google.account import SHEETS_SCOPES, USER_TOKEN_FILE

# Where gspread looks for the OAuth client file (~/.config/gspread/credentials.json).
CLIENT_FILE: Path = gspread.auth.DEFAULT_CREDENTIALS_FILENAME
GET_A_CLIENT_FILE = (
    "In the Google Cloud console (console.cloud.google.com), pick or create a project, enable "
    "the Google Sheets API (APIs & Services, Library), set up the OAuth consent screen, then "
    "APIs & Services, Credentials, Create credentials, OAuth client ID, application type "
    "'Desktop app', and download its JSON file"
)

Flow = Callable[..., Any]


def sign_in(
    client_file: Path = CLIENT_FILE,
    token_file: Path = USER_TOKEN_FILE,
    *,
    flow: Flow = gspread.auth.local_server_flow,
    scopes: Iterable[str] = SHEETS_SCOPES,
) -> Path:
    """Run Google's sign-in (a browser page) and keep the token in `token_file`, mode 600.

    `flow` is gspread's flow function (`local_server_flow` opens the browser). Raises
    GoogleAuthError, saying where to get one, when the OAuth client file is missing or wrong.
    """
    client_config = read_client_file(client_file)
    try:
        credentials = flow(client_config=client_config, scopes=list(scopes))
    except (OAuth2Error, ValueError, google.auth.exceptions.GoogleAuthError) as err:
        raise GoogleAuthError(
            f"Google did not complete the sign-in ({type(err).__name__}: {err}). Run "
            "`smwsync auth login` again and allow access to Google Sheets when asked."
        ) from err
    info = json.loads(credentials.to_json(strip=["token"]))
    # google-auth leaves the type out; Google's own tools (and smwsync) read it to tell a
    # sign-in from a service account's key.
    info["type"] = "authorized_user"
    save_token(json.dumps(info, indent=2), token_file)
    return token_file


def read_client_file(path: Path) -> Mapping[str, Any]:
    """The OAuth client's settings from its JSON file; GoogleAuthError saying what is wrong."""
    if not path.is_file():
        raise GoogleAuthError(
            f"No OAuth client file at {path}. {GET_A_CLIENT_FILE}; save it as {CLIENT_FILE} "
            "or pass --client-file PATH. (With a service account's JSON key instead, no sign-in "
            "is needed: set [source] credentials to the key file.)"
        )
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GoogleAuthError(f"{path} is not an OAuth client file: it is not JSON.") from err
    if isinstance(config, Mapping) and "installed" in config:
        return config
    if isinstance(config, Mapping) and config.get("type") == "service_account":
        raise GoogleAuthError(
            f"{path} is a service account's key, not an OAuth client: no sign-in is needed. "
            "Set [source] credentials to that file instead."
        )
    if isinstance(config, Mapping) and "web" in config:
        raise GoogleAuthError(
            f"{path} is a 'Web application' OAuth client; sign-in from the command line needs "
            f"a 'Desktop app' one. {GET_A_CLIENT_FILE}."
        )
    raise GoogleAuthError(f"{path} is not an OAuth client file. {GET_A_CLIENT_FILE}.")


def save_token(text: str, path: Path) -> None:
    """Write the sign-in token so that only this user can read it (a new file, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise GoogleAuthError(f"Could not save the sign-in to {path}: {err.strerror}.") from err
