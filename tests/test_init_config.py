"""`smwsync init` proposes a column mapping for forms worded in different ways."""

from __future__ import annotations

import tomllib

from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.commands.init import propose_columns
from smwsync.config import load_settings

from conftest import ROOT

DEMO = str(ROOT / "examples" / "form-responses.csv")

# A council's own wording, mixed case, with the trailing spaces real forms carry.
SHOUTY_FORM = [
    "Timestamp",
    "EMAIL ADDRESS ",
    "Full Name",
    "Local Authority ",
    "Name of your event",
    "Type of event",
    "Will it be In Person or Online? ",
    "Event Date",
    "Start",
    "Finish",
    "Venue",
    "Address ",
    "Post Code",
    "Link to book",
    "Describe your event",
    "Who is the event for?",
    "Contact email for enquiries",
    "May we show this email publicly?",
]
# A short form: some questions missing, different words, an organisers' column.
SHORT_FORM = [
    "Carimbo de data/hora",
    "Email",
    "Organisation",
    "What is your event called?",
    "When is it?",
    "Where is it? (venue)",
    "Postcode",
    "Website",
    "Details",
    "OK to publish",
    "Notes",
]


def test_a_differently_worded_form_in_mixed_case():
    proposal = propose_columns(SHOUTY_FORM)
    assert proposal.columns == {
        "timestamp": "Timestamp",
        "submitter_email": "EMAIL ADDRESS",
        "submitter_name": "Full Name",
        "council": "Local Authority",
        "title": "Name of your event",
        "event_type": "Type of event",
        "formats": "Will it be In Person or Online?",
        "date": "Event Date",
        "start_time": "Start",
        "end_time": "Finish",
        "venue": "Venue",
        "address": "Address",
        "postcode": "Post Code",
        "link": "Link to book",
        "description": "Describe your event",
        "audience": "Who is the event for?",
        "contact_email": "Contact email for enquiries",
        "contact_consent": "May we show this email publicly?",
    }
    assert set(proposal.unmapped) == {"aims", "approved", "latitude", "longitude"}


def test_a_short_form_says_what_it_could_not_map():
    proposal = propose_columns(SHORT_FORM)
    assert proposal.columns == {
        "timestamp": "Carimbo de data/hora",
        "submitter_email": "Email",
        "council": "Organisation",
        "title": "What is your event called?",
        "date": "When is it?",
        "venue": "Where is it? (venue)",
        "postcode": "Postcode",
        "link": "Website",
        "description": "Details",
        "approved": "OK to publish",
    }
    assert "start_time" in proposal.unmapped
    assert proposal.unused_headers == ("Notes",)


def test_init_writes_a_config_that_syncs_the_demo(tmp_path):
    config = tmp_path / "smwsync.toml"
    result = CliRunner().invoke(cli, ["init", "--csv", DEMO, "--config", str(config), "--yes"])
    assert result.exit_code == 0, result.output
    assert "contact_consent  Can we publish the contact email on the map?" in result.output
    assert "latitude         (not found)" in result.output
    columns = tomllib.loads(config.read_text(encoding="utf-8"))["columns"]
    assert columns["postcode"] == "Venue postcode"
    assert load_settings(config).source.csv.resolve() == ROOT / "examples" / "form-responses.csv"
    sync = CliRunner().invoke(cli, ["sync", "--config", str(config), "--out", str(tmp_path / "o")])
    assert sync.exit_code == 0, sync.output
    # The proposed mapping publishes exactly what the demo's hand-written configuration does.
    demo = CliRunner().invoke(
        cli, ["sync", "--config", str(ROOT / "config" / "demo.toml"), "--dry-run"]
    )
    published = next(line for line in demo.output.splitlines() if "publish" in line.lower())
    assert published.replace("Would publish", "Published") in sync.output


def test_init_never_overwrites_without_force(tmp_path):
    config = tmp_path / "smwsync.toml"
    config.write_text("# mine\n", encoding="utf-8")
    args = ["init", "--csv", DEMO, "--config", str(config), "--yes"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--force" in result.output
    assert config.read_text(encoding="utf-8") == "# mine\n"
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0
    assert "[columns]" in config.read_text(encoding="utf-8")
