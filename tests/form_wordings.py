"""Forms worded the ways councils and event organisers word them, with answers, for `init`.

Written for smwsync's tests from experience of public-sector registration forms; every form,
question and answer here is made up. Each question carries the field it asks for (None: a
question smwsync has no field for, which `init` should leave unused) and four answers, one per
response, as a Google Sheets download gives them (blank where the person left it blank).
"""

from __future__ import annotations

Question = tuple[str, str | None, tuple[str, str, str, str]]

FORMS: dict[str, list[Question]] = {
    # The form in the issue: short questions, the address and postcode in one box.
    "short questions": [
        (
            "Timestamp",
            "timestamp",
            (
                "12/01/2027 10:15:02",
                "12/01/2027 11:40:19",
                "13/01/2027 09:02:55",
                "14/01/2027 16:21:07",
            ),
        ),
        (
            "Email address",
            "submitter_email",
            (
                "j.khan@example.gov.uk",
                "p.doyle@example.gov.uk",
                "s.ali@example.gov.uk",
                "r.webb@example.gov.uk",
            ),
        ),
        (
            "Name of your event",
            "title",
            (
                "Coffee and content",
                "Ask the digital team",
                "TikTok for youth services",
                "Scams awareness live",
            ),
        ),
        (
            "Which council?",
            "council",
            ("Leeds City Council", "Kirklees", "Wakefield Council", "Calderdale"),
        ),
        (
            "Where is it? (full address with postcode)",
            "address",
            (
                "Civic Hall, Calverley Street, Leeds LS1 1UR",
                "Huddersfield Library, Princess Alexandra Walk, Huddersfield HD1 2SU",
                "",
                "Halifax Town Hall, Crossley Street, Halifax HX1 1UJ",
            ),
        ),
        ("When?", "date", ("23/03/2027", "24/03/2027", "25/03/2027", "23/03/2027")),
        (
            "Is it online, face to face or on the phone?",
            "formats",
            ("Face to face", "Face to face", "Online", "Face to face, On the phone"),
        ),
        (
            "Tell us a bit about it",
            "description",
            (
                "An informal hour with the comms team about what works on our pages.",
                "Bring your questions about the website and social media, no booking needed.",
                "A live session for youth workers on short video, with examples from our own "
                "accounts.",
                "Trading standards officers explain the scams doing the rounds and take questions.",
            ),
        ),
    ],
    # A county council's corporate form: "In person" for face-to-face, a word limit.
    "county corporate": [
        (
            "Timestamp",
            "timestamp",
            (
                "02/02/2027 08:55:12",
                "02/02/2027 12:01:40",
                "03/02/2027 14:17:33",
                "05/02/2027 10:10:10",
            ),
        ),
        (
            "Your email",
            "submitter_email",
            (
                "a.patel@example.gov.uk",
                "b.jones@example.gov.uk",
                "c.evans@example.gov.uk",
                "d.moss@example.gov.uk",
            ),
        ),
        ("Your name", "submitter_name", ("Asha Patel", "Ben Jones", "Cerys Evans", "Dan Moss")),
        (
            "Service area / directorate",
            None,
            ("Adult social care", "Libraries", "Highways", "Customer services"),
        ),
        (
            "Event name",
            "title",
            (
                "Carers' coffee morning",
                "Library code club open day",
                "Roadworks Q&A",
                "Getting online at the library",
            ),
        ),
        ("Date", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "26/03/2027")),
        ("Start time", "start_time", ("10:30:00", "15:30:00", "18:00:00", "09:30:00")),
        ("End time", "end_time", ("12:00:00", "17:00:00", "19:00:00", "12:30:00")),
        (
            "Location",
            "venue",
            ("County Hall", "Market Harborough Library", "", "Loughborough Library"),
        ),
        ("Postcode", "postcode", ("LE3 8RA", "le16 7hl", "", "LE11 3ED")),
        (
            "In person, online or hybrid?",
            "formats",
            ("In person", "In person", "Online", "In person, Online"),
        ),
        (
            "Link for more information or booking",
            "link",
            (
                "https://www.example.gov.uk/carers",
                "",
                "https://www.example.gov.uk/roadworks-qa",
                "www.example.gov.uk/get-online",
            ),
        ),
        (
            "Brief description (max 100 words)",
            "description",
            (
                "Meet other carers and the carers' support team over coffee.",
                "Children and parents try coding games with the library's volunteers.",
                "Ask the highways team about this year's roadworks on a live webinar.",
                "One-to-one help with phones, tablets and the council's website.",
            ),
        ),
        (
            "Who is the target audience?",
            "audience",
            ("Unpaid carers", "Families", "Residents and businesses", "Older residents"),
        ),
    ],
    # A Welsh authority: "session" throughout, times asked as questions, a consent question.
    "welsh sessions": [
        (
            "Timestamp",
            "timestamp",
            (
                "10/02/2027 09:00:01",
                "10/02/2027 09:30:45",
                "11/02/2027 13:13:13",
                "12/02/2027 15:45:00",
            ),
        ),
        (
            "Email Address",
            "submitter_email",
            (
                "e.rees@example.gov.uk",
                "f.hughes@example.gov.uk",
                "g.price@example.gov.uk",
                "h.lloyd@example.gov.uk",
            ),
        ),
        (
            "Organisation name",
            "council",
            ("Cyngor Caerdydd", "Swansea Council", "Newport City Council", "Cardiff Council"),
        ),
        (
            "Title of session",
            "title",
            (
                "Welsh language social media clinic",
                "Recycling right: live Q&A",
                "Newport youth voice",
                "Bilingual posts that work",
            ),
        ),
        ("Day of the session", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        (
            "What time does it start?",
            "start_time",
            ("10:00:00", "12:30:00", "17:00:00", "11:00:00"),
        ),
        ("What time does it finish?", "end_time", ("11:30:00", "13:30:00", "18:30:00", "12:00:00")),
        ("How will people join?", "formats", ("In person", "Online", "In person", "Online")),
        (
            "Joining link",
            "link",
            (
                "",
                "https://teams.example.com/l/meetup-join/abc",
                "https://www.example.gov.uk/youth-voice",
                "https://teams.example.com/l/meetup-join/def",
            ),
        ),
        (
            "Session summary",
            "description",
            (
                "Help writing posts in Welsh and English for community groups.",
                "The waste team answers your recycling questions live.",
                "Young people talk to councillors about how they use social media.",
                "Tips and examples for bilingual posts from our own accounts.",
            ),
        ),
        (
            "What do you hope people will get out of it?",
            "aims",
            (
                "More groups posting in Welsh",
                "Fewer bins left unemptied",
                "Councillors who understand young people's channels",
                "Better bilingual posts across the council",
            ),
        ),
        (
            "Contact for the public (email)",
            "contact_email",
            ("cymraeg@example.gov.uk", "waste@example.gov.uk", "", "digital@example.gov.uk"),
        ),
        (
            "Are you happy for this email to be shown on the map?",
            "contact_consent",
            ("Yes", "Yes", "No", "Yes"),
        ),
    ],
    # A district council: an activity type, a separate street address and town, moderation.
    "district with moderation": [
        (
            "Timestamp",
            "timestamp",
            (
                "01/03/2027 10:00:00",
                "01/03/2027 10:20:00",
                "02/03/2027 11:11:11",
                "03/03/2027 12:12:12",
            ),
        ),
        (
            "Email address",
            "submitter_email",
            (
                "i.grant@example.gov.uk",
                "j.fox@example.gov.uk",
                "k.lam@example.gov.uk",
                "l.ward@example.gov.uk",
            ),
        ),
        ("Contact name", "submitter_name", ("Ian Grant", "Jess Fox", "Kit Lam", "Lee Ward")),
        ("Council", "council", ("Harrogate", "Craven District Council", "Selby", "Ryedale")),
        (
            "What's the event?",
            "title",
            (
                "Planning portal walk-through",
                "Dales digital drop-in",
                "Flood warnings: sign up",
                "Market town marketing",
            ),
        ),
        ("Type of activity", "event_type", ("Workshop", "Drop-in", "Talk", "Workshop")),
        (
            "Event date (DD/MM/YYYY)",
            "date",
            ("22/03/2027", "23/03/2027", "24/03/2027", "22/03/2027"),
        ),
        ("Time", "start_time", ("14:00:00", "10:00:00", "18:30:00", "09:30:00")),
        (
            "Venue / building",
            "venue",
            ("Civic Centre", "Skipton Library", "Selby Leisure Centre", "Ryedale House"),
        ),
        (
            "Street address",
            "address",
            ("St Luke's Avenue", "High Street", "Portholme Road", "Old Malton Road"),
        ),
        ("Town", None, ("Harrogate", "Skipton", "Selby", "Malton")),
        ("Postcode of venue", "postcode", ("HG1 2AE", "BD23 1JX", "YO8 4QQ", "YO17 7HH")),
        (
            "Website or booking page (if any)",
            "link",
            ("https://www.example.gov.uk/planning", "", "https://www.example.gov.uk/floods", ""),
        ),
        ("Approved (comms team use only)", "approved", ("yes", "yes", "", "no")),
    ],
    # An events company's listing form: headline, category, attendance mode, coordinates.
    "event organiser listing": [
        (
            "Timestamp",
            "timestamp",
            (
                "15/01/2027 19:02:03",
                "16/01/2027 08:45:10",
                "16/01/2027 21:30:00",
                "18/01/2027 07:59:59",
            ),
        ),
        (
            "Email Address",
            "submitter_email",
            ("hello@example.org", "events@example.com", "m.owen@example.net", "team@example.co.uk"),
        ),
        (
            "First and last name",
            "submitter_name",
            ("Mo Owen", "Nia Roberts", "Ola Ade", "Pat Kerr"),
        ),
        (
            "Host organisation",
            "council",
            (
                "Bristol City Council",
                "Bath and North East Somerset",
                "South Gloucestershire Council",
                "Bristol",
            ),
        ),
        (
            "Event headline",
            "title",
            (
                "Creators' breakfast",
                "Small business social clinic",
                "Local news and social media panel",
                "Charity storytelling workshop",
            ),
        ),
        ("Event category", "event_type", ("Networking", "Workshop", "Panel", "Workshop")),
        ("Attendance mode", "formats", ("In person", "In person, Online", "Online", "In person")),
        ("Event start date", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        ("Doors open", "start_time", ("08:00:00", "13:00:00", "18:30:00", "10:00:00")),
        ("Event end", "end_time", ("09:30:00", "16:00:00", "20:00:00", "13:00:00")),
        ("Venue", "venue", ("The Watershed", "Guildhall", "", "Engine Shed")),
        (
            "Full address including postcode",
            "address",
            (
                "1 Canons Road, Bristol BS1 5TX",
                "High Street, Bath BA1 5AW",
                "",
                "Station Approach, Bristol BS1 6QH",
            ),
        ),
        (
            "Tickets / registration URL",
            "link",
            (
                "https://tickets.example.com/creators",
                "https://tickets.example.com/clinic",
                "https://tickets.example.com/panel",
                "https://tickets.example.com/stories",
            ),
        ),
        (
            "Event summary for the listing",
            "description",
            (
                "Coffee, pastries and short talks from local creators.",
                "Bring your business's accounts and leave with a plan for the month.",
                "Editors and council comms staff on trust, speed and local news online.",
                "Charities practise telling their story in 60 seconds of video.",
            ),
        ),
        (
            "Intended audience",
            "audience",
            (
                "Content creators",
                "Small businesses",
                "Anyone interested in local news",
                "Charities",
            ),
        ),
        ("Latitude (optional)", "latitude", ("51.4508", "", "", "51.4490")),
        ("Longitude (optional)", "longitude", ("-2.5983", "", "", "-2.5813")),
    ],
    # A quick form made in five minutes: one-word questions, the answers tell the rest.
    "one word questions": [
        (
            "Timestamp",
            "timestamp",
            (
                "20/02/2027 12:00:00",
                "20/02/2027 12:05:00",
                "21/02/2027 09:00:00",
                "22/02/2027 17:30:00",
            ),
        ),
        (
            "Username",
            "submitter_email",
            (
                "q.ross@example.gov.uk",
                "r.shah@example.gov.uk",
                "s.toms@example.gov.uk",
                "t.udal@example.gov.uk",
            ),
        ),
        (
            "Title",
            "title",
            (
                "Meet the leader",
                "Parks photo walk",
                "Housing repairs live",
                "Councillor surgery online",
            ),
        ),
        (
            "Where",
            "address",
            (
                "Town Hall, Church Street, Barnsley S70 2TA",
                "Locke Park, Park Road, Barnsley S70 1YF",
                "",
                "Digital Media Centre, County Way, Barnsley S70 2JW",
            ),
        ),
        (
            "When",
            "date",
            ("Tuesday 23rd March", "Wed 24 March 2027", "25/03/2027", "Friday 26 March"),
        ),
        (
            "Link",
            "link",
            (
                "https://www.example.gov.uk/leader",
                "",
                "https://example.org/live",
                "https://www.example.gov.uk/surgery",
            ),
        ),
        ("Comments", None, ("", "Please share on Twitter", "", "Thanks")),
    ],
    # A people team's form: "delivery method", learning outcomes, public enquiries email.
    "learning and development": [
        (
            "Timestamp",
            "timestamp",
            (
                "04/01/2027 09:15:00",
                "05/01/2027 10:00:00",
                "06/01/2027 11:45:00",
                "07/01/2027 14:30:00",
            ),
        ),
        (
            "Email address",
            "submitter_email",
            (
                "u.vaz@example.gov.uk",
                "v.wong@example.gov.uk",
                "w.xu@example.gov.uk",
                "x.young@example.gov.uk",
            ),
        ),
        ("Name", "submitter_name", ("Uma Vaz", "Vic Wong", "Wen Xu", "Xander Young")),
        (
            "Which local authority are you from?",
            "council",
            ("Birmingham City Council", "Solihull", "Coventry City Council", "Walsall"),
        ),
        (
            "Session title",
            "title",
            (
                "LinkedIn for managers",
                "Writing for the web",
                "Accessible social posts",
                "Handling online abuse",
            ),
        ),
        ("Session type", "event_type", ("Workshop", "Training", "Workshop", "Talk")),
        (
            "Delivery method",
            "formats",
            ("Face-to-face", "Virtual", "Face-to-face, Virtual", "Telephone"),
        ),
        ("Date of session", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        ("Session start", "start_time", ("09:30:00", "13:00:00", "10:00:00", "15:00:00")),
        ("Session end", "end_time", ("12:30:00", "15:00:00", "11:30:00", "16:00:00")),
        (
            "Venue name and room",
            "venue",
            ("Council House, Committee Room 2", "", "Council House, Room 1", ""),
        ),
        ("Venue postcode", "postcode", ("B1 1BB", "", "CV1 5RR", "")),
        (
            "Registration link",
            "link",
            (
                "https://learn.example.gov.uk/1",
                "https://learn.example.gov.uk/2",
                "https://learn.example.gov.uk/3",
                "https://learn.example.gov.uk/4",
            ),
        ),
        (
            "Learning outcomes",
            "aims",
            (
                "Managers post about their service with confidence",
                "Clearer pages",
                "Every post passes the checklist",
                "Staff know how to report abuse",
            ),
        ),
        (
            "Who should attend?",
            "audience",
            ("Managers", "Web editors", "Comms officers", "Anyone who posts for the council"),
        ),
        (
            "Public enquiries email",
            "contact_email",
            ("learning@example.gov.uk", "", "comms@example.gov.uk", ""),
        ),
        ("Consent to publish contact details", "contact_consent", ("Yes", "No", "Yes", "No")),
    ],
    # A Scottish community planning form: chatty questions that reuse "where" and "aim".
    "community chatty": [
        (
            "Timestamp",
            "timestamp",
            (
                "08/02/2027 20:00:00",
                "09/02/2027 07:30:00",
                "09/02/2027 12:00:00",
                "10/02/2027 22:10:00",
            ),
        ),
        (
            "Email",
            "submitter_email",
            (
                "y.zaman@example.org",
                "z.abbott@example.org",
                "a.burns@example.org",
                "b.cole@example.org",
            ),
        ),
        (
            "Your organisation or council",
            "council",
            ("Glasgow City Council", "Fife Council", "Dundee", "Perth and Kinross"),
        ),
        (
            "What's your event called?",
            "title",
            (
                "Community council live stream",
                "Fife Facebook groups meet-up",
                "Dundee digital festival taster",
                "Village hall social media basics",
            ),
        ),
        ("What day is it on?", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "26/03/2027")),
        ("Starts at", "start_time", ("19:00:00", "18:00:00", "12:00:00", "14:00:00")),
        ("Ends at", "end_time", ("20:30:00", "20:00:00", "14:00:00", "16:00:00")),
        (
            "Where's it happening? (venue name)",
            "venue",
            ("", "Rothes Halls", "V&A Dundee", "Kinross Church Centre"),
        ),
        (
            "Address of venue",
            "address",
            (
                "",
                "Rothes Square, Glenrothes",
                "1 Riverside Esplanade, Dundee",
                "High Street, Kinross",
            ),
        ),
        ("Post code", "postcode", ("", "KY7 5NX", "DD1 4EZ", "KY13 8AN")),
        (
            "Will people come in person or join online?",
            "formats",
            ("Online", "In person", "In person", "In person"),
        ),
        (
            "Where can people find out more?",
            "link",
            (
                "https://www.example.org/cc-live",
                "https://www.example.org/fife-groups",
                "https://www.example.org/dundee-digital",
                "",
            ),
        ),
        (
            "Tell us what will happen",
            "description",
            (
                "The community council meets in public and takes questions on the live chat.",
                "Admins of local Facebook groups swap tips over tea.",
                "A taste of the festival programme with three short talks.",
                "Hall committees learn to set up a page and post safely.",
            ),
        ),
        (
            "What are you hoping to achieve?",
            "aims",
            (
                "More residents watching meetings",
                "A network of group admins",
                "Tickets sold for the festival",
                "Every hall with a page",
            ),
        ),
        (
            "Who's it aimed at?",
            "audience",
            ("Residents", "Facebook group admins", "Anyone in Dundee", "Hall committees"),
        ),
        ("Approved?", "approved", ("yes", "", "yes", "")),
    ],
}


def headers_and_rows(form: list[Question]) -> tuple[list[str], list[list[str]]]:
    """The form's header row and its responses, as a download holds them."""
    headers = [question for question, _, _ in form]
    rows = [[answers[i] for _, _, answers in form] for i in range(4)]
    return headers, rows


def expected_columns(form: list[Question]) -> dict[str, str]:
    """Field -> question title, for the questions smwsync has a field for."""
    return {field: question for question, field, _ in form if field}


def question_count() -> int:
    """How many wordings the forms hold in all (questions with a field)."""
    return sum(len(expected_columns(form)) for form in FORMS.values())


# Written after init learnt from the forms above, and never tuned to: how it does on wordings it
# has not seen.
HELD_OUT: dict[str, list[Question]] = {
    # A parish and town council network's form.
    "town councils": [
        (
            "Timestamp",
            "timestamp",
            (
                "03/03/2027 18:01:44",
                "03/03/2027 19:12:05",
                "04/03/2027 08:30:30",
                "04/03/2027 21:00:00",
            ),
        ),
        (
            "Email address",
            "submitter_email",
            (
                "clerk@example-tc.gov.uk",
                "admin@example.org",
                "town.clerk@example.gov.uk",
                "office@example.org",
            ),
        ),
        (
            "Name of clerk or contact",
            "submitter_name",
            ("Gwen Ellis", "Harry Ford", "Isla Grey", "Jack Hunt"),
        ),
        (
            "Which council is hosting?",
            "council",
            ("Frome Town Council", "Ludlow", "Totnes Town Council", "Stroud"),
        ),
        (
            "What would you like to call the event?",
            "title",
            (
                "Town council open evening",
                "Ask your councillor",
                "Market hall memories online",
                "Litter pick and post",
            ),
        ),
        ("Date it takes place", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        ("Kick-off time", "start_time", ("18:00:00", "19:00:00", "11:00:00", "10:00:00")),
        ("Wrap-up time", "end_time", ("20:00:00", "20:30:00", "12:00:00", "12:30:00")),
        (
            "Building where it's held",
            "venue",
            ("Frome Town Hall", "Ludlow Assembly Rooms", "", "Stroud Subscription Rooms"),
        ),
        (
            "Address (including postcode)",
            "address",
            (
                "Christchurch Street West, Frome BA11 1EB",
                "1 Mill Street, Ludlow SY8 1AZ",
                "",
                "George Street, Stroud GL5 1AE",
            ),
        ),
        ("Online or in-person?", "formats", ("In person", "In person", "Online", "In person")),
        (
            "Web page for the event",
            "link",
            (
                "https://www.example-tc.gov.uk/open-evening",
                "",
                "https://www.example.org/market-hall",
                "",
            ),
        ),
        (
            "Describe what will happen",
            "description",
            (
                "Meet your town councillors and find out what the council does for the town.",
                "Drop in to ask your councillor anything about the town over a cup of tea.",
                "An online talk with old photographs of the market hall shared by residents.",
                "A litter pick in the morning, then we post the before and after photos.",
            ),
        ),
    ],
    # A university's public engagement office listing council partnership events.
    "university partners": [
        (
            "Timestamp",
            "timestamp",
            (
                "11/01/2027 13:14:15",
                "12/01/2027 09:09:09",
                "13/01/2027 10:10:10",
                "14/01/2027 16:16:16",
            ),
        ),
        (
            "Your university email",
            "submitter_email",
            (
                "k.ibe@example.ac.uk",
                "l.jay@example.ac.uk",
                "m.kaye@example.ac.uk",
                "n.lowe@example.ac.uk",
            ),
        ),
        (
            "Partner council",
            "council",
            (
                "Nottingham City Council",
                "Derby City Council",
                "Nottinghamshire County Council",
                "Leicester",
            ),
        ),
        (
            "Event title (as it should appear on the map)",
            "title",
            (
                "Data for neighbourhoods",
                "Misinformation and local elections",
                "Young voices on climate",
                "Digital inclusion research showcase",
            ),
        ),
        (
            "Format of the event",
            "formats",
            ("In person", "Online", "In person, Online", "In person"),
        ),
        ("Date", "date", ("23/03/2027", "24/03/2027", "25/03/2027", "26/03/2027")),
        ("From", "start_time", ("14:00:00", "12:00:00", "16:00:00", "10:00:00")),
        ("Until", "end_time", ("16:00:00", "13:00:00", "18:00:00", "15:00:00")),
        (
            "Room and building",
            "venue",
            ("Council House, Ballroom", "", "Council Offices, Room 4", "Highfield House"),
        ),
        ("Postcode for the building", "postcode", ("NG1 2DT", "", "NG2 7QP", "NG7 2RD")),
        (
            "Sign-up page",
            "link",
            (
                "https://www.example.ac.uk/e/1",
                "https://www.example.ac.uk/e/2",
                "https://www.example.ac.uk/e/3",
                "https://www.example.ac.uk/e/4",
            ),
        ),
        (
            "Abstract",
            "description",
            (
                "Researchers and council analysts show what open data says about each ward.",
                "A panel on how false stories spread in local elections and what councils can do.",
                "Sixth formers present their climate projects to councillors and ask questions.",
                "A showcase of research on getting residents online, with posters and demos.",
            ),
        ),
        (
            "Who is this for?",
            "audience",
            (
                "Council officers",
                "Councillors and candidates",
                "Young people and teachers",
                "Anyone interested",
            ),
        ),
        ("Can we list your email as a contact?", "contact_consent", ("Yes", "No", "Yes", "Yes")),
    ],
    # A combined authority's comms network: terse spreadsheet-like questions.
    "combined authority": [
        (
            "Timestamp",
            "timestamp",
            (
                "06/02/2027 10:01:00",
                "06/02/2027 10:45:00",
                "07/02/2027 14:00:00",
                "08/02/2027 09:30:00",
            ),
        ),
        (
            "Email Address",
            "submitter_email",
            (
                "o.mann@example.gov.uk",
                "p.nash@example.gov.uk",
                "q.oakes@example.gov.uk",
                "r.pike@example.gov.uk",
            ),
        ),
        ("Authority", "council", ("Salford", "Bolton Council", "Wigan Council", "Trafford")),
        (
            "Event",
            "title",
            (
                "Salford comms meet-up",
                "Bolton bin app launch",
                "Wigan young people's takeover",
                "Trafford accessibility clinic",
            ),
        ),
        ("Event type", "event_type", ("Networking", "Launch", "Takeover", "Clinic")),
        ("Mode", "formats", ("In person", "Online", "Online", "In person")),
        ("Day", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        ("Start", "start_time", ("09:30:00", "12:00:00", "15:00:00", "13:00:00")),
        ("End", "end_time", ("11:00:00", "12:30:00", "17:00:00", "15:00:00")),
        (
            "Place",
            "address",
            (
                "Salford Civic Centre, Chorley Road, Swinton M27 5AW",
                "",
                "",
                "Trafford Town Hall, Talbot Road, Stretford M32 0TH",
            ),
        ),
        (
            "Info",
            "link",
            (
                "https://www.example.gov.uk/meetup",
                "https://www.example.gov.uk/bins",
                "https://www.example.gov.uk/takeover",
                "https://www.example.gov.uk/clinic",
            ),
        ),
        (
            "Public email",
            "contact_email",
            ("comms@example.gov.uk", "", "youth@example.gov.uk", "access@example.gov.uk"),
        ),
        ("OK to show email?", "contact_consent", ("Yes", "No", "Yes", "Yes")),
    ],
}


# Written last, after init had learnt from both sets above, and never tuned to.
UNSEEN: dict[str, list[Question]] = {
    # A health and care partnership's events form.
    "health partnership": [
        (
            "Timestamp",
            "timestamp",
            (
                "19/01/2027 11:22:33",
                "19/01/2027 15:00:10",
                "20/01/2027 09:45:00",
                "21/01/2027 13:30:30",
            ),
        ),
        (
            "Email address",
            "submitter_email",
            (
                "s.rowe@example.nhs.uk",
                "t.sand@example.gov.uk",
                "u.tait@example.nhs.uk",
                "v.upton@example.gov.uk",
            ),
        ),
        ("Full name", "submitter_name", ("Sam Rowe", "Tom Sand", "Una Tait", "Val Upton")),
        (
            "Lead organisation",
            "council",
            ("Sheffield City Council", "Rotherham", "Doncaster Council", "Barnsley Council"),
        ),
        (
            "Name of the session",
            "title",
            (
                "Spotting scam texts",
                "Online GP booking help",
                "Carers' digital cafe",
                "Health apps for over 60s",
            ),
        ),
        ("Session date", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        ("Start", "start_time", ("10:00:00", "14:00:00", "11:00:00", "13:30:00")),
        ("Finish", "end_time", ("11:00:00", "16:00:00", "13:00:00", "15:00:00")),
        ("Venue", "venue", ("Central Library", "Riverside House", "", "Town Hall")),
        ("Venue postcode", "postcode", ("S1 1XZ", "S60 1AE", "", "S70 2TA")),
        (
            "How will people take part?",
            "formats",
            ("Face to face", "Face to face", "Online", "Face to face"),
        ),
        (
            "Booking link",
            "link",
            ("https://book.example.nhs.uk/1", "", "", "https://book.example.nhs.uk/4"),
        ),
        (
            "Short description",
            "description",
            (
                "Learn to tell a scam text from a real one, with the police and the council.",
                "Volunteers help you book GP appointments and order repeat prescriptions online.",
                "A relaxed online cafe for carers to share apps and websites that help them.",
                "Try out health apps with volunteers and take home a guide for later.",
            ),
        ),
        (
            "Who is it aimed at?",
            "audience",
            ("Older residents", "Patients", "Carers", "People over 60"),
        ),
    ],
    # A library service's "digital week" returns, with an organisers' notes column.
    "library service": [
        (
            "Timestamp",
            "timestamp",
            (
                "25/01/2027 10:10:10",
                "25/01/2027 12:12:12",
                "26/01/2027 14:14:14",
                "27/01/2027 16:16:16",
            ),
        ),
        (
            "Email Address",
            "submitter_email",
            (
                "w.vale@example.gov.uk",
                "x.wade@example.gov.uk",
                "y.xiao@example.gov.uk",
                "z.york@example.gov.uk",
            ),
        ),
        (
            "Library",
            "venue",
            ("Kendal Library", "Carlisle Library", "Workington Library", "Barrow Library"),
        ),
        (
            "Library address",
            "address",
            (
                "Stricklandgate, Kendal LA9 4PY",
                "Globe Lane, Carlisle CA3 8NX",
                "Vulcans Lane, Workington CA14 2ND",
                "Ramsden Square, Barrow-in-Furness LA14 1LL",
            ),
        ),
        (
            "Activity",
            "title",
            (
                "Family history online",
                "Selling on eBay safely",
                "Video calls with family",
                "Code club taster",
            ),
        ),
        ("Type of activity", "event_type", ("Workshop", "Talk", "Drop-in", "Workshop")),
        ("Date of activity", "date", ("22/03/2027", "23/03/2027", "24/03/2027", "25/03/2027")),
        ("Time", "start_time", ("10:30:00", "14:00:00", "11:00:00", "16:00:00")),
        (
            "What will people do?",
            "description",
            (
                "Use the library's free access to family history websites with a librarian.",
                "Find out how to buy and sell online without getting caught out.",
                "Bring your phone or tablet and we will help you make a video call.",
                "Children aged 8 to 12 make a simple game on the library's laptops.",
            ),
        ),
        ("Staff notes", None, ("Room booked", "", "Check laptops", "")),
    ],
}
