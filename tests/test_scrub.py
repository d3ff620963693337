"""Email addresses and phone numbers typed into public text are taken out before publishing."""

from __future__ import annotations

import re
import unicodedata
from unicodedata import combining

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smwsync.clean.scrub import EMAIL_MARKER, PHONE_MARKER, removed_note, scrub_personal_data
from smwsync.clean.validate import clean_response
from smwsync.model import Response, Severity


def no_council(text: str) -> None:
    return None


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "(0113) 496 0000",
        "0113 496 0000",
        "0113-496-0000",
        "0113.496.0000",
        "020 7946 0000",
        "028 9018 1234",
        "01632 960123",
        "0800 123 4567",
        "0800 123456",
        "0345 600 1234",
        "+1 202 555 0143",
        "+500 12345",  # the Falklands: the fewest digits a number has, 8
        "447700900118",
        "44 (0)7700 900118",
        "00353 1 234 5120",
        "001 212 555 0100",
        "0044 7700 900118",
        "07700/900/118",
        "0113/496/0000",
        "07700_900_118",
        "O77OO 9OO118",
        "O7700 900118",  # the letter O only before digits
        "0770o 900118",  # a small o only after them
        "0113 496 OOOO",
        "０７７００ ９００１１８",  # full-width
        "＋４４ ７７００ ９００１１８",
        "٠٧٧٠٠ ٩٠٠١١٨",  # Arabic-Indic
        "०७७०० ९००११८",  # Devanagari
        "⁰⁷⁷⁰⁰ ⁹⁰⁰¹¹⁸",  # superscript: digits to str.isdigit, though not to a regex's \d
    ],
)
def test_every_way_of_writing_a_phone_number_is_removed(number: str) -> None:
    text, kinds = scrub_personal_data(f"Ring {number} to book.")
    assert text == f"Ring {PHONE_MARKER} to book."
    assert kinds == ("phone",)


@pytest.mark.parametrize(
    "text",
    [
        "On 23/03/2027 from 14:00 to 16:00",
        "01.02.2027 12.00",
        "Room 101, 2 Park Row, LS1 5HD",
        "Call 999, 111 or 101",
        "Booking reference 012345678901234",
        "ISBN 978-0-306-40615-7",
        "Tickets £1,000,000 raised in 2026",
        "Timestamp 2026-11-20 10:15:00",
        "Event ID smw-0123456789ab",
        "On 01/02/2027 14:00 to 16:00",
        "01/02/2027 1400",
        "Meet 05/03/27 1400 sharp",
        "Tuesday 23rd March 2027, 2pm-4pm (doors 1.45pm)",
        "22/03/2027-26/03/2027",
        "Tickets £12.50, concessions £7.50; 250 places",
        "Meet at 10.30 at the hall, Room 2.14, floor 3",
        "Book at eventbrite.co.uk or www.leeds.gov.uk/smw",
        "https://www.eventbrite.co.uk/e/social-media-week-tickets-123456789012",
        "Zoom meeting ID 812 3456 7890, passcode 271828",
        "Charity number 1234567, company 01234567",
        "Grid reference SE 29871 33421",
        "Buses 1, 6, 42 and 50A stop outside",
        "Football 3-0, 2026/27 season",
        "Bring your O-level notes and a Zoo pass",
        "Teams meeting ID: 443 647 986 834",
        "Order #447700900118",
        "https://www.eventbrite.co.uk/e/tiktok-tickets-441731088277",
        "Event smw-cd0157027657",
        "Build deadbeef0113496000",
    ],
)
def test_dates_times_postcodes_and_other_numbers_are_left_alone(text: str) -> None:
    assert scrub_personal_data(text) == (text, ())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Email jo.bloggs@leeds.gov.uk for details", f"Email {EMAIL_MARKER} for details"),
        ("(JO.Bloggs@Leeds.GOV.uk)", f"({EMAIL_MARKER})"),
        ("Write to mailto:jo@example.org.", f"Write to {EMAIL_MARKER}."),
        ("jo @ example.org", EMAIL_MARKER),
        ("jo＠example.org", EMAIL_MARKER),
        ("<jo+smw@example.co.uk>", f"<{EMAIL_MARKER}>"),
        ("Write to jo at example dot com today", f"Write to {EMAIL_MARKER} today"),
        ("JO AT EXAMPLE DOT CO DOT UK", EMAIL_MARKER),
        ("jo[at]example.com", EMAIL_MARKER),
        ("jo [at] example [dot] com", EMAIL_MARKER),
        ("jo(at)example.com", EMAIL_MARKER),
        ("jo (at) example (dot) co.uk", EMAIL_MARKER),
        ("jo{at}example.org", EMAIL_MARKER),
        ("jo&#64;example.com", EMAIL_MARKER),
        ("jo&#x40;example.com", EMAIL_MARKER),
        ("jo&commat;example.com", EMAIL_MARKER),
        ("jo%40example.com", EMAIL_MARKER),
        ("jo.bloggs at leeds.gov.uk", EMAIL_MARKER),
    ],
)
def test_email_addresses_are_removed(typed: str, expected: str) -> None:
    assert scrub_personal_data(typed) == (expected, ("email",))


