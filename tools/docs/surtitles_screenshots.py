"""Screenshots for docs/surtitles.md: the operator console and displays, drawn headless
(pygame, SDL_VIDEODRIVER=dummy) and written as PNGs to docs/img/.

    python3 -m tools.docs.surtitles_screenshots
"""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from kamaelia_lite.displays.subtitle_display import SubtitleStyle, render_subtitles  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from kamaelia_lite.surtitles.console_components import OperatorConsole  # noqa: E402
from kamaelia_lite.surtitles.cues import CueDeck, load_cue_list  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "docs", "img")


def console_shot(path):
    """The console after a few cues, with display health and a search."""
    cues = load_cue_list(os.path.join(ROOT, "examples", "surtitles", "show.cues"))
    screen = PygameCanvas(size=(1000, 640))
    console = OperatorConsole(cues, screen=screen, preview_size=(800, 200, 40), out=open(os.devnull, "w"))
    deck = CueDeck(cues)
    for _ in range(4):
        deck.next()
    console.model.update(deck.operator_view())
    console.model.set_health({"displays": {"de": 2, "en": 4, "fr": 6}, "silent": ["fr-balcony-2"]})
    console.model.phones = "31 (de 2, en 12, fr 17)"
    console.model.search("navire")
    console.draw()
    pygame.image.save(screen.target, path)


def scenery(canvas):
    """A painted backdrop: sky, hills and a bright moon (to show text over scenery)."""
    w, h = canvas.width, canvas.height
    for y in range(h):
        t = y * 255 // max(1, h - 1)
        canvas.fill_rect(0, y, w, 1, (40 + t // 3, 90 + t // 3, 170 + t // 4))
    for x in range(0, w, 4):
        top = h * 2 // 3 + int(18 * ((x * 7 % 97) / 97.0))
        canvas.fill_rect(x, top, 4, h - top, (60, 120, 60))
    canvas.fill_rect(w * 3 // 5, 20, 90, 90, (250, 250, 230))


class _Backdrop(PygameCanvas):
    """A canvas whose fill paints the scenery (the display's text over a stage picture)."""

    def fill(self, colour):
        scenery(self)


def display_shot(path, texts, style, canvas_cls=PygameCanvas):
    c = canvas_cls(size=(800, 240))
    render_subtitles(c, texts, style)
    pygame.image.save(c.target, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    pygame.font.init()
    console_shot(os.path.join(OUT, "surtitles-console.png"))
    texts = [("en", "<i>(offstage)</i> Anna: Where is the ship? It should have come at midnight."),
             ("fr", "<i>(en coulisse)</i> Anna : Où est le navire ? Il devait arriver à minuit.")]
    display_shot(os.path.join(OUT, "surtitles-display.png"), texts, SubtitleStyle(size=36))
    display_shot(os.path.join(OUT, "surtitles-display-outline.png"), texts,
                 SubtitleStyle(size=36, backdrop="outline", outline=2), _Backdrop)
    display_shot(os.path.join(OUT, "surtitles-display-box.png"), texts,
                 SubtitleStyle(size=36, backdrop="box", backdrop_colour=(0, 0, 0)), _Backdrop)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
