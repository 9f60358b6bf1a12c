"""``goto N`` and ``seek S`` typed by an operator: a number that names no cue or time (a fraction of
a cue number, infinity, not-a-number) gets a clear refusal, and the deck stays where it was."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.commands import CommandError, parse_command
from kamaelia_lite.surtitles.cues import CueDeck, parse_cue_list
from kamaelia_lite.surtitles.subtitles import parse_player_command

CUES = "cue: 1\nen: one\ncue: 2\nen: two\ncue: 3\nen: three\n"


def deck():
    d = CueDeck(parse_cue_list(CUES))
    d.goto("2")
    return d


@pytest.mark.parametrize("line", ["goto inf", "goto -inf", "goto nan", "goto 1e400", "goto Infinity"])
def test_goto_without_a_finite_word_index_is_a_command_error(line):
    with pytest.raises(CommandError, match="goto"):
        parse_command(line)


@pytest.mark.parametrize("line", ["seek inf", "seek nan", "seek 1e400", "seek -nan"])
def test_seek_without_a_finite_time_is_a_command_error(line):
    with pytest.raises(CommandError, match="seek"):
        parse_player_command(line)


def test_goto_a_fraction_of_a_cue_number_is_refused_and_the_deck_stays():
    d = deck()
    with pytest.raises(ValueError, match="goto: expected a cue number"):
        d.apply(parse_command("goto 1.5"), 1000)
    assert d.position == 1 and d.shown()["cue"] == "2"


@pytest.mark.parametrize("n", [math.inf, -math.inf, math.nan, 1e300, True])
def test_goto_with_a_number_naming_no_cue_is_refused_and_the_deck_stays(n):
    d = deck()
    with pytest.raises((KeyError, ValueError)):
        d.apply(("goto", n), 1000)
    assert d.position == 1 and d.shown()["cue"] == "2"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-10, 10), st.floats(allow_nan=True, allow_infinity=True)))
def test_goto_moves_to_a_whole_position_or_is_refused(n):
    d = deck()
    try:
        d.apply(("goto", n), 1000)
    except (KeyError, ValueError) as exc:
        assert isinstance(exc.args[0], str) and exc.args[0]
        assert d.position == 1
        return
    assert isinstance(d.position, int) and -1 <= d.position < 3
    d.shown()
    d.operator_view()
