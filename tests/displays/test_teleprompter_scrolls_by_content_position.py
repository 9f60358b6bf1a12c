"""Teleprompter: scroll position after N frames at a speed step, reading line drawn,
mirroring flips the text, markers/jumps/font changes keep the content position, end modes,
and as a running component: commands, countdown, position reports, shutdown while paused."""
import pytest
from displays_helpers import Driver, run_with_watchdog

from kamaelia_lite.displays.teleprompter import SPEED_CURVE, Teleprompter, lines_per_second
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from microaxon import component, producerFinished, shutdownMicroprocess
from microaxon.introspect import snapshot

WORDS = " ".join("w%d" % i for i in range(300))
SCRIPT = "# Intro\n\n" + WORDS[:400] + "\n\n[[middle]] " + WORDS[400:900] + "\n\n# Last part\n\nthe end."
WHITE = (255, 255, 255)
RED = (220, 0, 0)


def prompter(**kw):
    canvas = PygameCanvas(size=(320, 240), font="bitmap")
    kw.setdefault("font_size", 16)
    kw.setdefault("show_status", False)
    tp = Teleprompter(script=SCRIPT, canvas=canvas, **kw)
    tp.canvas = canvas
    tp.relayout()
    return tp, canvas


def ink(canvas, colour=WHITE, rows=None, cols=None):
    pts = set()
    for y in rows or range(canvas.height):
        for x in cols or range(canvas.width):
            if canvas.get_pixel(x, y) == colour:
                pts.add((x, y))
    return pts


def test_speed_curve_is_monotonic_and_signed():
    assert SPEED_CURVE[0] == 0 and all(a < b for a, b in zip(SPEED_CURVE, SPEED_CURVE[1:]))
    assert lines_per_second(-4) == -lines_per_second(4) < 0


@pytest.mark.parametrize("step", [1, 3, 5, 10])
def test_position_after_n_frames_at_speed(step):
    tp, _ = prompter(speed=step, playing=True)
    for _ in range(120):                      # 2 s at 60 fps
        tp.advance(1 / 60)
    assert tp.pos == pytest.approx(2 * SPEED_CURVE[step], rel=1e-6)
    line = int(tp.pos)
    start, end, _ = tp.lines[line]
    assert start <= tp.word_position() <= end


def test_reverse_scrolls_back_and_stops_at_the_top():
    tp, _ = prompter(speed=6, playing=True)
    for _ in range(60):
        tp.advance(1 / 60)
    tp.do("reverse")
    for _ in range(180):
        tp.advance(1 / 60)
    assert tp.pos == 0 and not tp.playing


def test_reading_line_drawn_and_current_line_sits_on_it():
    tp, c = prompter(reading_line=0.5)
    tp.render()
    ry = 120
    assert c.get_pixel(0, ry) == RED and c.get_pixel(319, ry) == RED
    assert c.get_pixel(0, ry - 3) != RED
    # the first line (heading "Intro", heading colour) is centred on the reading line
    heading = ink(c, (255, 210, 0))
    ys = [y for _, y in heading]
    assert min(ys) < ry < max(ys) + 3
    assert not ink(c, WHITE, rows=range(0, ry - 20))          # nothing above the first line
    tp.do("readingline off")
    tp.render()
    assert c.get_pixel(0, ry) != RED


def test_mirror_x_flips_the_frame():
    tp, c = prompter()
    tp.do("goto 5")
    tp.render()
    plain = ink(c)
    tp.do("mirror x")
    tp.render()
    assert ink(c) == {(319 - x, y) for x, y in plain}
    tp.do("mirror y")
    tp.render()
    assert ink(c) == {(x, 239 - y) for x, y in plain}
    tp.do("mirror none")
    tp.render()
    assert ink(c) == plain


def test_jump_next_prev_and_font_change_keep_the_word():
    tp, c = prompter()
    tp.do("jump middle")
    w = tp.word_index()
    assert tp.doc.words[w] == tp.doc.words[tp.doc.find_marker("middle")]
    tp.do("font 32")
    assert tp.word_index() == w and tp.font_size == 32
    tp.do("next")
    assert tp.doc.words[tp.word_index()] == "Last"
    tp.do("prev")
    assert tp.word_index() == w
    tp.do("goto 123.5")
    assert tp.word_position() == pytest.approx(123.5)
    tp.do("font +8")
    assert tp.word_position() == pytest.approx(123.5)
    tp.do("ff 10")
    assert tp.word_position() == pytest.approx(133.5)
    tp.do("rewind")
    assert tp.word_index() == 0


def test_unknown_marker_and_bad_command_report_errors():
    tp, _ = prompter()
    sent = []
    tp.send = lambda msg, box="outbox": sent.append((box, msg))
    tp.do("jump nowhere")
    tp.do("speed 99")
    assert [b for b, _ in sent] == ["errors", "errors"]
    assert "no marker 'nowhere'" in sent[0][1][2] and "middle" in sent[0][1][2]
    assert "outside" in sent[1][1][2]


