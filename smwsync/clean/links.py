"""Web links and email addresses from the form, kept only when they are safe and well formed."""

from __future__ import annotations

import functools
import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

from smwsync.clean.text import clean_text, quoted
from smwsync.model import Note, Severity

_WRAPPERS = "<>\"'`“”‘’«»[]"
_TRAILING = ".,;:!?"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_TOP_LEVEL = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_LOCAL_PART = re.compile(r"^[^\s@<>()\[\],;:\"\\]+$")
_NOT_IN_LINKS = frozenset('<>"{}|\\^`')
# What a relative link to a file ends in; none of these is a top-level domain.
_WEB_PAGES = ("htm", "html", "php", "asp", "aspx", "jsp")
_FILE_ENDINGS = frozenset((*_WEB_PAGES, "pdf", "doc", "docx", "ppt", "pptx", "jpg", "png", "txt"))
_CREDENTIALS = re.compile(r"(^|//)[^/?#@\s]*@")
_EXAMPLE_LINK = "https://www.eventbrite.co.uk/e/…"
# Longer links are not published: no booking page needs one, and every browser and map opens
# links up to this length.
MAX_LINK_LENGTH = 2000


_SPACE = re.compile(r"\s")
_BRACKETED_ADDRESS = re.compile(r"[^<>]*<([^<>]*)>")  # "Jo Bloggs <jo@leeds.gov.uk>"


def clean_link(text: str) -> tuple[str, Note | None]:
    """Return a safe absolute http(s) link from what was typed, or "" and a warning.

    "www.eventbrite.co.uk/e/123" gains "https://". Surrounding <>, quotes and trailing
    punctuation are dropped. Anything else (javascript:, data:, file:, ftp:, mailto:, relative
    paths, spaces inside, a user name or password in the link, more than `MAX_LINK_LENGTH`
    characters) is refused.
    """
    typed = clean_text(text)
    if len(typed) > MAX_LINK_LENGTH:
        fault = f"is {len(typed):,} characters long, over the {MAX_LINK_LENGTH:,} a link may have"
        return "", _link_note(typed, fault, "link_too_long")
    link = _unwrap(typed)
    if not link:
        return "", None
    if _SPACE.search(link):
        return "", _link_note(typed, "has spaces in it")
    if not _NOT_IN_LINKS.isdisjoint(link):
        return "", _link_note(typed, "is not a web address")
    scheme = _SCHEME.match(link)
    if link.startswith("//"):
        link = "https:" + link
    elif not scheme or "." in scheme.group(1):  # "eventbrite.co.uk:443/…" is a host and port
        if _looks_like_file(link):
            return "", _link_note(typed, "is not a full web address")
        link = "https://" + link
    elif scheme.group(1).lower() not in ("http", "https"):
        return "", _link_note(typed, "is not a web page")
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        return "", _link_note(typed, "is not a web address")
    if "@" in parts.netloc:
        return "", _link_note(typed, "contains a user name or password", "link_has_password")
    host = _checked_host(parts.hostname or "")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "", _link_note(typed, "is not a web address")
    return _rebuild(parts, host, port), None


def clean_email(text: str) -> tuple[str, Note | None]:
    """Return a tidy email address (domain in lower case), or "" and a warning.

    Accepts "Name <jo@leeds.gov.uk>" and "mailto:jo@leeds.gov.uk"; needs exactly one @, a
    dotted domain and no spaces.
    """
    typed = clean_text(text)
    address = typed
    bracketed = _BRACKETED_ADDRESS.fullmatch(address)
    if bracketed:
        address = bracketed.group(1)
    address = _unwrap(address)
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :].strip()
    if not address:
        return "", None
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    if (
        at
        and len(address) <= 254
        and _LOCAL_PART.match(local)
        and _sane_local(local)
        and _checked_host(domain)
    ):
        return f"{local}@{domain}", None
    note = Note(
        Severity.WARNING,
        "email_invalid",
        f"The email address {quoted(typed)} does not look right; "
        "give one address, like name@council.gov.uk.",
    )
    return "", note


def _unwrap(text: str) -> str:
    """Strip quotes and brackets around a link or address and punctuation after it.

    One pass from each end, keeping count of the brackets inside, so the time is linear in the
    text however deeply it is wrapped ("((((...link...))))").
    """
    start, end = 0, len(text)
    opens, closes = text.count("("), text.count(")")
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _WRAPPERS):
            start += 1
        while end > start and (
            text[end - 1].isspace() or text[end - 1] in _WRAPPERS or text[end - 1] in _TRAILING
        ):
            end -= 1
        if end > start and text[end - 1] == ")" and closes > opens:
            end, closes = end - 1, closes - 1
        if end > start and text[start] == "(" and opens > closes:
            start, opens = start + 1, opens - 1
        if end - start >= 2 and text[start] == "(" and text[end - 1] == ")":
            start, end, opens, closes = start + 1, end - 1, opens - 1, closes - 1
        if (start, end) == before:
            return text[start:end]


def _looks_like_file(link: str) -> bool:
    host = re.split(r"[/?#:]", link, maxsplit=1)[0]
    return host.rpartition(".")[2].lower() in _FILE_ENDINGS


def _checked_host(host: str) -> str:
    """The host in lower case when it is a dotted domain name or IPv4 address, else ""."""
    # A sheet names a few hosts and email domains many times: each is checked once.
    return _remembered_host(host) if len(host) <= _LONGEST_HOST else _host_checked(host)


_LONGEST_HOST = 253  # the longest a domain name may be


@functools.lru_cache(maxsize=4096)
def _remembered_host(host: str) -> str:
    return _host_checked(host)


def _host_checked(host: str) -> str:
    host = host.lower().rstrip(".")
    if _IPV4.match(host):
        return host if all(int(part) <= 255 for part in host.split(".")) else ""
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return ""
    return host if _TOP_LEVEL.match(labels[-1]) else ""


def _sane_local(local: str) -> bool:
    return (
        len(local) <= 64
        and not local.startswith(".")
        and not local.endswith(".")
        and (".." not in local)
    )


def _rebuild(parts: SplitResult, host: str, port: int | None) -> str:
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def _link_note(typed: str, fault: str, code: str = "link_invalid") -> Note:
    shown = _CREDENTIALS.sub(r"\1…@", typed)
    return Note(
        Severity.WARNING,
        code,
        f"The link {quoted(shown)} {fault}; give a web link starting https://, "
        f"like {_EXAMPLE_LINK}",
    )
