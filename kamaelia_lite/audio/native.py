"""ctypes binding to the system's libogg and libvorbis (the libraries pyogg loads).

Only what the push decoder needs is bound. States that the libraries manage themselves
(``ogg_sync_state``, ``ogg_stream_state``, ``vorbis_dsp_state``, ``vorbis_block``,
``vorbis_comment``) are allocated as opaque, 8-byte aligned buffers that are larger than the
real structs on any 64-bit or 32-bit ABI (the real x86-64 sizes are 32, 408, 144, 192 and 32
bytes): we never read their fields, so only their size and alignment matter. The structs whose
fields we read or write (``ogg_page``, ``ogg_packet``, the start of ``vorbis_info``) are laid
out field by field, with C types that follow the platform's ``long``.

CPython only (ctypes).
"""

import ctypes
import ctypes.util
import sys

__all__ = [
    "NativeLibraryMissing",
    "libogg",
    "libvorbis",
    "OggPage",
    "OggPacket",
    "VorbisInfo",
    "opaque",
    "SYNC_STATE_SIZE",
    "STREAM_STATE_SIZE",
    "DSP_STATE_SIZE",
    "BLOCK_SIZE",
    "COMMENT_SIZE",
]


class NativeLibraryMissing(ImportError):
    """libogg or libvorbis could not be found on this system."""


# Generous opaque sizes (bytes). Real x86-64 sizes: 32, 408, 144, 192, 32, 56.
SYNC_STATE_SIZE = 128
STREAM_STATE_SIZE = 1024
DSP_STATE_SIZE = 512
BLOCK_SIZE = 512
COMMENT_SIZE = 128
INFO_PAD = 64