@pytest.mark.parametrize(
    "text",
    [
        "Book at eventbrite.co.uk",
        "Find us at leeds.gov.uk/smw from 10.30",
        "Tea at the hall dot com",
        "Meet at 10.30 at the Civic Hall",
        "@leedscc on Instagram, #SMW2027",
        "https://medium.com/@leedscc/post",
    ],
)
def test_words_that_only_look_a_little_like_an_address_are_left_alone(text: str) -> None:
    assert scrub_personal_data(text) == (text, ())


def test_a_disguised_consented_email_may_stay_too() -> None:
    text = "Write to team at leeds dot gov dot uk or jo[at]leeds.gov.uk"
    scrubbed, kinds = scrub_personal_data(text, consented_email="Team@Leeds.gov.uk")
    assert scrubbed == f"Write to team at leeds dot gov dot uk or {EMAIL_MARKER}"
    assert kinds == ("email",)


def test_a_number_glued_to_a_word_goes_and_the_word_stays() -> None:
    assert scrub_personal_data("Mob07700900119, Tel:01134960000") == (
        f"Mob{PHONE_MARKER}, Tel:{PHONE_MARKER}",
        ("phone",),
    )


def test_digits_in_an_address_go_with_the_address() -> None:
    assert scrub_personal_data("jo07700900123@example.org") == (EMAIL_MARKER, ("email",))


def test_the_consented_contact_email_may_stay_and_no_other() -> None:
    text = "Ask Team@Leeds.gov.uk, not jo.private@leeds.gov.uk or 07700 900123"
    scrubbed, kinds = scrub_personal_data(text, consented_email="team@leeds.gov.uk")
    assert scrubbed == f"Ask Team@Leeds.gov.uk, not {EMAIL_MARKER} or {PHONE_MARKER}"
    assert kinds == ("email", "phone")


def test_the_same_text_is_scrubbed_again_for_each_consent() -> None:
    """A title repeated down the sheet is searched once, but whose consent lets an address
    stay is each row's own, in whichever order the rows come."""
    text = "Tea with jo@example.org"
    for _ in range(2):
        assert scrub_personal_data(text, consented_email="jo@example.org") == (text, ())
        assert scrub_personal_data(text) == (f"Tea with {EMAIL_MARKER}", ("email",))


def test_the_warning_says_what_was_removed_and_never_repeats_it() -> None:
    note = removed_note(("email", "phone"), "description")
    assert note is not None and note.severity is Severity.WARNING
    assert note.code == "personal_data_removed"
    assert "an email address and a phone number" in note.message
    assert "description" in note.message
    assert removed_note((), "description") is None


def clean(**values: str):
    return clean_response(Response(7, values), find_council=no_council)


def test_a_row_keeps_its_consented_email_in_the_description_with_no_warning() -> None:
    event, problems = clean(
        title="Open data drop-in",
        description="Questions? Email team@leeds.gov.uk.",
        contact_email="team@leeds.gov.uk",
        contact_consent="Yes, I agree",
    )
    assert event is not None
    assert event.description == "Questions? Email team@leeds.gov.uk."
    assert not [p for p in problems if p.code == "personal_data_removed"]


def test_without_consent_the_contact_email_is_removed_from_free_text_too() -> None:
    event, problems = clean(
        title="Open data drop-in",
        description="Questions? Email team@leeds.gov.uk.",
        contact_email="team@leeds.gov.uk",
        contact_consent="No",
    )
    assert event is not None
    assert event.description == f"Questions? Email {EMAIL_MARKER}."
    (problem,) = [p for p in problems if p.code == "personal_data_removed"]
    assert (problem.row_number, problem.field, problem.severity) == (
        7,
        "description",
        Severity.WARNING,
    )
    assert "team@leeds.gov.uk" not in problem.message


