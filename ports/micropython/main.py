"""main.py - the handheld example: a word ticker on the display, controlled by buttons.

On a device (copy boot.py, main.py, drivers.py and the built modules: see README.md) it drives
an ST7789 240x135 panel (e.g. a TTGO T-Display; adjust the pins in make_panel) and two buttons:
left = play/pause, right = faster. On the unix port (no SPI) it writes frames to ticker.ppm
and reads command lines (pause, play, faster, ...) from stdin.

    MICROPYPATH=out/mpy:ports/micropython micropython ports/micropython/main.py [seconds]
"""
import sys

from kamaelia_lite.displays.ticker import Ticker
from kamaelia_lite.draw.canvas_framebuf import FramebufCanvas
from microaxon import Scheduler, component, producerFinished

TEXT = ("microaxon runs the same components on a handheld as on a desktop: "
        "a ticker drawn through a framebuf canvas, fed through boxes. ")
WIDTH, HEIGHT = 240, 135


def make_panel():
    """(panel, input component): the real hardware when there is SPI, else a PPM file + stdin."""
    from drivers import LineCommands, PPMPanel

    try:
        from machine import SPI, Pin
    except ImportError:
        SPI = None
    if SPI is None:
        return PPMPanel("ticker.ppm", WIDTH, HEIGHT), LineCommands()
    from drivers import ST7789, ButtonCommands

    spi = SPI(1, baudrate=40000000, sck=Pin(18), mosi=Pin(19))
    panel = ST7789(spi, dc=Pin(16, Pin.OUT), cs=Pin(5, Pin.OUT), rst=Pin(23, Pin.OUT),
                   width=WIDTH, height=HEIGHT, x_offset=40, y_offset=53)
    buttons = ButtonCommands(buttons=[(Pin(0, Pin.IN, Pin.PULL_UP), "toggle"),
                                      (Pin(35, Pin.IN), "faster")])
    return panel, buttons


class Text(component):
    """Sends the text ``repeat`` times, then producerFinished (the ticker drains and finishes)."""

    repeat = 1

    def main(self):
        for _i in range(self.repeat):
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(TEXT, "outbox")
            yield 1
        self.send(producerFinished(self), "signal")


class StopAfter(component):
    """Stops the scheduler after ``seconds`` (the unix demo must end by itself)."""

    seconds = 5

    def main(self):
        self.pause(self.seconds)
        yield 1
        self._sched.stop()
        yield 1


def run(seconds=None, words_per_second=20):
    panel, controls = make_panel()
    canvas = FramebufCanvas(WIDTH, HEIGHT)
    panel.buffer = canvas.buffer
    canvas.show = panel.show
    ticker = Ticker(canvas=canvas, text_height=16, render_left=0, render_top=0, render_right=WIDTH,
                    render_bottom=HEIGHT, words_per_second=words_per_second)
    text = Text()
    text.link((text, "outbox"), (ticker, "inbox"))
    text.link((text, "signal"), (ticker, "control"))
    controls.link((controls, "outbox"), (ticker, "commands"))
    sched = Scheduler()
    for c in (text, ticker, controls):
        c.activate(sched)
    if seconds is not None:
        StopAfter(seconds=seconds).activate(sched)
    sched.run()
    return panel, ticker


if __name__ == "__main__":
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else None
    panel, ticker = run(secs)
    print("frames shown: %d, ticker finished: %s" % (getattr(panel, "frames", -1), ticker.finished()))