def opaque(size):
    """A zeroed, 8-byte aligned buffer of at least ``size`` bytes for a library-managed state."""
    return (ctypes.c_uint64 * ((size + 7) // 8))()


class OggPage(ctypes.Structure):
    """libogg's ``ogg_page``: pointers into the sync buffer (valid until the next sync call)."""

    _fields_ = [
        ("header", ctypes.POINTER(ctypes.c_ubyte)),
        ("header_len", ctypes.c_long),
        ("body", ctypes.POINTER(ctypes.c_ubyte)),
        ("body_len", ctypes.c_long),
    ]


class OggPacket(ctypes.Structure):
    """libogg's ``ogg_packet``."""

    _fields_ = [
        ("packet", ctypes.POINTER(ctypes.c_ubyte)),
        ("bytes", ctypes.c_long),
        ("b_o_s", ctypes.c_long),
        ("e_o_s", ctypes.c_long),
        ("granulepos", ctypes.c_int64),
        ("packetno", ctypes.c_int64),
    ]


class VorbisInfo(ctypes.Structure):
    """libvorbis's ``vorbis_info`` (followed by padding, in case a future version grows it)."""

    _fields_ = [
        ("version", ctypes.c_int),
        ("channels", ctypes.c_int),
        ("rate", ctypes.c_long),
        ("bitrate_upper", ctypes.c_long),
        ("bitrate_nominal", ctypes.c_long),
        ("bitrate_lower", ctypes.c_long),
        ("bitrate_window", ctypes.c_long),
        ("codec_setup", ctypes.c_void_p),
        ("_pad", ctypes.c_uint64 * (INFO_PAD // 8)),
    ]


def _load(name, probe, sonames):
    """Load a library the way pyogg does (reusing pyogg's handle when pyogg is importable)."""
    try:  # the very same handle pyogg uses, if pyogg is installed and found it
        if name == "ogg":
            from pyogg import ogg as _pyogg_mod

            lib = getattr(_pyogg_mod, "libogg", None)
        else:
            from pyogg import vorbis as _pyogg_mod

            lib = getattr(_pyogg_mod, "libvorbis", None)
        if lib is not None and hasattr(lib, probe):
            return lib
    except Exception:  # pyogg missing or broken: find the library ourselves
        pass
    candidates = []
    found = ctypes.util.find_library(name)
    if found:
        candidates.append(found)
    candidates.extend(sonames)
    errors = []
    for cand in candidates:
        try:
            lib = ctypes.CDLL(cand)
        except OSError as e:
            errors.append("%s: %s" % (cand, e))
            continue
        if hasattr(lib, probe):
            return lib
        errors.append("%s: has no %s" % (cand, probe))
    raise NativeLibraryMissing(
        "lib%s not found (install libogg0/libvorbis0a, or the pyogg package): %s"
        % (name, "; ".join(errors) or "no candidates")
    )


if sys.platform == "darwin":
    _OGG_NAMES = ["libogg.0.dylib", "libogg.dylib"]
    _VORBIS_NAMES = ["libvorbis.0.dylib", "libvorbis.dylib"]
elif sys.platform == "win32":
    _OGG_NAMES = ["ogg.dll", "libogg.dll", "libogg-0.dll"]
    _VORBIS_NAMES = ["vorbis.dll", "libvorbis.dll", "libvorbis-0.dll"]
else:
    _OGG_NAMES = ["libogg.so.0", "libogg.so"]
    _VORBIS_NAMES = ["libvorbis.so.0", "libvorbis.so"]

libogg = _load("ogg", "ogg_sync_init", _OGG_NAMES)
libvorbis = _load("vorbis", "vorbis_synthesis_init", _VORBIS_NAMES)

_vp = ctypes.c_void_p
_int = ctypes.c_int
_long = ctypes.c_long
_page_p = ctypes.POINTER(OggPage)
_packet_p = ctypes.POINTER(OggPacket)
_info_p = ctypes.POINTER(VorbisInfo)
_float_ppp = ctypes.POINTER(ctypes.POINTER(ctypes.POINTER(ctypes.c_float)))


def _sig(lib, name, restype, *argtypes):
    fn = lib[name]  # a fresh function object: never alter the signatures pyogg set on its own
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


# The bound functions live in a small namespace object so callers write ``ogg.sync_init(...)``.
class _Ns:
    pass


ogg = _Ns()
ogg.sync_init = _sig(libogg, "ogg_sync_init", _int, _vp)
ogg.sync_clear = _sig(libogg, "ogg_sync_clear", _int, _vp)
ogg.sync_reset = _sig(libogg, "ogg_sync_reset", _int, _vp)
ogg.sync_buffer = _sig(libogg, "ogg_sync_buffer", _vp, _vp, _long)
ogg.sync_wrote = _sig(libogg, "ogg_sync_wrote", _int, _vp, _long)
ogg.sync_pageout = _sig(libogg, "ogg_sync_pageout", _int, _vp, _page_p)
ogg.sync_pageseek = _sig(libogg, "ogg_sync_pageseek", _long, _vp, _page_p)
ogg.page_serialno = _sig(libogg, "ogg_page_serialno", _int, _page_p)
ogg.page_bos = _sig(libogg, "ogg_page_bos", _int, _page_p)
ogg.page_eos = _sig(libogg, "ogg_page_eos", _int, _page_p)
ogg.page_pageno = _sig(libogg, "ogg_page_pageno", _long, _page_p)
ogg.page_granulepos = _sig(libogg, "ogg_page_granulepos", ctypes.c_int64, _page_p)
ogg.stream_init = _sig(libogg, "ogg_stream_init", _int, _vp, _int)
ogg.stream_clear = _sig(libogg, "ogg_stream_clear", _int, _vp)
ogg.stream_reset = _sig(libogg, "ogg_stream_reset", _int, _vp)
ogg.stream_pagein = _sig(libogg, "ogg_stream_pagein", _int, _vp, _page_p)
ogg.stream_packetout = _sig(libogg, "ogg_stream_packetout", _int, _vp, _packet_p)

vorbis = _Ns()
vorbis.info_init = _sig(libvorbis, "vorbis_info_init", None, _info_p)
vorbis.info_clear = _sig(libvorbis, "vorbis_info_clear", None, _info_p)
vorbis.comment_init = _sig(libvorbis, "vorbis_comment_init", None, _vp)
vorbis.comment_clear = _sig(libvorbis, "vorbis_comment_clear", None, _vp)
vorbis.synthesis_idheader = _sig(libvorbis, "vorbis_synthesis_idheader", _int, _packet_p)
vorbis.synthesis_headerin = _sig(libvorbis, "vorbis_synthesis_headerin", _int, _info_p, _vp, _packet_p)
vorbis.synthesis_init = _sig(libvorbis, "vorbis_synthesis_init", _int, _vp, _info_p)
vorbis.synthesis_restart = _sig(libvorbis, "vorbis_synthesis_restart", _int, _vp)
vorbis.block_init = _sig(libvorbis, "vorbis_block_init", _int, _vp, _vp)
vorbis.block_clear = _sig(libvorbis, "vorbis_block_clear", _int, _vp)
vorbis.dsp_clear = _sig(libvorbis, "vorbis_dsp_clear", None, _vp)
vorbis.synthesis = _sig(libvorbis, "vorbis_synthesis", _int, _vp, _packet_p)
vorbis.synthesis_blockin = _sig(libvorbis, "vorbis_synthesis_blockin", _int, _vp, _vp)
vorbis.synthesis_pcmout = _sig(libvorbis, "vorbis_synthesis_pcmout", _int, _vp, _float_ppp)
vorbis.synthesis_read = _sig(libvorbis, "vorbis_synthesis_read", _int, _vp, _int)

FloatPP = ctypes.POINTER(ctypes.POINTER(ctypes.c_float))
