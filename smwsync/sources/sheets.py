"""Rows from the live response sheet, read through `smwsync.google`."""

from __future__ import annotations

from smwsync.config import SourceSettings
from smwsync.google.access import GoogleAccess
from smwsync.google.sheet import read_responses
from smwsync.model import Table


def read_sheet(source: SourceSettings, access: GoogleAccess) -> Table:
    """Read the response tab of the sheet `source` names, as text.

    An empty tab gives a Table with no headers. Raises a GoogleError subclass saying what to do
    when Google says no.
    """
    return read_responses(source, access).table
