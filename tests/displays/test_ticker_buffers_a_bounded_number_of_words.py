"""A ticker fed faster than it shows words (or paused) holds a bounded number of words:
it takes text from its inbox only while fewer than ``max_pending`` words wait, so the rest
waits in the bounded inbox and a sender meets back-pressure there. It took every message at
once, so its word list grew with all the text ever sent (20 000 words in a fraction of a
second here, with no end). What was sent is still all shown, in order."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from displays_helpers import Driver, run_with_watchdog  # noqa: E402

from kamaelia_lite.displays.ticker import Ticker  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas  # noqa: E402
from microaxon import producerFinished, shutdownMicroprocess  # noqa: E402


def wire(d, ticker):
    d.link((d, "outbox"), (ticker, "inbox"))
    d.link((d, "signal"), (ticker, "control"))
    d.link((d, "pause"), (ticker, "pausebox"))
    d.link((d, "unpause"), (ticker, "unpausebox"))


def test_a_paused_ticker_fed_without_end_holds_a_bounded_number_of_words(scheduler):
    ticker = Ticker(canvas=PygameCanvas(size=(200, 100), font="bitmap"), text_height=8)
    log = {"sent": 0, "most": 0}
    line = " ".join("w%d" % i for i in range(50))

    def plan(d):
        d.send("x", "pause")
        yield 0.01
        for _ in range(400):
            while d.hasSpace("outbox") and log["sent"] < 400:
                d.send(line, "outbox")
                log["sent"] += 1
            log["most"] = max(log["most"], len(ticker.pending) - ticker._head)
            yield 0.002
        d.send(shutdownMicroprocess(), "signal")

    d = Driver(plan, limit=20)
    wire(d, ticker)
    ticker.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler, 30)
    assert log["sent"] < 400                          # the sender met a full inbox
    assert log["most"] <= ticker.max_pending + 50, log


def test_every_word_is_still_shown_in_order(scheduler):
    canvas = PygameCanvas(size=(200, 100), font="bitmap")
    ticker = Ticker(canvas=canvas, text_height=8, words_per_second=100000, max_pending=7)
    shown = []
    real = ticker.show_word

    def show(word):
        shown.append(word)
        real(word)
    ticker.show_word = show
    lines = ["a%d b%d c%d\nd%d" % (i, i, i, i) for i in range(60)]

    def plan(d):
        for text in lines:
            while not d.hasSpace("outbox"):
                yield 0.001
            d.send(text, "outbox")
        d.send(producerFinished(), "signal")
        yield lambda: ticker.words_shown == 240

    d = Driver(plan)
    wire(d, ticker)
    ticker.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    assert [w for w in shown if w != "\n"] == " ".join(lines).split()
