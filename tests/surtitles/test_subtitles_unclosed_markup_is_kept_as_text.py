"""A "<" or "{\\" that opens no tag on its line ("I <3 you", "1<2", a tag never closed) is text:
it used to swallow the rest of the cue, every line of it, without a word. Each line's tags are
still taken out as before, and a long hostile line does not take quadratic time."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.markup import strip_markup, styled_runs
from kamaelia_lite.surtitles.subtitle_text import parse_subtitles_portable, plain_text
from kamaelia_lite.surtitles.subtitles import parse_subtitles


@pytest.mark.parametrize("text, shown", [
    ("I <3 you\nmore", "I <3 you\nmore"),
    ("a <b and c", "a <b and c"),
    ("<i>x</i> 1<2", "<i>x</i> 1<2"),
    ("x {\\an8 y\nz", "x {\\an8 y\nz"),
    ("<v Anna\nHi", "<v Anna\nHi"),
    ("<b>bold</b> <3", "bold <3"),
    ("{\\an8}top <c.yellow>x</c>", "top x"),
])
def test_only_tags_closed_on_their_line_are_markup(text, shown):
    assert plain_text(text) == shown


@pytest.mark.parametrize("parse", [parse_subtitles, parse_subtitles_portable])
@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_a_cue_with_a_heart_plays_whole_in_both_formats(parse, fmt):
    head = b"WEBVTT\n\n" if fmt == "vtt" else b"1\n"
    track = parse(head + b"00:00:01.000 --> 00:00:02.000\nI <3 you\nsee you <soon\n", fmt)
    assert [c.text for c in track.cues] == ["I <3 you\nsee you <soon"]


def test_a_long_line_of_unclosed_tags_is_kept():
    # (each "<" looking for its ">" to the end of the text again would take minutes here)
    text = "<a" * 200_000 + "\n{\\" * 100_000
    assert plain_text(text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab <>/{}\\i3", max_size=12), min_size=1, max_size=4))
def test_lines_never_lend_each_other_their_tags(lines):
    whole = plain_text("\n".join(lines), keep=False)
    alone = "\n".join(s for s in (plain_text(ln, keep=False) for ln in lines) if s)
    assert whole == alone


def test_strip_markup_takes_out_exactly_the_marks_styled_runs_sees():
    # taking out one mark must not make a new one from the characters around it
    assert strip_markup("a<<i>/i> b") == "a</i> b" == "".join(r for _, r in styled_runs("a<<i>/i> b"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<>/ia ", max_size=20))
def test_the_runs_hold_the_stripped_text(line):
    assert "".join(run for _, run in styled_runs(line)) == strip_markup(line)
