"""Free text from the form made safe to publish: no invisible or forbidden characters."""

from __future__ import annotations

import functools
import re
import unicodedata

ELLIPSIS = " …"

# Characters that carry no visible text and only cause trouble on a map or in XML.
_INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero-width space
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible maths operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated format characters
    "\ufeff"  # byte order mark, zero-width no-break space
    "\ufff9\ufffa\ufffb"  # interlinear annotation
    "\ufffe\uffff"  # not characters at all
)
_ZWNJ, _ZWJ = "\u200c", "\u200d"
_BLACK_FLAG = "\U0001f3f4"  # starts the flag tag sequences of England, Scotland and Wales
_TAGS = range(0xE0020, 0xE0080)
_VARIATION_SELECTOR = "\ufe0f"
_SKIN_TONES = range(0x1F3FB, 0x1F400)

_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")
_UNSAFE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff" + "".join(sorted(_INVISIBLE)) + "]"
)
_JOINERS_OR_TAGS = re.compile("[\u200c\u200d\U000e0000-\U000e00ff]")
_SPACES = re.compile(r"[^\S\n]+")  # every kind of space but the line break
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str, *, multiline: bool = False, limit: int | None = None) -> str:
    """Return `text` as safe, tidy Unicode (NFC) for a map, a calendar or XML.

    Drops control characters, lone surrogates and everything else XML 1.0 forbids, zero-width
    and bidi embedding characters (joiners survive inside emoji like "👩‍💻" and between letters
    of scripts that need them), turns odd spaces into plain ones and collapses runs of spaces.
    With `multiline` line breaks are kept (at most one blank line in a row); otherwise they
    become spaces. With `limit` the result is cut at a word boundary (see `truncate`).
    """
    if text.isascii() and text.isprintable():  # the usual answer: only spaces to tidy
        result = " ".join(text.split())
        return result if limit is None else truncate(result, limit)[0]
    if text.isascii() and text.replace("\n", "").isprintable():  # lines with only spaces to tidy
        lines = [" ".join(line.split()) for line in text.split("\n")]
    else:
        kept = _drop_joiners(_drop_unsafe(text))
        kept = unicodedata.normalize("NFC", kept)
        lines = [line.strip() for line in _SPACES.sub(" ", kept).split("\n")]
    if multiline:
        result = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        result = " ".join(line for line in lines if line)
    if limit is not None:
        result = truncate(result, limit)[0]
    return result


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """Cut `text` to at most `limit` characters at a word boundary, ending in " …".

    Returns the text and whether it was cut. A single word longer than the room left is cut
    mid-word rather than dropped.
    """
    if len(text) <= limit:
        return text, False
    room = limit - len(ELLIPSIS)
    if room <= 0:
        return text[: max(limit, 0)], True
    head = text[: room + 1]  # one extra character tells whether the cut falls between words
    boundary = max(head.rfind(" "), head.rfind("\n"))
    head = head[:boundary] if boundary > room // 2 else head[:room]
    head = head.rstrip().rstrip(_ZWJ).rstrip(",;:-–—").rstrip()
    return head + ELLIPSIS, True


def quoted(text: str, limit: int = 60) -> str:
    """`text` in single quotes for a message to staff, shortened when long."""
    room = 8 * max(limit, 1)  # enough to fill the quote once invisible characters are gone
    shown, cut = truncate(clean_text(text[:room]), limit)
    if len(text) > room and not cut:
        shown += ELLIPSIS
    return f"'{shown}'"


def _drop_unsafe(text: str) -> str:
    """Remove characters that are never wanted; line breaks become "\\n", tabs spaces."""
    text = _OTHER_LINE_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    return _UNSAFE.sub("", text.replace("\t", " "))


def _drop_joiners(text: str) -> str:
    """Keep joiners and flag tags only where they join something; drop stray ones."""
    if not _JOINERS_OR_TAGS.search(text):
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        before = out[-1] if out else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in (_ZWJ, _ZWNJ):
            if _joins_letters(before, after) or (char == _ZWJ and _joins_emoji(before, after)):
                out.append(char)
        elif ord(char) in _TAGS:
            if before and (before == _BLACK_FLAG or ord(before) in _TAGS):
                out.append(char)
        elif ord(char) == 0xE0001 or 0xE0080 <= ord(char) <= 0xE00FF:
            pass  # language tag and unassigned tag-block code points
        else:
            out.append(char)
    return "".join(out)


def _is_emoji(char: str) -> bool:
    """Near enough without an emoji table: pictographic symbols outside ASCII."""
    return bool(char) and ord(char) >= 0x2000 and unicodedata.category(char) == "So"


def _joins_emoji(before: str, after: str) -> bool:
    emoji_end = _is_emoji(before) or before == _VARIATION_SELECTOR or _is_skin_tone(before)
    return emoji_end and _is_emoji(after)


def _is_skin_tone(char: str) -> bool:
    return bool(char) and ord(char) in _SKIN_TONES


def _joins_letters(before: str, after: str) -> bool:
    """Joiners shape Arabic-script and Indic text; Latin, Greek and Cyrillic never need them."""
    return _is_shaped_letter(before) and _is_shaped_letter(after)


def _is_shaped_letter(char: str) -> bool:
    return bool(char) and ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LM"


def folded(text: str) -> str:
    """`text` as a reader sees it, one character for one so positions stay the same: every
    character whose compatibility form is one base letter, digit or sign becomes that
    ("ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ" -> "jo@example.org", "Zoë" -> "Zoe"); others stay as typed."""
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    base = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    )
    return base if len(base) == 1 else char
