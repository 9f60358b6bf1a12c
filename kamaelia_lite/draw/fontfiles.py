"""Font files on this system and which characters each one has (pure logic, desktop).

The pygame canvas draws each run of text with the first font of a chain that has glyphs for
it, so Japanese, Chinese, Arabic and Hebrew are drawn instead of empty boxes. This module
finds the chain's files and reads each font's character map (the OpenType ``cmap`` table,
formats 4 and 12; TrueType collections ``.ttc`` too) without any font library.

    chain = default_chain()            # paths, best first, only those installed
    cov = coverage(chain[0])
    cov.has(ord("A"))                  # True

``DEFAULT_CHAIN`` names Debian's ``fonts-noto-core`` (Noto Sans, Noto Sans Arabic, Noto Sans
Hebrew), ``fonts-noto-cjk`` (Noto Sans CJK) and ``fonts-dejavu-core`` (DejaVu Sans);
``KAMAELIA_FONT_DIRS`` (os.pathsep-separated) adds directories to search first.
"""
from __future__ import annotations

import os
import struct
import sys
from bisect import bisect_right
from typing import Dict, List, Optional, Sequence, Tuple

DEFAULT_CHAIN = (
    "NotoSans-Regular.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKjp-Regular.otf",
    "DejaVuSans.ttf",
)


def font_dirs() -> List[str]:
    """Directories searched for font files, in order."""
    dirs = [d for d in os.environ.get("KAMAELIA_FONT_DIRS", "").split(os.pathsep) if d]
    home = os.path.expanduser("~")
    dirs += [os.path.join(home, ".local", "share", "fonts"), os.path.join(home, ".fonts"),
             "/usr/local/share/fonts", "/usr/share/fonts"]
    if sys.platform == "darwin":
        dirs += ["/Library/Fonts", "/System/Library/Fonts", os.path.join(home, "Library", "Fonts")]
    elif sys.platform.startswith("win"):
        dirs.append(os.path.join(os.environ.get("WINDIR", "C:\\Windows"), "Fonts"))
    return dirs


_index: Optional[Dict[str, str]] = None


def _file_index() -> Dict[str, str]:
    """{file name: first path found} over every font directory (walked once)."""
    global _index
    if _index is None:
        found: Dict[str, str] = {}
        for top in font_dirs():
            for root, _dirs, files in os.walk(top):
                for name in files:
                    if name.lower().endswith((".ttf", ".otf", ".ttc")) and name not in found:
                        found[name] = os.path.join(root, name)
        _index = found
    return _index


def find_fonts(names: Sequence[str]) -> List[str]:
    """Paths of the named font files (file names or paths) that exist, in the given order."""
    out = []
    index = _file_index()
    for name in names:
        path = name if os.path.isabs(name) else index.get(name)
        if path and os.path.exists(path) and path not in out:
            out.append(path)
    return out


def default_chain() -> List[str]:
    """The default fallback chain: the files of ``DEFAULT_CHAIN`` that are installed."""
    return find_fonts(DEFAULT_CHAIN)


class Coverage:
    """The set of code points a font maps to a glyph, as sorted inclusive ranges."""

    def __init__(self, ranges: List[Tuple[int, int]]) -> None:
        ranges.sort()
        merged: List[List[int]] = []
        for lo, hi in ranges:
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1][1] = hi
            else:
                merged.append([lo, hi])
        self.starts = [r[0] for r in merged]
        self.ends = [r[1] for r in merged]

    def has(self, codepoint: int) -> bool:
        """True if the font has a glyph for ``codepoint``."""
        i = bisect_right(self.starts, codepoint) - 1
        return i >= 0 and codepoint <= self.ends[i]

    def __len__(self) -> int:
        return sum(e - s + 1 for s, e in zip(self.starts, self.ends))


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from(">H", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from(">I", data, at)[0]


def _format4(t: bytes) -> List[Tuple[int, int]]:
    segs = _u16(t, 6) // 2
    ends_at, starts_at = 14, 16 + 2 * segs
    deltas_at, offsets_at = starts_at + 2 * segs, starts_at + 4 * segs
    out = []
    for i in range(segs):
        end = _u16(t, ends_at + 2 * i)
        start = _u16(t, starts_at + 2 * i)
        if start == 0xFFFF:
            continue
        delta = _u16(t, deltas_at + 2 * i)
        ro = _u16(t, offsets_at + 2 * i)
        if ro == 0:
            out.append((start, end))
            continue
        first = offsets_at + 2 * i + ro          # glyph ids from the array: skip zeros
        end = min(end, start + (len(t) - first) // 2 - 1)     # (a damaged table ends early)
        for c in range(start, end + 1):
            at = first + 2 * (c - start)
            if _u16(t, at) != 0 and (_u16(t, at) + delta) & 0xFFFF:
                out.append((c, c))
    return out


def _format12(t: bytes) -> List[Tuple[int, int]]:
    groups = _u32(t, 12)
    return [(_u32(t, 16 + 12 * i), _u32(t, 20 + 12 * i)) for i in range(groups)]


def read_cmap(path: str, index: int = 0) -> Coverage:
    """The coverage of font ``index`` in the file (0 for a plain .ttf/.otf). A file that is no
    font, or a damaged one (cut short, offsets past its end), is a ValueError naming it."""
    try:
        return _read_cmap(path, index)
    except struct.error as e:
        raise ValueError("%s: damaged font file (%s)" % (path, e)) from None


def _read_cmap(path: str, index: int) -> Coverage:
    with open(path, "rb") as f:
        head = f.read(12)
        base = 0
        if head[:4] == b"ttcf":
            f.seek(12 + 4 * index)
            base = _u32(f.read(4), 0)
            f.seek(base)
            head = f.read(12)
        tables = _u16(head, 4)
        f.seek(base + 12)
        records = f.read(16 * tables)
        where = None
        for i in range(tables):
            if records[16 * i:16 * i + 4] == b"cmap":
                where = (_u32(records, 16 * i + 8), _u32(records, 16 * i + 12))
        if where is None:
            raise ValueError("%s: no cmap table" % path)
        f.seek(where[0])
        cmap = f.read(where[1])
    best = None
    rank = {(3, 10): 0, (0, 6): 1, (0, 4): 2, (3, 1): 3, (0, 3): 4, (0, 2): 5, (0, 1): 6, (0, 0): 7}
    for i in range(_u16(cmap, 2)):
        pid, eid, off = _u16(cmap, 4 + 8 * i), _u16(cmap, 6 + 8 * i), _u32(cmap, 8 + 8 * i)
        fmt = _u16(cmap, off)
        r = rank.get((pid, eid))
        if r is not None and fmt in (4, 12) and (best is None or r < best[0]):
            best = (r, off, fmt)
    if best is None:
        raise ValueError("%s: no Unicode cmap of format 4 or 12" % path)
    _, off, fmt = best
    sub = cmap[off:]
    return Coverage(_format12(sub) if fmt == 12 else _format4(sub))


_coverages: Dict[str, Coverage] = {}


def coverage(path: str) -> Coverage:
    """``read_cmap(path)``, read once per file."""
    cov = _coverages.get(path)
    if cov is None:
        cov = _coverages[path] = read_cmap(path)
    return cov
