"""SubtitlePlayer plays cues at their times (timer waits); SubtitleDisplay draws them (pixels read back)."""

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.displays.subtitle_display import SubtitleDisplay, SubtitleStyle
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from kamaelia_lite.surtitles.subtitles import parse_subtitles
from kamaelia_lite.surtitles.subtitles_components import SubtitlePlayer
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, component, now

SRT_EN = b"""1
00:00:00,060 --> 00:00:00,160
one

2
00:00:00,160 --> 00:00:00,240
two

3
00:00:00,300 --> 00:00:00,380
three
"""
SRT_FR = b"""1
00:00:00,060 --> 00:00:00,160
un

2
00:00:00,300 --> 00:00:00,380
trois
"""


class Stamp(component):
    """Records (time, message) of everything arriving."""

    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.got.append((now(), self.recv("inbox")))
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class CountingPlayer(SubtitlePlayer):
    wakes = 0

    def pause(self, timeout=None):
        CountingPlayer.wakes += 1
        super().pause(timeout)


def test_player_sends_each_cue_change_at_its_time_and_finishes():
    en = parse_subtitles(SRT_EN, language="en")
    fr = parse_subtitles(SRT_FR, language="fr")
    sched = Scheduler()
    CountingPlayer.wakes = 0
    player = CountingPlayer({"en": en, "fr": fr})
    sink = Stamp()
    t0 = now()
    Pipeline(player, sink).activate(scheduler=sched)
    sched.run()
    states = [(t, m) for t, m in sink.got if isinstance(m, dict)]
    assert [m["texts"] for _, m in states] == [
        {}, {"en": "one", "fr": "un"}, {"en": "two"}, {}, {"en": "three", "fr": "trois"}, {}]
    assert [m["cue"] for _, m in states] == [None, "1", "2", None, "3", None]
    starts = [0, 60, 160, 240, 300, 380]
    for (t, _), ms in zip(states, starts):
        assert t - t0 >= ms / 1000.0 - 0.002     # never shown before its time
    # timer waits, not polling: about one wake per change
    assert CountingPlayer.wakes <= 2 * len(starts) + 2
    assert player.finished()


def test_player_commands_pause_seek_and_blackout():
    track = parse_subtitles(b"1\n00:00:05,000 --> 00:00:10,000\nfive\n\n2\n00:00:20,000 --> 00:00:30,000\ntwenty\n")
    sched = Scheduler()
    player = SubtitlePlayer(track, playing=False, at_end="hold")
    sink = Collector()
    errors = Collector()
    cmds = DataSource(["seek 6", "next", "blackout on", "blackout off", "seek nonsense", "cue 9", "quit"])
    Pipeline(cmds, player, sink).activate(scheduler=sched)
    player.link((player, "errors"), (errors, "inbox"))
    errors.activate(scheduler=sched)
    sched.run()
    texts = [m["texts"].get("und") for m in sink.collected if isinstance(m, dict)]
    assert texts == [None, "five", "twenty", None, "twenty"]
    assert [e[0] for e in errors.collected] == ["error", "error"]
    assert "seek: expected a time in seconds" in errors.collected[0][2]
    assert "no cue 9 (1..2)" in errors.collected[1][2]


def colours_in(canvas, colour, box=None):
    x0, y0, x1, y1 = box or (0, 0, canvas.width, canvas.height)
    pts = [(x, y) for y in range(y0, y1, 2) for x in range(x0, x1, 2) if canvas.get_pixel(x, y) == colour]
    return pts


def bbox(pts):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def run_display(display, messages):
    sched = Scheduler()
    out = Collector()
    Pipeline(DataSource(messages), display, out).activate(scheduler=sched)
    sched.run()
    return out.collected


WHITE = (255, 255, 255)
YELLOW = (255, 220, 0)


def test_display_centres_text_and_stacks_languages():
    canvas = PygameCanvas(size=(320, 200), font="bitmap")
    display = SubtitleDisplay(canvas, languages=["en", "fr"], size=16)
    shown = run_display(display, [{"cue": "1", "texts": {"en": "Hello there", "fr": "Bonjour", "de": "Hallo"}}])
    assert shown[-1]["text"] == "Hello there\nBonjour" and shown[-1]["languages"] == ["en", "fr"]
    white = bbox(colours_in(canvas, WHITE))
    yellow = bbox(colours_in(canvas, YELLOW))
    assert white[3] < yellow[1]                       # English above French
    for b in (white, yellow):
        centre = (b[0] + b[2]) / 2
        assert abs(centre - 160) <= 4                 # centred horizontally
    assert abs((white[1] + yellow[3]) / 2 - 100) <= 6  # the block is centred vertically


def test_each_display_chooses_its_own_language():
    state = {"cue": "1", "texts": {"en": "Hello", "fr": "Bonjour"}}
    a = SubtitleDisplay(PygameCanvas(size=(200, 100), font="bitmap"), languages="fr", size=16)
    b = SubtitleDisplay(PygameCanvas(size=(200, 100), font="bitmap"), languages=["en"], size=16)
    assert run_display(a, [state])[-1]["text"] == "Bonjour"
    assert run_display(b, [state, ("language", "fr,en")])[-1]["text"] == "Bonjour\nHello"


def test_long_text_wraps_and_shrinks_to_fit():
    canvas = PygameCanvas(size=(160, 60), font="bitmap")
    display = SubtitleDisplay(canvas, size=16)
    text = "this sentence is far too long to fit on a single line of a tiny screen"
    run_display(display, [{"texts": {"en": text}}])
    [(lang, lines, y, size)] = display.layout
    assert len(lines) > 1 and " ".join(lines) == text
    assert size < 16
    pts = colours_in(canvas, WHITE)
    b = bbox(pts)
    assert b[0] >= 0 and b[2] < 160 and b[1] >= 0 and b[3] < 60


def test_blackout_is_black():
    canvas = PygameCanvas(size=(120, 80), font="bitmap")
    display = SubtitleDisplay(canvas, style=SubtitleStyle(bg=(0, 0, 80)), size=16)
    shown = run_display(display, [{"texts": {"en": "visible"}}, {"texts": {"en": "hidden"}, "blackout": True}])
    assert shown[-1]["blackout"] and shown[-1]["text"] == ""
    assert all(canvas.get_pixel(x, y) == (0, 0, 0) for x in range(0, 120, 3) for y in range(0, 80, 3))


def test_display_with_pygame_font():
    canvas = PygameCanvas(size=(240, 120))
    display = SubtitleDisplay(canvas, size=28)
    run_display(display, [{"texts": {"en": "Vissi d'arte"}}])
    assert colours_in(canvas, WHITE)
