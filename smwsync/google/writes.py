"""Send a batch of writes to the sheet the responses were read from.

Everything goes in one `values:batchUpdate` with valueInputOption=RAW, so text from the form is
stored as text and never becomes a formula, plus one `addSheet` the first time a tab is needed.
What to write, and whether anything needs writing at all, is decided in `smwsync.publish`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from gspread.exceptions import APIError

from smwsync.errors import GoogleError, SheetAccessError
from smwsync.google.explain import KEPT, explaining_google_errors
from smwsync.google.sheet import OpenSheet

PUBLISHED = "The map files were published, but the sheet was not updated."


@dataclass(frozen=True)
class SheetWrites:
    """What to write: the value ranges, and the tab to add first (if it is missing)."""

    data: tuple[dict[str, Any], ...]
    new_tab: Mapping[str, Any] | None = None

    @property
    def changes_anything(self) -> bool:
        """True when the sheet differs from what this sync would write."""
        return bool(self.data or self.new_tab)


def send_writes(sheet: OpenSheet, writes: SheetWrites) -> bool:
    """Send the writes to Google: nothing when nothing changed; True when the sheet was written."""
    if not writes.changes_anything:
        return False
    with _explaining_write_errors(sheet):
        if writes.new_tab is not None:
            sheet.http.batch_update(sheet.key, {"requests": [{"addSheet": writes.new_tab}]})
        sheet.http.values_batch_update(
            sheet.key, {"valueInputOption": "RAW", "data": list(writes.data)}
        )
    return True


@contextmanager
def _explaining_write_errors(sheet: OpenSheet) -> Iterator[None]:
    """Google's refusals, said for a write that comes after the files were published."""
    try:
        with explaining_google_errors(sheet.account, sheet.key, sheet.http):
            try:
                yield
            except APIError as err:
                if err.response.status_code == 403:
                    raise SheetAccessError(_no_edit_access(sheet)) from err
                if err.response.status_code == 400:
                    said = str(err.error.get("message", "")) if err.code != -1 else ""
                    raise GoogleError(
                        f"Google refused to update the sheet {sheet.title!r} (HTTP 400): {said} "
                        + PUBLISHED
                    ) from err
                raise
    except GoogleError as err:
        message = str(err)
        if PUBLISHED in message:
            raise
        message = message.replace(KEPT, "").rstrip() + " " + PUBLISHED
        raise type(err)(message) from err


def _no_edit_access(sheet: OpenSheet) -> str:
    who = sheet.account.email or "your Google account"
    return (
        f"{who} can read the sheet {sheet.title!r} but not edit it, so the results could not be "
        f"written back: open the sheet, Share, and make {who} an Editor (or remove [publish] "
        f"sheet_tab and status_column from the configuration). {PUBLISHED}"
    )