def test_every_public_text_field_is_scrubbed_and_warned_about_by_name() -> None:
    secret = "Call Jo on 07700 900456 or jo.private@example.org"
    fields = ("title", "description", "venue", "address", "aims", "audience", "event_type")
    event, problems = clean(
        council=secret, formats=f"Online, {secret}", **dict.fromkeys(fields, secret)
    )
    assert event is not None
    for value in (
        *(getattr(event, name) for name in fields),
        event.council,
        event.other_format,
    ):
        assert "07700" not in value and "jo.private" not in value
        assert PHONE_MARKER in value and EMAIL_MARKER in value
    warned = {p.field for p in problems if p.code == "personal_data_removed"}
    assert warned == {*fields, "council", "formats"}
    assert not any("07700" in p.message or "jo.private" in p.message for p in problems)


def test_private_fields_are_not_scrubbed_they_are_never_published() -> None:
    event, problems = clean(
        title="Tea", submitter_name="Jo 07700 900456", submitter_email="jo@example.org"
    )
    assert event is not None
    assert event.submitter_email == "jo@example.org"
    assert not [p for p in problems if p.code == "personal_data_removed"]


def test_scrubbing_comes_before_the_cut_so_no_half_address_is_left() -> None:
    description = "x " * 995 + "jo.private@example.org and more text after it"
    event, _ = clean_response(
        Response(2, {"title": "Tea", "description": description}),
        find_council=no_council,
        text_limit=2000,
    )
    assert event is not None
    assert "jo.pri" not in event.description and "@" not in event.description


def test_huge_text_is_scrubbed_and_what_is_not_personal_stays() -> None:
    # How fast: tests/test_linear_time.py and bench/cleaner_speed.py.
    assert scrub_personal_data("a" * 100_000 + "@example.org") == (EMAIL_MARKER, ("email",))
    for text in ("1" * 100_000, "0 " * 50_000, "a@" * 50_000):
        assert scrub_personal_data(text) == (text, ())
    numbers = "Ring 07700 900123. " * 5_000
    assert scrub_personal_data(numbers) == (f"Ring {PHONE_MARKER}. " * 5_000, ("phone",))


# A number straight after one of these words is a reference, left on purpose (README).
NOT_A_PHONE_AFTER = re.compile(
    r"\b(?:id|ref|reference|order|booking|ticket|invoice|account|event|meeting|webinar|"
    r"passcode|code|no)\b(?:\W{0,3}(?:number|no|num)\b)?\W{0,3}$",
    re.IGNORECASE,
)
UK_MOBILE = st.from_regex(r"07[1-9]\d{2} ?\d{3} ?\d{3}", fullmatch=True)
WORDS = st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(before=WORDS, number=UK_MOBILE, after=WORDS)
def test_a_mobile_number_anywhere_in_words_is_removed(before: str, number: str, after: str) -> None:
    folded = "".join(c for c in unicodedata.normalize("NFKD", before) if not combining(c))
    assume(not NOT_A_PHONE_AFTER.search(folded + " "))  # "ŃO" is read as "No" too
    scrubbed, kinds = scrub_personal_data(f"{before} {number} {after}")
    assert kinds == ("phone",)
    assert number.replace(" ", "") not in scrubbed.replace(" ", "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("WhatsApp wa.me/447700900118 today", f"WhatsApp {PHONE_MARKER} today"),
        ("https://api.whatsapp.com/send?phone=447700900118.", f"{PHONE_MARKER}."),
        ("write to jo[@]example.org", f"write to {EMAIL_MARKER}"),
        ("write to jo(@)example.org", f"write to {EMAIL_MARKER}"),
        ("write to jo{@}example.org", f"write to {EMAIL_MARKER}"),
        ("ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ", EMAIL_MARKER),
        ("to jo＠example．org now", f"to {EMAIL_MARKER} now"),
        ("Call 07700—900123", f"Call {PHONE_MARKER}"),
        ("Call 07700−900124", f"Call {PHONE_MARKER}"),
        ("Call 07700·900·123", f"Call {PHONE_MARKER}"),
        ("Call\n07700\n900125", f"Call\n{PHONE_MARKER}"),
        ("Phone no: 447700900126", f"Phone no: {PHONE_MARKER}"),
        ("Tel no 447700900126", f"Tel no {PHONE_MARKER}"),
        ("07700-900-123ext 4", f"{PHONE_MARKER}ext 4"),
        ("07700900123/4", f"{PHONE_MARKER}/4"),
        ("Dad07700900123", f"Dad{PHONE_MARKER}"),
    ],
)
def test_the_ways_a_reviewer_slipped_past_are_caught(typed: str, expected: str) -> None:
    assert scrub_personal_data(typed)[0] == expected


