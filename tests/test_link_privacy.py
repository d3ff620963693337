"""A link that carries an email address, a phone number or the submitter's name is not
published: the event still is, and the warning says why without repeating what it carried."""

from __future__ import annotations

import pytest

from smwsync.clean.link_privacy import personal_data_in_link
from smwsync.clean.names import SubmitterName
from smwsync.clean.validate import clean_response
from smwsync.model import Response, Severity

HANNAH = SubmitterName.of("Hannah Whitaker")


@pytest.mark.parametrize(
    ("link", "carried"),
    [
        ("https://book.example.org/?email=jo@example.org", ("email",)),
        ("https://book.example.org/?email=jo%40example.org", ("email",)),
        ("https://example.org/jo%40example.org/tickets", ("email",)),
        ("https://example.org/jo%2540example.org/", ("email",)),  # encoded twice
        ("https://example.org/contact/jo[at]example.org", ("email",)),
        ("https://wa.me/447700900118", ("phone",)),
        ("https://wa.me/15551234567", ("phone",)),
        ("https://api.whatsapp.com/send?phone=15551234567", ("phone",)),
        ("https://example.org/?mobile=0770 090 0123", ("phone",)),
        ("https://example.org/call/07700900123", ("phone",)),
        ("tel:07700900123", ("phone",)),
        ("https://example.org/?phone=07700900123&name=Hannah+Whitaker", ("phone", "name")),
        ("https://example.org/hannah-whitaker/talk", ("name",)),
        ("https://example.org/events/whitaker", ("name",)),
        ("https://example.org/?n=Hannah%20Whitaker", ("name",)),
    ],
)
def test_personal_data_in_any_part_of_a_link_is_found(link: str, carried: tuple[str, ...]) -> None:
    assert personal_data_in_link(link, name=HANNAH) == carried


@pytest.mark.parametrize(
    "link",
    [
        "https://www.eventbrite.co.uk/e/social-media-week-tickets-123456789012",
        "https://www.eventbrite.co.uk/e/tiktok-tickets-441731088277",
        "https://medium.com/@leedscc/post",
        "https://example.org/book?ref=12345678&date=2027-03-23",
        "https://www.example.gov.uk/files/2027/03/23/smw-01.pdf",
        "https://www.facebook.com/events/1234567890123456/",
        "https://example.org/hannah-tea",  # a first name alone names nobody
        "https://www.leedstownhall.example.org/whit-week",
        "https://example.org/?contact=hannah.whitaker@example.gov.uk",  # consented, below
    ],
)
def test_ordinary_links_are_kept(link: str) -> None:
    consented = "hannah.whitaker@example.gov.uk"
    assert personal_data_in_link(link, consented_email=consented, name=HANNAH) == ()


def test_the_event_stays_and_the_warning_names_what_the_link_carried_but_not_the_data() -> None:
    event, problems = clean_response(
        Response(
            4,
            {
                "title": "Tea camp",
                "submitter_name": "Hannah Whitaker",
                "link": "https://book.example.org/?email=jo%40example.org&n=Hannah+Whitaker",
            },
        ),
        find_council=lambda _: None,
    )
    assert event is not None and event.title == "Tea camp"
    assert event.link == ""
    (problem,) = [p for p in problems if p.field == "link"]
    assert (problem.row_number, problem.severity, problem.code) == (
        4,
        Severity.WARNING,
        "link_personal_data",
    )
    assert problem.message == (
        "We left the link off the map because it carries an email address and your name, and "
        "the map is public. Edit your response to give a link without personal details in it, "
        "like the booking page's own address; the event is on the map meanwhile."
    )


def test_a_link_with_the_consented_contact_email_is_published() -> None:
    link = "https://book.example.org/?contact=team%40leeds.gov.uk"
    event, problems = clean_response(
        Response(
            2,
            {
                "title": "Tea",
                "link": link,
                "contact_email": "team@leeds.gov.uk",
                "contact_consent": "Yes",
            },
        ),
        find_council=lambda _: None,
    )
    assert event is not None and event.link == link
    assert not [p for p in problems if p.field == "link"]


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("Hannah Whitaker", "https://calendly.com/hannahwhitaker"),
        ("Hannah Whitaker", "https://calendly.com/hwhitaker"),
        ("Hannah Whitaker", "https://linktr.ee/hannahwhitaker"),
        ("Hannah Whitaker", "https://linktr.ee/Hannah.Whitaker/"),
        ("WHITAKER, Hannah", "https://calendly.com/hannahwhitaker"),
        ("Zoë Brontë", "https://calendly.com/zoebronte"),
        ("Zoe Bronte", "https://example.org/zoë-brontë/"),
        ("Hannah Whitaker-Jones", "https://example.org/team/jones"),
        ("Hans Weiß", "https://calendly.com/hansweiss"),  # ß run together is "ss"
        ("Hans Weiß", "https://example.org/HWEISS/events"),
    ],
)
def test_the_name_run_together_or_as_initial_and_surname_is_found(name: str, link: str) -> None:
    assert personal_data_in_link(link, name=SubmitterName.of(name)) == ("name",)


def test_full_width_address_and_messaging_number_in_a_link_are_found() -> None:
    assert personal_data_in_link("https://x.org/?u=jo＠example．org") == ("email",)
    assert personal_data_in_link("https://x.org/?u=jo[@]example.org") == ("email",)


@pytest.mark.parametrize(
    "link",
    ["https://calendly.com/hannahs-bakery", "https://example.org/whitakers", "https://hw.org/"],
)
def test_links_that_only_share_letters_with_the_name_are_kept(link: str) -> None:
    assert personal_data_in_link(link, name=HANNAH) == ()
