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
    ["next", "freeze", "next", "next"], ["next", "next", "freeze", "blackout", "prev"],
    ["freeze", "next", "next"]])    # frozen on standby: the audience still sees nothing after a restart
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


SRT = (b"1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:03,000 --> 00:00:04,000\ntwo\n\n"
       b"3\n00:00:10,000 --> 00:00:11,000\nthree\n\n4\n00:00:20,000 --> 00:00:21,000\nfour\n")
OFFSET = 1_790_000_000_000        # deck clock (ms) -> wall-clock ms since the epoch


def timed_deck():
    from kamaelia_lite.surtitles.cues import CueList
    from kamaelia_lite.surtitles.subtitles import parse_subtitles
    return CueDeck(CueList.from_tracks({"en": parse_subtitles(SRT)}))


def timed_record(deck, at_ms):
    rec = position_record(deck.operator_view(), epoch_offset_ms=OFFSET, saved_ms=at_ms + OFFSET)
    return decode_position(encode_position(rec))


def test_a_timed_show_resumes_timed_and_its_clock_carries_on_over_the_time_away():
    a = timed_deck()
    a.set_timed(True, 5000)
    a.tick(8100)                                  # media 3100: cue 2 is up
    assert a.shown()["cue"] == "2"
    rec = timed_record(a, 8100)
    assert rec["mode"] == "timed" and rec["clock"] == [5000 + OFFSET, 0]
    # restarted 4 s later (deck clock of the new process starts elsewhere)
    b = timed_deck()
    assert restore_deck(b, rec, now_ms=300, wall_ms=12100 + OFFSET) == []
    assert b.timed and b.shown()["cue"] == "2"    # the restart publishes the saved cue first
    assert b.media_ms(300) == 7100
    b.tick(300 + 2900)                             # media 10000: cue 3, as if never stopped
    assert b.shown()["cue"] == "3"


def test_a_paused_or_manual_show_resumes_manual_even_when_its_list_has_times():
    a = timed_deck()
    a.set_timed(True, 0)
    a.tick(3500)
    a.apply(("pause",), 3600)
    rec = timed_record(a, 3600)
    assert rec["mode"] == "manual" and rec["clock"] is None
    b = timed_deck()
    b.set_timed(True, 0)                           # whatever state the fresh deck was put in
    b.set_timed(False, 0)
    assert restore_deck(b, rec, now_ms=10, wall_ms=9999 + OFFSET) == []
    assert not b.timed and b.shown()["cue"] == "2" and b.tick(10_000) is None


def test_a_stale_timed_record_waits_at_its_cue_and_says_why():
    a = timed_deck()
    a.set_timed(True, 0)
    a.tick(3500)
    rec = timed_record(a, 3500)
    b = timed_deck()
    problems = restore_deck(b, rec, now_ms=0, wall_ms=3500 + OFFSET + 3600 * 1000)
    assert len(problems) == 1 and "60 min old" in problems[0] and "'play'" in problems[0]
    assert not b.timed and b.shown()["cue"] == "2"


def test_a_timed_record_on_a_list_without_times_resumes_manual_with_a_reason():
    a = timed_deck()
    a.set_timed(True, 0)
    a.tick(3500)
    rec = timed_record(a, 3500)
    rec["cue"], rec["live"] = "2", "2"
    b = CueDeck(parse_cue_list(CUES))
    problems = restore_deck(b, rec, now_ms=0, wall_ms=3500 + OFFSET)
    assert problems == ["the show was timed but these cues have no times; resuming with GO only"]
    assert not b.timed and b.shown()["cue"] == "2"


def test_a_timed_shows_record_is_kept_fresh_between_cues_and_a_manual_ones_is_left_alone(tmp_path):
    import json
    import time as _time

    from web_helpers import Feeder, Served

    from kamaelia_lite.surtitles.resume_components import PositionSaver

    def run(deck, path):
        feeder = Feeder()
        saver = PositionSaver(path, refresh_period=0.2)
        feeder.link((feeder, "outbox"), (saver, "inbox"))
        with Served(feeder, saver) as s:
            s.call(feeder.send, {"view": deck.operator_view()}, "outbox")
            _time.sleep(1.1)                   # nothing else happens meanwhile
            writes = saver.writer.written
        with open(path) as f:
            return writes, json.load(f)

    a = timed_deck()
    a.set_timed(True, 0)
    t0 = _time.time() * 1000
    writes, rec = run(a, str(tmp_path / "timed.position"))
    assert writes >= 3 and rec["mode"] == "timed" and rec["saved"] >= t0 + 600, (writes, rec["saved"] - t0)
    b = timed_deck()
    writes, rec = run(b, str(tmp_path / "manual.position"))
    assert writes == 1 and rec["mode"] == "manual"