@pytest.mark.parametrize("mode", ["stop", "loop", "exit"])
def test_end_modes(mode):
    tp, _ = prompter(speed=10, playing=True, at_end=mode)
    tp.do("end")
    tp.do("back 3")
    for _ in range(120):
        tp.advance(1 / 60)
    if mode == "stop":
        assert not tp.playing and tp.pos == tp.last_line()
    elif mode == "loop":
        assert tp.playing and tp.pos < 10
    else:
        assert isinstance(tp._exit, producerFinished)


def test_remaining_time_estimate():
    tp, _ = prompter(speed=4)
    assert tp.remaining_seconds() == pytest.approx(tp.last_line() / SPEED_CURVE[4])
    tp.do("speed 0")
    assert tp.remaining_seconds() is None


class Catch(component):
    Inboxes = ["inbox", "control", "position", "errors"]

    def __init__(self, **argd):
        super().__init__(**argd)
        self.got = {"inbox": [], "control": [], "position": [], "errors": []}

    def main(self):
        while True:
            for box in self.got:
                while self.dataReady(box):
                    self.got[box].append(self.recv(box))
            if self.got["control"]:
                return
            self.pause()
            yield 1


def running(plan, **kw):
    canvas = PygameCanvas(size=(320, 240), font="bitmap")
    tp = Teleprompter(script=SCRIPT, canvas=canvas, font_size=16, **kw)
    d = Driver(plan(tp, canvas))
    catch = Catch()
    d.link((d, "commands"), (tp, "commands"))
    d.link((d, "outbox"), (tp, "inbox"))
    d.link((d, "signal"), (tp, "control"))
    tp.link((tp, "outbox"), (catch, "inbox"))
    tp.link((tp, "position"), (catch, "position"))
    tp.link((tp, "errors"), (catch, "errors"))
    tp.link((tp, "signal"), (catch, "control"))
    return tp, d, catch


def test_component_plays_pauses_reports_and_shuts_down_while_paused(scheduler):
    log = {}

    def plan(tp, canvas):
        def steps(d):
            yield lambda: tp.frames >= 1
            d.send("speed 10", "commands")
            d.send("play", "commands")
            yield lambda: tp.word_index() >= 20
            d.send("pause", "commands")
            d.send("status", "commands")
            yield 0.05
            log["word"] = tp.word_index()
            log["frames"] = tp.frames
            yield 0.2
            log["frames_after"] = tp.frames
            log["state"] = [s["state"] for s in snapshot(scheduler) if s["name"] == tp.name][0]
            d.send("bogus", "commands")
            d.send(shutdownMicroprocess(), "signal")
        return steps

    tp, d, catch = running(plan)
    for x in (tp, d, catch):
        x.activate(scheduler)
    run_with_watchdog(scheduler)
    assert log["word"] >= 20
    assert log["frames_after"] == log["frames"]         # paused: no frames drawn
    assert log["state"] == "paused"                     # asleep, no timer, no polling
    status = catch.got["inbox"][0]
    assert status["playing"] is False and status["speed"] == 10 and status["word"] >= 20
    words = [p["word"] for p in catch.got["position"]]
    assert words == sorted(words) and words[-1] >= 20
    assert any(p["playing"] for p in catch.got["position"])
    assert catch.got["errors"] and catch.got["errors"][0][0] == "error"
    assert isinstance(catch.got["control"][0], shutdownMicroprocess)
    assert tp.finished()


def test_countdown_then_plays_and_exit_at_end(scheduler):
    log = {}

    def plan(tp, canvas):
        def steps(d):
            yield lambda: tp.frames >= 1
            d.send("goto 300", "commands")
            d.send("atend exit", "commands")
            d.send("speed 10", "commands")
            d.send("countdown 1", "commands")
            yield 0.2
            log["counting"] = (tp.playing, tp.countdown_end is not None)
            big = {(x, y) for x in range(0, 320, 2) for y in range(60, 180, 2)
                   if canvas.get_pixel(x, y) == (220, 0, 0)}
            log["digit"] = len(big)
            yield lambda: tp.finished()
        return steps

    tp, d, catch = running(plan)
    for x in (tp, d, catch):
        x.activate(scheduler)
    run_with_watchdog(scheduler)
    assert log["counting"] == (False, True)
    assert log["digit"] > 20                                # the big "1" is on screen
    assert isinstance(catch.got["control"][0], producerFinished)
    assert tp.pos == tp.last_line()


