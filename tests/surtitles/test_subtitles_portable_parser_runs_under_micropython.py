"""The portable subtitle parser runs under the real MicroPython binary with the same results."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = r'''
import sys
sys.path.insert(0, "%s/kamaelia_lite/surtitles")
import subtitle_text as st
data = (b"\xef\xbb\xbf1\r\n00:00:01,000 --> 00:00:02,500\r\nHello <i>world</i>\r\n\r\n"
        b"00:00:02,000 -> 00:00:04,000\r\nSecond\r\n\r\n3\r\n00:00:05,000 --> 00:00:04,000\r\nbackwards\r\n\r\n"
        b"5\r\n00:00:07.5==>00:00:09\r\nCaf\xe9\r\n")
t = st.parse_subtitles_portable(data)
for c in t.cues:
    print("CUE", c.start_ms, c.end_ms, c.text)
for p in t.skipped:
    print("SKIP", p.line, p.reason)
print("ENC", t.encoding)
print("AT", repr(t.text_at(2200)))
'''


def test_portable_parser_under_micropython():
    out = subprocess.run(["micropython", "-X", "heapsize=160k", "-c", SCRIPT % ROOT],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr + out.stdout
    lines = out.stdout.splitlines()
    assert lines[:3] == ["CUE 1000 2500 Hello <i>world</i>", "CUE 2000 4000 Second", "CUE 7500 9000 Caf\u00e9"]
    assert "SKIP 9 cue ends before it starts (00:00:05,000 --> 00:00:04,000)" in lines
    assert "ENC latin-1" in lines
    assert "AT 'Hello <i>world</i>\\nSecond'" in lines
