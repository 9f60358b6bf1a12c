"""The pygame canvas draws Japanese, Chinese, Arabic, Hebrew and accented text as glyphs, not
the empty 'missing' boxes: each run of text goes to the first font of the system chain
(Noto Sans, Noto Sans Arabic/Hebrew, Noto Sans CJK, DejaVu) that has it. Right-to-left lines
are shaped (Arabic letters join) and read from the right. Checked on the pixels."""
import os

import pytest

from kamaelia_lite.draw import fontfiles
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from kamaelia_lite.draw.rtl import visual_order

BG = (0, 0, 0)
FG = (255, 255, 255)
NOT_IN_ANY_FONT = "\U0010fffd"        # private use: no font has it, so it is drawn as notdef
SIZE = 32


@pytest.fixture(scope="module")
def canvas():
    return PygameCanvas(size=(400, 60))


def ink(c, text, x=4):
    """Ink pixels of one line drawn at (x, 4), as a frozenset of (x, y)."""
    c.fill(BG)
    c.text(text, x, 4, FG, SIZE)
    c.present()
    return frozenset((px, py) for py in range(c.height) for px in range(c.width)
                     if sum(c.get_pixel(px, py)) > 384)


def normalised(pixels):
    if not pixels:
        return pixels
    x0 = min(x for x, _ in pixels)
    y0 = min(y for _, y in pixels)
    return frozenset((x - x0, y - y0) for x, y in pixels)


def glyph_groups(pixels):
    """Ink split into groups of touching columns, left to right."""
    cols = sorted({x for x, _ in pixels})
    groups, cur = [], []
    for x in cols:
        if cur and x != cur[-1] + 1:
            groups.append(cur)
            cur = []
        cur.append(x)
    if cur:
        groups.append(cur)
    return [normalised(frozenset(p for p in pixels if cur[0] <= p[0] <= cur[-1])) for cur in groups]


def test_the_system_chain_is_installed():
    names = [os.path.basename(p) for p in fontfiles.default_chain()]
    for want in ("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
                 "NotoSansCJK-Regular.ttc", "DejaVuSans.ttf"):
        assert want in names, "install fonts-noto-core, fonts-noto-cjk, fonts-dejavu-core"


@pytest.mark.parametrize("line", ["日本語の字幕です", "船はどこですか", "中文字幕测试", "Où est le navire ?",
                                  "Straße Ça señor", "Привет мир"])
def test_each_character_is_a_glyph_not_the_notdef_box(canvas, line):
    box = normalised(ink(canvas, NOT_IN_ANY_FONT))
    assert box, "the notdef box draws something to compare against"
    chars = sorted(set(line.replace(" ", "")))
    shapes = {ch: normalised(ink(canvas, ch)) for ch in chars}
    assert all(shapes[ch] and shapes[ch] != box for ch in chars), \
        [ch for ch in chars if shapes[ch] == box]
    assert len(set(shapes.values())) == len(chars)        # distinct glyph shapes


def test_font_character_maps_are_read_from_the_files():
    noto, cjk = fontfiles.find_fonts(["NotoSans-Regular.ttf", "NotoSansCJK-Regular.ttc"])
    assert fontfiles.coverage(noto).has(ord("A")) and fontfiles.coverage(noto).has(ord("é"))
    assert not fontfiles.coverage(noto).has(ord("日"))
    assert fontfiles.coverage(cjk).has(ord("日")) and fontfiles.coverage(cjk).has(0x20B9F)  # 𠮟, plane 2


def test_a_mixed_line_uses_a_font_per_run(canvas):
    runs = canvas.runs("Hello 日本 שלום")
    assert [r for _, r in runs] == ["Hello ", "日本 ", "םולש"]
    fonts = [os.path.basename(canvas.chain[i]) for i, _ in runs]
    assert "CJK" in fonts[1] and "Hebrew" in fonts[2] and fonts[0] != fonts[1]


def test_decomposed_accents_are_composed_so_the_mark_stays_on_its_letter(canvas):
    assert canvas.runs("Cafe\u0301") == canvas.runs("Caf\u00e9") == [(0, "Caf\u00e9")]


def test_arabic_is_drawn_joined_not_as_boxes(canvas):
    word = "مرحبا"
    box = normalised(ink(canvas, NOT_IN_ANY_FONT))
    shapes = [normalised(ink(canvas, ch)) for ch in word]
    assert all(s and s != box for s in shapes)
    # joined letters are narrower than the same letters drawn on their own
    assert canvas.text_width(word, SIZE) < sum(canvas.text_width(ch, SIZE) for ch in word)
    line = ink(canvas, word)
    assert len(glyph_groups(line)) < len(word)             # letters touch: fewer ink groups


def test_hebrew_reads_from_the_right(canvas):
    alef, bet = "\u05d0", "\u05d1"
    a = normalised(ink(canvas, alef))
    b = normalised(ink(canvas, bet))
    assert a != b
    groups = glyph_groups(ink(canvas, alef + bet))
    assert len(groups) == 2
    assert groups == [b, a]                                # bet drawn left of alef


def test_numbers_and_latin_keep_their_order_inside_rtl_lines():
    assert visual_order("\u05d4\u05de\u05d7\u05d6\u05d4 2024") == "2024 \u05d4\u05d6\u05d7\u05de\u05d4"
    assert visual_order("\u05e9\u05dc\u05d5\u05dd Hamlet") == "Hamlet \u05dd\u05d5\u05dc\u05e9"
    assert visual_order("Act 2 \u05d0\u05d1") == "Act 2 \u05d1\u05d0"
    assert visual_order("plain text") == "plain text"


def test_an_rtl_line_wraps_in_reading_order(canvas):
    words = ["\u05d0\u05d1\u05d2", "\u05d3\u05d4\u05d5", "\u05d6\u05d7\u05d8"] * 4
    lines = canvas.wrap(" ".join(words), 120, SIZE)
    assert " ".join(lines).split() == words                # logical order kept by the wrap
    assert all(canvas.text_width(line, SIZE) <= 120 for line in lines)
