"""A response's Timestamp, as either of Google's downloads writes it."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from smwsync.clean.date_parts import exists


def parse_timestamp(
    text: str, *, day_first: bool = True, timezone: str = "Europe/London"
) -> dt.datetime | None:
    """Read a response's Timestamp from either Google download, as a time in `timezone`.

    Sheets write the spreadsheet's locale: "30/04/2023 15:31:44" (day first) or
    "9/27/2022 11:39:02" (month first); when `day_first` gives a date that does not exist the
    other order is tried, as one sheet can hold both. The Forms download writes
    "2024/03/26 12:16:41 PM GMT+11" or "2019/11/05 8:49:33 PM EST"; ISO 8601 is read too.
    A time with no zone is in `timezone`. None when the text cannot be read; an unknown
    `timezone` name raises ZoneInfoNotFoundError, as that is a settings mistake.
    """
    zone = ZoneInfo(timezone)
    typed = " ".join(unicodedata.normalize("NFKC", text).split())
    try:
        moment = _read_timestamp(typed, day_first, zone)
        if moment is not None:
            moment.astimezone(dt.UTC)  # a time every output can write in UTC, or OverflowError
        return moment
    except (ValueError, OverflowError):
        return None  # a date or offset out of range near year 1 or 9999


_CLOCK = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6})\d*)?)?"
    r"\s*(?P<meridiem>[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?P<zone>(?:GMT|UTC|Z)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|[A-Za-z]{2,5}))?"
)
_FORMS_TIMESTAMP = re.compile(
    rf"^(?P<year>\d{{4}})[/.-](?P<month>\d{{1,2}})[/.-](?P<day>\d{{1,2}})[ T,]+{_CLOCK}$",
    re.IGNORECASE,
)
_SHEETS_TIMESTAMP = re.compile(
    rf"^(?P<first>\d{{1,2}})[/.-](?P<second_part>\d{{1,2}})[/.-](?P<year>\d{{4}}|\d{{2}})"
    rf"[ ,]+{_CLOCK}$",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"^(?:GMT|UTC)?\s*(?P<sign>[+-])(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?$")
# Zone names the Forms download writes for places that have them; everywhere else it writes
# an offset such as GMT+11. Fixed offsets, as each name says whether summer time applied.
ZONE_ABBREVIATIONS = {
    "GMT": 0,
    "UTC": 0,
    "UT": 0,
    "Z": 0,
    "BST": 60,
    "IST": 60,  # Irish Standard Time, summer time in Ireland; India's IST is written GMT+5:30
    "WET": 0,
    "WEST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
    "AEST": 600,
    "AEDT": 660,
    "ACST": 570,
    "ACDT": 630,
    "AWST": 480,
    "NZST": 720,
    "NZDT": 780,
}


def _read_timestamp(typed: str, day_first: bool, zone: ZoneInfo) -> dt.datetime | None:
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", typed):
        try:
            iso = dt.datetime.fromisoformat(typed)
        except ValueError:
            iso = None
        if iso is not None:
            return _in_zone(iso, None, zone) if iso.tzinfo is None else iso.astimezone(zone)
    forms = _FORMS_TIMESTAMP.match(typed)
    if forms:
        date = _valid_date(int(forms["year"]), int(forms["month"]), int(forms["day"]))
        return _at(date, forms, zone)
    sheets = _SHEETS_TIMESTAMP.match(typed)
    if not sheets:
        return None
    year = int(sheets["year"]) + (2000 if len(sheets["year"]) == 2 else 0)
    first, second = int(sheets["first"]), int(sheets["second_part"])
    orders = [(first, second), (second, first)] if day_first else [(second, first), (first, second)]
    for day, month in orders:
        date = _valid_date(year, month, day)
        if date is not None:
            return _at(date, sheets, zone)
    return None


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    return dt.date(year, month, day) if exists(year, month, day) else None


def _at(date: dt.date | None, match: re.Match[str], zone: ZoneInfo) -> dt.datetime | None:
    """The moment `match`'s clock names on `date`, in `zone`; None if it cannot be."""
    if date is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    microsecond = int((match["fraction"] or "0").ljust(6, "0"))
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["meridiem"][0] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    local = dt.datetime.combine(date, dt.time(hour, minute, second, microsecond))
    if match["zone"] is None:
        return _in_zone(local, None, zone)
    offset = _offset(match["zone"])
    return None if offset is None else _in_zone(local, offset, zone)


def _offset(name: str) -> dt.timezone | None:
    """The fixed offset a zone written in a timestamp names, or None if we do not know it."""
    minutes = ZONE_ABBREVIATIONS.get(name.upper())
    if minutes is None:
        offset = _OFFSET.match(name.upper())
        if not offset:
            return None
        minutes = int(offset["hours"]) * 60 + int(offset["minutes"] or 0)
        if minutes >= 24 * 60:
            return None
        minutes = -minutes if offset["sign"] == "-" else minutes
    return dt.timezone(dt.timedelta(minutes=minutes))


def _in_zone(local: dt.datetime, offset: dt.timezone | None, zone: ZoneInfo) -> dt.datetime:
    """`local` read at `offset` (or in `zone` when None), given as a time in `zone`."""
    if offset is None:
        return local.replace(tzinfo=zone)
    return local.replace(tzinfo=offset).astimezone(zone)
