"""WebVTT: header, NOTE/STYLE blocks, cue ids, settings and markup; broken cues reported."""
import pytest

from kamaelia_lite.surtitles.subtitle_text import parse_subtitles_portable
from kamaelia_lite.surtitles.subtitles import parse_subtitles

VTT = (
    "WEBVTT - opera night\n"            # 1
    "\n"
    "STYLE\n"                           # 3
    "::cue { color: yellow }\n"
    "\n"
    "NOTE the overture has no text\n"   # 6
    "\n"
    "aria-1\n"                          # 8
    "00:01.000 --> 00:03.250 align:start line:10%\n"
    "<v Tosca>Vissi d'arte &amp; <i>d'amore</i></v>\n"
    "\n"
    "00:00:04.000 --> 00:00:05.000\n"   # 12
    "\n"
    "00:00:06.000 - - > 00:00:07.000\n"  # 14 bad arrow
    "second\n"
    "\n"
    "00:00:09.000 --> 00:00:08.000\n"   # 17 backwards
    "never\n"
)


@pytest.mark.parametrize("parse", [parse_subtitles, parse_subtitles_portable])
def test_webvtt_cues_and_report(parse):
    track = parse(VTT.encode("utf-8"))
    assert track.format == "vtt"
    assert [(c.ident, c.start_ms, c.end_ms, c.text) for c in track.cues] == [
        ("aria-1", 1000, 3250, "Tosca: Vissi d'arte & <i>d'amore</i>"),   # speaker and italics kept
        (None, 6000, 7000, "second"),
    ]
    skipped = [(p.line, p.reason) for p in track.skipped]
    assert any(line == 12 and "no text" in r for line, r in skipped)
    assert any(line == 17 and "ends before it starts" in r for line, r in skipped)
    assert len(skipped) == 2
    assert [(p.line, p.reason) for p in track.warnings] == [(14, "malformed arrow repaired")]


def test_webvtt_is_parsed_by_webvtt_py_on_cpython():
    assert parse_subtitles(VTT).parser == "webvtt-py"
    assert parse_subtitles(b"1\n00:00:01,000 --> 00:00:02,000\nx\n").parser == "srt"


def test_vtt_without_header_is_read_when_named_vtt():
    track = parse_subtitles(b"00:01.000 --> 00:02.000\nhi\n", name="talk.vtt")
    assert [c.text for c in track.cues] == ["hi"]
    assert [p.reason for p in track.warnings] == ["no WEBVTT header"]
