"""Crawl: text enters at the right edge and moves left pixel by pixel at the set speed,
items follow one another with a separator, pause/play/speed commands work, nothing is drawn
while paused (no busy loop), and shutdown works. Pixels are read from a pygame canvas."""
from displays_helpers import Driver, run_with_watchdog

from kamaelia_lite.displays.crawl import CRAWL_CURVE, Crawl
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from microaxon import producerFinished, shutdownMicroprocess

FG = (255, 255, 255)


def crawl(**kw):
    c = PygameCanvas(size=(200, 20), font="bitmap")
    kw.setdefault("text_height", 8)
    cr = Crawl(canvas=c, **kw)
    cr.canvas = c
    return cr, c


def ink(c):
    return {(x, y) for y in range(c.height) for x in range(c.width) if c.get_pixel(x, y) == FG}


def test_text_enters_at_the_right_and_moves_left_exactly_by_speed_times_time():
    cr, c = crawl(pixels_per_second=40)
    cr.add("HELLO WORLD")
    cr.render()
    assert ink(c) == set()                      # starts just beyond the right edge
    cr.advance(1.0)
    cr.render()
    first = ink(c)
    assert first and min(x for x, _ in first) == 160
    cr.advance(0.5)
    cr.render()
    # the same pixels, 20 px further left (and more of the text has come in at the right)
    assert {p for p in ink(c) if p[0] < 180} == {(x - 20, y) for x, y in first}
    for _ in range(10):                         # many small frames add up exactly (sub-pixels kept)
        cr.advance(0.0125)
    cr.render()
    assert {p for p in ink(c) if p[0] < 175} == {(x - 25, y) for x, y in first}


def test_the_tape_matches_the_text_drawn_in_one_piece():
    cr, c = crawl(pixels_per_second=100)
    cr.add("ONE")
    cr.add("TWO")
    cr.advance(1.5)                              # 150 px in
    cr.render()
    got = ink(c)
    ref = PygameCanvas(size=(200, 20), font="bitmap")
    ref.fill((0, 0, 0))
    ref.text("ONE" + cr.separator + "TWO", 50, (20 - ref.line_height(8)) // 2, FG, 8)
    ref.present()
    assert got == ink(ref)


def test_items_leave_at_the_left_and_are_forgotten():
    cr, c = crawl(pixels_per_second=100)
    cr.add("A")
    cr.advance(2.06)                              # 206 px: the 5 px glyph is past the left edge
    assert cr.items == []
    cr.render()
    assert ink(c) == set()


def test_speed_steps_follow_the_curve_and_pause_stops():
    cr, c = crawl(speed=4)
    assert cr.velocity() == CRAWL_CURVE[4] * 8
    cr.do("speed 10")
    assert cr.velocity() == CRAWL_CURVE[10] * 8
    cr.do(("speed_by", -3))
    assert cr.step == 7
    cr.do("pause")
    assert cr.velocity() == 0
    cr.add("X")
    before = [item[1] for item in cr.items]
    cr.advance(1.0)
    assert [item[1] for item in cr.items] == before
    cr.do("play")
    cr.advance(1.0)
    assert cr.items[0][1] < before[0]


def test_bad_commands_are_reported():
    cr, c = crawl()
    errors = []
    cr.send = lambda msg, box="outbox": errors.append((box, msg))
    cr.do(("speed", -3))
    cr.do("jump x")
    cr.do("speed lots")
    assert [b for b, _ in errors] == ["errors"] * 3
    assert "one way" in errors[0][1][2] and "does not do" in errors[1][1][2]


def run(scheduler, plan, **kw):
    cr, c = crawl(**kw)
    d = Driver(lambda d: plan(d, cr))
    d.link((d, "outbox"), (cr, "inbox"))
    d.link((d, "commands"), (cr, "commands"))
    d.link((d, "signal"), (cr, "control"))
    d.link((cr, "outbox"), (d, "inbox"))
    cr.activate(scheduler)
    d.activate(scheduler)
    run_with_watchdog(scheduler)
    return cr, d


def leftmost(c):
    xs = [x for x, _ in ink(c)]
    return min(xs) if xs else None


def test_component_crawls_on_timers_sleeps_while_paused_and_finishes(scheduler):
    log = {}

    def plan(d, cr):
        d.send("Breaking news from the venue", "outbox")
        yield lambda: leftmost(cr.canvas) is not None          # it has entered the strip
        x0, t0 = leftmost(cr.canvas), cr.frames
        yield 0.2
        log["moved"] = x0 - leftmost(cr.canvas)
        log["frames"] = cr.frames - t0
        d.send("pause", "commands")
        yield lambda: cr.paused
        yield 0.05
        frames, pixels = cr.frames, ink(cr.canvas)
        yield 0.3
        log["paused_frames"] = cr.frames - frames
        log["paused_still"] = ink(cr.canvas) == pixels
        d.send("play", "commands")
        d.send("speed 10", "commands")
        d.send("status", "commands")
        yield lambda: d.got
        d.send(producerFinished(), "signal")                    # the tape runs out, then it finishes
        yield lambda: cr.finished()

    cr, d = run(scheduler, plan, speed=6)
    assert log["moved"] > 0                                      # it moved on its own
    assert 2 <= log["frames"] <= 0.2 * cr.fps + 3               # paced by the frame timer
    assert log["paused_frames"] == 0 and log["paused_still"]    # paused: no frames at all
    assert d.got[0]["speed"] == 10 and d.got[0]["paused"] is False
    assert cr.items == [] and leftmost(cr.canvas) is None       # ran out before finishing


def test_shutdown_stops_at_once_even_mid_crawl(scheduler):
    def plan(d, cr):
        d.send("a long line that would take a while to run out " * 4, "outbox")
        yield lambda: leftmost(cr.canvas) is not None
        d.send(shutdownMicroprocess(), "signal")
        yield lambda: cr.finished()

    cr, d = run(scheduler, plan, speed=1)
    assert cr.items                                              # stopped with text still on the tape
