"""Fuzz targets for Ogg Vorbis input: page framing, the push decoder, the file decoder, PCM.

Seed the corpus with real files (``oggenc`` on sox tones) in a temp folder, e.g.::

    sox -n -r 8000 -c 1 -b 16 t.wav synth 0.3 sine 440 && oggenc -Q -q 0 -o seeds/t.ogg t.wav
    python3 -m tools.fuzz.audio push_pages /tmp/corpus /tmp/seeds -max_total_time=180 -timeout=2

Targets:

- ``splitter``: OggPageSplitter fed in pieces (sizes from the input) must find the same pages as
  when fed whole, account for every byte (pages + skipped + pending), hold back less than one
  page, and its pages must survive ``pack_pages`` and VorbisHeaderPages.
- ``push_bytes``: VorbisPushDecoder on raw bytes (libogg rejects most mutations by CRC), fed in
  pieces: only events come out, never an exception, and the result does not depend on chunking.
- ``push_pages``: the same on an Ogg file whose pages get valid CRCs after mutation, so the
  mutations reach libvorbis (headers, setup codebooks, audio packets), optionally with the
  header pages given out of band and a small ``max_output_bytes``
  (the output, continued with ``feed(b"")``, must be the same).
- ``vorbisfile``: OggVorbisFileReader and check_ogg_ending on the input as a file (CRCs fixed
  up when the last input byte is odd).
- ``pcm``: planes_to_s16 with numpy and in pure Python give the same bytes for any floats.
- ``setup``: the input as a Vorbis identification header (30 bytes) and setup header (seeds:
  ``python3 -m tools.fuzz.audio --seed-setups SEEDS OUT`` writes them from .ogg files): the
  codebook check never raises, and what it passes libvorbis takes without a crash or an
  allocation beyond the rss limit.
"""
from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from typing import List

from tools.fuzz import runner
from tools.fuzz.compare import audio_events, decoded

runner.instrumented(
    "kamaelia_lite.audio.vorbis_setup",
    "kamaelia_lite.audio.oggpages",
    "kamaelia_lite.audio.pcm",
    "kamaelia_lite.audio.push_decoder",
    "kamaelia_lite.audio.vorbisfile",
)

import atheris  # noqa: E402

from kamaelia_lite.audio.messages import AudioException  # noqa: E402
from kamaelia_lite.audio.native import OggPage as NativePage  # noqa: E402
from kamaelia_lite.audio.native import libogg  # noqa: E402
from kamaelia_lite.audio.oggpages import (  # noqa: E402
    MAX_PAGE,
    OggPageSplitter,
    VorbisHeaderPages,
    pack_pages,
)
from kamaelia_lite.audio.pcm import planes_to_s16  # noqa: E402
from kamaelia_lite.audio.push_decoder import HeaderError, VorbisPushDecoder, split_header_pages  # noqa: E402
from kamaelia_lite.audio.vorbis_setup import setup_header_problem  # noqa: E402
from kamaelia_lite.audio.vorbisfile import OggVorbisFileReader, check_ogg_ending  # noqa: E402

_checksum_set = libogg["ogg_page_checksum_set"]
_checksum_set.restype = None
_checksum_set.argtypes = [ctypes.POINTER(NativePage)]


def fix_crcs(data: bytes) -> bytes:
    """``data`` with the CRC of every page the (non-checking) splitter finds set right, junk
    between pages kept, so that byte mutations inside pages get past libogg's CRC check."""
    sp = OggPageSplitter(check_crc=False)
    out = []
    pos = 0
    for page in sp.feed(data):
        start = data.find(page.data, pos)
        out.append(data[pos:start])
        hdr = ctypes.create_string_buffer(page.data[:page.header_len], page.header_len)
        body = ctypes.create_string_buffer(page.body, max(1, len(page.body)))
        np_ = NativePage()
        np_.header = ctypes.cast(hdr, ctypes.POINTER(ctypes.c_ubyte))
        np_.header_len = page.header_len
        np_.body = ctypes.cast(body, ctypes.POINTER(ctypes.c_ubyte))
        np_.body_len = len(page.body)
        _checksum_set(ctypes.byref(np_))
        out.append(hdr.raw[:page.header_len] + page.body)
        pos = start + len(page.data)
    out.append(data[pos:])
    return b"".join(out)


def chunks_of(data: bytes, sizes: List[int]) -> List[bytes]:
    """``data`` cut into pieces of the given sizes, cycling (sizes of 0 count as 1)."""
    out = []
    pos = 0
    i = 0
    while pos < len(data):
        n = max(1, sizes[i % len(sizes)]) if sizes else len(data)
        out.append(data[pos:pos + n])
        pos += n
        i += 1
    return out


def decode(chunks: List[bytes], **kw) -> list:
    """All events of a push decoder fed ``chunks`` then finished; it must never raise. With
    ``max_output_bytes``, each call's PCM stays within it (plus a packet / a placed gap)."""
    return decoded(VorbisPushDecoder(**kw), chunks, 8192 * 255 * 2)


