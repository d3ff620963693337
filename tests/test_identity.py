"""An event keeps its id through every edit and every re-sort; a new id only for a new answer.

Whole syncs through the command line, on real files: the ids are read back from the map's
state, and the changes from the summary.
"""

from __future__ import annotations

import stat

from click.testing import CliRunner

from smwsync.clean.identity import IdKey, answer_print, legacy_dated_id, legacy_event_id
from smwsync.cli import cli
from smwsync.model import Response
from smwsync.sync.state import event_hash

from conftest import form_csv, leeds_answer, read_state, write_format_1_state

NO_CHANGE = "0 added, 0 updated, 0 removed"


def sync(config, *args: str) -> str:
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def write_rows(config, rows) -> None:
    (config.parent / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")


def state_of(config) -> dict:
    return read_state(config.parent / "out")


def ids(config) -> dict[tuple[str, str], str]:
    """(title, date) -> id of every event on the map."""
    published = state_of(config)["published"]
    return {
        (item["record"]["title"], item["record"]["date"]): key for key, item in published.items()
    }


def by_title(config) -> dict[str, str]:
    return {title: event_id for (title, _), event_id in ids(config).items()}


ROWS = [leeds_answer(n) for n in range(1, 6)]


def test_an_edited_title_keeps_the_id_and_is_one_update(campaign):
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    edited = [*ROWS]
    edited[2] = {
        **ROWS[2],
        "title": "Leeds drop-in, now with cake",
        "timestamp": "21/11/2026 08:00",
    }
    write_rows(config, edited)
    output = sync(config)
    assert "0 added, 1 updated, 0 removed" in output
    assert f"updated {before['Leeds event 3']} 'Leeds drop-in, now with cake': title" in output
    after = by_title(config)
    assert after["Leeds drop-in, now with cake"] == before["Leeds event 3"]
    assert {t: i for t, i in after.items() if t != "Leeds drop-in, now with cake"} == {
        t: i for t, i in before.items() if t != "Leeds event 3"
    }


def test_a_row_deleted_above_and_most_answers_edited_keeps_the_id(campaign):
    """Spam taken out above an answer its sender rewrote almost entirely, in one sync."""
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    rewritten = {
        **ROWS[2],
        "title": "Leeds digital skills morning",
        "date": "24/03/2027",
        "start_time": "09:30",
        "end_time": "11:00",
        "description": "Bring a laptop.",
    }
    write_rows(config, [ROWS[0], rewritten, *ROWS[3:]])
    output = sync(config)
    assert "0 added, 1 updated, 1 removed" in output, output
    after = by_title(config)
    assert after["Leeds digital skills morning"] == before["Leeds event 3"]
    assert "Leeds event 2" not in after


def test_an_edited_date_keeps_the_id(campaign):
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    edited = [*ROWS]
    edited[1] = {**ROWS[1], "date": "26/03/2027", "timestamp": "21/11/2026 08:00"}
    write_rows(config, edited)
    assert "0 added, 1 updated, 0 removed" in sync(config)
    assert by_title(config) == before
    assert ("Leeds event 2", "2027-03-26") in ids(config)


def test_a_sheet_sorted_by_timestamp_descending_changes_nothing(campaign):
    config = campaign(ROWS)
    sync(config)
    before = ids(config)
    write_rows(config, sorted(ROWS, key=lambda row: row["timestamp"], reverse=True))
    assert NO_CHANGE in sync(config)
    assert ids(config) == before


def test_a_row_deleted_in_the_middle_removes_that_event_only(campaign):
    config = campaign(ROWS)
    sync(config, "--force")
    before = by_title(config)
    write_rows(config, [row for row in ROWS if row["title"] != "Leeds event 3"])
    output = sync(config, "--force")  # one of five is more than the drop guard allows
    assert "0 added, 0 updated, 1 removed" in output
    assert f"removed {before['Leeds event 3']}" in output
    del before["Leeds event 3"]
    assert by_title(config) == before


def test_an_edit_below_a_deleted_row_keeps_its_own_id(campaign):
    # Rows move up when one above is deleted; the edited answer is still known by its answers.
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    rows = [row for row in ROWS if row["title"] != "Leeds event 2"]
    rows[1] = {**rows[1], "title": "Leeds event three", "timestamp": "21/11/2026 08:00"}
    write_rows(config, rows)
    output = sync(config, "--force")
    assert "0 added, 1 updated, 1 removed" in output
    assert by_title(config)["Leeds event three"] == before["Leeds event 3"]
    assert f"removed {before['Leeds event 2']}" in output


def test_a_title_edited_in_a_re_sorted_download_keeps_the_id(campaign):
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    rows = list(reversed(ROWS))
    rows[0] = {**rows[0], "title": "Leeds event five (moved online)"}
    write_rows(config, rows)
    assert "0 added, 1 updated, 0 removed" in sync(config)
    assert by_title(config)["Leeds event five (moved online)"] == before["Leeds event 5"]


def test_two_answers_with_the_same_title_are_two_events_each_keeping_its_id(campaign):
    first = leeds_answer(1, title="Social media surgery")
    second = leeds_answer(2, title="Social media surgery", postcode="LS12 3HA")
    config = campaign([first, second, leeds_answer(3)])
    sync(config)
    before = state_of(config)["published"]
    surgeries = {key: item["record"]["postcode"] for key, item in before.items()}
    assert sorted(surgeries.values()) == ["LS1 1UR", "LS1 1UR", "LS12 3HA"]
    # Sorted the other way round, and the second one's title edited.
    edited = {**second, "title": "Social media surgery (Armley)"}
    write_rows(config, [leeds_answer(3), edited, first])
    assert "0 added, 1 updated, 0 removed" in sync(config)
    after = {key: item["record"]["postcode"] for key, item in state_of(config)["published"].items()}
    assert after == surgeries


def test_a_new_answer_gets_a_new_id_and_the_others_keep_theirs(campaign):
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    write_rows(config, [*ROWS, leeds_answer(6)])
    assert "1 added, 0 updated, 0 removed" in sync(config)
    after = by_title(config)
    assert after.pop("Leeds event 6") not in before.values()
    assert after == before


def test_two_dates_of_a_series_swapped_by_sorting_change_nothing(campaign):
    monday = leeds_answer(1, date="22/03/2027", timestamp="01/11/2026 10:00:00")
    thursday = leeds_answer(1, date="25/03/2027", timestamp="02/11/2026 10:00:00")
    config = campaign([monday, thursday, leeds_answer(2)])
    sync(config)
    before = ids(config)
    assert len(before) == 3
    write_rows(config, [thursday, leeds_answer(2), monday])
    assert NO_CHANGE in sync(config)
    assert ids(config) == before


# The secret the ids are keyed with.


def test_ids_are_keyed_with_a_secret_made_once_and_kept_beside_the_configuration(
    tmp_path, campaign
):
    config = campaign(ROWS)
    sync(config)
    assert not (config.parent / "out" / ".smwsync-id-secret").exists()  # out is published
    secret = config.parent / ".smwsync-id-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    kept = secret.read_bytes()
    first = by_title(config)
    # Anyone with a staff list could compute the unkeyed hash; it is not the id.
    unkeyed = legacy_event_id("email:person1@leeds.gov.uk", "Leeds event 1")
    assert first["Leeds event 1"] != unkeyed
    write_rows(config, [*ROWS, leeds_answer(6)])
    sync(config)
    assert secret.read_bytes() == kept
    # The same answers in another campaign, with its own secret, get other ids.
    other = tmp_path / "other"
    other.mkdir()
    (other / "smwsync.toml").write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    (other / "responses.csv").write_text(form_csv(ROWS), encoding="utf-8", newline="")
    sync(other / "smwsync.toml")
    assert set(by_title(other / "smwsync.toml").values()).isdisjoint(first.values())


def test_a_lost_secret_is_held_back_and_force_gives_new_ids_once(campaign):
    config = campaign(ROWS)
    sync(config)
    before = by_title(config)
    (config.parent / ".smwsync-id-secret").unlink()
    write_rows(config, [*ROWS, leeds_answer(6)])
    result = CliRunner().invoke(cli, ["sync", "--config", str(config)])
    assert result.exit_code == 3, result.output
    assert "would get a new id at once" in result.output and "secret" in result.output
    # This run made a new secret: putting the backed-up one back means overwriting it.
    assert "overwriting the new one this run made" in result.output
    assert by_title(config) == before  # nothing published
    sync(config, "--force")
    assert set(by_title(config).values()).isdisjoint(before.values())


def test_the_first_sync_after_the_upgrade_keeps_every_id(campaign):
    """A state written before ids were keyed: its ids carry over to the same answers."""
    monday = leeds_answer(7, date="22/03/2027", timestamp="01/11/2026 10:00:00")
    thursday = leeds_answer(7, date="25/03/2027", timestamp="02/11/2026 10:00:00")
    rows = [*ROWS, monday, thursday]
    config = campaign(rows)
    sync(config)
    out = config.parent / "out"
    # Rewrite the state as the last version left it: unkeyed ids, nothing known, no secret.
    old = state_of(config)
    legacy = {}
    for key, item in old["published"].items():
        record = item["record"]
        number = record["title"].rsplit(" ", 1)[1]
        plain = legacy_event_id(f"email:person{number}@leeds.gov.uk", record["title"])
        legacy[key] = (
            legacy_dated_id(plain, record["date"]) if record["date"] == "2027-03-25" else plain
        )
    records = {
        legacy[key]: {**item["record"], "id": legacy[key]} for key, item in old["published"].items()
    }
    old["published"] = {
        key: {"hash": event_hash(record), "record": record, "sequence": 0}
        for key, record in records.items()
    }
    del old["known"]
    old["fingerprint"] = ""
    write_format_1_state(out, old)
    (config.parent / ".smwsync-id-secret").unlink()
    expected = {
        (item["record"]["title"], item["record"]["date"]): key
        for key, item in old["published"].items()
    }

    output = sync(config)
    assert NO_CHANGE in output, output
    assert ids(config) == expected
    # From then on, the carried-over ids are known by their answers, and new ones are keyed.
    edited = [*rows, leeds_answer(6)]
    edited[0] = {**rows[0], "title": "Leeds event one"}
    write_rows(config, edited)
    assert "1 added, 1 updated, 0 removed" in sync(config)
    after = ids(config)
    assert after[("Leeds event one", "2027-03-23")] == expected[("Leeds event 1", "2027-03-23")]
    new_id = after[("Leeds event 6", "2027-03-23")]
    assert new_id != legacy_event_id("email:person6@leeds.gov.uk", "Leeds event 6")
    # Re-keyed as the README says: the state deleted, every id is keyed from then on.
    (out / ".smwsync-state.json").unlink()
    sync(config, "--force")
    assert set(ids(config).values()).isdisjoint(expected.values())
    assert len(ids(config)) == len(after)


def test_each_campaigns_hashes_of_an_answer_are_its_own() -> None:
    """The state's hashes of an answer are keyed with the campaign's secret, repeated answers
    (hashed once) too: two campaigns share none, and one campaign's are the same each time."""
    answer = Response(2, {"title": "Tea", "date": "23/03/2027", "council": "Leeds", "link": ""})
    one, two, one_again = (
        answer_print(answer, "council:E08000035", IdKey(secret))
        for secret in (b"one", b"two", b"one")
    )
    assert one == one_again
    assert set(one.fields) == set(two.fields) == {"title", "date", "council"}
    assert not {one.owner, one.whole, *one.fields.values()} & {
        two.owner,
        two.whole,
        *two.fields.values(),
    }
