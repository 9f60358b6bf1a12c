"""Float PCM to s16 gives libvorbisfile's ov_read bytes for every float a corrupt stream can make
libvorbis produce, in both paths (numpy and pure Python), and never raises.

ov_read on x86-64 does ``cvtsd2si((double)(x * 32768.0f))`` then clips to [-32768, 32767]
(read from libvorbisfile.so's code). cvtsd2si rounds half to even and turns anything it cannot
represent in 32 bits (NaN, infinities, |v| >= 2**31) into INT_MIN, so those samples are -32768.
The pure-Python path used to raise ValueError/OverflowError on NaN and infinities; numpy gave
32767 for large positive values and 0 for NaN."""
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.audio.pcm import HAVE_NUMPY, planes_to_s16


def ov_read_sample(x):
    """One float32 sample as ov_read turns it into s16 (the reference for this test)."""
    v = x * 32768.0
    if math.isnan(v) or not -2147483648.0 <= v < 2147483648.0:
        return -32768
    return max(-32768, min(32767, round(v)))


def convert_both(values, channels=1):
    frames = len(values) // channels
    planes = [struct.pack("=%df" % frames, *values[ch * frames:(ch + 1) * frames]) for ch in range(channels)]
    out = [planes_to_s16(planes, channels, frames, use_numpy=False)]
    if HAVE_NUMPY:
        out.append(planes_to_s16(planes, channels, frames, use_numpy=True))
    return out


def expected(values, channels=1):
    frames = len(values) // channels
    return struct.pack("<%dh" % (frames * channels),
                       *[ov_read_sample(values[ch * frames + i]) for i in range(frames) for ch in range(channels)])


@pytest.mark.parametrize("x,s16", [
    (float("nan"), -32768), (float("inf"), -32768), (float("-inf"), -32768),
    (1e30, -32768), (65536.0, -32768), (65535.99609375, 32767), (-65536.0, -32768), (-1e30, -32768),
    (0.5 / 32768, 0), (1.5 / 32768, 2), (-2.5 / 32768, -2), (0.99999, 32767), (-1.0, -32768), (1.0, 32767),
])
def test_each_kind_of_sample_becomes_what_ov_read_makes_of_it(x, s16):
    for got in convert_both([x, 0.25]):
        assert struct.unpack("<2h", got) == (s16, 8192)


float32s = st.integers(0, 0xFFFFFFFF).map(lambda b: struct.unpack("=f", struct.pack("=I", b))[0])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 3).flatmap(lambda ch: st.tuples(st.just(ch), st.lists(float32s, max_size=30).map(
    lambda v: v[:len(v) // ch * ch]))))
def test_any_float32_samples_convert_as_ov_read_does_in_both_paths(case):
    channels, values = case
    want = expected(values, channels)
    for got in convert_both(values, channels):
        assert got == want
