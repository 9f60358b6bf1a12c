"""Programs written against Kamaelia's names (Kamaelia.UI.Pygame.{Ticker,Button,Image,Text})
run through microaxon.compat and look as Kamaelia's did (defaults: sizes, colours, positions)."""
import pygame
import pytest

from microaxon import compat

UI_ENTRIES = {
    "Kamaelia.UI.Pygame.Ticker": ("kamaelia_lite.displays.ticker", ["Ticker"]),
    "Kamaelia.UI.Pygame.Button": ("kamaelia_lite.displays.widgets", ["Button"]),
    "Kamaelia.UI.Pygame.Image": ("kamaelia_lite.displays.widgets", ["Image"]),
    "Kamaelia.UI.Pygame.Text": ("kamaelia_lite.displays.widgets", ["TextDisplayer", "Textbox"]),
    "Kamaelia.UI.Pygame.Display": ("kamaelia_lite.displays.display", ["PygameDisplay"]),
}


@pytest.fixture
def kamaelia():
    added = []
    for name, (target, names) in UI_ENTRIES.items():
        if name not in compat.TABLE:          # the lead's table may already have them
            compat.register(name, target, names)
            added.append(name)
    compat.install()
    try:
        yield
    finally:
        compat.uninstall()
        for name in added:
            del compat.TABLE[name]


def test_kamaelia_ticker_program_shows_words_with_kamaelias_look(kamaelia):
    from Kamaelia.Chassis.Pipeline import Pipeline
    from Kamaelia.UI.Pygame.Display import PygameDisplay
    from Kamaelia.UI.Pygame.Ticker import Ticker
    from Kamaelia.Util.DataSource import DataSource

    PygameDisplay.setDisplayService(PygameDisplay(width=500, height=400))
    shots = []
    orig = PygameDisplay.compose

    def compose(self):
        orig(self)
        shots.append(self.screen.copy())

    PygameDisplay.compose = compose
    try:
        Pipeline(DataSource(["Hello there Kamaelia"]), Ticker(position=(50, 50))).run()
    finally:
        PygameDisplay.compose = orig
    last = [s for s in shots if any(s.get_at((x, 60))[:3] == (232, 232, 48) for x in range(50, 449))]
    assert last, "the ticker's yellow text never showed"
    frame = last[-1]
    assert frame.get_at((30, 30))[:3] == (255, 255, 255)         # window background (Kamaelia's white)
    assert frame.get_at((300, 300))[:3] == (128, 48, 128)        # ticker purple, 399x299 at (50, 50)
    assert frame.get_at((50 + 399 + 2, 300))[:3] == (255, 255, 255)


def test_kamaelia_button_and_image_classes_accept_the_original_arguments(kamaelia):
    from Kamaelia.UI.Pygame.Button import Button
    from Kamaelia.UI.Pygame.Image import Image
    from Kamaelia.UI.Pygame.Text import Textbox, TextDisplayer

    b = Button(caption="Press SPACE or click", key=pygame.K_SPACE, msg="GO", position=(10, 10))
    assert b.key == pygame.K_SPACE and b.eventMsg == "GO"
    i = Image(image=None, position=(8, 48), bgcolour=(1, 2, 3), size=(80, 60), displayExtra={"x": 1}, maxpect=0)
    assert i.size == (80, 60) and i.backgroundColour == (1, 2, 3)
    t = TextDisplayer(size=(800, 300), position=(0, 340), text_height=20)
    assert t.size == (800, 300) and t.text_height == 20
    assert Textbox(size=(800, 300), position=(0, 0)).initial_string_buffer == ""