def test_new_script_on_inbox_keeps_the_word_position(scheduler):
    log = {}

    def plan(tp, canvas):
        def steps(d):
            yield lambda: tp.frames >= 1
            d.send("goto 50", "commands")
            d.send(SCRIPT.replace("Intro", "Introduction to it"), "outbox")
            yield lambda: "Introduction" in tp.doc.words
            log["word"] = tp.word_index()
            d.send(("append", "[[extra]] more words"), "outbox")
            yield lambda: tp.doc.find_marker("extra") is not None
            log["markers"] = [n for n, _ in tp.doc.markers]
            d.send(producerFinished(), "signal")
        return steps

    tp, d, catch = running(plan)
    for x in (tp, d, catch):
        x.activate(scheduler)
    run_with_watchdog(scheduler)
    assert log["word"] == 50
    assert log["markers"] == ["introduction to it", "middle", "last part", "extra"]


def test_keys_on_the_window_drive_it(scheduler):
    """On a display-service surface, real pygame key events (posted) steer the teleprompter."""
    import pygame

    from kamaelia_lite.displays.display import PygameDisplay
    PygameDisplay.setDisplayService(PygameDisplay(width=320, height=240))
    tp = Teleprompter(script=SCRIPT, size=(320, 240), font_size=16)
    log = {}

    def key(k):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))

    def plan(d):
        yield lambda: tp.frames >= 1
        key(pygame.K_DOWN)
        key(pygame.K_DOWN)
        key(pygame.K_x)
        key(pygame.K_PAGEDOWN)
        yield lambda: tp.step == 2 and tp.mirror_x and tp.word_index() > 0
        log["word"] = tp.doc.words[tp.word_index()]
        key(pygame.K_SPACE)
        yield lambda: tp.playing
        d.send(shutdownMicroprocess(), "signal")

    d = Driver(plan)
    d.link((d, "signal"), (tp, "control"))
    tp.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    assert log["word"] == tp.doc.words[tp.doc.find_marker("middle")]


def test_status_bar_shows_elapsed_and_remaining():
    from kamaelia_lite.displays.teleprompter import format_clock
    assert format_clock(None) == "--:--" and format_clock(65.4) == "01:05" and format_clock(3725) == "1:02:05"
    tp, c = prompter(show_status=True, speed=4, playing=True)
    for _ in range(90):
        tp.advance(1 / 60)
    assert tp.elapsed == pytest.approx(1.5)
    tp.render()
    grey = ink(c, (140, 140, 140), rows=range(200, 240))
    assert grey                                            # the bar is drawn at the bottom
    # exactly the text the bar should hold, drawn with the same font, matches
    from kamaelia_lite.draw.canvas_pygame import PygameCanvas
    ref = PygameCanvas(size=(320, 240), font="bitmap")
    ref.fill((0, 0, 0))
    left = format_clock(tp.remaining_seconds())
    ref.text("%s  -%s  speed +4  %d%%" % (format_clock(tp.elapsed), left, int(tp.progress() * 100)),
             tp._margin(), 240 - ref.line_height(8) - 2, (140, 140, 140), 8)
    ref.present()
    assert ink(ref, (140, 140, 140), rows=range(200, 240)) == grey


def test_a_follower_with_another_layout_shows_the_same_words():
    leader, _ = prompter(speed=5, playing=True)
    leader.do(("goto", 20))
    leader.do("play")
    follower = Teleprompter(script=SCRIPT, canvas=PygameCanvas(size=(200, 300), font="bitmap"),
                            font_size=24, show_status=False)
    follower.canvas.set_mirror(True, False)
    follower.relayout()
    sent = []
    leader.send = lambda msg, box="outbox": sent.append((box, msg))
    for _ in range(300):
        leader.advance(1 / 60)
        leader._report_position()
        while sent:
            box, msg = sent.pop(0)
            if box == "position":
                follower.do(msg)
        follower.advance(1 / 60)
        assert abs(follower.word_position() - leader.word_position()) <= 0.5
    assert follower.playing and follower.step == 5 and leader.word_index() > 35
    assert follower.sync_corrections <= 2              # it runs at the leader's word rate, not jumps
    assert follower.lines != leader.lines                 # different layout, same content position
    leader.do("pause")
    leader._report_position()
    follower.do([m for b, m in sent if b == "position"][-1])
    assert follower.word_position() == pytest.approx(leader.word_position(), abs=0.01)
    assert not follower.playing


class OneSlot(component):
    Capacities = {"inbox": 1}


def test_position_reports_into_a_full_box_are_counted_as_drops_not_raised():
    tp, _ = prompter(speed=4)
    slow = OneSlot()                      # a position reader that has stopped reading
    tp.link((tp, "position"), (slow, "inbox"))
    for k in (1, 2, 3):
        tp.do("speed %d" % k)
        tp._report_position()
    assert slow.dataReady("inbox") == 1 and slow.recv("inbox")["speed"] == 1
    assert tp.position_drops == 2
