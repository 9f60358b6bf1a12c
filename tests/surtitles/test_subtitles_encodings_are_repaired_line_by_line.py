"""Subtitle text encodings, as real files arrive: a UTF-8 file with one line in latin-1/cp1252 keeps
every UTF-8 line as written and repairs only the bad line (reported by its line number); UTF-16
without a byte-order mark is recognised from its NUL bytes and read; the same under MicroPython."""
import os
import subprocess

import pytest

from kamaelia_lite.surtitles.subtitle_text import parse_subtitles_portable
from kamaelia_lite.surtitles.subtitles import parse_subtitles

PARSERS = [parse_subtitles, parse_subtitles_portable]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MIXED = (
    "1\n00:00:01,000 --> 00:00:02,000\nCrème brûlée à la française\n\n"   # lines 1-3, UTF-8
    "2\n00:00:03,000 --> 00:00:04,000\n".encode()
    + "Señor, où est le café ?\n\n".encode("latin-1")                      # line 7: latin-1
    + "3\n00:00:05,000 --> 00:00:06,000\nΚαλημέρα — «bonjour»\n".encode()  # lines 9-11
)
TEXTS = ["Crème brûlée à la française", "Señor, où est le café ?", "Καλημέρα — «bonjour»"]
UTF16_TEXT = "1\n00:00:01,000 --> 00:00:02,000\n¡Hola señor!\n\n2\n00:00:03,000 --> 00:00:04,500\nZürich — 東京\n"


@pytest.mark.parametrize("parse", PARSERS)
def test_one_latin1_line_in_a_utf8_file_repairs_only_that_line(parse):
    track = parse(MIXED)
    assert [c.text for c in track.cues] == TEXTS
    assert track.encoding == "utf-8"
    enc_warnings = [p for p in track.warnings if "UTF-8" in p.reason]
    assert [p.line for p in enc_warnings] == [7]
    assert "cp1252" in enc_warnings[0].reason or "latin-1" in enc_warnings[0].reason


@pytest.mark.parametrize("parse", PARSERS)
def test_each_bad_line_is_reported_by_its_own_number(parse):
    data = MIXED + "\n4\n00:00:07,000 --> 00:00:08,000\nGrüße\n".encode("cp1252")
    track = parse(data)
    assert [c.text for c in track.cues] == TEXTS + ["Grüße"]
    assert [p.line for p in track.warnings if "UTF-8" in p.reason] == [7, 15]


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(parse, codec):
    track = parse(UTF16_TEXT.encode(codec))
    assert [(c.start_ms, c.end_ms, c.text) for c in track.cues] == [
        (1000, 2000, "¡Hola señor!"), (3000, 4500, "Zürich — 東京")]
    assert track.encoding == codec
    assert [p.line for p in track.warnings if "byte-order mark" in p.reason] == [1]
    assert track.skipped == []


@pytest.mark.parametrize("parse", PARSERS)
def test_utf16_with_characters_beyond_the_bmp_is_read(parse):
    text = "1\n00:00:01,000 --> 00:00:02,000\nmusic 🎵 ♪\n"
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        for prefix in (bom, b""):
            track = parse(prefix + text.encode(codec))
            assert [c.text for c in track.cues] == ["music 🎵 ♪"], (codec, prefix)


def test_the_same_repairs_under_micropython():
    script = "\n".join([
        "import sys",
        "sys.path.insert(0, %r)" % os.path.join(ROOT, "kamaelia_lite", "surtitles"),
        "import subtitle_text as st",
        "for data in (%r, %r, %r):" % (MIXED, UTF16_TEXT.encode("utf-16-le"),
                                       b"\xfe\xff" + UTF16_TEXT.encode("utf-16-be")),
        "    t = st.parse_subtitles_portable(data)",
        "    print('ENC', t.encoding, [p.line for p in t.warnings])",
        "    for c in t.cues:",
        "        print('CUE', c.start_ms, c.text)",
    ])
    out = subprocess.run(["micropython", "-X", "heapsize=256k", "-c", script], capture_output=True,
                         text=True, timeout=30, encoding="utf-8")
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[:4] == ["ENC utf-8 [7]"] + ["CUE %d %s" % (1000 + 2000 * i, t) for i, t in enumerate(TEXTS)]
    assert lines[4:7] == ["ENC utf-16-le [1]", "CUE 1000 ¡Hola señor!", "CUE 3000 Zürich — 東京"]
    assert lines[7:] == ["ENC utf-16-be []", "CUE 1000 ¡Hola señor!", "CUE 3000 Zürich — 東京"]
