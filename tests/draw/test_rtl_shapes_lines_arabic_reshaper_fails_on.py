"""Zero-width joiners (emoji sequences such as U+1F469 U+200D U+1F4BB put them in cues) no
longer break Arabic shaping: arabic-reshaper 3.1.0 misplaces its lam-alef ligatures after a
joiner, raising IndexError (failing the display for that cue) or silently dropping letters.
The joiners are left out of a right-to-left line before shaping (they draw nothing on the
pygame canvas): the line is shaped as without them, every letter kept."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from kamaelia_lite.draw.rtl import has_rtl, visual_order  # noqa: E402

LAM_ALEF = "\u0644\u0627"
LAM_ALEF_ISOLATED = "\ufefb"


def test_a_joiner_before_lam_alef_is_shaped_as_without_it():
    assert visual_order("\u200d" + LAM_ALEF) == visual_order(LAM_ALEF) == LAM_ALEF_ISOLATED
    assert visual_order("\U0001f469\u200d\U0001f4bb" + LAM_ALEF + "!") == "!" + LAM_ALEF_ISOLATED + "\U0001f4bb\U0001f469"


def test_no_letter_is_lost_after_a_joiner():
    beh_lam_alef_beh = "\u0628\u0644\u0627\u0628"
    assert visual_order("\u200d" + beh_lam_alef_beh) == visual_order(beh_lam_alef_beh)
    assert len(visual_order(beh_lam_alef_beh)) == 3        # beh, lam-alef, beh


def test_the_canvas_draws_and_wraps_such_a_cue():
    c = PygameCanvas(size=(200, 40))
    text = "\U0001f469\u200d\U0001f4bb " + LAM_ALEF + " \u0645\u0631\u062d\u0628\u0627"
    assert c.text(text, 0, 0, (255, 255, 255), 24) == c.text_width(text, 24) > 0
    assert c.wrap(text, 60, 24)


RTL_MIX = st.sampled_from(["\u200d", "\u200c", "\u0644", "\u0627", "\u0623", "\u0651", "\u064b", "\u0640",
                           "\u0628", "\u05d0", "\u202b", "\u202c", "\u2067", "\u2069", "\u061c", " ", "1",
                           "a", "(", "\n", "\U0001f469", "\ufefb", "\ufdf2", "\u0644\u0644\u0647"])


@settings(max_examples=400, deadline=None)
@given(st.lists(RTL_MIX, max_size=20).map("".join))
@example("\u200d\u0644\u0627")
@example("\u0628\u200d\u0644\u0627\u0651")
def test_any_mix_of_arabic_joiners_marks_and_controls_is_shaped(text):
    shown = visual_order(text)
    assert isinstance(shown, str)
    if not has_rtl(text):
        assert shown == text
