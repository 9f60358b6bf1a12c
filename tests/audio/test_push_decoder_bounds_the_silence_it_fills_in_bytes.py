"""The silence that stands in for lost audio is bounded in bytes, not only in seconds: a stream
whose identification header claims an absurd sample rate (Vorbis allows any 32-bit rate) or 255
channels, followed by a page whose granule position jumps far ahead, must not make the decoder
allocate gigabytes of zeros. A gap it will not fill is a StreamRestart (as a too-long one is).

The decode runs in a child process with its address space limited, so the old behaviour (a
MemoryError after gigabytes) fails the test instead of the machine."""
import json
import os
import struct
import subprocess
import sys

import pytest

from kamaelia_lite.audio.oggpages import OggPageSplitter, ogg_crc

CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from kamaelia_lite.audio.messages import AudioError, StreamGap, StreamRestart
from kamaelia_lite.audio.push_decoder import VorbisPushDecoder
data = open(sys.argv[1], "rb").read()
dec = VorbisPushDecoder()
events = dec.feed(data) + dec.finish()
dec.close()
print(json.dumps({
    "pcm": sum(len(e) for e in events if isinstance(e, bytes)),
    "gaps": [e.silence_frames for e in events if isinstance(e, StreamGap)],
    "restarts": [e.reason for e in events if isinstance(e, StreamRestart)],
    "errors": [e.kind for e in events if isinstance(e, AudioError)],
}))
"""


def repage(page, **fields):
    """The page's bytes with header fields replaced (granule, pageno) or the body patched."""
    data = bytearray(page.data)
    if "granule" in fields:
        data[6:14] = struct.pack("<q", fields["granule"])
    if "pageno" in fields:
        data[18:22] = struct.pack("<I", fields["pageno"])
    for off, value in fields.get("body", ()):
        data[page.header_len + off:page.header_len + off + len(value)] = value
    data[22:26] = bytes(4)
    data[22:26] = struct.pack("<I", ogg_crc(data))
    return bytes(data)


def crafted(mono_ogg, channels, rate, lost_start):
    """mono_ogg's pages with the identification header claiming ``channels`` and ``rate``; then
    either the first data page numbered as if one before it was lost (a lost beginning) or the
    first data page and then the third numbered as if one was lost between (a gap), its granule
    position far ahead: nine seconds (within max_silence), or two billion frames, whichever is less."""
    pages = OggPageSplitter(check_crc=True).feed(open(mono_ogg, "rb").read())
    assert len(pages) >= 4 and pages[1].pageno == 1
    bos = repage(pages[0], body=[(11, bytes([channels])), (12, struct.pack("<I", rate))])
    far = min(2_000_000_000, 9 * rate)
    if lost_start:
        return bos + pages[1].data + repage(pages[2], pageno=3, granule=far)
    return bos + pages[1].data + pages[2].data + repage(pages[3], pageno=4, granule=far)


@pytest.mark.parametrize("channels,rate", [(1, 0xFFFFFFF0), (255, 48000)])
@pytest.mark.parametrize("lost_start", [True, False])
def test_a_gap_is_never_filled_with_more_than_the_byte_budget(mono_ogg, tmp_path, channels, rate, lost_start):
    path = str(tmp_path / "crafted.ogg")
    with open(path, "wb") as f:
        f.write(crafted(mono_ogg, channels, rate, lost_start))
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    r = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    got = json.loads(r.stdout)
    assert got["pcm"] <= 64 << 20  # bytes of PCM out of a 10 kB input
    assert got["errors"] in ([], ["truncated"]), got  # no MemoryError, no other failure
    assert all(frames * 2 * channels <= 32 << 20 for frames in got["gaps"])
    if not lost_start:  # the jump it did not fill is told, not silently skipped
        assert got["restarts"], got
