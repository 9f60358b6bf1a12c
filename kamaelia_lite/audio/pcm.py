"""Float planar PCM (as libvorbis returns it) to signed 16-bit interleaved little-endian bytes.

The rounding is exactly libvorbisfile's ``ov_read`` on x86-64 (SSE2 ``cvtsd2si``: round half
to even of ``sample * 32768``, clipped to [-32768, 32767]), so a push-decoded stream is byte for
byte the same as a file decoded by libvorbisfile / pyogg. That includes what a corrupt stream can
make libvorbis output: ``cvtsd2si`` turns NaN, infinities and anything beyond 32 bits
(``|sample * 32768| >= 2**31``) into INT_MIN, so such a sample is -32768, never an exception. numpy does the work when present; a
pure-Python path gives the same bytes, about ten times slower.
"""

import ctypes
import struct

try:
    import numpy as _np
except ImportError:  # pure-Python fallback
    _np = None

__all__ = ["planes_to_s16", "planar_float_to_s16", "HAVE_NUMPY"]

HAVE_NUMPY = _np is not None
_INT_RANGE = 2147483648.0  # cvtsd2si converts |v| < 2**31; anything else becomes INT_MIN


def planes_to_s16(planes, channels, frames, use_numpy=None):
    """s16le interleaved bytes from ``planes``: one bytes object of native float32 per channel.

    ``use_numpy``: None = numpy when available; False forces the pure-Python path.
    """
    if frames <= 0:
        return b""
    if use_numpy is None:
        use_numpy = HAVE_NUMPY
    if use_numpy and _np is not None:
        a = _np.frombuffer(b"".join(planes), dtype=_np.float32).reshape(channels, frames)
        with _np.errstate(over="ignore"):  # a float32 overflow is inf here, as in ov_read
            a = a * _np.float32(32768.0)  # exact: a power-of-two scaling
        # NaN, infinities, beyond 32 bits: cvtsd2si's INT_MIN. Two reductions find whether there
        # are any (NaN propagates through min and max); only then is each sample looked at.
        wild = None
        if not (-_INT_RANGE < a.min() and a.max() < _INT_RANGE):
            wild = ~(_np.abs(a) < _INT_RANGE)
        _np.rint(a, out=a)  # round half to even, as cvtsd2si does
        _np.clip(a, -32768.0, 32767.0, out=a)
        if wild is not None:
            a[wild] = -32768.0
        return a.T.astype("<i2").tobytes()
    rnd = round
    vals = [struct.unpack("=%df" % frames, p) for p in planes]
    out = []
    append = out.append
    for i in range(frames):
        for ch in range(channels):
            v = vals[ch][i] * 32768.0
            if -32768.0 < v < 32767.0:
                v = rnd(v)
            elif 32767.0 <= v < _INT_RANGE:
                v = 32767
            else:  # below the range, or NaN, infinite, beyond 32 bits: cvtsd2si's INT_MIN
                v = -32768
            append(v)
    return struct.pack("<%dh" % len(out), *out)


def planar_float_to_s16(channel_ptrs, channels, frames, use_numpy=None):
    """The same from a C ``float**`` (``channel_ptrs[ch]`` points at ``frames`` floats)."""
    planes = [ctypes.string_at(channel_ptrs[ch], 4 * frames) for ch in range(channels)]
    return planes_to_s16(planes, channels, frames, use_numpy)
