"""The saved position record puts a fresh CueDeck back on the same cue, blackout and freeze,
finds cues by id in an edited list, and refuses files that are not a record."""
import pytest

from kamaelia_lite.surtitles.cues import CueDeck, parse_cue_list
from kamaelia_lite.surtitles.resume import decode_position, encode_position, position_record, restore_deck

CUES = "languages: en\nscene: A\ncue: 1\nen: one\ncue: 2\nen: two\nscene: B\ncue: 3\nen: three\ncue: 4\nen: four\n"


def saved(deck):
    return decode_position(encode_position(position_record(deck.operator_view())))


@pytest.mark.parametrize("moves", [
    ["next"], ["next", "next", "next"], [], ["next", "blackout"],
    ["next", "freeze", "next", "next"], ["next", "next", "freeze", "blackout", "prev"]])
def test_a_restored_deck_shows_and_stands_where_the_saved_one_did(moves):
    a = CueDeck(parse_cue_list(CUES))
    for m in moves:
        {"next": a.next, "prev": a.previous, "blackout": lambda: a.set_blackout(True),
         "freeze": lambda: a.set_freeze(True)}[m]()
    b = CueDeck(parse_cue_list(CUES))
    assert restore_deck(b, saved(a)) == []
    strip = ("version",)
    assert {k: v for k, v in b.shown().items() if k not in strip} == \
        {k: v for k, v in a.shown().items() if k not in strip}
    assert b.position == a.position


def test_an_edited_list_resumes_on_the_same_cue_id_and_a_vanished_cue_is_reported():
    a = CueDeck(parse_cue_list(CUES))
    a.goto("3")
    rec = saved(a)
    edited = CueDeck(parse_cue_list("cue: 0\nen: new first\n" + CUES))
    assert restore_deck(edited, rec) == [] and edited.shown()["cue"] == "3"
    tiny = CueDeck(parse_cue_list("cue: 9\nen: x\n"))
    rec["pos"] = 5
    problems = restore_deck(tiny, rec)
    assert problems and "not in the cue list" in problems[0] and tiny.position == -1


@pytest.mark.parametrize("data", [b"", b"{", b"[]", b'{"format": 2, "pos": 1}', b'{"format": 1, "pos": "x"}'])
def test_a_file_that_is_not_a_record_is_refused_with_a_reason(data):
    with pytest.raises(ValueError, match="not a saved position"):
        decode_position(data)