@pytest.mark.parametrize(
    "link",
    [
        "WA.ME/447700900118",
        "https://api.WhatsApp.com/send?phone=447700900118",
        "Web.WhatsApp.com/send/?phone=447700900118",
        "Signal.me/#p/447700900118",
        "T.ME/447700900118",
        "Viber.Click/447700900118",
    ],
)
def test_a_messaging_link_in_any_case_goes_whole(link: str) -> None:
    assert scrub_personal_data(f"Message {link} today") == (
        f"Message {PHONE_MARKER} today",
        ("phone",),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Order 0123456789",
        "Order number: 0123456789",
        "Zoom ID 0843 123 4567",
        "Meeting ID: 0843 123 4567",
        "Event 00123456789",
        "Booking ref 01234 567890",
        "Mon 23 03 2027 10 00",
        "Scores 0-1 2-3 4-5 6-7 8-9",
        "Hash smw-0123456789ab and id ab0123456789",
        "https://t.me/joinchat/abcdef",
    ],
)
def test_references_meeting_ids_spaced_dates_and_scores_stay(text: str) -> None:
    assert scrub_personal_data(text) == (text, ())


def test_a_word_starting_with_o_after_a_time_is_not_read_as_a_zero() -> None:
    text = "Open 09:00-17:00. Order 0930495928 at the desk."
    assert scrub_personal_data(text) == (text, ())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Call07700900119now", f"Call{PHONE_MARKER}now"),
        ("ring01632960123today", f"ring{PHONE_MARKER}today"),
        ("tel:07700900119.", f"tel:{PHONE_MARKER}."),
        ("Tel.07700900119Thanks", f"Tel.{PHONE_MARKER}Thanks"),
        ("Ring 07700900119now or later", f"Ring {PHONE_MARKER}now or later"),
        ("Text+447700900119please", f"Text{PHONE_MARKER}please"),
        ("CALL07700900119NOW", f"CALL{PHONE_MARKER}NOW"),
        ("ring07700900119dad", f"ring{PHONE_MARKER}dad"),  # hex letters, but after "ring"
        ("mob07700900119Ext 4", f"mob{PHONE_MARKER}Ext 4"),
        ("Phone(0113)4960000asap", f"Phone{PHONE_MARKER}asap"),
        ("Ring07700900119on Monday", f"Ring{PHONE_MARKER}on Monday"),  # "on", not "0n"
        ("Call 020 7946 0000Open late", f"Call {PHONE_MARKER}Open late"),
        ("See +44 7700 900119 12ab", f"See {PHONE_MARKER} 12ab"),  # the shorter reading
    ],
)
def test_a_number_glued_to_words_on_both_sides_goes_and_the_words_stay(
    typed: str, expected: str
) -> None:
    assert scrub_personal_data(typed) == (expected, ("phone",))


@pytest.mark.parametrize(
    "text",
    [
        "id 0123456789ab",
        "hash 0123456789abcdef0123",
        "commit 3f0123456789abcd",
        "Build deadbeef0113496000cafe",
        "Ref SMW01632960123X",
        "Voucher AB07700900119CD",
        "Code 01632960123GB",
        "Room 2B01632",
        "Room 2B01632960123",
        "Desk 4C07700900119west",
        "Token 07700900119ab12",
        "Sample 01632960123x",
    ],
)
def test_hex_ids_and_references_with_letters_round_digits_stay(text: str) -> None:
    assert scrub_personal_data(text) == (text, ())


GLUED_BEFORE = st.from_regex(r"[A-Za-z]{1,5}[g-zG-Z][a-z]{0,5}", fullmatch=True)
GLUED_AFTER = st.from_regex(r"[a-z]{1,5}[g-z][a-z]{0,5}", fullmatch=True)
HEX_ID = st.from_regex(r"[0-9a-f]{12,40}", fullmatch=True).filter(lambda h: not h.isdigit())


@settings(max_examples=100, deadline=None)
@given(before=GLUED_BEFORE, number=UK_MOBILE, after=GLUED_AFTER)
def test_a_mobile_number_glued_between_two_words_is_removed(
    before: str, number: str, after: str
) -> None:
    assume(not NOT_A_PHONE_AFTER.search(before + " "))  # "Ref07700...": a reference
    number = number.replace(" ", "")
    assert scrub_personal_data(f"{before}{number}{after}") == (
        f"{before}{PHONE_MARKER}{after}",
        ("phone",),
    )


@settings(max_examples=100, deadline=None)
@given(hex_id=HEX_ID)
def test_a_hex_id_is_never_taken_for_a_phone_number(hex_id: str) -> None:
    text = f"Build {hex_id} passed"
    assert scrub_personal_data(text) == (text, ())


