"""Right-to-left text: python-bidi + arabic-reshaper against HarfBuzz (uharfbuzz).

Measures, on sample Arabic and Hebrew subtitle lines (logical order, as typed):

1. Order: is the line reordered for display as expected? (numbers and Latin words inside a
   right-to-left line keep their own order; punctuation at the end goes to the left).
   - python-bidi ``get_display`` (the Unicode bidi algorithm);
   - HarfBuzz alone: one buffer per line, direction guessed from the text, glyph clusters
     read back in visual order (HarfBuzz shapes a run; it does not split runs).
2. Shaping, on the purely Arabic lines: the glyphs pygame would draw for the reshaped string
   (each presentation-form character mapped through the font's cmap) against the glyphs
   HarfBuzz chooses for the line (the reference shaper). Two glyphs count as the same when
   their outlines' extents and advances are (an isolated presentation form and the nominal
   letter are different glyph ids with one outline). Reported: lines identical, share of
   glyphs the same (difflib ratio), and how many marks HarfBuzz moved (GPOS offsets) that
   a string drawn glyph by glyph leaves where they fall.
3. Time per line: reshape + get_display against one HarfBuzz shape (font loaded once).

Usage: python3 tools/bench/rtl_bench.py [--repeat N]
The font is Noto Sans Arabic (Debian fonts-noto-core), found through kamaelia_lite.draw.fontfiles.
"""
import difflib
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

import uharfbuzz as hb  # noqa: E402
from arabic_reshaper import ArabicReshaper  # noqa: E402
from bidi import get_display  # noqa: E402

from kamaelia_lite.draw.fontfiles import find_fonts  # noqa: E402

# (logical line, expected visual order of the same characters, left to right)
ORDER_CASES = [
    ("\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd", "\u05dd\u05dc\u05d5\u05e2 \u05dd\u05d5\u05dc\u05e9"),
    ("\u05d0\u05d9\u05e4\u05d4 \u05d4\u05e1\u05e4\u05d9\u05e0\u05d4?",
     "?\u05d4\u05e0\u05d9\u05e4\u05e1\u05d4 \u05d4\u05e4\u05d9\u05d0"),
    ("\u05d4\u05de\u05d7\u05d6\u05d4 2024 \u05de\u05ea\u05d7\u05d9\u05dc",
     "\u05dc\u05d9\u05d7\u05ea\u05de 2024 \u05d4\u05d6\u05d7\u05de\u05d4"),
    ("\u05e9\u05dc\u05d5\u05dd Hamlet \u05e9\u05dc\u05d5\u05dd",
     "\u05dd\u05d5\u05dc\u05e9 Hamlet \u05dd\u05d5\u05dc\u05e9"),
    ("\u05d1\u05e9\u05e2\u05d4 10:30", "10:30 \u05d4\u05e2\u05e9\u05d1"),
    ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
     "\u0645\u0644\u0627\u0639\u0644\u0627\u0628 \u0627\u0628\u062d\u0631\u0645"),
    ("\u0627\u0644\u0639\u0631\u0636 \u0631\u0642\u0645 2024",
     "2024 \u0645\u0642\u0631 \u0636\u0631\u0639\u0644\u0627"),
    ("\u0623\u064a\u0646 \u0627\u0644\u0633\u0641\u064a\u0646\u0629\u061f",
     "\u061f\u0629\u0646\u064a\u0641\u0633\u0644\u0627 \u0646\u064a\u0623"),
    ("Act 2: \u0627\u0644\u0628\u062f\u0627\u064a\u0629", "Act 2: \u0629\u064a\u0627\u062f\u0628\u0644\u0627"),
    ("\u0645\u0633\u0631\u062d\u064a\u0629 Hamlet \u0627\u0644\u064a\u0648\u0645",
     "\u0645\u0648\u064a\u0644\u0627 Hamlet \u0629\u064a\u062d\u0631\u0633\u0645"),
]
# purely Arabic lines for the shaping comparison (joins, lam-alef, harakat, hamza, ta marbuta)
SHAPE_CASES = [
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645",
    "\u0644\u0627 \u0623\u0639\u0631\u0641",
    "\u0623\u064a\u0646 \u0627\u0644\u0633\u0641\u064a\u0646\u0629",
    "\u0643\u062a\u0627\u0628 \u062c\u062f\u064a\u062f \u0641\u064a \u0627\u0644\u0645\u0643\u062a\u0628\u0629",
    "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f",
    "\u0628\u0650\u0633\u0652\u0645\u0650 \u0627\u0644\u0644\u0651\u064e\u0647\u0650",
    "\u0633\u0623\u0644 \u0627\u0644\u0645\u0624\u0644\u0641 \u0639\u0646 \u0627\u0644\u0645\u0633\u0627\u0621",
    "\u0647\u0630\u0647 \u0647\u064a \u0627\u0644\u0644\u064a\u0644\u0629 \u0627\u0644\u0623\u062e\u064a\u0631\u0629",
    "\u0634\u0643\u0631\u0627 \u0644\u0643\u0645 \u0648\u062a\u0635\u0628\u062d\u0648\u0646 \u0639\u0644\u0649 \u062e\u064a\u0631",
]


