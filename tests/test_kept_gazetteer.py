"""The parsed gazetteer kept in the work cache: read back by the next sync, the same answers,
and parsed again when what is kept cannot be used."""

from __future__ import annotations

import base64
import dataclasses
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from smwsync.clean.identity import IdKey
from smwsync.cli import cli
from smwsync.geocode.gazetteer import Gazetteer
from smwsync.memo import KEPT_NOWHERE, Memo
from smwsync.sync.id_secret import read_secret
from smwsync.sync.kept_gazetteer import PROTOCOL, kept_gazetteer
from smwsync.sync.work_cache import open_work

from conftest import leeds_answer

ASKED = [
    "Leeds City Council",
    "leeds cc",
    "Bristol",
    "Rhondda Cynon Taf",
    "City of Edinburgh",
    "Armagh Banbridge Craigavon",
    "Barnsley MBC",
    "Cumbria County Council",  # abolished: its successors
    "Borough of Nowhere",
]
PLACES = ["Otley", "Keswick", "Tenby", "Ambleside"]
PLANTED = "Call Jo Bloggs on 07700 900123"
CAMPAIGN = IdKey(b"a campaign's secret, 32 bytes..")


def answers(gazetteer: Gazetteer) -> list[object]:
    """What a sync asks a gazetteer, for a spread of councils, places and postcodes."""
    found = []
    for text in ASKED:
        council = gazetteer.find_council(text)
        found.append(council.code if council else None)
        found.append([c.code for c in gazetteer.nearest_councils(text)])
        found.append(gazetteer.closest_council_name(text))
    for name in PLACES:
        place = gazetteer.find_place(name)
        found.append(place)
    found += [gazetteer.sector("LS1 1"), gazetteer.district("EH1"), gazetteer.known_postcodes]
    found += [gazetteer.council("E08000016"), gazetteer.is_within("E07000026", "E06000063")]
    found.append(len(gazetteer.places()) + len(gazetteer.postcode_sectors()))
    return found


def test_a_second_sync_reads_the_parsed_gazetteer_back_and_it_answers_the_same():
    first = Memo()
    parsed = kept_gazetteer(first, CAMPAIGN)
    assert first.hits == 0 and len(first.made_now()) == 1

    second = Memo(first.used())
    back = kept_gazetteer(second, CAMPAIGN)

    assert second.hits == 1 and second.made_now() == {}
    assert back is not parsed
    assert answers(back) == answers(Gazetteer.load())


def test_another_version_of_smwsync_parses_the_gazetteer_again():
    first = Memo(salt="version 1")
    kept_gazetteer(first, CAMPAIGN)
    upgraded = Memo(first.used(), salt="version 2")
    kept_gazetteer(upgraded, CAMPAIGN)
    assert upgraded.hits == 0 and len(upgraded.made_now()) == 1


def damaged(kind: str) -> str:
    """What a damaged or foreign work cache may hold under the gazetteer's key."""
    if kind == "not-base64":
        return "not base64 at all!"
    if kind == "not-a-pickle":
        return base64.b64encode(b"not a pickle").decode()
    if kind == "cut-short":
        return base64.b64encode(pickle.dumps(Gazetteer.load())[:5000]).decode()
    return base64.b64encode(pickle.dumps({"councils": []})).decode()  # not a gazetteer


@pytest.mark.parametrize("kind", ["not-base64", "not-a-pickle", "cut-short", "another-object"])
def test_a_kept_gazetteer_that_cannot_be_used_is_parsed_again_and_replaced(kind):
    kept = damaged(kind)
    first = Memo()
    kept_gazetteer(first, CAMPAIGN)
    (key,) = first.made_now()
    memo = Memo({key: kept})

    gazetteer = kept_gazetteer(memo, CAMPAIGN)

    assert answers(gazetteer) == answers(Gazetteer.load())
    assert memo.made_now()[key] != kept  # the next sync reads a good one


def sync(config: Path) -> None:
    result = CliRunner().invoke(cli, ["sync", "--config", str(config), "--force"])
    assert result.exit_code == 0, result.output


def campaign_secret(config: Path) -> IdKey:
    secret = read_secret(config.parent / ".smwsync-id-secret")
    assert secret is not None
    return secret


