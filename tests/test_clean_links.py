"""Links and email addresses: only safe, well-formed ones reach the public map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.clean.links import clean_email, clean_link
from smwsync.model import Severity

any_text = st.text(st.characters(codec=None, categories=None), max_size=200)


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("https://www.leeds.gov.uk/events", "https://www.leeds.gov.uk/events"),
        ("www.eventbrite.co.uk/e/123", "https://www.eventbrite.co.uk/e/123"),
        ("eventbrite.co.uk/e/1", "https://eventbrite.co.uk/e/1"),
        ("HTTPS://WWW.Cardiff.gov.uk/Digwyddiadau", "https://www.cardiff.gov.uk/Digwyddiadau"),
        ("<https://www.belfastcity.gov.uk/events>", "https://www.belfastcity.gov.uk/events"),
        ('"https://www.glasgow.gov.uk/smw".', "https://www.glasgow.gov.uk/smw"),
        ("(https://x.com/leedscc)", "https://x.com/leedscc"),
        (
            "https://en.wikipedia.org/wiki/Leeds_(city))",
            "https://en.wikipedia.org/wiki/Leeds_(city)",
        ),
        ("http://example.org/a?b=c#d", "http://example.org/a?b=c#d"),
        ("//www.gov.uk/", "https://www.gov.uk/"),
        ("www.example.org:8443/x", "https://www.example.org:8443/x"),
        ("https://medium.com/@leedscc/post", "https://medium.com/@leedscc/post"),
        ("https://cymraeg.llyw.cymru/", "https://cymraeg.llyw.cymru/"),
        ("", ""),
    ],
)
def test_good_links_are_kept_and_tidied(typed: str, link: str) -> None:
    assert clean_link(typed) == (link, None)


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "file:///C:/Users/jo/event.docx",
        "ftp://files.leeds.gov.uk/poster.pdf",
        "mailto:events@leeds.gov.uk",
        "/events/social-media-week",
        "poster.pdf",
        "see the intranet",
        "https://www.leeds.gov.uk/my event",
        "https://",
        "https://localhost/",
        "https://www.leeds.gov.uk:99999/",
        "TBC",
    ],
)
def test_unsafe_or_broken_links_are_refused_with_a_warning(typed: str) -> None:
    link, note = clean_link(typed)
    assert link == ""
    assert note is not None
    assert note.severity is Severity.WARNING
    assert note.code == "link_invalid"
    assert "https://" in note.message


def test_warning_names_the_link_and_the_fix() -> None:
    _, note = clean_link("javascript:alert(1)")
    assert note is not None
    assert note.message == (
        "The link 'javascript:alert(1)' is not a web page; give a web link starting https://, "
        "like https://www.eventbrite.co.uk/e/…"
    )


def test_link_with_a_password_is_refused_without_repeating_the_password() -> None:
    link, note = clean_link("https://events:Secret123@intranet.leeds.gov.uk/smw")
    assert link == ""
    assert note is not None
    assert note.code == "link_has_password"
    assert "Secret123" not in note.message
    assert "events" not in note.message.split("@")[0]
    assert "intranet.leeds.gov.uk/smw" in note.message


@pytest.mark.parametrize(
    ("typed", "email"),
    [
        ("jo.bloggs@leeds.gov.uk", "jo.bloggs@leeds.gov.uk"),
        ("  Jo.Bloggs@LEEDS.GOV.UK ", "Jo.Bloggs@leeds.gov.uk"),
        ("Comms Team <comms@cardiff.gov.uk>", "comms@cardiff.gov.uk"),
        ("mailto:digital@belfastcity.gov.uk", "digital@belfastcity.gov.uk"),
        ("<smw+2026@glasgow.gov.uk>.", "smw+2026@glasgow.gov.uk"),
        ("", ""),
    ],
)
def test_good_email_addresses_are_kept(typed: str, email: str) -> None:
    assert clean_email(typed) == (email, None)


@pytest.mark.parametrize(
    "typed",
    [
        "jo.bloggs",
        "jo@leeds",
        "jo@@leeds.gov.uk",
        "jo bloggs@leeds.gov.uk",
        "jo@leeds.gov.uk, sam@leeds.gov.uk",
        "jo@leeds..gov.uk",
        ".jo@leeds.gov.uk",
        "@leeds.gov.uk",
        "n/a",
    ],
)
def test_bad_email_addresses_are_refused_with_a_warning(typed: str) -> None:
    email, note = clean_email(typed)
    assert email == ""
    assert note is not None
    assert note.severity is Severity.WARNING
    assert note.code == "email_invalid"


def test_email_warning_names_what_was_typed() -> None:
    _, note = clean_email("jo@leeds")
    assert note is not None
    assert note.message == (
        "The email address 'jo@leeds' does not look right; "
        "give one address, like name@council.gov.uk."
    )


@settings(max_examples=200, deadline=None)
@given(st.one_of(any_text, st.from_regex(r"\A[a-z:/.@ <>()'\"]{0,40}\Z")))
def test_links_and_emails_never_raise_and_keep_only_web_links(text: str) -> None:
    link, note = clean_link(text)
    assert link == "" or link.startswith(("https://", "http://"))
    assert link == "" or note is None
    email, note = clean_email(text)
    assert email == "" or (email.count("@") == 1 and note is None)
    assert not any(char.isspace() for char in link + email)


def test_a_link_over_2000_characters_is_not_published_and_the_warning_says_why() -> None:
    fits = "https://x.com/" + "a" * (2000 - len("https://x.com/"))
    assert clean_link(fits) == (fits, None)
    link, note = clean_link(fits + "a")
    assert link == ""
    assert note is not None and note.code == "link_too_long"
    assert note.severity is Severity.WARNING
    assert "2,001 characters long, over the 2,000 a link may have" in note.message
    assert len(note.message) < 300  # the link is quoted shortened, not in full
    assert clean_link("https://x.com/" + "a" * 100_000)[1].code == "link_too_long"


def test_a_link_inside_thousands_of_brackets_is_unwrapped() -> None:
    assert clean_link("(" * 900 + "https://x.com/a" + ")" * 900) == ("https://x.com/a", None)
    assert clean_email("(" * 20_000 + "<jo@x.com>" + ")" * 20_000) == ("jo@x.com", None)
    assert clean_email("a" * 100_000 + "@x.com")[0] == ""
