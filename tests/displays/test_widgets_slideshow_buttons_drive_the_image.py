"""The slideshow Graphline (Kamaelia's demo): Buttons clicked by posting pygame events
drive a Chooser that sends file names to an Image; the window shows each picture.
Also: Kamaelia's defaults, key presses, a broken image file, TextDisplayer, closing."""
import pygame
import pytest
from displays_helpers import Driver, run_with_watchdog

from kamaelia_lite.chassis import Graphline
from kamaelia_lite.displays.display import PygameDisplay
from kamaelia_lite.displays.widgets import Button, Image, Textbox, TextDisplayer
from kamaelia_lite.util import Chooser

COLOURS = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]


@pytest.fixture
def slides(tmp_path):
    files = []
    for i, colour in enumerate(COLOURS):
        s = pygame.Surface((64, 48))
        s.fill(colour)
        path = str(tmp_path / ("slide%d.png" % i))
        pygame.image.save(s, path)
        files.append(path)
    return files


def window_pixel(x, y):
    return tuple(pygame.display.get_surface().get_at((x, y))[:3])


def click(x, y):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1))


def test_kamaelia_defaults():
    b = Button()
    assert b.caption == "Button %d" % b.id and b.eventMsg == ("CLICK", b.id)
    assert (b.backgroundColour, b.foregroundColour, b.margin, b.key) == ((224, 224, 224), (0, 0, 0), 8, None)
    w, h = b.image.get_size()
    assert b.size == (w + 16, h + 16)
    i = Image()
    assert i.size == (240, 192) and i.backgroundColour == (128, 128, 128)
    t = TextDisplayer()
    assert (t.size, t.text_height, t.bgcolour, t.fgcolour) == ((500, 300), 18, (255, 255, 200), (0, 0, 0))
    assert (PygameDisplay.width, PygameDisplay.height, PygameDisplay.background_colour) == (1024, 768, (255, 255, 255))


def test_slideshow_next_prev_first_last_by_clicks_and_keys(scheduler, slides, tmp_path):
    PygameDisplay.setDisplayService(PygameDisplay(width=300, height=200, frames_dir=str(tmp_path / "frames")))
    seen = []
    image = Image(size=(64, 48), position=(8, 48))
    nxt = Button(caption="Next", msg="NEXT", position=(72, 8), key=pygame.K_RIGHT)
    prev = Button(caption="Previous", msg="PREV", position=(8, 8))
    last = Button(caption="Last", msg="LAST", position=(200, 8))
    g = Graphline(
        CHOOSER=Chooser(items=slides), IMAGE=image, NEXT=nxt, PREVIOUS=prev, LAST=last,
        linkages={("NEXT", "outbox"): ("CHOOSER", "inbox"), ("PREVIOUS", "outbox"): ("CHOOSER", "inbox"),
                  ("LAST", "outbox"): ("CHOOSER", "inbox"), ("CHOOSER", "outbox"): ("IMAGE", "inbox"),
                  ("IMAGE", "signal"): ("CHOOSER", "control")})

    def look():
        seen.append(window_pixel(8 + 30, 48 + 20))

    def plan(d):
        yield lambda: image.shown == slides[0]
        yield 0.05
        look()
        click(72 + 5, 8 + 5)                       # Next
        yield lambda: image.shown == slides[1]
        yield 0.05
        look()
        click(150, 150)                            # outside every button: nothing
        yield 0.1
        assert image.shown == slides[1]
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode=""))
        yield lambda: image.shown == slides[2]
        yield 0.05
        look()
        click(8 + 3, 8 + 3)                        # Previous
        yield lambda: image.shown == slides[1]
        click(200 + 3, 8 + 3)                      # Last
        yield lambda: image.shown == slides[2] and last.clicks == 1
        pygame.event.post(pygame.event.Event(pygame.QUIT))   # closing the window ends it all

    d = Driver(plan)
    g.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    assert seen == COLOURS
    assert nxt.clicks == 2 and prev.clicks == 1
    assert g.finished() and PygameDisplay._service is None
    frames = sorted((tmp_path / "frames").iterdir())
    assert frames and frames[0].suffix == ".png"
    shown = {tuple(pygame.image.load(str(f)).get_at((8 + 30, 48 + 20))[:3]) for f in frames}
    assert set(COLOURS) <= shown                  # every slide was written to a frame


def test_a_broken_image_is_reported_and_the_image_keeps_running(scheduler, tmp_path, slides, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png at all")
    PygameDisplay.setDisplayService(PygameDisplay(width=100, height=100))
    image = Image(size=(64, 48), position=(0, 0), bgcolour=(10, 20, 30))

    def plan(d):
        d.send(str(bad), "outbox")
        yield lambda: image.load_errors == 1
        yield 0.05
        assert window_pixel(10, 10) == (10, 20, 30)
        d.send(open(slides[2], "rb").read(), "outbox")       # bytes work too
        yield lambda: image.image is not None
        yield 0.05
        assert window_pixel(10, 10) == COLOURS[2]
        from microaxon import producerFinished
        d.send(producerFinished(), "signal")

    d = Driver(plan)
    d.link((d, "outbox"), (image, "inbox"))
    d.link((d, "signal"), (image, "control"))
    d.link((image, "errors"), (d, "inbox"))
    image.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    assert "cannot load image" in capsys.readouterr().err
    assert d.got and d.got[0][0] == "error"


def test_text_displayer_and_textbox(scheduler):
    PygameDisplay.setDisplayService(PygameDisplay(width=400, height=300))
    shown = TextDisplayer(size=(200, 100), position=(0, 0), fgcolour=(0, 0, 0))
    box = Textbox(size=(200, 60), position=(0, 150))
    g = Graphline(BOX=box, SHOW=shown, linkages={("BOX", "outbox"): ("SHOW", "inbox")})

    def ink_rows(y0, y1):
        return {y for y in range(y0, y1) for x in range(0, 200, 2) if window_pixel(x, y) == (0, 0, 0)}

    def plan(d):
        yield 0.05
        for ch in "hi":
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=ord(ch), mod=0, unicode=ch))
        yield lambda: box.buffer == "hi"
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))
        yield lambda: shown.lines_shown == 1
        yield 0.05
        rows = ink_rows(0, 100)
        assert rows and min(rows) > 60              # the newest line sits at the bottom
        pygame.event.post(pygame.event.Event(pygame.QUIT))

    d = Driver(plan)
    g.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    assert g.finished()
