"""Turn what gspread, google-auth and requests raise into errors a person can act on.

Every message names the sheet or account and says what to do; none contains a key or a token.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError

from smwsync.errors import (
    GoogleAuthError,
    GoogleError,
    GoogleUnavailableError,
    SheetAccessError,
    SheetNotFoundError,
)
from smwsync.google.account import GoogleAccount
from smwsync.google.http import SheetsHTTPClient

KEPT = "The previous map is kept."


@contextmanager
def explaining_google_errors(
    account: GoogleAccount, key: str, http: SheetsHTTPClient
) -> Iterator[None]:
    """Turn what gspread, google-auth and requests raise into errors a person can act on."""
    try:
        yield
    except APIError as err:
        raise _api_error(err, account, key, http.last_attempts) from err
    except RefreshError as err:
        raise _refresh_error(err, account) from err
    except TransportError as err:
        raise GoogleUnavailableError(
            "Could not reach Google's sign-in service: check this computer's internet "
            f"connection and try again. {KEPT}"
        ) from err
    except (requests.ConnectionError, requests.Timeout) as err:
        raise _connection_error(err, http) from err
    except requests.RequestException as err:
        raise GoogleError(
            f"Could not send the request to Google Sheets at {http.endpoint} "
            f"({type(err).__name__}): check [source] api_endpoint."
        ) from err


def _api_error(err: APIError, account: GoogleAccount, key: str, attempts: int) -> GoogleError:
    status = err.response.status_code
    message = str(err.error.get("message", "")) if err.code != -1 else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if status == 403:
        return _forbidden(err, message, account, key)
    if status == 404:
        return SheetNotFoundError(
            f"There is no Google Sheet with the key {key!r}: check [source] sheet (copy the "
            "address from the browser while the response sheet is open)."
        )
    if status == 401:
        return GoogleAuthError(
            f"Google did not accept the sign-in of {account.describe()}. " + _renew_hint(account)
        )
    if status == 429:
        return GoogleUnavailableError(
            f"Google's Sheets API quota is used up (HTTP 429){tries}: wait a few minutes and "
            "try again, or run smwsync less often (Google allows about 60 reads a minute). " + KEPT
        )
    if status >= 500 or status == 408:
        return GoogleUnavailableError(
            f"Google Sheets is not working properly (HTTP {status}){tries}: try again later. "
            + KEPT
        )
    said = f" Google said: {message}" if message else ""
    return GoogleError(f"Google refused to read the sheet {key!r} (HTTP {status}).{said}")


def _forbidden(err: APIError, message: str, account: GoogleAccount, key: str) -> GoogleError:
    reasons = {
        detail.get("reason")
        for detail in err.error.get("details", [])
        if isinstance(detail, Mapping)
    }
    if "SERVICE_DISABLED" in reasons or "has not been used in project" in message:
        return SheetAccessError(
            "The Google Sheets API is switched off for the Google Cloud project of "
            f"{account.email or 'your account'}: enable it (Google Cloud console, APIs & "
            f"Services, Library, Google Sheets API), wait a few minutes and try again. "
            f"Google said: {message}"
        )
    if account.is_service_account:
        return SheetAccessError(
            f"The sheet {key!r} is not shared with {account.email}: open the sheet, Share, and "
            "add that address as a Viewer (Editor if smwsync writes back)."
        )
    who = f" ({account.email})" if account.email else ""
    return SheetAccessError(
        f"Your Google account{who} cannot open the sheet {key!r}: ask the sheet's owner to "
        "share it with you, or run `smwsync auth login` with an account that can open it."
    )


def _refresh_error(err: RefreshError, account: GoogleAccount) -> GoogleError:
    detail = _refresh_detail(err)
    if err.retryable:
        return GoogleUnavailableError(
            f"Google's sign-in service is not working properly ({detail}): try again later. " + KEPT
        )
    if account.is_service_account:
        return GoogleAuthError(
            f"Google refused the key of the service account {account.email} ({detail}): the "
            "key may have been deleted or the account disabled. " + _renew_hint(account)
        )
    return GoogleAuthError(
        f"Your Google sign-in has expired or been revoked ({detail}). " + _renew_hint(account)
    )


def _renew_hint(account: GoogleAccount) -> str:
    if account.is_service_account:
        return (
            "Create a new JSON key (Google Cloud console, IAM & Admin, Service accounts, "
            f"{account.email}, Keys) and point {account.origin} at it."
        )
    return "Run `smwsync auth login` to sign in again."


def _refresh_detail(err: RefreshError) -> str:
    # google-auth passes the token endpoint's JSON answer as the second argument.
    answer = err.args[1] if len(err.args) > 1 else None
    if isinstance(answer, Mapping) and answer.get("error"):
        description = answer.get("error_description")
        return f"{answer['error']}: {description}" if description else str(answer["error"])
    return "no reason given"


def _connection_error(err: requests.RequestException, http: SheetsHTTPClient) -> GoogleError:
    host = urlsplit(http.endpoint).netloc
    tries = f" after {http.last_attempts} attempts" if http.last_attempts > 1 else ""
    if isinstance(err, requests.Timeout):
        reason = f"no answer within {http.timeout} seconds"
    else:
        reason = "could not connect"
    custom = "" if host == "sheets.googleapis.com" else " and [source] api_endpoint"
    return GoogleUnavailableError(
        f"Could not reach Google Sheets at {host} ({reason}){tries}: check this computer's "
        f"internet connection{custom}, then try again. {KEPT}"
    )
