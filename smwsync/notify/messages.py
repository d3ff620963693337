"""The emails themselves: plain text, well-formed headers for any title, nothing of anyone else.

Built with the standard library's `email` package, which encodes a Unicode subject and folds
long headers; every message says how to change the entry and how to get no more email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from smwsync.model import Event, Problem
from smwsync.notify.notices import (
    HIDDEN,
    NOT_ON_THE_MAP,
    ON_THE_MAP,
    WAITING,
    Notice,
    errors_of,
    warnings_of,
)
from smwsync.publish.fields import format_text, public_record, when_text, where_text


@dataclass(frozen=True)
class Letterhead:
    """What every email of a campaign shares: who sends it, and the links and words it uses."""

    sender: str
    campaign: str
    map_url: str = ""  # the live map's address, for "see it on the map"
    form_url: str = ""
    hidden_text: str = "The organisers have taken it off the map for now."
    waiting_text: str = "It will appear on the map once the organisers have approved it."
    questions: Mapping[str, str] | None = None  # field -> the form's question title


def staff_email(
    notice: Notice,
    letterhead: Letterhead,
    *,
    previous_problems: Sequence[str] = (),
    now: dt.datetime,
) -> EmailMessage:
    """The email telling one member of staff what happened to their entry."""
    event = notice.event
    lines = [
        "Hello,",
        "",
        f"Thank you for registering “{event.title}” for {letterhead.campaign}.",
        "",
    ]
    lines += _standing(notice, letterhead)
    errors, warnings = errors_of(notice), warnings_of(notice)
    if errors:
        lines += ["", "Please fix this in your answer, so that the event can go on the map:"]
        lines += [_problem_line(p, letterhead) for p in errors]
    if warnings:
        lines += ["", "Worth checking (the event can be on the map, but people may miss it):"]
        lines += [_problem_line(p, letterhead) for p in warnings]
    fixed = sorted(set(previous_problems) - set(notice.problem_keys))
    if fixed:
        lines += ["", "Fixed since our last email, thank you:"]
        lines += [f"  - {_question(key.split(':', 1)[0], letterhead)}" for key in fixed]
    lines += ["", *_how_to_change(letterhead)]
    lines += [
        "",
        "You get this email because this address registered the event. To get no more, reply "
        "with “unsubscribe” in the subject.",
        "",
        "-- ",
        f"The {letterhead.campaign} organisers",
    ]
    subject = _subject(notice, letterhead.campaign)
    message = _message(letterhead, notice.recipient, subject, "\n".join(lines), now)
    return message


def _standing(notice: Notice, letterhead: Letterhead) -> list[str]:
    event = notice.event
    if notice.standing == ON_THE_MAP:
        lines = ["It is on the map now, as:", *_as_published(event)]
        if letterhead.map_url:
            lines.append(f"  See it on the map: {letterhead.map_url}#{event.id}")
            lines.append(f"  The whole map: {letterhead.map_url}")
        return lines
    if notice.standing == WAITING:
        return ["It is waiting for approval. " + letterhead.waiting_text]
    if notice.standing == HIDDEN:
        return ["It is not on the map. " + letterhead.hidden_text]
    return ["It is not on the map yet."]


def _as_published(event: Event) -> list[str]:
    """When and where, in the words the map uses."""
    lines = [f"  When: {when_text(event) or 'no date yet'}"]
    lines.append(f"  Where: {where_text(event) or format_text(event) or 'no place yet'}")
    council = public_record(event)["council"]
    if council:
        lines.append(f"  Council: {council}")
    return lines


def _how_to_change(letterhead: Letterhead) -> list[str]:
    again = f" ({letterhead.form_url})" if letterhead.form_url else ""
    return [
        "To change your entry, open the email Google Forms sent you when you submitted it and "
        f"choose “Edit response”, or fill in the form again{again}. The map is updated within "
        "minutes."
    ]


def _subject(notice: Notice, campaign: str) -> str:
    """The subject: the title only for an event on the map, which anyone can already see.

    A form takes any address, so an entry that is not public never carries its own title in a
    subject line, where it could be used to send a stranger a message.
    """
    if notice.standing == ON_THE_MAP:
        title = notice.event.title
        return (
            f"On the map, with something to check: {title}"
            if notice.problems
            else (f"On the map: {title}")
        )
    if notice.standing == WAITING:
        return f"Your {campaign} event is waiting for approval"
    if notice.standing == NOT_ON_THE_MAP:
        return f"Your {campaign} event is not on the map yet: " + (
            "one thing to fix" if len(errors_of(notice)) == 1 else "things to fix"
        )
    return f"Your {campaign} event is not on the map"


def _problem_line(problem: Problem, letterhead: Letterhead) -> str:
    return f"  - {_question(problem.field, letterhead)}: {problem.message}"


def _question(field: str, letterhead: Letterhead) -> str:
    questions = letterhead.questions or {}
    title = questions.get(field, "").strip()
    return f"“{title}”" if title else field.replace("_", " ").capitalize()


def _message(
    letterhead: Letterhead, to: str | Sequence[str], subject: str, body: str, now: dt.datetime
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((letterhead.campaign, letterhead.sender))
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(now)
    domain = letterhead.sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["List-Unsubscribe"] = f"<mailto:{letterhead.sender}?subject=unsubscribe>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body + "\n")
    return message


def organisers_email(
    letterhead: Letterhead, organisers: Sequence[str], subject: str, body: str, now: dt.datetime
) -> EmailMessage:
    """The digest for the organisers, one message to all of them."""
    return _message(letterhead, organisers, subject, body, now)