@pytest.mark.parametrize(
    "number",
    [
        "(555) 123-4567",
        "(555)123-4567",
        "(555) 123 4567",
        "(555) 123.4567",
        "555-123-4567",
        "555.123.4567",
        "555–123–4567",  # en dashes, as a word processor writes them
        "1-555-123-4567",
        "1 (555) 123-4567",
        "1.555.123.4567",
        "(212) 555-0143 ext 12",
    ],
)
def test_a_north_american_number_without_a_plus_is_removed(number: str) -> None:
    text, kinds = scrub_personal_data(f"Our Boston office: {number}, weekdays.")
    assert kinds == ("phone",)
    assert text.startswith(f"Our Boston office: {PHONE_MARKER}")
    assert not any(part in text for part in ("555", "4567", "0143"))


def test_a_north_american_number_with_spaces_only_goes_after_a_word_for_a_phone() -> None:
    assert scrub_personal_data("Call 555 123 4567 any time") == (
        f"Call {PHONE_MARKER} any time",
        ("phone",),
    )
    assert scrub_personal_data("Tel: 212 555 0143.") == (f"Tel: {PHONE_MARKER}.", ("phone",))


@pytest.mark.parametrize(
    "text",
    [
        "Zoom 812 345 6789 opens at 10",  # a ten-digit meeting id, written 3-3-4
        "Meeting ID: 812-345-6789",
        "Order 555-123-4567",
        "Runs 2026-2027-2028, 9.30-10.30 each day",
        "Ages 8-12, 250-300 people, 1999-2000",
        "Tickets £250.000, 100.200.3000 views",
        "IP 192.168.100.1, version 1.2.3",
        "Dates 23.03.2027 and 2027.03.23, 03-23-2027",
        "Postcodes LS1 5HD and SW1A 1AA; 10-12-2027 14:00-16:00",
        "Seats 220 200 3000 in three halls",
        "Part 155-123-4567",  # no area code starts 1
        "Serial 5551-123-4567 and 555-123-45678",  # longer than a number
        "Slug tickets-555-123-4567 and v2.555.123.4567",
        "Room 223-456-7890B",
    ],
)
def test_years_times_ranges_prices_and_ids_are_not_taken_for_american_numbers(text: str) -> None:
    assert scrub_personal_data(text) == (text, ())


def test_a_pasted_american_contact_leaves_the_published_description() -> None:
    event, problems = clean(
        title="Tea",
        description="Our US partner: Jo, (617) 555-0182 or 617.555.0182; Call07700900119now.",
    )
    assert event is not None
    assert event.description == (
        f"Our US partner: Jo, {PHONE_MARKER} or {PHONE_MARKER}; Call{PHONE_MARKER}now."
    )
    assert [p.field for p in problems if p.code == "personal_data_removed"] == ["description"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Mum 07700900111Dad 07700900119", f"Mum {PHONE_MARKER}Dad {PHONE_MARKER}"),
        ("Ask for 07700900119Bea at the door", f"Ask for {PHONE_MARKER}Bea at the door"),
        ("On 01632960123Cafe Nero hosts", f"On {PHONE_MARKER}Cafe Nero hosts"),
    ],
)
def test_a_number_run_into_a_capitalised_word_of_hex_letters_goes(
    typed: str, expected: str
) -> None:
    # "Dad", "Bea", "Cafe" are spelled with a to f, but an id is written in small letters
    # (or in capitals alone): a capitalised word is a word, as it is before a number.
    assert scrub_personal_data(typed) == (expected, ("phone",))


@pytest.mark.parametrize(
    "text",
    [
        "Book club: we read ISBN 0-306-40615-2 this month.",
        "Bring your copy (isbn: 0 14 044913 6).",
        "ISBN-10 0306406152",
    ],
)
def test_an_isbn_of_ten_digits_starting_0_stays(text: str) -> None:
    # Shaped as a UK number (0 and 9 digits), but "ISBN" says it is a book.
    assert scrub_personal_data(text) == (text, ())


@pytest.mark.parametrize(
    "label",
    ["Contact no:", "Contact No", "WhatsApp no.", "Fax no", "Txt no", "SMS no:", "Mob no:"],
)
def test_a_number_after_any_word_for_a_phone_and_no_goes(label: str) -> None:
    # "no" after a word for a phone is "number", not a reference (the README's "and the like").
    assert scrub_personal_data(f"{label} 07700 900119, evenings.") == (
        f"{label} {PHONE_MARKER}, evenings.",
        ("phone",),
    )
