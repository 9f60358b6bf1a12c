"""The bitmap font covers Latin-1: accented letters, ß, ç, ñ, «», ¿ ... are drawn as glyphs of
their own (read back from the pixels), never folded to bare ASCII or drawn as the missing box;
only characters outside Latin-1 are folded (Ł -> L) or boxed (Japanese)."""
import subprocess
import sys

from kamaelia_lite.draw.canvas import bitmap_fold
from kamaelia_lite.draw.canvas_pygame import PygameCanvas

BG = (0, 0, 0)
FG = (255, 255, 255)
LATIN1_LETTERS = [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]


def shape(ch, canvas=None):
    """The set of ink pixels of one character drawn at scale 1, read from the canvas."""
    c = canvas or PygameCanvas(size=(8, 10), font="bitmap")
    c.fill(BG)
    c.text(ch, 0, 1, FG, size=8)
    c.present()
    return frozenset((x, y) for y in range(10) for x in range(8) if c.get_pixel(x, y) == FG)


def test_every_latin1_letter_has_its_own_glyph():
    c = PygameCanvas(size=(8, 10), font="bitmap")
    box = shape("\u4e2d", c)
    shapes = {ch: shape(ch, c) for ch in LATIN1_LETTERS}
    assert all(s and s != box for s in shapes.values()), [ch for ch, s in shapes.items() if s == box]
    assert len(set(shapes.values())) == len(LATIN1_LETTERS)          # all distinct
    for accented, base in zip("éèêëàâäåçñüöôßÉÈÀÇÑÜÖ", "eeeeaaaacnuoosEEACNUO"):
        assert shapes[accented] != shape(base, c), accented


def test_an_accented_cue_is_drawn_with_its_accents():
    c = PygameCanvas(size=(200, 10), font="bitmap")
    c.fill(BG)
    c.text("Où est le navire ?", 0, 1, FG, size=8)
    c.present()
    drawn = {(x, y) for y in range(10) for x in range(200) if c.get_pixel(x, y) == FG}
    c.fill(BG)
    c.text("Ou est le navire ?", 0, 1, FG, size=8)
    c.present()
    plain = {(x, y) for y in range(10) for x in range(200) if c.get_pixel(x, y) == FG}
    diff = {x for (x, y) in drawn ^ plain}
    assert diff and min(diff) >= 6 and max(diff) < 12      # only the second glyph differs
    assert all(y < 3 for (x, y) in drawn - plain)           # the grave accent sits above the u


def test_latin1_is_kept_and_only_other_characters_are_folded():
    assert bitmap_fold("Straße, ça, señor, «¿qué?»") == "Straße, ça, señor, «¿qué?»"
    assert bitmap_fold("Łódź \u201cquoted\u201d \u2014 \u2026") == 'Lódz "quoted" - ...'
    assert bitmap_fold("\u65e5\u672c") == "\u65e5\u672c"                  # drawn as boxes


def test_widths_count_glyphs_not_ascii_expansions():
    c = PygameCanvas(size=(10, 10), font="bitmap")
    assert c.text_width("ß", 8) == c.text_width("s", 8) == 5     # no longer 'ss'


def test_generated_font_module_is_up_to_date():
    p = subprocess.run([sys.executable, "tools/fontgen/make_font.py", "--check"], capture_output=True)
    assert p.returncode == 0, "run python3 tools/fontgen/make_font.py"
