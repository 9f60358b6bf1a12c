"""Two SRT/WebVTT mistakes that used to lose text without a word: a blank line missing between
two cues (the second cue was dropped, or swallowed as text of the first), and a cue text line
holding "-->" (webvtt-py cut the cue's text there). Both parsers now play every cue, whole, and
say what they repaired."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.subtitle_text import format_ms, parse_subtitles_portable
from kamaelia_lite.surtitles.subtitles import parse_subtitles

PARSERS = [parse_subtitles, parse_subtitles_portable]


def cues(track):
    return [(c.start_ms, c.end_ms, c.text) for c in track.cues]


@pytest.mark.parametrize("parse", PARSERS)
def test_srt_cues_without_a_blank_line_between_them_are_both_played(parse):
    data = (b"1\n00:00:03,000 --> 00:00:04,000\nHi\n"
            b"2\n00:00:05,000 --> 00:00:06,000\nthere\n")          # line 4: no blank line before it
    track = parse(data)
    assert cues(track) == [(3000, 4000, "Hi"), (5000, 6000, "there")]
    assert [c.ident for c in track.cues] == ["1", "2"]
    assert track.skipped == []
    assert any(p.line == 5 and "no blank line" in p.reason for p in track.warnings), track.report()


@pytest.mark.parametrize("parse", PARSERS)
def test_webvtt_cues_without_a_blank_line_or_index_between_them_are_both_played(parse):
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\none\n00:03.000 --> 00:04.000\ntwo\nlines\n"
    track = parse(data)
    assert cues(track) == [(1000, 2000, "one"), (3000, 4000, "two\nlines")]
    assert any(p.line == 5 and "no blank line" in p.reason for p in track.warnings), track.report()


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("body", [b"Hi --> there\nmore", b":00:03,000 --> 00:00:04,000\nHi", b"Hi\nx --> y"])
def test_webvtt_cue_text_holding_an_arrow_is_kept_whole(parse, body):
    track = parse(b"WEBVTT\n\n00:00:03.000 --> 00:00:04.000\n" + body + b"\n")
    assert cues(track) == [(3000, 4000, body.decode())]
    assert track.skipped == []
    arrow_line = 4 + body.split(b"\n").index([ln for ln in body.split(b"\n") if b"-->" in ln][0])
    assert any(p.line == arrow_line and "-->" in p.reason for p in track.warnings), track.report()


line = st.text(alphabet="ab ->:01.,<>&;", min_size=1, max_size=12).filter(lambda s: s.strip())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 99_999), st.integers(1, 9_999), st.lists(line, min_size=1, max_size=3)),
                min_size=1, max_size=5),
       st.sampled_from(["srt", "vtt"]), st.booleans())
def test_the_packages_and_the_portable_parser_play_the_same_cues(spec, fmt, blank_lines):
    sep = "\n" if blank_lines else ""
    head = "WEBVTT\n\n" if fmt == "vtt" else ""
    def fmt_ms(ms):
        return format_ms(ms, "." if fmt == "vtt" else ",")
    text = head + sep.join("%d\n%s --> %s\n%s\n" % (i + 1, fmt_ms(s), fmt_ms(s + d), "\n".join(lines))
                           for i, (s, d, lines) in enumerate(spec))
    full = parse_subtitles(text.encode(), fmt)
    port = parse_subtitles_portable(text.encode(), fmt)
    assert cues(full) == cues(port), (full.report(), port.report())
    assert [p.reason for p in full.skipped] == [p.reason for p in port.skipped]


@pytest.mark.parametrize("parse", PARSERS)
def test_srt_cue_running_into_an_unreadable_cue_keeps_all_its_text(parse):
    # the srt package reads lines 4-6 as a second cue (ending at 45000 s) and used to drop them
    data = b"1\n00:00:01,000 --> 00:00:02,500\nBonjour\n2\n00:00:03,000 --> 00:00:045000\nHi\n"
    track = parse(data)
    assert cues(track) == [(1000, 2500, "Bonjour\n2\n00:00:03,000 --> 00:00:045000\nHi")]
    assert any(p.line == 5 and "-->" in p.reason for p in track.warnings), track.report()


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_a_time_beyond_the_largest_hour_is_an_unreadable_timing_line_for_both_parsers(parse, fmt):
    # the srt package failed on it ("int too large"), webvtt-py gave the cue no text, the portable
    # parser played it: now all three skip it, and say why
    data = (b"1\n00:00:01,000 --> 00:00:02,000\na\n\n"
            b"2\n00:00:06,500 --> 99999999999999999999:00:07,000\nb\n\n"
            b"3\n99999:00:00,000 --> 99999:00:01,000\nc\n")
    track = parse(data, fmt)
    assert cues(track) == [(1000, 2000, "a"), (359996400000, 359996401000, "c")]
    assert [(p.line, p.reason) for p in track.skipped] == [(6, "unreadable timing line")]
