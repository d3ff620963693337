"""Emails to staff and the organisers' digest, through smtplib to a real SMTP server (aiosmtpd)
on 127.0.0.1 with STARTTLS (or implicit TLS) and a login."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import signal
import socket
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.config import load_settings
from smwsync.errors import ConfigError, HeldBack
from smwsync.notify.after_sync import sending_of
from smwsync.notify.smtp import Relay
from smwsync.sync import pipeline

from conftest import leeds_answer
from fake_smtp import PASSWORD, USER, SmtpServer, make_certificate

ORGANISER = "organisers@smw.example.org"
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def relay(certificate):
    server = SmtpServer(certificate)
    yield server
    server.stop()


def notify_config(port: int, **changes: object) -> str:
    values = {
        "enabled": True,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "starttls",
        "username": USER,
        "password_env": "SMW_TEST_SMTP_PASSWORD",
        "sender": "smw@example.gov.uk",
        "organisers": [ORGANISER],
        "per_minute": 20,
        **changes,
    }
    lines = ["[notify]"]
    for key, value in values.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = str(value)
        elif isinstance(value, list):
            text = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        else:
            text = f'"{value}"'
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def sync(config: Path, certificate, sleeps=None, **options):
    settings = load_settings(config)
    emailing = replace(
        sending_of(settings, PASSWORD),
        relay=lambda: Relay(settings.notify, PASSWORD, tls=certificate.client_context()),
        clock=lambda: NOW,
        sleep=sleeps if sleeps is not None else Sleeps(),
        **options,
    )
    return pipeline.sync(settings, emailing=emailing, today=dt.date(2026, 11, 24))


ANSWERS = [
    leeds_answer(1, title="Tea-camp for community groups"),
    leeds_answer(2, postcode="LS99 ABC", title="Councillor surgery"),  # a warning
    leeds_answer(3, date="31/02/2027", title="Workshop for managers"),  # an error
    leeds_answer(4, submitter_email="not an address", title="Phone surgery"),
]


def test_a_cold_sync_tells_each_submitter_once_and_the_second_sends_nothing(
    campaign, relay, certificate
):
    config = campaign(ANSWERS, notify_config(relay.port))
    _, outcome = sync(config, certificate)
    box = relay.mailbox
    staff = [m for m in box.received if m["To"] != ORGANISER]
    assert sorted(m["To"] for m in staff) == [
        "person1@leeds.gov.uk",
        "person2@leeds.gov.uk",
        "person3@leeds.gov.uk",
    ]
    # The envelope goes where the header says, and nowhere else.
    assert all(rcpt == (m["To"],) for m, (_, rcpt) in zip(box.received, box.envelopes, strict=True))
    first, second, third = sorted(staff, key=lambda m: m["To"])
    assert first["Subject"] == "On the map: Tea-camp for community groups"
    assert "It is on the map now" in first.get_content()
    assert second["Subject"].startswith("On the map, with something to check")
    assert "Venue postcode" in second.get_content()
    # An entry that is not public never carries its own title in a subject line.
    assert third["Subject"] == "Your Test campaign event is not on the map yet: one thing to fix"
    assert "31" in third.get_content() and "February" in third.get_content()
    for message in staff:
        assert message["List-Unsubscribe"] == "<mailto:smw@example.gov.uk?subject=unsubscribe>"
        assert message["Auto-Submitted"] == "auto-generated"
    digest = box.to(ORGANISER)
    assert len(digest) == 1 and "New on the map (3)" in digest[0].get_content()
    assert outcome.emails.sent == 3

    before = len(box.received)
    sync(config, certificate)
    assert len(box.received) == before


def test_the_place_is_said_once_as_on_the_map(campaign, relay, certificate):
    answer = leeds_answer(
        1, venue="Civic Hall", address="Civic Hall, Calverley Street, Leeds, LS1 1UR"
    )
    config = campaign([answer], notify_config(relay.port, organisers=[]))
    sync(config, certificate)
    body = relay.mailbox.received[0].get_content()
    assert "  Where: Civic Hall, Calverley Street, Leeds, LS1 1UR\r\n" in body


def test_each_email_carries_nothing_of_anyone_else(campaign, relay, certificate):
    config = campaign(ANSWERS, notify_config(relay.port))
    sync(config, certificate)
    staff = [m for m in relay.mailbox.received if m["To"] != ORGANISER]
    for message in staff:
        text = message.as_string()
        for answer in ANSWERS:
            if answer["submitter_email"] != message["To"]:
                assert answer["submitter_email"] not in text
                assert answer["title"] not in text
    digest = relay.mailbox.to(ORGANISER)[0].as_string()
    assert "@leeds.gov.uk" not in digest


def test_fixing_one_problem_of_two_sends_one_update(campaign, relay, certificate):
    two = leeds_answer(5, postcode="LS99 ABC", date="31/02/2027", title="Two problems")
    config = campaign([two], notify_config(relay.port, organisers=[]))
    sync(config, certificate)
    assert len(relay.mailbox.received) == 1
    first = relay.mailbox.received[0].get_content()
    assert "Venue postcode" in first and "Date of event" in first
    campaign([{**two, "date": "23/03/2027"}], notify_config(relay.port, organisers=[]))
    sync(config, certificate)
    assert len(relay.mailbox.received) == 2
    update = relay.mailbox.received[1]
    body = update.get_content()
    assert update["Subject"].startswith("On the map, with something to check")
    assert "Fixed since our last email" in body
    fixed = body.split("Fixed since our last email")[1]
    assert "Date of event" in fixed and "Venue postcode" not in fixed
    assert body.count("Venue postcode") == 1


def test_pace_and_a_large_first_run_spread_over_runs(campaign, relay, certificate):
    answers = [leeds_answer(n) for n in range(1, 6)]
    config = campaign(answers, notify_config(relay.port, per_minute=2, organisers=[]))
    sleeps = Sleeps()
    _, outcome = sync(config, certificate, sleeps)
    assert len(relay.mailbox.received) == 2
    assert sleeps == [30.0]  # 2 a minute: one pause between the two
    assert outcome.emails.waiting == 3
    # The sheet is unchanged, but the sync does not stop early while emails wait.
    sync(config, certificate)
    sync(config, certificate)
    sync(config, certificate)
    addresses = sorted(m["To"] for m in relay.mailbox.received)
    assert addresses == sorted(a["submitter_email"] for a in answers)


def test_a_relay_refusing_the_sender_costs_no_attempt_and_the_map_is_published(
    campaign, relay, certificate
):
    config = campaign(ANSWERS[:1], notify_config(relay.port))
    relay.mailbox.refuse = True  # "550 5.7.1": the relay's policy, so every message
    report, outcome = sync(config, certificate)
    out = config.parent / "out"
    assert (out / "events.kml").exists() and len(report.published) == 1
    assert "sender" in outcome.emails.error and outcome.emails.waiting == 1
    assert '"waiting": 1' in (out / "status.json").read_text()
    for _ in range(4):
        sync(config, certificate)
    relay.mailbox.refuse = False
    sync(config, certificate)
    # Once the relay takes email again, the member of staff hears, and so do the organisers.
    assert sorted(m["To"] for m in relay.mailbox.received) == [ORGANISER, "person1@leeds.gov.uk"]


def test_a_refused_recipient_is_tried_three_times_then_given_up_and_reported(
    campaign, relay, certificate
):
    config = campaign(ANSWERS[:2], notify_config(relay.port))
    relay.mailbox.refuse_recipient = "person1@leeds.gov.uk"
    report, first = sync(config, certificate)
    gone = next(e.id for e in report.published if e.submitter_email == "person1@leeds.gov.uk")
    assert first.emails.failed == (gone,)
    _, second = sync(config, certificate)
    _, third = sync(config, certificate)
    assert second.emails.failed == (gone,) and third.emails.gave_up == (gone,)
    _, fourth = sync(config, certificate)
    assert fourth.emails is None  # nothing is left to send: the sync stops after the read
    digests = relay.mailbox.to(ORGANISER)
    assert any(
        f"refused these every time, so they were given up: {gone}" in m.get_content()
        for m in digests
    )
    assert [m["To"] for m in relay.mailbox.received].count("person2@leeds.gov.uk") == 1


def test_a_connection_lost_while_sending_is_never_sent_twice_and_is_reported(
    campaign, relay, certificate
):
    answers = [leeds_answer(n) for n in range(1, 5)]
    config = campaign(answers, notify_config(relay.port))
    relay.mailbox.drop_after = 1  # takes one message, then drops the line during the second
    _, outcome = sync(config, certificate)
    staff = [m["To"] for m in relay.mailbox.received if m["To"] != ORGANISER]
    assert len(staff) == 1 and len(outcome.emails.uncertain) == 1
    relay.mailbox.drop_after = None
    sync(config, certificate)
    sync(config, certificate)
    staff = [m["To"] for m in relay.mailbox.received if m["To"] != ORGANISER]
    # Each address at most once; the one that may have gone is not sent again, but reported.
    assert len(staff) == len(set(staff)) == 3
    digest = "".join(m.get_content() for m in relay.mailbox.to(ORGANISER))
    assert "may not have gone (a sync stopped while sending them)" in digest
    assert outcome.emails.uncertain[0] in digest


def test_a_relay_that_never_answers_times_out_and_the_map_is_published(campaign, certificate):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        port = silent.getsockname()[1]
        config = campaign(ANSWERS[:1], notify_config(port, timeout_seconds=0.2))
        report, outcome = sync(config, certificate)
    finally:
        silent.close()
    assert len(report.published) == 1
    assert "no answer in time" in outcome.emails.error


def test_any_unicode_title_makes_well_formed_headers(campaign, relay, certificate):
    title = "Cymraeg 🗺️ – “quotes” and عربي and a very long title " + "x" * 80
    config = campaign([leeds_answer(1, title=title)], notify_config(relay.port, organisers=[]))
    sync(config, certificate)
    raw = relay.mailbox.received[0].as_bytes()
    strict = email.message_from_bytes(raw, policy=email.policy.strict)
    assert strict["Subject"] == f"On the map: {title}"
    assert strict["From"].addresses[0].display_name == "Test campaign"
    assert not strict.defects
    assert all(len(line) <= 998 for line in raw.splitlines())


def test_unsubscribed_addresses_and_addresses_outside_the_staff_domains_get_nothing(
    campaign, relay, certificate
):
    answers = [
        leeds_answer(1),
        leeds_answer(2),
        leeds_answer(3, submitter_email="victim@example.com"),
        leeds_answer(4, submitter_email="jo@leeds.gov.uk, sam@leeds.gov.uk"),
    ]
    config = campaign(answers, notify_config(relay.port, organisers=[]))
    (config.parent / "unsubscribed.txt").write_text("PERSON1@leeds.gov.uk\n", encoding="utf-8")
    sync(config, certificate)
    assert [m["To"] for m in relay.mailbox.received] == ["person2@leeds.gov.uk"]


def test_hidden_and_waiting_entries_hear_neutral_words_and_no_notes(campaign, relay, certificate):
    extra = notify_config(relay.port, organisers=[]) + ("\n[publish]\n" if False else "")
    answers = [
        {**leeds_answer(1), "approved": "hide: looks like spam, ask Dave"},
        {**leeds_answer(2), "approved": ""},
    ]
    config = campaign(answers, extra)
    text = (
        config.read_text(encoding="utf-8")
        .replace('title = "Test campaign"', 'title = "Test campaign"\nrequire_approval = true')
        .replace("[columns]\n", '[columns]\napproved = "Approved?"\n')
    )
    config.write_text(text, encoding="utf-8")
    csv_path = config.parent / "responses.csv"
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    rows[0] += ",Approved?"
    rows[1] += ',"hide: looks like spam, ask Dave"'
    rows[2] += ","
    csv_path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    sync(config, certificate)
    by_address = {m["To"]: m for m in relay.mailbox.received}
    hidden, waiting = by_address["person1@leeds.gov.uk"], by_address["person2@leeds.gov.uk"]
    assert hidden["Subject"] == "Your Test campaign event is not on the map"
    assert "taken it off the map for now" in hidden.get_content()
    assert "Dave" not in hidden.as_string() and "spam" not in hidden.as_string()
    assert waiting["Subject"] == "Your Test campaign event is waiting for approval"
    assert "once the organisers have approved it" in waiting.get_content()


def test_a_guard_that_holds_is_told_once_and_waiting_emails_still_go(campaign, relay, certificate):
    answers = [leeds_answer(n) for n in range(1, 6)]
    config = campaign(answers, notify_config(relay.port, per_minute=2))
    sync(config, certificate)
    assert len([m for m in relay.mailbox.received if m["To"] != ORGANISER]) == 2
    campaign([], notify_config(relay.port, per_minute=2))  # the sheet comes back empty
    for _ in range(2):
        with pytest.raises(HeldBack):
            sync(config, certificate)
    held = [m for m in relay.mailbox.to(ORGANISER) if "held back" in m["Subject"]]
    assert len(held) == 1
    campaign(answers, notify_config(relay.port, per_minute=2))  # and returns as it was
    for _ in range(3):
        sync(config, certificate)
    staff = sorted(m["To"] for m in relay.mailbox.received if m["To"] != ORGANISER)
    assert staff == sorted(a["submitter_email"] for a in answers)


def test_a_kill_between_send_and_record_never_sends_twice(campaign, relay, certificate, tmp_path):
    answers = [leeds_answer(n) for n in range(1, 4)]
    config = campaign(answers, notify_config(relay.port, organisers=[]))
    script = tmp_path / "killed.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import dataclasses, datetime as dt, os, signal, ssl
            from smwsync.config import load_settings
            from smwsync.notify.after_sync import sending_of
            from smwsync.notify.smtp import Relay
            from smwsync.sync import pipeline

            class KilledAfterFirstSend(Relay):
                def send(self, message):
                    super().send(message)
                    os.kill(os.getpid(), signal.SIGKILL)

            settings = load_settings(__import__("pathlib").Path({str(config)!r}))
            context = ssl.create_default_context(cadata={certificate.pem!r})
            emailing = dataclasses.replace(
                sending_of(settings, {PASSWORD!r}),
                relay=lambda: KilledAfterFirstSend(settings.notify, {PASSWORD!r}, tls=context),
                sleep=lambda s: None,
            )
            pipeline.sync(settings, emailing=emailing, today=dt.date(2026, 11, 24))
            """
        ),
        encoding="utf-8",
    )
    child = subprocess.run([sys.executable, str(script)], cwd=tmp_path, timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert len(relay.mailbox.received) == 1
    sync(config, certificate)
    sync(config, certificate)
    addresses = sorted(m["To"] for m in relay.mailbox.received)
    assert addresses == sorted(a["submitter_email"] for a in answers)


def test_implicit_tls_and_a_wrong_password(campaign, certificate):
    server = SmtpServer(certificate, implicit_tls=True)
    try:
        config = campaign(ANSWERS[:1], notify_config(server.port, smtp_security="tls"))
        sync(config, certificate)
        assert len(server.mailbox.received) == 2
        settings = load_settings(config)
        emailing = replace(
            sending_of(settings, "wrong"),
            relay=lambda: Relay(settings.notify, "wrong", tls=certificate.client_context()),
        )
        with pytest.raises(Exception, match="refused the login"), emailing.relay():
            pass
    finally:
        server.stop()


def test_dry_runs_write_the_emails_and_send_nothing(campaign, relay, tmp_path, monkeypatch):
    config = campaign(ANSWERS, notify_config(relay.port))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["notify", "--config", str(config)])
    assert result.exit_code == 2 and "--dry-run" in result.output
    result = runner.invoke(cli, ["notify", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    drafts = sorted((tmp_path / "email-drafts").glob("*.eml"))
    assert len(drafts) == 3
    recipients = sorted(
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["To"] for p in drafts
    )
    assert recipients == ["person1@leeds.gov.uk", "person2@leeds.gov.uk", "person3@leeds.gov.uk"]
    assert relay.mailbox.received == []


def test_doctor_signs_in_and_sends_nothing(campaign, monkeypatch):
    server = SmtpServer(None)
    try:
        config = campaign(ANSWERS[:1], notify_config(server.port, smtp_security="none"))
        monkeypatch.setenv("SMW_TEST_SMTP_PASSWORD", PASSWORD)
        result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
        assert f"signed in to 127.0.0.1:{server.port} as {USER} (none); nothing was sent" in (
            result.output
        )
        assert server.mailbox.logins == 1 and server.mailbox.received == []
        monkeypatch.setenv("SMW_TEST_SMTP_PASSWORD", "wrong")
        result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
        assert result.exit_code != 0
        assert "refused the login" in result.output and "wrong" not in result.output
    finally:
        server.stop()


def test_unencrypted_email_is_refused_except_on_this_machine(campaign):
    config = campaign(
        ANSWERS[:1], notify_config(25, smtp_host="smtp.example.org", smtp_security="none")
    )
    with pytest.raises(ConfigError, match="unencrypted"):
        load_settings(config)
    local = campaign(ANSWERS[:1], notify_config(25, smtp_security="none"))
    assert load_settings(local).notify.smtp_security == "none"


def test_organisers_must_be_a_list_of_addresses(campaign):
    config = campaign(
        ANSWERS[:1],
        notify_config(25, smtp_security="none").replace(
            'organisers = ["organisers@smw.example.org"]',
            'organisers = "organisers@smw.example.org"',
        ),
    )
    with pytest.raises(ConfigError, match="organisers must be a list of email addresses"):
        load_settings(config)
