"""Ticker: words from the inbox appear on the canvas one at a time, wrap and scroll,
pause/resume, clear, and shutdown works even while paused. Pixels are read back."""
import pygame
from displays_helpers import Driver, run_with_watchdog

from kamaelia_lite.displays.display import PygameDisplay
from kamaelia_lite.displays.ticker import Ticker
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from microaxon import producerFinished, shutdownMicroprocess
from microaxon.introspect import snapshot

BG = (128, 48, 128)
FG = (232, 232, 48)


def ink_rows(canvas, colour=FG):
    rows = set()
    for y in range(canvas.height):
        for x in range(0, canvas.width, 2):
            if canvas.get_pixel(x, y) == colour:
                rows.add(y)
                break
    return rows


def make(scheduler, **kw):
    canvas = PygameCanvas(size=(kw.get("render_right", 399), kw.get("render_bottom", 299)))
    ticker = Ticker(canvas=canvas, **kw)
    return ticker, canvas


def wire(driver, ticker):
    driver.link((driver, "outbox"), (ticker, "inbox"))
    driver.link((driver, "signal"), (ticker, "control"))
    driver.link((driver, "commands"), (ticker, "commands"))
    driver.link((driver, "pause"), (ticker, "pausebox"))
    driver.link((driver, "unpause"), (ticker, "unpausebox"))
    driver.link((ticker, "errors"), (driver, "inbox"))


def drive(scheduler, ticker, plan):
    """Run the ticker with a Driver following ``plan``, wired to all of its boxes, until done;
    returns the Driver (its ``got``: the ticker's errors)."""
    d = Driver(plan)
    wire(d, ticker)
    ticker.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    return d


def test_defaults_are_kamaelias():
    t = Ticker()
    assert (t.text_height, t.background_colour, t.text_colour) == (39, (128, 48, 128), (232, 232, 48))
    assert t.line_spacing == 39 / 7 and t.outline_colour == (128, 48, 128)
    assert (t.render_left, t.render_top, t.render_right, t.render_bottom) == (1, 1, 399, 299)
    assert t.position == (1, 1) and t.words_per_second == 8 and t.outline_width == 1


def test_words_appear_one_at_a_time_and_wrap(scheduler):
    ticker, canvas = make(scheduler, words_per_second=200, render_right=200, render_bottom=150,
                          text_height=20)
    seen = {}

    def plan(d):
        d.send("hello", "outbox")
        yield lambda: ticker.words_shown == 1
        seen["one"] = ink_rows(canvas)
        d.send("wrapping words across several lines of the ticker", "outbox")
        yield lambda: ticker.words_shown == 9
        seen["many"] = ink_rows(canvas)
        d.send(producerFinished(), "signal")

    drive(scheduler, ticker, plan)
    lh = canvas.line_height(20)
    assert seen["one"] and max(seen["one"]) < 1 + lh          # first line only
    assert max(seen["many"]) > 1 + lh                          # wrapped onto a later line
    assert ticker.finished()


def test_bottom_reached_scrolls_up(scheduler):
    ticker, canvas = make(scheduler, words_per_second=500, render_right=120, render_bottom=80,
                          text_height=20)
    words = ["w%02d" % i for i in range(40)]
    rows = {}

    def plan(d):
        d.send(" ".join(words), "outbox")
        yield lambda: ticker.words_shown == 40
        rows["end"] = ink_rows(canvas)
        d.send(shutdownMicroprocess(), "signal")

    drive(scheduler, ticker, plan)
    # 40 words never fit in 80 px: the text scrolled, and stays inside the ticker
    assert rows["end"] and max(rows["end"]) < 80
    assert ticker.y + ticker._step() <= 80


def test_pause_holds_words_and_unpause_resumes(scheduler):
    ticker, canvas = make(scheduler, words_per_second=200)
    log = {}

    def plan(d):
        d.send("x", "pause")
        yield 0.01
        d.send("one two three", "outbox")
        yield 0.1
        log["paused"] = ticker.words_shown
        log["state"] = [s["state"] for s in snapshot(scheduler) if s["name"] == ticker.name][0]
        d.send("x", "unpause")
        yield lambda: ticker.words_shown == 3
        d.send("pause", "commands")
        d.send("four five", "outbox")
        yield 0.1
        log["paused2"] = ticker.words_shown
        d.send(("play",), "commands")
        yield lambda: ticker.words_shown == 5
        d.send(producerFinished(), "signal")

    drive(scheduler, ticker, plan)
    assert log["paused"] == 0 and log["paused2"] == 3
    assert log["state"] == "paused"            # asleep, not spinning, while paused


def test_shutdown_while_paused_finishes_and_passes_the_message_on(scheduler):
    ticker, canvas = make(scheduler, words_per_second=100)
    msg = shutdownMicroprocess()

    def plan(d):
        d.send("x", "pause")
        d.send("never shown", "outbox")
        yield 0.05
        d.send(msg, "signal")
        yield lambda: ticker.finished()

    d = Driver(plan)
    wire(d, ticker)
    got = []
    from microaxon import component

    class Catch(component):
        def main(self):
            while not self.dataReady("control"):
                self.pause()
                yield 1
            got.append(self.recv("control"))

    c = Catch()
    ticker.link((ticker, "signal"), (c, "control"))
    for x in (ticker, d, c):
        x.activate(scheduler)
    run_with_watchdog(scheduler)
    assert got == [msg] and ticker.words_shown == 0


def test_producer_finished_drains_buffered_words_first(scheduler):
    ticker, canvas = make(scheduler, words_per_second=300)

    def plan(d):
        d.send("a b c d e f", "outbox")
        d.send(producerFinished(), "signal")
        yield lambda: ticker.finished()

    drive(scheduler, ticker, plan)
    assert ticker.words_shown == 6


def test_clear_blanks_the_ticker_and_bad_commands_report_errors(scheduler):
    ticker, canvas = make(scheduler, words_per_second=300)
    rows = {}

    def plan(d):
        d.send("some words", "outbox")
        yield lambda: ticker.words_shown == 2
        rows["before"] = ink_rows(canvas)
        d.send("clear", "commands")
        d.send("speed fast", "commands")
        yield lambda: d.got
        rows["after"] = ink_rows(canvas)
        d.send(producerFinished(), "signal")

    d = drive(scheduler, ticker, plan)
    assert rows["before"] and not rows["after"]
    assert d.got[0][0] == "error" and "whole number" in d.got[0][2]


def test_on_the_display_service_the_ticker_shows_at_its_position(scheduler):
    PygameDisplay.setDisplayService(PygameDisplay(width=300, height=200, background_colour=(0, 0, 0)))
    ticker = Ticker(position=(50, 40), render_right=200, render_bottom=100, words_per_second=100,
                    text_height=24)
    shot = {}

    def plan(d):
        d.send("Hello", "outbox")
        yield lambda: ticker.words_shown == 1
        yield 0.05
        screen = pygame.display.get_surface()
        shot["inside"] = screen.get_at((120, 90))[:3]
        shot["bg_left"] = screen.get_at((20, 20))[:3]
        shot["corner"] = screen.get_at((50, 40))[:3]
        shot["ink"] = any(screen.get_at((x, y))[:3] == FG for x in range(50, 250) for y in range(40, 80))
        d.send(producerFinished(), "signal")

    drive(scheduler, ticker, plan)
    assert shot["bg_left"] == (0, 0, 0)        # window background outside the ticker
    assert shot["inside"] == BG                # ticker background
    assert shot["corner"] == BG                # outline in outline_colour (= background)
    assert shot["ink"]
    assert PygameDisplay._service is None      # the service ended with its last surface
