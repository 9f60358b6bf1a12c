"""Broken SRT/WebVTT files: every playable cue plays, everything else is reported by line."""
import pytest

from kamaelia_lite.surtitles.subtitle_text import parse_subtitles_portable
from kamaelia_lite.surtitles.subtitles import load_subtitles, parse_subtitles

PARSERS = [parse_subtitles, parse_subtitles_portable]

BROKEN_SRT = (
    b"\xef\xbb\xbf1\r\n"                              # 1  BOM + CRLF
    b"00:00:01,000 --> 00:00:02,500\r\n"              # 2
    b"Hello <i>world</i>\r\n"                         # 3
    b"\r\n"                                           # 4
    b"00:00:02,000 -> 00:00:04,000\r\n"               # 5  no index, bad arrow, overlaps cue 1
    b"Second\r\n"                                     # 6
    b"\r\n"                                           # 7
    b"3\r\n"                                          # 8
    b"00:00:05,000 --> 00:00:04,000\r\n"              # 9  ends before it starts
    b"backwards\r\n"                                  # 10
    b"\r\n"                                           # 11
    b"4\r\n"                                          # 12
    b"00:0x:05,000 --> 00:00:06,000\r\n"              # 13 unreadable time
    b"bad time\r\n"                                   # 14
    b"\r\n"                                           # 15
    b"5\r\n"                                          # 16
    b"00:00:07.5==>00:00:09\r\n"                      # 17 odd arrow, short fraction, no fraction
    b"Caf\xe9 cr\xe8me\r\n"                           # 18 cp1252, not UTF-8
    b"\r\n"
    b"6\r\n"                                          # 20
    b"00:00:10,000 --> 00:00:11,000\r\n"              # 21
    b"\r\n"                                           # 22 (no text)
)


@pytest.mark.parametrize("parse", PARSERS)
def test_broken_srt_plays_every_readable_cue(parse):
    track = parse(BROKEN_SRT)
    assert [(c.start_ms, c.end_ms, c.text) for c in track.cues] == [
        (1000, 2500, "Hello <i>world</i>"),     # italics kept
        (2000, 4000, "Second"),
        (7500, 9000, "Caf\u00e9 cr\u00e8me"),
    ]
    assert [c.index for c in track.cues] == [1, 2, 3]


@pytest.mark.parametrize("parse", PARSERS)
def test_broken_srt_reports_each_skipped_block_with_its_line(parse):
    track = parse(BROKEN_SRT)
    skipped = [(p.line, p.reason) for p in track.skipped]
    assert (9, "cue ends before it starts (00:00:05,000 --> 00:00:04,000)") in skipped
    assert (13, "unreadable timing line") in skipped
    assert any(line == 21 and "no text" in reason for line, reason in skipped)
    assert len(skipped) == 3
    report = track.report()
    assert "line 13" in report and "00:0x:05,000" in report


@pytest.mark.parametrize("parse", PARSERS)
def test_broken_srt_reports_repairs(parse):
    track = parse(BROKEN_SRT)
    repaired = [(p.line, p.reason) for p in track.warnings]
    assert (5, "malformed arrow repaired") in repaired
    assert (5, "missing cue index") in repaired
    assert (17, "malformed arrow repaired") in repaired
    assert any(line == 5 and "overlaps the cue at line 2" in r for line, r in repaired)
    assert (18, "not valid UTF-8; decoded as cp1252") in repaired
    assert track.encoding == "cp1252"


@pytest.mark.parametrize("parse", PARSERS)
def test_overlapping_cues_both_show(parse):
    track = parse(BROKEN_SRT)
    assert track.text_at(2200) == "Hello <i>world</i>\nSecond"
    assert track.text_at(3000) == "Second"
    assert track.text_at(4500) == ""
    assert track.next_change_after(2500) == 4000
    assert track.next_change_after(9000) is None


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings_do_not_matter(parse, eol):
    text = eol.join(["1", "00:00:01,000 --> 00:00:02,000", "one", "two", "", "2",
                     "00:00:03,000 --> 00:00:04,000", "three", ""])
    track = parse(text.encode())
    assert [c.text for c in track.cues] == ["one\ntwo", "three"]
    assert track.skipped == [] and track.warnings == []


@pytest.mark.parametrize("parse", PARSERS)
def test_utf16_with_bom_is_read(parse):
    text = "1\n00:00:01,000 --> 00:00:02,000\n\u00a1Hola se\u00f1or!\n"
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        track = parse(bom + text.encode(codec))
        assert [c.text for c in track.cues] == ["\u00a1Hola se\u00f1or!"]
        assert track.encoding == codec


@pytest.mark.parametrize("parse", PARSERS)
def test_bytes_undefined_in_cp1252_fall_back_to_latin1(parse):
    data = b"1\n00:00:01,000 --> 00:00:02,000\nA\x81B\n"
    track = parse(data)
    assert track.encoding == "latin-1"
    assert [c.text for c in track.cues] == ["A\x81B"]
    assert any("decoded as latin-1" in p.reason and p.line == 3 for p in track.warnings)


@pytest.mark.parametrize("parse", PARSERS)
def test_cues_out_of_order_are_sorted_and_reported(parse):
    data = b"1\n00:00:05,000 --> 00:00:06,000\nlater\n\n2\n00:00:01,000 --> 00:00:02,000\nsooner\n"
    track = parse(data)
    assert [c.text for c in track.cues] == ["sooner", "later"]
    assert any("out of time order" in p.reason for p in track.warnings)


@pytest.mark.parametrize("parse", PARSERS)
def test_text_split_by_a_stray_blank_line_is_kept(parse):
    data = b"1\n00:00:01,000 --> 00:00:02,000\nfirst half\n\nsecond half\n\n2\n00:00:03,000 --> 00:00:04,000\nnext\n"
    track = parse(data)
    assert [c.text for c in track.cues] == ["first half\nsecond half", "next"]
    assert any(p.line == 5 and "joined" in p.reason for p in track.warnings)


@pytest.mark.parametrize("parse", PARSERS)
def test_garbage_gives_an_empty_track_and_a_report(parse):
    track = parse(b"\x00\x01 this is not a subtitle file\n\n\xff\xfe\xfd\n")
    assert track.cues == []
    assert track.skipped and all(p.reason == "no timing line" for p in track.skipped)


def test_load_subtitles_reads_a_file(tmp_path):
    path = tmp_path / "broken.srt"
    path.write_bytes(BROKEN_SRT)
    track = load_subtitles(str(path), language="fr")
    assert len(track) == 3 and track.language == "fr" and track.parser == "srt"
