"""A damaged or tampered state file gives a clear message, and never makes smwsync touch a
file it did not write."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from smwsync.cli import cli
from smwsync.sync.state_shape import DamagedState, check_state

from conftest import TODAY, config_toml, form_csv, leeds_answer, read_state, write_state

STATE = ".smwsync-state.json"
TODAY_ENV = {"SMWSYNC_TODAY": TODAY}
DAMAGED = "Error: The sync state {} is damaged ("


def sync(config, *args: str):
    return CliRunner().invoke(cli, ["sync", "--config", str(config), *args])


def edit_state(config, change) -> None:
    data = read_state(config.parent / "out")
    change(data)
    write_state(config.parent / "out", data)


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """A campaign whose second sync took one event off the map (so it is kept as cancelled)."""
    folder = tmp_path_factory.mktemp("twice")
    (folder / "smwsync.toml").write_text(config_toml(extra='ics = "events.ics"\n'))
    for rows in ([leeds_answer(1), leeds_answer(2)], [leeds_answer(1)]):
        (folder / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")
        result = CliRunner().invoke(
            cli, ["sync", "--config", str(folder / "smwsync.toml"), "--force"], env=TODAY_ENV
        )
        assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize("name", ["{victim}", "../smwsync.toml", "sub/../../smwsync.toml"])
def test_an_output_outside_the_out_folder_in_the_state_is_damage_and_nothing_is_removed(
    campaign, tmp_path, name
):
    victim = tmp_path.parent / f"{tmp_path.name}-victim.txt"
    victim.write_text("not smwsync's", encoding="utf-8")
    config = campaign([leeds_answer(1)])
    assert sync(config).exit_code == 0
    name = name.format(victim=victim)
    edit_state(config, lambda data: data["outputs"].append(name))
    (config.parent / "responses.csv").write_text("", encoding="utf-8")  # a sync that changes
    config_text = config.read_bytes()
    result = sync(config, "--force")
    assert result.exit_code == 1
    state = config.parent / "out" / STATE
    assert DAMAGED.format(state) in result.output
    assert f"outputs names {name!r}, which is not a file inside the out folder" in result.output
    assert victim.read_text(encoding="utf-8") == "not smwsync's"
    assert config.read_bytes() == config_text
    assert "Traceback" not in result.output
    victim.unlink()


@pytest.mark.parametrize("kept", [STATE, "changes.jsonl", "status.json", STATE + ".lock"])
def test_an_output_naming_one_of_smwsyncs_own_files_is_damage(campaign, kept):
    config = campaign([leeds_answer(1)])
    assert sync(config).exit_code == 0
    edit_state(config, lambda data: data["outputs"].append(kept))
    result = sync(config, "--force")
    assert result.exit_code == 1
    assert f"outputs names {kept!r}, which is a file smwsync keeps" in result.output
    assert (config.parent / "out" / kept).exists()


def test_an_output_switched_off_is_removed_when_it_is_as_smwsync_wrote_it(campaign):
    config = campaign([leeds_answer(1)], 'geojson = "events.geojson"\n')
    assert sync(config).exit_code == 0
    out = config.parent / "out"
    config.write_text(config.read_text().replace('geojson = "events.geojson"\n', ""))
    result = sync(config, "--force")
    assert result.exit_code == 0, result.output
    assert f"Note: Removed {out / 'events.geojson'}: this sync no longer writes it." in (
        result.output
    )
    assert not (out / "events.geojson").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("notes.txt", "no output of this configuration could have written it"),
        ("map/old.js", "no output of this configuration could have written it"),
        ("link/victim3.kml", "its folder is a link to outside the out folder"),
        ("events.geojson", "it has changed since smwsync wrote it"),
    ],
)
def test_a_file_in_the_state_smwsync_cannot_tell_it_wrote_is_left_in_place_and_said(
    campaign, tmp_path, name, why
):
    config = campaign([leeds_answer(1)], 'geojson = "events.geojson"\n')
    assert sync(config).exit_code == 0
    out = config.parent / "out"
    linked = tmp_path / "linked"
    linked.mkdir()
    (out / "link").symlink_to(linked)
    (out / "map").mkdir()
    for path in (out / "notes.txt", out / "map" / "old.js", linked / "victim3.kml"):
        path.write_text("not smwsync's", encoding="utf-8")
    (out / "events.geojson").write_text("edited by hand", encoding="utf-8")
    if name != "events.geojson":
        edit_state(config, lambda data: data["outputs"].append(name))
    config.write_text(config.read_text().replace('geojson = "events.geojson"\n', ""))
    result = sync(config, "--force")
    assert result.exit_code == 0, result.output
    assert f"Note: Left {out / name} in place: the sync state names it as an earlier " in (
        result.output
    )
    assert f"but {why}; the state may be damaged." in result.output
    assert (out / name).read_text(encoding="utf-8") in ("not smwsync's", "edited by hand")
    assert (linked / "victim3.kml").read_text(encoding="utf-8") == "not smwsync's"


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (
            lambda data: next(iter(data["cancelled"].values())).update(since="garbage"),
            "].since is 'garbage', not a date",
        ),
        (
            lambda data: next(iter(data["published"].values()))["record"].update(latitude="abc"),
            "].record.latitude is 'abc', not a number",
        ),
        (
            lambda data: next(iter(data["published"].values())).update(sequence=10**400),
            "].sequence is a number of 401 digits, not a whole number from 0 to 2147483647",
        ),
    ],
)
def test_a_damaged_value_in_the_state_gives_the_damaged_state_message(
    twice, tmp_path, damage, said
):
    shutil.copytree(twice, tmp_path / "campaign")
    config = tmp_path / "campaign" / "smwsync.toml"
    out = config.parent / "out"
    edit_state(config, damage)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "status.json"}
    result = sync(config, "--force")
    assert result.exit_code == 1, result.output
    assert DAMAGED.format(out / STATE) in result.output
    assert said in result.output
    assert "Delete it to start afresh" in result.output
    assert not isinstance(result.exception, (ValueError, TypeError, KeyError, OverflowError))
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != "status.json"} == before


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (
            lambda data: next(iter(data["cancelled"].values()))["record"].update(longitude="999"),
            "].record.longitude is '999', off the Earth",
        ),
        (
            lambda data: next(iter(data["published"].values()))["record"].update(latitude="nan"),
            "].record.latitude is 'nan', off the Earth",
        ),
        (
            lambda data: next(iter(data["cancelled"].values())).update(sequence=-1),
            "].sequence is -1, not a whole number",
        ),
        (
            lambda data: next(iter(data["published"].values())).update(sequence=True),
            "].sequence is True, not a whole number",
        ),
        (
            lambda data: next(iter(data["published"].values()))["record"].update(precision="x"),
            "].record.precision is 'x', not a known precision",
        ),
        (lambda data: data.update(held_back=[]), "held_back is [], not an object"),
        (lambda data: data.pop("columns"), "columns is missing"),
        (lambda data: data.update(outputs="events.kml"), "outputs is 'events.kml', not a list"),
        (lambda data: data["counts"].update(published="2"), "counts['published'] is '2'"),
        (lambda data: data.update(synced_at="yesterday"), "synced_at is 'yesterday', not a time"),
        (lambda data: data["outputs"].append(""), "outputs names '', which is not a file name"),
        (
            lambda data: data["output_hashes"].update({"x.kml": "0" * 64}),
            "output_hashes names 'x.kml', which is not in outputs",
        ),
        (
            lambda data: data["output_hashes"].update({"events.ics": "abc"}),
            "output_hashes['events.ics'] is 'abc', not a SHA-256",
        ),
        (
            lambda data: data["outputs"].append(".events.kml.smwsync-0123456789abcdef.tmp"),
            "which is one of smwsync's temporary files",
        ),
    ],
)
def test_every_value_the_next_sync_uses_is_checked_when_the_state_is_loaded(twice, damage, said):
    data = read_state(twice / "out")
    check_state(data, twice / "out")  # as it was written: whole
    damage(data)
    with pytest.raises(DamagedState) as caught:
        check_state(data, twice / "out")
    assert said in str(caught.value)


def test_an_out_folder_that_is_a_file_is_said_to_be_one(campaign):
    config = campaign([leeds_answer(1)])
    (config.parent / "out").write_text("a file", encoding="utf-8")
    result = sync(config)
    assert result.exit_code == 2
    out = config.parent / "out"
    assert f"Error: The out folder {out} is not a folder: {out} is a file." in result.output
    assert ".lock" not in result.output
    assert (config.parent / "out").read_text(encoding="utf-8") == "a file"