# ------------------------------------------------------------------------------ targets
def target_splitter(data: bytes) -> None:
    """OggPageSplitter: chunking does not change what is found, and nothing is lost."""
    fdp = atheris.FuzzedDataProvider(data)
    check = fdp.ConsumeBool()
    sizes = [fdp.ConsumeIntInRange(1, 300) for _ in range(fdp.ConsumeIntInRange(1, 8))]
    max_size = fdp.ConsumeIntInRange(1, 2000)
    body = fdp.ConsumeBytes(fdp.remaining_bytes())
    whole = OggPageSplitter(check_crc=check)
    pages = whole.feed(body)
    assert whole.bytes_skipped + sum(len(p) for p in pages) + whole.pending == len(body)
    assert whole.pending < MAX_PAGE
    pieces = OggPageSplitter(check_crc=check)
    got = []
    for c in chunks_of(body, sizes):
        got += pieces.feed(c)
        assert pieces.pending < MAX_PAGE
    assert [p.data for p in got] == [p.data for p in pages]
    assert pieces.flush() == whole.flush()
    hp = VorbisHeaderPages()
    for p in pages:
        hp.add(p)
        repr(p)
    grams = pack_pages(pages, max_size)
    assert all(len(g) <= max_size for g in grams)
    assert b"".join(grams) == b"".join(p.data for p in pages)
    again = OggPageSplitter(check_crc=check)
    assert [p.data for p in again.feed(b"".join(grams))] == [p.data for p in pages]


def _push(data: bytes, fix: bool) -> None:
    mode = data[-1] if data else 0
    body = fix_crcs(data) if fix else data
    kw = {}  # the pure-Python PCM path is ~20x slower: tiny packets make it time out, not fail
    if fix and mode & 2:
        cut = body.find(b"OggS", body.find(b"OggS", body.find(b"OggS") + 1) + 1)
        if cut > 0:
            try:
                kw["headers"] = body[:cut]
                VorbisPushDecoder(**kw).close()
            except HeaderError:
                return
    sizes = ([len(body)], [1, 7, 300], [4096], [27, 1, 64, 1000])[(mode >> 2) & 3]
    whole = audio_events(decode([body], **kw))
    if mode & 16:
        kw["max_output_bytes"] = 4096
    if len(body) < 20000:
        pieces = audio_events(decode(chunks_of(body, sizes), **kw))
        assert pieces == whole, (whole[:4], pieces[:4])


def target_push_bytes(data: bytes) -> None:
    """VorbisPushDecoder on raw bytes, whole and in pieces."""
    _push(data, False)


def target_push_pages(data: bytes) -> None:
    """VorbisPushDecoder on pages with their CRCs fixed up after mutation."""
    _push(data, True)


_TMP = os.path.join(tempfile.gettempdir(), "fuzz-audio-%d.ogg" % os.getpid())


def target_vorbisfile(data: bytes) -> None:
    """OggVorbisFileReader + check_ogg_ending on the input as a file."""
    if data and data[-1] & 1:
        data = fix_crcs(data)
    with open(_TMP, "wb") as f:
        f.write(data)
    try:
        r = OggVorbisFileReader(_TMP)
    except AudioException:
        return
    try:
        total = 0
        while True:
            chunk = r.read(16384)
            if not chunk:
                break
            total += len(chunk)
            assert total < 64 << 20, "more than 64 MiB of PCM from %d bytes" % len(data)
    except AudioException:
        pass
    finally:
        r.close()
    check_ogg_ending(_TMP)


def target_pcm(data: bytes) -> None:
    """planes_to_s16: numpy and pure Python agree on any float32 samples."""
    fdp = atheris.FuzzedDataProvider(data)
    channels = fdp.ConsumeIntInRange(1, 4)
    frames = fdp.remaining_bytes() // (4 * channels)
    planes = [fdp.ConsumeBytes(4 * frames) for _ in range(channels)]
    a = planes_to_s16(planes, channels, frames, use_numpy=True)
    b = planes_to_s16(planes, channels, frames, use_numpy=False)
    assert a == b and len(a) == 2 * channels * frames


_COMMENT = b"\x03vorbis" + (4).to_bytes(4, "little") + b"fuzz" + bytes(4) + b"\x01"


def target_setup(data: bytes) -> None:
    """An identification header (30 bytes) and a setup header: the setup is checked, then (if it
    passes) both go to libvorbis with a comment header."""
    ident, packet = data[:30], data[30:]
    why = setup_header_problem(packet)
    assert why is None or isinstance(why, str)
    if why is None:
        VorbisPushDecoder(headers=[ident, _COMMENT, packet]).close()


def write_seed_setups(seeds: str, out: str) -> None:
    """Write the identification and setup header packets of every .ogg in ``seeds`` into
    ``out``, one file each (a corpus for ``setup``)."""
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(seeds)):
        if name.endswith(".ogg"):
            with open(os.path.join(seeds, name), "rb") as f:
                ident, _, setup = split_header_pages(f.read())
            with open(os.path.join(out, name + ".setup"), "wb") as f:
                f.write(ident + setup)


TARGETS: runner.Targets = {
    "splitter": (target_splitter, ()),
    "push_bytes": (target_push_bytes, ()),
    "push_pages": (target_push_pages, ()),
    "vorbisfile": (target_vorbisfile, ()),
    "pcm": (target_pcm, ()),
    "setup": (target_setup, (HeaderError,)),
}

if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--seed-setups":
        write_seed_setups(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(runner.main(TARGETS))
