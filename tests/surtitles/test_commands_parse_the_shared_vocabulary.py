"""The shared command vocabulary: every documented line parses, round-trips through
format_command, and bad lines get a clear CommandError."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamaelia_lite.surtitles.commands import CommandError, format_command, parse_command

GOOD = {
    "play": ("play",), "Pause": ("pause",), "toggle": ("toggle",),
    "speed 3": ("speed", 3), "speed -10": ("speed_by", -10), "speed +2": ("speed_by", 2),
    "speed 0": ("speed", 0), "faster": ("speed_by", 1), "slower": ("speed_by", -1),
    "reverse": ("reverse",), "rewind": ("rewind",), "end": ("end",),
    "ff": ("skip", 50), "ff 10": ("skip", 10), "back 7": ("skip", -7),
    "goto 120": ("goto", 120), "jump Intro": ("jump", "intro"), "jump act two": ("jump", "act two"),
    "next": ("next",), "prev": ("prev",), "previous": ("prev",),
    "cue 12a": ("cue", "12a"), "scene Act 2": ("scene", "act 2"),
    "blackout": ("blackout", None), "blackout on": ("blackout", True), "freeze off": ("freeze", False),
    "language FR": ("language", "fr"), "mirror x": ("mirror", True, False),
    "mirror y": ("mirror", False, True), "mirror xy": ("mirror", True, True),
    "mirror none": ("mirror", False, False), "font 48": ("font", 48), "font +4": ("font_by", 4),
    "colour bg #102030": ("colour", "bg", (16, 32, 48)), "color fg 1,2,3": ("colour", "fg", (1, 2, 3)),
    "colour marker red": ("colour", "marker", (255, 0, 0)),
    "readingline 0.25": ("reading_line", 0.25), "readingline off": ("reading_line", False),
    "atend loop": ("at_end", "loop"), "countdown 5": ("countdown", 5), "clear": ("clear",),
    "status": ("status",), "quit": ("quit",), "  play  ": ("play",),
}


@pytest.mark.parametrize("line,expected", sorted(GOOD.items()))
def test_documented_lines_parse(line, expected):
    assert parse_command(line) == expected


@pytest.mark.parametrize("line", sorted(GOOD))
def test_format_round_trips(line):
    cmd = parse_command(line)
    assert parse_command(format_command(cmd)) == cmd


BAD = {
    "": "empty", "dance": "unknown command", "speed": "speed", "speed fast": "whole number",
    "speed 11": "outside", "play now": "no arguments", "mirror z": "mirror",
    "font 2": "outside", "font big": "whole number", "colour bg #zzzzzz": "colour",
    "colour sky red": "unknown target", "colour fg 300,0,0": "colour", "atend maybe": "atend",
    "readingline 2": "outside", "goto -1": "negative", "ff -3": "negative", "jump": "needs a name",
    "blackout maybe": "on or off", "countdown x": "whole number", "x" * 300: "longer",
}


@pytest.mark.parametrize("line,fragment", sorted(BAD.items()))
def test_bad_lines_give_a_clear_error(line, fragment):
    with pytest.raises(CommandError) as e:
        parse_command(line)
    assert fragment in str(e.value)


def test_bytes_are_accepted_and_bad_utf8_is_an_error():
    assert parse_command(b"speed 2") == ("speed", 2)
    with pytest.raises(CommandError):
        parse_command(b"\xff\xfe")


@given(st.text(max_size=80))
def test_any_text_parses_or_raises_command_error(line):
    try:
        cmd = parse_command(line)
    except CommandError:
        return
    assert isinstance(cmd, tuple) and isinstance(cmd[0], str)
