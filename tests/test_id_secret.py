"""The id secret is never published: not in `out`, not served, not pushed with the map.

Whole syncs through the command line, on real files. A campaign that kept its secret in `out`
(before it moved) keeps every id; CI can hold it in an environment variable instead.
"""

from __future__ import annotations

import secrets

from click.testing import CliRunner

from smwsync.clean.identity import IdKey
from smwsync.cli import cli

from conftest import form_csv, leeds_answer, read_state, write_state

ROWS = [leeds_answer(n) for n in range(1, 4)]
NAME = ".smwsync-id-secret"


def run(config, env: dict[str, str] | None = None, *args: str):
    return CliRunner().invoke(cli, ["sync", "--config", str(config), *args], env=env)


def synced(config, env: dict[str, str] | None = None, *args: str) -> str:
    result = run(config, env, *args)
    assert result.exit_code == 0, result.output
    return result.output


def ids(config) -> set[str]:
    return set(read_state(config.parent / "out")["published"])


def add_row(config, n: int) -> None:
    rows = [*ROWS, *(leeds_answer(i) for i in range(4, n + 1))]
    (config.parent / "responses.csv").write_text(form_csv(rows), encoding="utf-8", newline="")


def no_file_holds(folder, text: str) -> bool:
    return all(
        text.encode() not in path.read_bytes() for path in folder.rglob("*") if path.is_file()
    )


def test_the_secret_is_in_no_file_of_the_out_folder(campaign):
    config = campaign(ROWS)
    synced(config)
    secret = (config.parent / NAME).read_text(encoding="ascii").strip()
    assert len(secret) == 64
    assert no_file_holds(config.parent / "out", secret)


def test_a_secret_kept_in_out_by_an_older_version_is_moved_and_every_id_stays(campaign):
    config = campaign(ROWS)
    synced(config)
    before = ids(config)
    # As the older version left it: the secret in out, beside the state.
    old = config.parent / "out" / NAME
    (config.parent / NAME).rename(old)
    kept = old.read_text(encoding="ascii")
    add_row(config, 4)
    output = synced(config)
    assert "1 added, 0 updated, 0 removed" in output, output
    assert "Moved the id secret" in output
    assert before < ids(config)
    assert not old.exists()
    assert (config.parent / NAME).read_text(encoding="ascii") == kept


def test_ci_keeps_the_secret_in_an_environment_variable_and_no_file(campaign, tmp_path):
    secret = secrets.token_hex(32)
    config = campaign(ROWS)
    synced(config, {"SMWSYNC_ID_SECRET": secret})
    assert not [path for path in tmp_path.rglob("*") if "id-secret" in path.name]
    first = ids(config)
    key = IdKey(bytes.fromhex(secret))
    assert key.event_id("email:person1@leeds.gov.uk", "Leeds event 1") in first
    # The same secret in a file gives the same ids: it is one campaign.
    (config.parent / NAME).write_text(secret + "\n", encoding="ascii")
    add_row(config, 4)
    assert "1 added, 0 updated, 0 removed" in synced(config)
    assert first < ids(config)


def test_the_variable_takes_over_a_secret_left_in_out_only_when_they_agree(campaign):
    config = campaign(ROWS)
    synced(config)
    before = ids(config)
    old = config.parent / "out" / NAME
    (config.parent / NAME).rename(old)
    kept = old.read_text(encoding="ascii").strip()
    add_row(config, 4)
    other = run(config, {"SMWSYNC_ID_SECRET": secrets.token_hex(32)})
    assert other.exit_code != 0
    assert "Two id secrets" in other.output and str(old) in other.output
    assert ids(config) == before  # nothing published
    output = synced(config, {"SMWSYNC_ID_SECRET": kept})
    assert "1 added, 0 updated, 0 removed" in output, output
    assert not old.exists() and not (config.parent / NAME).exists()


def test_a_state_naming_the_secret_among_its_outputs_never_removes_it(campaign):
    config = campaign(ROWS)
    synced(config)
    secret = config.parent / NAME
    kept = secret.read_bytes()
    state = read_state(config.parent / "out")
    state["outputs"] += ["../" + NAME, NAME]
    write_state(config.parent / "out", state)
    add_row(config, 4)
    run(config)  # reported as damage or skipped: either way, the secret stays
    assert secret.read_bytes() == kept


def test_a_secret_inside_the_out_folder_is_refused(campaign):
    config = campaign(ROWS, extra_config='id_secret = "out/secret.txt"\n')
    result = run(config)
    assert result.exit_code != 0
    assert "inside the out folder" in result.output
    assert not (config.parent / "out" / "secret.txt").exists()
