"""`smwsync init`: propose a [columns] mapping from a form's header row and write a config.

The first run of a new campaign starts from a form whose question titles nobody has typed into a
configuration yet. Each field has phrases people use for it; every header is scored against
every field, and the best pairs are taken first, one header per field. The organiser sees the
table and corrects the file if a guess is wrong.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smwsync.commands.answer_kinds import AnswerKind, answer_kind, answer_points
from smwsync.config import SourceSettings
from smwsync.errors import ConfigError
from smwsync.model import FORM_FIELDS, Table
from smwsync.sources.csv_export import read_bytes
from smwsync.sources.download import detect_encoding, read_download
from smwsync.sync.files import write_atomically

# Encodings a sync finds by itself, so the configuration need not name them.
TEXT_OF_ITS_OWN = ("utf-8", "utf-16-le", "utf-16-be")

# Phrases that suggest a field, and phrases that rule it out ("-").
FIELD_PHRASES: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "carimbo de data/hora", "marca temporal", "submitted at"),
    "submitter_email": ("email address", "your email", "e-mail", "email"),
    "submitter_name": ("your name", "full name", "name", "-event", "-venue", "-council"),
    "council": ("council", "local authority", "authority", "organisation", "organization"),
    "title": (
        "event title",
        "event name",
        "name of the event",
        "name of your event",
        "title",
        "called",
        "call",
        "headline",
        "what's the event",
        "what is the event",
        # A question about the event that no other field claims is most likely its title.
        "event",
    ),
    "event_type": (
        "kind of event",
        "type of event",
        "event type",
        "what kind",
        "sort of event",
        "type",
        "category",
    ),
    "formats": (
        "take part",
        "format",
        "how can people",
        "attend",
        "in person or online",
        "online or in person",
        "how will",
        "face to face",
        "in person",
        "delivery method",
        "attendance mode",
    ),
    "date": ("date of event", "event date", "date", "which day", "when is", "when", "day", "-time"),
    "start_time": ("start time", "starts", "start", "time", "doors open", "begin"),
    "end_time": ("end time", "finish", "ends", "end"),
    "venue": (
        "venue name",
        "venue",
        "location",
        "where",
        "building",
        "room",
        "-address",
        "-postcode",
        "-post code",
    ),
    "address": ("venue address", "address", "street"),
    "postcode": ("postcode", "post code", "postal code", "zip"),
    "link": (
        "booking",
        "link",
        "url",
        "website",
        "web address",
        "eventbrite",
        "sign up",
        "tickets",
        "registration",
        "find out more",
        "more info",
    ),
    "description": (
        "tell us about",
        "tell us a bit",
        "summary",
        "description",
        "describe",
        "details",
        "about the event",
        "about your event",
        "what will happen",
    ),
    "aims": ("achieve", "aims", "aim", "objective", "goal", "hope", "outcome"),
    "audience": (
        "who is it for",
        "who is the event for",
        "audience",
        "who should",
        "who can come",
        "target",
        "aimed at",
        "who's it for",
        "who is this for",
        "for whom",
    ),
    "contact_email": (
        "contact email",
        "public email",
        "public contact",
        "email for enquiries",
        "enquiries",
        "public",
        "-publish",
        "-consent",
        "-can we",
        "-may we",
        "-permission",
    ),
    "contact_consent": (
        "publish",
        "consent",
        "permission",
        "can we",
        "may we",
        "on the map",
        "share the contact",
        "ok to show",
    ),
    "approved": ("approved", "approval", "approve", "moderation", "ok to publish", "checked"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lng", "lon", "long"),
}
_WORDS = re.compile(r"[a-z0-9@/'-]+")


@dataclass(frozen=True)
class ColumnGuess:
    """One field and the header proposed for it (blank when nothing fits)."""

    field: str
    header: str
    score: int


@dataclass(frozen=True)
class Proposal:
    """The proposed mapping, what could not be mapped, and the headers left over."""

    guesses: tuple[ColumnGuess, ...]
    unused_headers: tuple[str, ...]
    # What each question's answers look like, where there were answers.
    kinds: Mapping[str, AnswerKind] = dataclasses.field(default_factory=dict)

    @property
    def columns(self) -> dict[str, str]:
        return {g.field: g.header for g in self.guesses if g.header}

    @property
    def unmapped(self) -> tuple[str, ...]:
        return tuple(g.field for g in self.guesses if not g.header)


def score(field: str, header: str) -> int:
    """How strongly a question title suggests a field: the length of the phrases it contains,
    or 0 when it has a phrase that rules the field out."""
    text = " " + " ".join(_WORDS.findall(header.casefold())) + " "
    total = 0
    for phrase in FIELD_PHRASES[field]:
        negative = phrase.startswith("-")
        words = phrase.lstrip("-")
        if f" {words} " in text or (len(words) > 4 and words in text):
            if negative:
                return 0
            total += len(words)
    return total


def propose_columns(headers: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> Proposal:
    """Match every field to at most one question, best-scoring pairs first.

    A question scores by its title's words and, given the responses' `rows`, by what its
    answers look like: answers that are dates suggest `date` and rule out `postcode`.
    """
    titles: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header.strip():
            titles.setdefault(header.strip(), index)
    kinds = {
        title: answer_kind([row[index] for row in rows if index < len(row)]) if rows else None
        for title, index in titles.items()
    }
    pairs = []
    for field in FORM_FIELDS:
        for order, title in enumerate(titles):
            extra = answer_points(field, kinds[title])
            if extra is not None:
                points = score(field, title) + extra
                pairs.append((points, -FORM_FIELDS.index(field), -order, field, title))
    chosen: dict[str, tuple[str, int]] = {}
    taken: set[str] = set()
    for points, _, _, field, title in sorted(pairs, reverse=True):
        if points and field not in chosen and title not in taken:
            chosen[field] = (title, points)
            taken.add(title)
    guesses = tuple(ColumnGuess(field, *chosen.get(field, ("", 0))) for field in FORM_FIELDS)
    unused = tuple(t for t in titles if t not in taken)
    return Proposal(guesses, unused, {t: k for t, k in kinds.items() if k is not None})


def config_text(
    proposal: Proposal, *, csv: str = "", sheet: str = "", encoding: str = "utf-8"
) -> str:
    """A commented configuration file for the proposal, ready to check and save."""
    source = f"csv = {_toml(csv)}" if csv else f"sheet = {_toml(sheet)}"
    if csv and encoding not in TEXT_OF_ITS_OWN:
        source += f"\nencoding = {_toml(encoding)}   # the download's text is not UTF-8"
    lines = [
        "# smwsync configuration, proposed by `smwsync init`.",
        "# Check every line of [columns]: each field is matched to the title of a question in",
        "# your form (case and surrounding spaces do not matter). See",
        "# config/smwsync.example.toml in the smwsync source for every setting.",
        "",
        "[source]",
        source,
        'locale = "en_GB"   # how dates are written: en_GB reads 03/04 as 3 April',
        "",
        "[columns]",
    ]
    width = max(len(f) for f in FORM_FIELDS)
    for guess in proposal.guesses:
        if guess.header:
            lines.append(f"{guess.field:<{width}} = {_toml(guess.header)}")
    unmapped = proposal.unmapped
    if unmapped:
        lines += [
            "",
            "# Fields no question seemed to ask for; add the question's title if one does:",
        ]
        lines += [f'# {field} = ""' for field in unmapped]
    if proposal.unused_headers:
        lines += ["", "# Questions not used:"]
        lines += [f"#   {_toml(title)}" for title in proposal.unused_headers]
    lines += [
        "",
        "[geocode]",
        "offline = true   # place events with the built-in gazetteer only",
        "",
        "[publish]",
        'out = "out"',
        'kml = "smw-events.kml"',
        'layer_by = "format"',
        'title = "Social Media Week events"',
        "",
    ]
    return "\n".join(lines)


def proposal_table(proposal: Proposal) -> list[str]:
    """The proposal as a table the organiser can read at a glance, then the questions it
    left unused."""
    width = max(len(f) for f in FORM_FIELDS)
    rows = [f"{'field':<{width}}  question in the form", f"{'-' * width}  {'-' * 20}"]
    for guess in proposal.guesses:
        question = guess.header or "(not found)"
        rows.append(f"{guess.field:<{width}}  {question}{_kind(proposal, guess.header)}")
    for title in proposal.unused_headers:
        rows.append(f"{'(not used)':<{width}}  {title}{_kind(proposal, title)}")
    return rows


def _kind(proposal: Proposal, title: str) -> str:
    kind = proposal.kinds.get(title)
    if kind is None or kind in (AnswerKind.TEXT, AnswerKind.LONG_TEXT):
        return ""
    return f"  (answers: {kind})"


def _toml(text: str) -> str:
    # A JSON string is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def read_form(
    *,
    csv: Path | None = None,
    encoding: str = "",
    sheet: str = "",
    credentials: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Table, str]:
    """The responses of a download (any kind) or of the live sheet's response tab, and the
    encoding a text download is in (`encoding`, or else what its bytes show)."""
    if csv is not None:
        encoding = encoding or detect_encoding(read_bytes(csv))
        return read_download(csv, encoding=encoding), encoding
    if sheet:
        from smwsync.google.access import GoogleAccess  # gspread is only needed here
        from smwsync.sources.sheets import read_sheet

        source = SourceSettings(sheet=sheet, credentials=credentials)
        return read_sheet(source, GoogleAccess.from_environ(environ or {})), ""
    raise ConfigError("Give the form's responses to read the questions from: --csv or --sheet.")


def relative_to_config(path: Path, config_path: Path) -> str:
    """How the configuration file names `path`: relative to the file's own folder when it lies
    inside it, otherwise in full."""
    full = path.resolve()
    try:
        return str(full.relative_to(config_path.resolve().parent))
    except ValueError:
        return str(full)


def check_free(path: Path, *, force: bool = False) -> None:
    """Refuse to go on when a configuration is already there, unless `force`."""
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; pass --force to replace it, or choose --config.")


def write_config(path: Path, text: str, *, force: bool = False) -> None:
    """Save the configuration; an existing file is replaced only with `force`."""
    check_free(path, force=force)
    write_atomically(path, text.encode("utf-8"))
