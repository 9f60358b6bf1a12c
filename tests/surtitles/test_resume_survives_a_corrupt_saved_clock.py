"""A saved position whose numbers are corrupt (a hand edit, a disk that lied: JSON's Infinity and
NaN, or values of the wrong kind) never stops the restarted operator: the cue is restored, the
bad clock is reported and not used, and the deck plays and saves its position again."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.cues import CueDeck, CueList
from kamaelia_lite.surtitles.resume import decode_position, encode_position, position_record, restore_deck
from kamaelia_lite.surtitles.subtitles import parse_subtitles

SRT = b"1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:03,000 --> 00:00:04,000\ntwo\n\n" \
      b"3\n00:00:05,000 --> 00:00:06,000\nthree\n"
WALL = 1.0e12


def timed_deck():
    return CueDeck(CueList.from_tracks({"en": parse_subtitles(SRT)}))


def record(clock, saved=WALL):
    return ('{"format": 1, "cue": "2", "pos": 1, "live": "2", "blackout": false, "freeze": false, '
            '"mode": "timed", "clock": %s, "saved": %s}' % (clock, saved)).encode()


def plays_and_saves(deck):
    deck.tick(2000)
    deck.apply(("next",), 2500)
    rec = position_record(deck.operator_view(), None, WALL, WALL)
    json.loads(encode_position(rec).decode())       # strict JSON again: no Infinity / NaN
    return rec


@pytest.mark.parametrize("clock", ["[0, Infinity]", "[0, NaN]", "[Infinity, 3000]", "[NaN, 3000]",
                                   "[-Infinity, 3000]", '["0", 3000]', "[0]", "{}"])
def test_a_corrupt_clock_is_reported_and_the_show_resumes_timed_from_the_cue(clock):
    deck = timed_deck()
    problems = restore_deck(deck, decode_position(record(clock)), 1000, WALL)
    assert any("clock" in p for p in problems), problems
    assert deck.shown()["cue"] == "2" and deck.timed
    assert deck.media_ms(1000) == 3000                  # from the saved cue's start
    assert plays_and_saves(deck)["cue"] == "3"


@pytest.mark.parametrize("saved", ["-Infinity", "Infinity", "NaN", '"yesterday"'])
def test_a_corrupt_saved_time_does_not_stop_the_restore(saved):
    deck = timed_deck()
    restore_deck(deck, decode_position(record("[%d, 3000]" % WALL, saved)), 1000, WALL)
    assert deck.shown()["cue"] == "2"
    plays_and_saves(deck)


def test_a_good_clock_still_carries_on_by_the_time_away():
    deck = timed_deck()
    assert restore_deck(deck, decode_position(record("[%d, 3000]" % (WALL - 1500))), 1000, WALL) == []
    assert deck.media_ms(1000) == 4500


numbers = st.one_of(st.integers(-2 ** 70, 2 ** 70), st.floats(allow_nan=True, allow_infinity=True),
                    st.booleans(), st.none(), st.text(max_size=3))
values = st.one_of(numbers, st.lists(numbers, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({"format": st.just(1), "pos": st.integers(-3, 5)},
                             optional={"cue": values, "live": values, "blackout": values, "freeze": values,
                                       "mode": st.one_of(st.sampled_from(["timed", "manual"]), values),
                                       "clock": values, "saved": values}))
def test_any_record_with_the_right_format_restores_and_saves_again(rec):
    data = json.dumps(rec).encode()                    # Python writes Infinity / NaN as JSON allows
    deck = timed_deck()
    problems = restore_deck(deck, decode_position(data), 1000, WALL)
    assert all(isinstance(p, str) for p in problems)
    plays_and_saves(deck)
