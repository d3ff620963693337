"""Email addresses in free text, found however they are disguised (pure).

Found: jo@example.org, jo @ example.org, jo＠example．org, ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ,
mailto:jo@example.org, and the ways people hide an address from robots but not from readers:
jo[at]example[dot]org, jo[@]example.org, jo(@)example.org,
jo(at)example.org, jo {at} example {dot} org, jo&#64;example.org, jo&commat;example.org,
jo%40example.org, "jo at example dot org". The plain word "at" counts only with the word
"dot" (or a bracketed [dot]) in the domain, or with a dotted name before it
("jo.bloggs at example.org"): "book at eventbrite.co.uk" is a sentence, not an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smwsync.clean.text import folded

# What may be in the name before the @, and what may not start it (a run of such characters
# is read from its start, which keeps long text fast; a quote may sit inside an address,
# o'brien@..., but not open one: 'jo@x.org' is quoted).
_LOCAL = r"(?<![\w.!#$%&*+/=?^`{|}~-])[\w!#$%&*+/=?^`{|}~-][\w.!#$%&'*+/=?^`{|}~-]*"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT_SIGNS = (
    r"\s?[@＠﹫]\s?",  # the sign itself, full-width and small forms too
    rf"\s?{_OPEN}\s?(?:at|[@＠﹫])\s?{_CLOSE}\s?",  # [at] (at) {at} <at> [@] (@) {@}
    r"&#0*64;|&#x0*40;|&commat;",  # HTML character references
    r"%40",  # percent-encoded, as in a link
)
_AT_WORD = r"\s{1,3}at\s{1,3}"
_DOT_WORD = r"\s{1,3}dot\s{1,3}"
_DOTS = (r"\.", rf"\s?{_OPEN}\s?dot\s?{_CLOSE}\s?", r"&#0*46;|&period;", r"%2e", _DOT_WORD)
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN = rf"(?:{_LABEL}(?:{'|'.join(_DOTS)}))+[^\W\d_]{{2,63}}(?![\w-])"
_EMAIL = re.compile(
    rf"(?:mailto:)?{_LOCAL}(?P<at>{'|'.join(_AT_SIGNS)}|{_AT_WORD}){_DOMAIN}", re.IGNORECASE
)
_WORDY_DOT = re.compile(rf"{_DOT_WORD}|{_OPEN}\s?dot\s?{_CLOSE}", re.IGNORECASE)
_DOTTED_NAME = re.compile(r"\w[._]\w")
_AT_FORMS = re.compile("|".join((*_AT_SIGNS, _AT_WORD)), re.IGNORECASE)
_DOT_FORMS = re.compile("|".join(_DOTS), re.IGNORECASE)


@dataclass(frozen=True)
class FoundEmail:
    """An address found in text: where it is, and the address it spells (jo@example.org)."""

    start: int
    end: int
    address: str


def find_email_addresses(text: str) -> list[FoundEmail]:
    """Every email address written in `text`, disguised or not, in order. Full-width and
    other compatibility forms are read as the plain characters they stand for."""
    text = folded(text)
    if not _may_hold_an_address(text):
        return []
    found = []
    for match in _EMAIL.finditer(text):
        if _AT_WORD_ONLY.fullmatch(match.group("at")) and not _reads_as_address(match):
            continue
        found.append(FoundEmail(match.start(), match.end(), spelled_address(match.group())))
    return found


def spelled_address(written: str) -> str:
    """The plain address a disguised one spells: "Jo [at] Example dot org" -> "Jo@Example.org"."""
    written = re.sub(r"^mailto:", "", written, flags=re.IGNORECASE)
    address = _DOT_FORMS.sub(".", _AT_FORMS.sub("@", written, count=1))
    return "".join(address.split())


_AT_WORD_ONLY = re.compile(_AT_WORD, re.IGNORECASE)
_HINTS = re.compile(r"[@＠﹫]|&#|&commat;|%40|\bat\b", re.IGNORECASE)


def _may_hold_an_address(text: str) -> bool:
    return _HINTS.search(text) is not None


def _reads_as_address(match: re.Match[str]) -> bool:
    """A plain "at" makes an address only beside a "dot" word or after a dotted name."""
    local = match.group()[: match.start("at") - match.start()]
    return bool(_WORDY_DOT.search(match.group(), match.end("at") - match.start())) or bool(
        _DOTTED_NAME.search(local)
    )
