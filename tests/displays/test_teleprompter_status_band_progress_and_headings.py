"""Teleprompter: the status band at the bottom is kept clear of the script, a progress
indicator (per cent and a bar) shows how far the reading line is, headings stay distinct
from body text after `colour fg yellow`, and a heading with a [[marker]] of the same name is
one stop (jump finds it, next needs one press). Checked on the pixels (bitmap font)."""
from kamaelia_lite.displays.script import Script
from kamaelia_lite.displays.teleprompter import Teleprompter
from kamaelia_lite.draw.canvas_pygame import PygameCanvas

WHITE = (255, 255, 255)
BLUE = (70, 130, 220)
BODY = " ".join("word%d" % i for i in range(400))
SCRIPT = "# Intro\n\n[[intro]] " + BODY + "\n\n# Two\n\n[[two]] " + BODY + "\n\n# Three\n\nthe end."


def prompter(**kw):
    canvas = PygameCanvas(size=(320, 240), font="bitmap")
    kw.setdefault("font_size", 16)
    tp = Teleprompter(script=SCRIPT, canvas=canvas, **kw)
    tp.relayout()
    return tp, canvas


def colours_in(canvas, rows):
    return {canvas.get_pixel(x, y) for y in rows for x in range(canvas.width)}


def test_script_text_never_enters_the_status_band():
    tp, c = prompter(show_status=True)
    band = tp.status_band()
    assert band > 0
    for word in range(0, 800, 37):
        tp.goto_word(word)
        tp.render()
        assert WHITE not in colours_in(c, range(c.height - band, c.height)), word
        assert WHITE in colours_in(c, range(0, c.height - band))


def test_the_band_disappears_when_the_status_is_off():
    tp, c = prompter(show_status=False)
    assert tp.status_band() == 0
    tp.goto_word(300)
    tp.render()
    assert WHITE in colours_in(c, range(c.height - 12, c.height))       # text uses the whole height


def test_progress_runs_from_start_to_end_and_is_drawn_as_a_bar():
    tp, c = prompter(show_status=True)
    widths = []
    for cmd in (("rewind",), ("goto", 400), ("end",)):
        tp.do(cmd)
        tp.render()
        widths.append(sum(1 for x in range(c.width) if c.get_pixel(x, c.height - 1) == BLUE))
    assert tp.status()["progress"] == 1.0
    assert widths[0] == 0 and 0.3 * c.width < widths[1] < 0.7 * c.width and widths[2] == c.width
    tp.do(("goto", 400))
    assert 0.3 < tp.progress() < 0.7
    assert "%d%%" % int(tp.progress() * 100) in _status_text(tp)


def _status_text(tp):
    """The last text line drawn in a frame (the status bar's)."""
    seen = []
    real = tp.canvas.text

    def spy(s, *a, **k):
        seen.append(s)
        return real(s, *a, **k)
    tp.canvas.text = spy
    try:
        tp.render()
    finally:
        del tp.canvas.text
    return seen[-1]


def heading_and_body_colours(tp, c):
    """Colours of the ink on the heading line and on the next body line under the reading line."""
    tp.goto_word(0)
    tp.render()
    ry = int(tp.reading_line * (c.height - tp.status_band()))
    lh = c.line_height(tp.font_size)
    top = int(ry - lh / 2)
    heading = colours_in(c, range(top, top + lh)) - {(0, 0, 0)}
    step = tp.line_step()
    body = colours_in(c, range(top + 2 * step, top + 2 * step + lh)) - {(0, 0, 0)}
    return heading, body


def test_headings_stay_distinct_after_colour_fg_yellow():
    tp, c = prompter(show_status=False, show_reading_line=False)
    heading, body = heading_and_body_colours(tp, c)
    assert heading and body and heading.isdisjoint(body)
    tp.do("colour fg yellow")
    heading, body = heading_and_body_colours(tp, c)
    assert body == {tp.text_colour}
    assert heading and heading.isdisjoint(body)
    (h,) = heading
    assert sum(abs(a - b) for a, b in zip(h, tp.text_colour)) >= 120      # clearly another colour


def test_headings_are_underlined():
    tp, c = prompter(show_status=False, show_reading_line=False)
    tp.goto_word(0)
    tp.render()
    ry = int(tp.reading_line * c.height)
    lh = c.line_height(tp.font_size)
    underline_row = int(ry - lh / 2) + lh - 1
    w = c.text_width("Intro", tp.font_size)
    m = tp._margin()
    assert all(c.get_pixel(x, underline_row) == tp.heading_look() for x in range(m, m + w))


def test_a_chosen_heading_colour_is_kept():
    tp, c = prompter()
    tp.do("colour heading yellow")
    tp.do("colour fg yellow")
    assert tp.heading_look() == tp.heading_colour == tp.text_colour      # asked for: underline tells


def test_a_heading_and_a_marker_of_the_same_name_are_one_stop():
    s = Script(SCRIPT)
    assert [n for n, _ in s.markers] == ["intro", "two", "three"]
    assert s.words[s.find_marker("two")] == "Two"
    tp, c = prompter()
    tp.do(("next",))
    assert tp.doc.words[tp.word_index()] == "Two"                         # one press
    tp.do(("next",))
    assert tp.doc.words[tp.word_index()] == "Three"
    tp.do(("jump", "intro"))
    assert tp.word_index() == 0
    tp.do(("jump", "tw"))                                                 # prefix: one place
    assert tp.doc.words[tp.word_index()] == "Two"


def test_same_named_markers_in_different_places_jump_to_the_first():
    s = Script("[[scene]] one two three\n\nfour five [[scene]] six")
    assert s.find_marker("scene") == 0
    assert s.find_marker("sc") is None                # a prefix leading to two places is refused
