"""Form responses become events and problems a member of staff can act on."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from smwsync.clean.identity import IdKey, legacy_event_id
from smwsync.clean.validate import clean_responses, event_id
from smwsync.model import FORM_FIELDS, Location, Precision, Problem, Response, Severity

LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time, when all these were sent


@dataclass(frozen=True)
class Council:
    name: str
    official_name: str
    code: str
    former_name: str = ""


COUNCILS = [
    Council("Leeds", "Leeds City Council", "E08000035"),
    Council("Bradford", "City of Bradford Metropolitan District Council", "E08000032"),
    Council("Cardiff", "Cardiff Council", "W06000015"),
    Council("Belfast", "Belfast City Council", "N09000003"),
    Council("Glasgow City", "Glasgow City Council", "S12000049"),
]
NAMES = {
    name.casefold(): council
    for council in COUNCILS
    for name in (council.name, council.official_name, council.name.split()[0])
}
NAMES["cyngor caerdydd"] = COUNCILS[2]


def find_council(text: str) -> Council | None:
    """Test data standing in for the gazetteer: exact names and aliases, any case."""
    return NAMES.get(" ".join(text.casefold().split()))


def leeds_row(row_number: int = 2, **changes: str) -> Response:
    values = {
        "timestamp": "30/04/2026 15:31:44",
        "submitter_email": "Jo.Bloggs@leeds.gov.uk",
        "submitter_name": "Jo Bloggs",
        "council": "Leeds City Council",
        "title": "Social media surgery",
        "event_type": "Drop-in",
        "formats": "Face-to-face, Online (Teams/Zoom)",
        "date": "23/09/2026",
        "start_time": "10:00:00",
        "end_time": "12:30:00",
        "venue": "Central Library",
        "address": "Calverley Street\nLeeds\nLS1 3AB",
        "postcode": "",
        "link": "www.leeds.gov.uk/smw",
        "description": "Bring your questions.\r\n\r\n\r\nTea provided.",
        "aims": "Help residents get online",
        "audience": "Residents",
        "contact_email": "SMW@Leeds.GOV.UK",
        "contact_consent": "Yes",
        "approved": "Approved",
    }
    values.update(changes)
    return Response(row_number, values, "test")


def clean(*responses: Response, **options: object):  # type: ignore[no-untyped-def]
    return clean_responses(responses, find_council=find_council, **options)  # type: ignore[arg-type]


def problems_of(problems: tuple[Problem, ...], field: str) -> list[Problem]:
    return [problem for problem in problems if problem.field == field]


def test_a_complete_answer_becomes_an_event() -> None:
    result = clean(leeds_row())
    assert result.problems == ()
    assert result.rows_read == 1
    (event,) = result.events
    assert re.fullmatch(r"smw-[0-9a-f]{12}", event.id)
    assert event.title == "Social media surgery"
    assert event.row_number == 2
    assert (event.council, event.council_code) == ("Leeds City Council", "E08000035")
    assert event.event_type == "Drop-in"
    assert event.formats == ("face-to-face", "online")
    assert event.date == dt.date(2026, 9, 23)
    assert (event.start_time, event.end_time) == (dt.time(10, 0), dt.time(12, 30))
    assert event.venue == "Central Library"
    assert event.address == "Calverley Street, Leeds, LS1 3AB"
    assert event.postcode == "LS1 3AB"  # found in the address
    assert event.link == "https://www.leeds.gov.uk/smw"
    assert event.description == "Bring your questions.\n\nTea provided."
    assert event.contact_email == "SMW@leeds.gov.uk"
    assert event.contact_consent is True
    assert event.submitter_email == "Jo.Bloggs@leeds.gov.uk"
    assert event.submitter_name == "Jo Bloggs"
    assert event.approved == "approved"
    assert event.submitted_at == dt.datetime(2026, 4, 30, 15, 31, 44, tzinfo=LONDON)
    assert event.given_location is None


def test_welsh_text_emoji_and_a_time_range_in_the_start_box() -> None:
    row = Response(
        7,
        {
            "timestamp": "02/05/2026 09:12:00",
            "council": "Cyngor Caerdydd",
            "title": "Sgwrs â’r cyngor 👩\u200d💻",
            "formats": "In person",
            "date": "Tue 22 Sept",
            "start_time": "2pm - 4pm",
            "end_time": "",
            "postcode": "cf10 4uw",
            "description": "Dewch i\u00a0ddweud\u200b helo",
            "contact_consent": "no",
        },
    )
    result = clean(row)
    (event,) = result.events
    assert event.title == "Sgwrs â’r cyngor 👩\u200d💻"
    assert (event.council, event.council_code) == ("Cardiff Council", "W06000015")
    assert event.date == dt.date(2026, 9, 22)  # the year comes from the timestamp
    assert (event.start_time, event.end_time) == (dt.time(14, 0), dt.time(16, 0))
    assert event.postcode == "CF10 4UW"
    assert event.description == "Dewch i ddweud helo"
    assert event.contact_consent is False
    assert event.approved == "pending"
    assert result.problems == ()


def test_blank_rows_are_skipped_silently() -> None:
    blank = Response(3, {field: " " for field in FORM_FIELDS})
    result = clean(leeds_row(2), blank, Response(4, {}))
    assert [event.row_number for event in result.events] == [2]
    assert result.problems == ()
    assert result.rows_read == 3


def test_an_answer_without_a_title_is_an_error_and_not_an_event() -> None:
    result = clean(leeds_row(5, title=" \u200b "))
    assert result.events == ()
    assert result.problems == (
        Problem(
            5,
            "title",
            Severity.ERROR,
            "title_missing",
            "This answer has no event title; edit your response to the form and give the "
            "event a title, so it can go on the map.",
        ),
    )


def test_unknown_council_keeps_what_was_typed_and_suggests_councils() -> None:
    result = clean(leeds_row(council="Leeds and Bradford"))
    (event,) = result.events
    assert (event.council, event.council_code) == ("Leeds and Bradford", "")
    (problem,) = problems_of(result.problems, "council")
    assert problem.severity is Severity.WARNING
    assert problem.code == "council_unknown"
    assert problem.message == (
        "We could not find the council 'Leeds and Bradford'; did you mean Leeds City Council or "
        "City of Bradford Metropolitan District Council? Name one council."
    )


def test_unknown_council_with_one_guess_and_with_none() -> None:
    result = clean(
        leeds_row(2, council="Belfast City Council (Comms)"),
        leeds_row(3, title="Other", council="Gotham"),
    )
    guessed, unknown = problems_of(result.problems, "council")
    assert guessed.message == (
        "We could not find the council 'Belfast City Council (Comms)'; did you mean "
        "Belfast City Council? Write the council's full name."
    )
    assert unknown.message == (
        "We could not find the council 'Gotham'; write the council's full name, "
        "like 'Leeds City Council'."
    )


def test_blank_council_answer_is_a_warning() -> None:
    result = clean(leeds_row(council=""))
    (problem,) = problems_of(result.problems, "council")
    assert (problem.severity, problem.code) == (Severity.WARNING, "council_missing")
    assert result.events[0].council == ""


def test_face_to_face_event_with_no_venue_is_left_to_the_geocoder_to_report() -> None:
    # Placing it says, once, that it goes at the council's centre (test_cli_sync.py).
    row = leeds_row(council="Glasgow City Council", venue="", address="", postcode="")
    result = clean(row)
    assert result.problems == ()
    assert result.events[0].council == "Glasgow City Council"


def test_online_event_needs_no_venue() -> None:
    row = leeds_row(
        council="Belfast City Council", formats="Online", venue="", address="", postcode=""
    )
    result = clean(row)
    assert result.problems == ()
    assert result.events[0].formats == ("online",)


def test_venue_alone_is_enough_to_look_for() -> None:
    result = clean(leeds_row(venue="Belfast City Hall", address="", postcode=""))
    assert result.problems == ()


def test_postcode_field_wins_over_the_address() -> None:
    result = clean(leeds_row(postcode="ls2 8bh"))
    assert result.events[0].postcode == "LS2 8BH"


def test_bad_postcode_is_forgiven_when_the_address_has_one() -> None:
    result = clean(leeds_row(postcode="see address"))
    assert result.events[0].postcode == "LS1 3AB"
    (problem,) = problems_of(result.problems, "postcode")
    assert problem.severity is Severity.WARNING
    assert "'see address'" in problem.message
    assert "we used LS1 3AB from the address" in problem.message


def test_bad_postcode_without_an_address_stays_a_problem() -> None:
    result = clean(leeds_row(postcode="LS99", address=""))
    (problem,) = problems_of(result.problems, "postcode")
    assert "'LS99'" in problem.message


def test_long_text_is_cut_with_a_warning() -> None:
    description = "We will talk about social media. " * 100
    result = clean(leeds_row(description=description), text_limit=200)
    event = result.events[0]
    assert len(event.description) <= 200
    assert event.description.endswith(" …")
    (problem,) = result.problems
    assert (problem.field, problem.severity, problem.code) == (
        "description",
        Severity.WARNING,
        "text_too_long",
    )
    assert problem.message == (
        "The description is 3,299 characters long, so we cut it to 200; "
        "shorten it so nothing is lost."
    )


def test_end_before_start_is_a_warning_and_the_end_is_left_off() -> None:
    result = clean(leeds_row(start_time="14:00:00", end_time="13:00:00"))
    event = result.events[0]
    assert (event.start_time, event.end_time) == (dt.time(14, 0), None)
    (problem,) = result.problems
    assert (problem.field, problem.code) == ("end_time", "end_before_start")
    assert problem.message == (
        "The event ends (13:00) before it starts (14:00); check the times. "
        "We have left the end time off until then."
    )


def test_bad_answers_in_other_fields_become_problems_on_those_fields() -> None:
    row = leeds_row(
        formats="tea and cake",
        link="javascript:alert(1)",
        contact_email="smw at leeds",
        date="next week",
    )
    result = clean(row)
    event = result.events[0]
    assert (event.formats, event.other_format) == ((), "tea and cake")
    assert (event.link, event.contact_email, event.date) == ("", "", None)
    fields = {problem.field: problem.code for problem in result.problems}
    assert fields["formats"] == "format_unknown"
    assert fields["link"] == "link_invalid"
    assert fields["contact_email"] == "email_invalid"
    assert "date" in fields


def test_coordinates_in_the_sheet_are_used_when_inside_the_uk() -> None:
    row = leeds_row(latitude="53.8008", longitude="\u22121.5491", venue="", address="")
    result = clean(row)
    assert result.events[0].given_location == Location(53.8008, -1.5491, Precision.EXACT, "sheet")
    assert result.problems == ()


def test_bad_coordinates_are_ignored_with_a_warning() -> None:
    result = clean(
        leeds_row(2, latitude="40.7128", longitude="-74.0060"),
        leeds_row(3, title="B", latitude="-1.5491", longitude="53.8008"),
        leeds_row(4, title="C", latitude="53.8", longitude=""),
        leeds_row(5, title="D", latitude="north", longitude="west"),
        leeds_row(6, title="E", latitude="nan", longitude="inf"),
    )
    assert all(event.given_location is None for event in result.events)
    codes = [(problem.row_number, problem.code) for problem in result.problems]
    assert codes == [
        (2, "location_outside_uk"),
        (3, "location_swapped"),
        (4, "location_incomplete"),
        (5, "location_invalid"),
        (6, "location_invalid"),
    ]
    assert result.problems[0].message == (
        "The latitude and longitude '40.7128', '-74.0060' are not in the UK; check them, "
        "or leave both blank."
    )


def test_duplicates_fold_to_the_newer_answer() -> None:
    first = leeds_row(12, timestamp="30/04/2026 15:31:44", description="First go")
    again = leeds_row(40, timestamp="03/05/2026 10:00:00", description="Second go")
    result = clean(first, again)
    (event,) = result.events
    assert (event.row_number, event.description) == (40, "Second go")
    assert result.problems == (
        Problem(
            12,
            "title",
            Severity.WARNING,
            "duplicate",
            "This looks like a second copy of the event in row 40; we kept that newer answer "
            "and left this one off the map.",
        ),
    )


def test_the_newer_answer_wins_even_higher_up_a_sorted_sheet() -> None:
    older = leeds_row(40, timestamp="30/04/2026 15:31:44", description="Old")
    middle = leeds_row(25, timestamp="01/05/2026 11:00:00", description="Middle")
    newer = leeds_row(12, timestamp="03/05/2026 10:00:00", description="New")
    result = clean(older, middle, newer)
    (event,) = result.events
    assert event.description == "New"
    assert [(p.row_number, p.message) for p in result.problems] == [
        (
            25,
            "This looks like a second copy of the event in row 12; we kept that newer answer "
            "and left this one off the map.",
        ),
        (
            40,
            "This looks like a second copy of the event in row 12; we kept that newer answer "
            "and left this one off the map.",
        ),
    ]


def test_three_copies_name_the_first_and_the_one_kept() -> None:
    rows = [
        leeds_row(12, timestamp="30/04/2026 15:31:44"),
        leeds_row(30, timestamp="01/05/2026 11:00:00"),
        leeds_row(40, timestamp="03/05/2026 10:00:00"),
    ]
    result = clean(*rows)
    assert [event.row_number for event in result.events] == [40]
    assert result.problems[1].message == (
        "This looks like a second copy of the event in row 12; we kept the newer answer "
        "(row 40) and left this one off the map."
    )


def test_only_the_kept_copys_problems_are_reported() -> None:
    old = leeds_row(2, timestamp="30/04/2026 15:31:44", link="not a link")
    new = leeds_row(3, timestamp="03/05/2026 10:00:00", link="javascript:void(0)")
    result = clean(old, new)
    assert [(p.row_number, p.code) for p in result.problems] == [
        (2, "duplicate"),
        (3, "link_invalid"),
    ]


def test_id_survives_resorting_the_sheet() -> None:
    rows = [
        leeds_row(2),
        leeds_row(3, title="Digital skills café", submitter_email="sam@cardiff.gov.uk"),
        leeds_row(4, title="Ask the leader", council="Belfast"),
    ]
    before = clean(*rows)
    resorted = [
        replace(row, row_number=number) for row, number in zip(rows, (9, 5, 7), strict=True)
    ]
    after = clean(*reversed(resorted))
    assert sorted(e.id for e in before.events) == sorted(e.id for e in after.events)
    assert [e.row_number for e in after.events] == [5, 7, 9]


def test_id_survives_an_edit_that_keeps_the_title() -> None:
    original = clean(leeds_row()).events[0]
    edited = clean(
        leeds_row(
            timestamp="02/05/2026 08:00:00",
            description="Now with cake",
            date="24/09/2026",
            title="  SOCIAL MEDIA surgery! ",
        )
    ).events[0]
    assert edited.id == original.id


def test_id_changes_with_the_title_or_the_submitter() -> None:
    ids = {
        clean(leeds_row()).events[0].id,
        clean(leeds_row(title="Social media clinic")).events[0].id,
        clean(leeds_row(submitter_email="sam@leeds.gov.uk")).events[0].id,
    }
    assert len(ids) == 3


def test_without_emails_the_council_identifies_who_sent_it() -> None:
    leeds = clean(leeds_row(submitter_email="")).events[0]
    cardiff = clean(leeds_row(submitter_email="", council="Cardiff Council")).events[0]
    cymraeg = clean(leeds_row(submitter_email="", council="Cyngor Caerdydd")).events[0]
    assert leeds.id != cardiff.id
    assert cardiff.id == cymraeg.id  # same council, whichever name was typed


def test_event_id_is_the_documented_hash() -> None:
    assert event_id("Social media surgery", submitter_email="Jo.Bloggs@Leeds.gov.uk") == (
        event_id("social-media  SURGERY", submitter_email="jo.bloggs@leeds.gov.uk")
    )
    assert event_id("Social media surgery", council_code="E08000035") != event_id(
        "Social media surgery", council="Leeds"
    )
    identity = b'{"owner":"email:jo@leeds.gov.uk","title":"social media surgery"}'
    key = IdKey(b"the campaign's secret")
    keyed = hmac.new(key.secret, b"id\0" + identity, hashlib.sha256).hexdigest()[:12]
    assert event_id("Social media surgery", submitter_email="jo@leeds.gov.uk", key=key) == (
        "smw-" + keyed
    )
    # Without the secret, a staff list cannot confirm who sent an event.
    unkeyed = "smw-" + hashlib.sha256(identity).hexdigest()[:12]
    assert event_id("Social media surgery", submitter_email="jo@leeds.gov.uk") != unkeyed
    assert legacy_event_id("email:jo@leeds.gov.uk", "Social media surgery") == unkeyed


def test_same_input_gives_the_same_output() -> None:
    rows = [
        leeds_row(n, title=f"Event {n % 7}", council="Leeds and Bradford") for n in range(2, 60)
    ]
    assert clean(*rows) == clean(*rows)


def test_unreadable_timestamp_is_a_warning() -> None:
    result = clean(leeds_row(timestamp="sometime last week"))
    (problem,) = result.problems
    assert (problem.field, problem.code) == ("timestamp", "timestamp_unreadable")
    assert result.events[0].submitted_at is None


field_text = st.one_of(
    st.text(st.characters(codec=None, categories=None), max_size=40),
    st.sampled_from(["", " ", "Leeds", "23/09/2026", "2pm-4pm", "LS1 1UR", "Yes", "53.8", "-1.5"]),
)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({name: field_text for name in FORM_FIELDS}))
def test_any_answer_gives_an_event_or_an_error_and_never_raises(values: dict[str, str]) -> None:
    result = clean(Response(8, values))
    assert all(problem.row_number == 8 for problem in result.problems)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    has_title_error = any(p.code == "title_missing" for p in errors)
    if result.events:
        (event,) = result.events
        assert event.title and not has_title_error
    else:
        assert has_title_error or result.problems == ()
    for problem in result.problems:
        assert problem.message and problem.field in FORM_FIELDS


CUT_FIELDS = ("title", "description", "address")


def assert_cut_with_a_warning(result, limit: int = 2000) -> None:  # type: ignore[no-untyped-def]
    """One event whose long texts are cut to the limit, ending " …", each with a warning."""
    (event,) = result.events
    for field in CUT_FIELDS:
        kept = getattr(event, field)
        assert limit - 50 < len(kept) <= limit, field
        assert kept.endswith(" …"), field
        (warning,) = [p for p in problems_of(result.problems, field) if p.code == "text_too_long"]
        assert warning.severity == Severity.WARNING
        assert re.search(rf"is [\d,]+ characters long, so we cut it to {limit:,};", warning.message)


def test_huge_answers_are_cut_between_words_with_a_warning_not_fatal() -> None:
    words = "Tea and cake " * 8000  # 104,000 characters
    result = clean(leeds_row(title=words[:100_000], description=words, address=words))
    assert_cut_with_a_warning(result)
    (event,) = result.events
    for field in CUT_FIELDS:
        kept = getattr(event, field).removesuffix(" …")
        assert words.startswith(kept + " "), field  # whole words, cut where a space was
    (warning,) = problems_of(result.problems, "description")
    assert warning.message.startswith("The description is 103,999 characters long")


@settings(max_examples=10, deadline=None)
@given(
    st.text(st.characters(categories=("Lu", "Ll")) | st.just(" "), min_size=1, max_size=50).filter(
        str.strip
    )
)
def test_huge_answers_of_any_letters_are_cut_not_fatal(text: str) -> None:
    big = text * (100_000 // len(text) + 1)
    result = clean(leeds_row(title=big[:100_000], description=big, address=big))
    assert_cut_with_a_warning(result)


def test_a_date_without_a_year_is_the_next_one_after_the_answer_was_sent():
    # Sent in November 2026 for "Tuesday 23rd March": that is 23 March 2027, a Tuesday.
    row = leeds_row(timestamp="20/11/2026 10:00:00", date="Tuesday 23rd March")
    result = clean_responses([row], find_council=find_council)
    assert result.events[0].date == dt.date(2027, 3, 23)
    assert not [p for p in result.problems if p.field == "date"]


def test_a_date_without_a_year_soon_after_sending_stays_in_that_year():
    row = leeds_row(timestamp="01/03/2027 10:00:00", date="23 March")
    result = clean_responses([row], find_council=find_council)
    assert result.events[0].date == dt.date(2027, 3, 23)


def test_the_same_title_on_two_dates_is_two_events_and_both_rows_are_told():
    monday = leeds_row(2, date="22/03/2027", timestamp="01/11/2026 10:00:00")
    thursday = leeds_row(3, date="25/03/2027", timestamp="02/11/2026 10:00:00", postcode="LS12 3HA")
    result = clean_responses([monday, thursday], find_council=find_council)
    assert [e.date for e in result.events] == [dt.date(2027, 3, 22), dt.date(2027, 3, 25)]
    first, second = result.events
    # The first date sent keeps the id it had before the second answer arrived.
    alone = clean_responses([monday], find_council=find_council).events[0]
    assert first.id == alone.id
    assert second.id != first.id
    told = {(p.row_number, p.code) for p in result.problems}
    assert {(2, "same_title_other_date"), (3, "same_title_other_date")} <= told
    assert not [p for p in result.problems if p.code == "duplicate"]
    message = next(p.message for p in result.problems if p.row_number == 2)
    assert "row 3 (25 March 2027)" in message


def test_a_copy_sent_again_for_the_same_date_is_still_folded():
    first = leeds_row(2, date="22/03/2027", timestamp="01/11/2026 10:00:00")
    again = leeds_row(3, date="22/03/2027", timestamp="02/11/2026 10:00:00", venue="Room 2")
    result = clean_responses([first, again], find_council=find_council)
    assert [e.row_number for e in result.events] == [3]
    assert [(p.row_number, p.code) for p in result.problems if p.code == "duplicate"] == [
        (2, "duplicate")
    ]


def test_a_postcode_that_is_not_one_warns_but_keeps_the_event():
    row = leeds_row(postcode="12345", address="Calverley Street, Leeds")
    result = clean_responses([row], find_council=find_council)
    assert len(result.events) == 1
    (problem,) = [p for p in result.problems if p.field == "postcode"]
    assert problem.severity is Severity.WARNING
    assert "'12345'" in problem.message
    assert "placed from its address or council" in problem.message


def test_a_problem_never_quotes_an_email_or_phone_number_typed_in_the_wrong_box():
    # Problems are printed, logged and kept in the state and change log.
    row = leeds_row(date="ring jo@leeds.gov.uk", start_time="07700 900123")
    result = clean_responses([row], find_council=find_council)
    messages = " ".join(p.message for p in result.problems)
    assert "jo@leeds.gov.uk" not in messages
    assert "07700 900123" not in messages
    assert {p.field for p in result.problems} >= {"date", "start_time"}


def test_dates_in_messages_are_not_mistaken_for_phone_numbers():
    row = leeds_row(date="3/25/2027")
    result = clean_responses([row], find_council=find_council)
    (problem,) = [p for p in result.problems if p.field == "date"]
    assert "'3/25/2027'" in problem.message and "25 March 2027" in problem.message


def test_editing_one_of_two_dates_keeps_both_ids():
    monday = leeds_row(2, date="22/03/2027", timestamp="01/11/2026 10:00:00")
    thursday = leeds_row(3, date="25/03/2027", timestamp="02/11/2026 10:00:00")
    before = {
        e.date: e.id for e in clean_responses([monday, thursday], find_council=find_council).events
    }
    # Editing the Monday answer through the form keeps its row but updates its timestamp.
    edited = leeds_row(2, date="22/03/2027", timestamp="20/11/2026 10:00:00", venue="Room 2")
    after = {
        e.date: e.id for e in clean_responses([edited, thursday], find_council=find_council).events
    }
    assert after == before