def plant(config: Path, secret: IdKey, planted: object) -> None:
    """Put `planted`, pickled, in the campaign's work cache where a sync of the campaign
    whose secret is `secret` keeps its gazetteer."""
    with open_work(config.parent / ".smwsync-work.sqlite") as work:
        where = Memo(salt=work.memo.salt)  # the key that campaign's sync would use
        kept_gazetteer(where, secret)
        (key,) = where.made_now()
        text = base64.b64encode(pickle.dumps(planted, protocol=PROTOCOL)).decode("ascii")
        work.memo.put(key, text)
        assert work.save() == ""


def published(config: Path) -> dict[str, bytes]:
    out = config.parent / "out"
    return {p.name: p.read_bytes() for p in sorted(out.rglob("*")) if p.suffix == ".kml"}


def test_a_sync_keeps_the_parsed_gazetteer_in_its_work_cache(campaign):
    config = campaign([leeds_answer(n) for n in range(1, 4)])
    sync(config)

    with open_work(config.parent / ".smwsync-work.sqlite") as work:
        kept_gazetteer(work.memo, campaign_secret(config))
        assert work.memo.hits == 1


class _Touch:
    """A pickle that, once read, makes a file: what any code in a kept gazetteer could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self.path).touch, (self.path,))


def test_a_work_cache_forged_with_the_campaigns_secret_runs_no_code_when_read(campaign):
    config = campaign([leeds_answer(n) for n in range(1, 4)])
    sync(config)  # makes the secret
    secret = campaign_secret(config)
    ran = config.parent / "code-ran"
    plant(config, secret, _Touch(ran))

    sync(config)

    assert not ran.exists()
    with open_work(config.parent / ".smwsync-work.sqlite") as work:  # replaced by a good one
        assert isinstance(kept_gazetteer(work.memo, secret), Gazetteer) and work.memo.hits == 1


def test_a_gazetteer_kept_without_the_campaigns_secret_is_never_read(campaign):
    # A work cache from another campaign, or one copied or written without the secret: a
    # wrong council in it, whose text the scrubber never sees, must not reach the map.
    config = campaign([leeds_answer(n) for n in range(1, 4)])
    sync(config)
    planted = Gazetteer.load()
    leeds = planted.council("E08000035")
    assert leeds is not None
    wrong = dataclasses.replace(leeds, name=PLANTED, official_name=PLANTED)
    planted._councils["E08000035"] = planted._council_index._councils["E08000035"] = wrong
    plant(config, CAMPAIGN, planted)  # as another campaign's sync would keep it
    campaign([leeds_answer(n) for n in range(1, 5)])  # a new answer, cleaned afresh

    sync(config)

    kml = published(config)
    assert kml and all(PLANTED.encode() not in data for data in kml.values())
    assert all(b"Leeds City Council" in data for data in kml.values())


def test_with_the_work_cache_off_the_gazetteer_is_parsed_and_nothing_is_kept():
    nowhere = Memo(KEPT_NOWHERE)
    assert answers(kept_gazetteer(nowhere, CAMPAIGN)) == answers(Gazetteer.load())
    assert not nowhere.asked()


def test_a_sync_reading_the_kept_gazetteer_writes_the_bytes_one_parsing_it_writes(campaign):
    every_output = (
        'kmz = "e.kmz"\ngeojson = "e.geojson"\nics = "e.ics"\ncsv = "mymaps"\nsite = "map"\n'
    )
    config = campaign([leeds_answer(n) for n in range(1, 4)], extra_config=every_output)
    sync = ["sync", "--config", str(config), "--force"]
    out = config.parent / "out"
    assert CliRunner().invoke(cli, sync, catch_exceptions=False).exit_code == 0
    parsed = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert CliRunner().invoke(cli, sync, catch_exceptions=False).exit_code == 0  # read back
    kept = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    assert "numbers.html" in kept and kept.keys() == parsed.keys()
    log_and_state = {"changes.jsonl", "status.json", ".smwsync-state.json"}
    assert {name for name in kept if kept[name] != parsed[name]} <= log_and_state
