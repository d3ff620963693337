"""The memo: work kept from the last sync, found again only by everything it was made from."""

from smwsync.memo import Memo


def test_a_kept_result_is_found_by_the_same_inputs_and_not_made_again():
    first = Memo()
    key = first.key("kml", {"title": "Tea camp"}, 3)
    assert first.get(key) is None
    first.put(key, "<Placemark/>")
    second = Memo(first.used())
    again = second.key("kml", {"title": "Tea camp"}, 3)
    assert second.get(again) == "<Placemark/>"
    assert second.hits == 1
    assert second.made_now() == {}  # nothing made again, so nothing written again


def test_other_inputs_or_another_salt_make_another_key():
    memo = Memo()
    key = memo.key("kml", {"title": "Tea camp"}, 3)
    assert memo.key("kml", {"title": "Tea camp"}, 4) != key
    assert memo.key("ics", {"title": "Tea camp"}, 3) != key
    assert Memo(salt="version 2").key("kml", {"title": "Tea camp"}, 3) != key


def test_the_next_sync_keeps_only_what_this_one_asked_for():
    memo = Memo({"old": "a deleted answer's work", "kept": "still asked for"})
    assert memo.get("kept") == "still asked for"
    memo.put("new", [1, 2])
    assert memo.get("missing") is None
    assert memo.used() == {"kept": "still asked for", "new": [1, 2]}
