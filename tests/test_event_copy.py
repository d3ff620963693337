"""Event.but: a copy of an event with some fields changed, exactly as dataclasses.replace."""

import dataclasses

import pytest

from conftest import make_event


def test_a_copy_with_changes_equals_replace_and_leaves_the_original_alone():
    event = make_event(1)
    copy = event.but(layer="Online", nation="Wales")
    assert copy == dataclasses.replace(event, layer="Online", nation="Wales")
    assert hash(copy) == hash(dataclasses.replace(event, layer="Online", nation="Wales"))
    assert (event.layer, event.nation) == ("Face-to-face", "England")
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.layer = "Phone"  # type: ignore[misc]


def test_a_field_the_event_does_not_have_is_refused():
    with pytest.raises(TypeError, match="laye"):
        make_event(1).but(laye="Online")