def hb_font(path):
    return hb.Font(hb.Face(hb.Blob.from_file_path(path)))


def hb_shape(font, text):
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return buf


def hb_visual_text(font, text):
    """The characters in the order HarfBuzz lays the glyphs out (clusters, deduplicated)."""
    out, seen = [], set()
    for info in hb_shape(font, text).glyph_infos:
        if info.cluster not in seen:
            seen.add(info.cluster)
            out.append(info.cluster)
    # cluster = first UTF-8... uharfbuzz's add_str uses code point indices
    return "".join(text[c] for c in out)


def glyph_key(font, gid):
    """What a glyph looks like, as far as placing it goes: advance and ink extents."""
    e = font.get_glyph_extents(gid)
    ext = (e.x_bearing, e.y_bearing, e.width, e.height) if e else None
    return (font.get_glyph_h_advance(gid), ext)


def main(argv):
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 2000
    fonts = find_fonts(["NotoSansArabic-Regular.ttf", "DejaVuSans.ttf"])
    if not fonts:
        print("no Arabic font found (Debian: fonts-noto-core)")
        return 1
    font = hb_font(fonts[0])
    reshaper = ArabicReshaper({"delete_harakat": False, "support_ligatures": True})

    ok_bidi = sum(get_display(line) == want for line, want in ORDER_CASES)
    ok_hb = sum(hb_visual_text(font, line) == want for line, want in ORDER_CASES)
    print("order, %d lines: python-bidi %d/%d correct, HarfBuzz alone %d/%d"
          % (len(ORDER_CASES), ok_bidi, len(ORDER_CASES), ok_hb, len(ORDER_CASES)))

    same_lines, ratios, moved = 0, [], 0
    for line in SHAPE_CASES:
        drawn = get_display(reshaper.reshape(line))
        ours = [glyph_key(font, font.get_nominal_glyph(ord(ch)) or 0) for ch in drawn]
        buf = hb_shape(font, line)
        ref = [glyph_key(font, info.codepoint) for info in buf.glyph_infos]
        moved += sum(1 for p in buf.glyph_positions if p.x_offset or p.y_offset)
        same_lines += ours == ref
        ratios.append(difflib.SequenceMatcher(None, ours, ref).ratio())
    print("shaping, %d Arabic lines: reshaper glyphs the same as HarfBuzz's on %d/%d lines, "
          "%.1f%% of glyphs; HarfBuzz moved %d marks" % (
              len(SHAPE_CASES), same_lines, len(SHAPE_CASES), 100.0 * sum(ratios) / len(ratios), moved))

    lines = [line for line, _ in ORDER_CASES] + SHAPE_CASES
    t0 = time.perf_counter()
    for _ in range(repeat // len(lines) + 1):
        for line in lines:
            get_display(reshaper.reshape(line))
    t1 = time.perf_counter()
    for _ in range(repeat // len(lines) + 1):
        for line in lines:
            hb_shape(font, line)
    t2 = time.perf_counter()
    n = (repeat // len(lines) + 1) * len(lines)
    a_us = (t1 - t0) / n * 1e6
    b_us = (t2 - t1) / n * 1e6
    print("time per line: reshape+bidi %.1f us, HarfBuzz shape %.1f us (ratio %.2f)"
          % (a_us, b_us, a_us / b_us))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
