"""The last state's public records, held compactly: they read, compare and save as the dicts
they were read from did."""

from __future__ import annotations

import dataclasses

import pytest

from smwsync.publish.fields import PUBLIC_FIELDS, public_record
from smwsync.sync.changes import changed_fields
from smwsync.sync.kept_records import KeptRecord, kept_record
from smwsync.sync.state import PublishedEvent, SyncState, load_state, state_json_bytes

from conftest import make_event


def a_record(**changed: str) -> dict[str, str]:
    return {**public_record(make_event(4)), **changed}


def test_a_kept_record_reads_as_the_dict_it_was_made_from():
    record = a_record()
    kept = kept_record(dict(sorted(record.items())))  # the state file's order

    assert isinstance(kept, KeptRecord)
    assert kept == record and record == kept
    assert list(kept) == [field.name for field in PUBLIC_FIELDS]
    assert dict(kept) == record
    assert kept["title"] == record["title"] and kept.get("nowhere", "x") == "x"
    assert "title" in kept and "nowhere" not in kept
    with pytest.raises(KeyError):
        kept["nowhere"]


def test_a_kept_record_differs_from_a_record_that_differs_in_any_field():
    record = a_record()
    kept = kept_record(record)
    for name in record:
        assert kept != {**record, name: record[name] + "!"}, name
        assert kept != kept_record({**record, name: record[name] + "!"}), name
    assert kept != {key: value for key, value in record.items() if key != "aims"}
    assert kept != {**record, "extra": ""}
    assert changed_fields(kept, a_record(title="New title", date="2027-03-24")) == (
        "title",
        "date",
    )


def test_events_with_the_same_council_share_its_text_not_their_own():
    first = kept_record(a_record(council="".join(["Leeds ", "City Council"])))
    second = kept_record(a_record(council="".join(["Leeds City", " Council"]), title="Other"))
    assert first["council"] is second["council"]
    assert first["title"] is not second["title"]


@pytest.mark.parametrize(
    "record",
    [
        {"id": "smw-1", "title": "An older state's record", "date": "2027-03-22"},
        {**a_record(), "old_field": "kept as it was"},
        {**{k: v for k, v in a_record().items() if k != "layer"}, "old_field": "x"},
    ],
    ids=["fewer-fields", "more-fields", "other-fields"],
)
def test_a_record_without_exactly_the_public_fields_is_kept_as_it_was(record):
    kept = kept_record(record)
    assert type(kept) is dict and kept == record


def test_a_state_read_back_with_kept_records_saves_the_same_bytes(tmp_path):
    records = [public_record(dataclasses.replace(make_event(n), id=f"smw-{n}")) for n in (1, 2)]
    state = SyncState(
        published={r["id"]: PublishedEvent(f"hash{r['id']}", r, 1) for r in records},
        held_back={},
        columns={"title": "Event title"},
        counts={"rows_read": 2, "events": 2, "published": 2, "held_back": 0, "problems": 0},
        synced_at="2026-11-30T12:00:00Z",
    )
    path = tmp_path / "state.json"
    path.write_bytes(state_json_bytes(state))

    back = load_state(path)

    assert back is not None
    assert all(isinstance(event.record, KeptRecord) for event in back.published.values())
    assert back == state and back.same_content(state)
    assert state_json_bytes(back) == path.read_bytes()
