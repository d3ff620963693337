"""Every failure smwsync reports, as one hierarchy; each class carries its exit code.

Problems in individual form rows are not errors: they are `model.Problem` values returned beside
the events. These exceptions are for a sync that cannot go on.
"""

from __future__ import annotations


class SmwsyncError(Exception):
    """A sync or command failed; nothing was published."""

    exit_code = 1


class ConfigError(SmwsyncError, ValueError):
    """The configuration file or the command-line options are wrong."""

    exit_code = 2


class ColumnsError(ConfigError):
    """A configured question title is not among the form's headers."""


class SourceError(SmwsyncError):
    """The form's responses could not be read."""


class GoogleError(SourceError):
    """Google refused or failed a request for the response sheet."""


class GoogleAuthError(GoogleError):
    """No usable Google credentials: missing, unreadable, expired, revoked or deleted."""


class SheetAccessError(GoogleError):
    """The sheet is not shared with smwsync's Google account, or its API is switched off."""


class SheetNotFoundError(GoogleError):
    """The sheet, or the tab the configuration names, does not exist."""


class GoogleUnavailableError(GoogleError):
    """Google did not answer after the allowed retries (quota, outage, network); try later."""


class GazetteerError(SmwsyncError):
    """The offline gazetteer is missing or damaged."""


class CodePointError(GazetteerError):
    """A Code-Point Open download or the postcode index built from it cannot be read."""


class GeocodeCacheError(SmwsyncError):
    """The geocoding cache (an SQLite file) cannot be opened, read or written."""


class PublishError(SmwsyncError):
    """An output file could not be written; the previous one is untouched."""


class StateError(SmwsyncError):
    """The sync state file beside the outputs cannot be read or written."""


class HeldBack(SmwsyncError):
    """A guard held publication back: the sheet looks wrong; the last files stay published."""

    exit_code = 3


class SyncLocked(SmwsyncError):
    """Another sync holds the lock on the same state file."""

    exit_code = 75

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class EmailError(SmwsyncError):
    """The mail relay could not be reached, refused the sign-in, or refused a message."""


class EmailRefused(EmailError):
    """The relay refused this one message for good (a 5xx to its recipient or content)."""


class EmailUncertain(EmailError):
    """The connection was lost while the relay was taking a message: it may have gone."""
