"""The operator console: every language of the current and next cue, scene names (never "[]"),
the state (LIVE, BLACKOUT, FROZEN, TIMED) drawn in the window, the display-health count,
search and jump, and a wrap preview that fits the previewed display."""
import os
import subprocess
import sys

import pygame

from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from kamaelia_lite.surtitles.console import STATE_COLOURS, ConsoleModel
from kamaelia_lite.surtitles.console_components import OperatorConsole
from kamaelia_lite.surtitles.cues import CueDeck, CueList, parse_cue_list
from kamaelia_lite.surtitles.subtitles import parse_subtitles
from microaxon import Scheduler, component, shutdownMicroprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CUES = """languages: en fr
scene: Act 1
cue: 1
en: Where is the ship?
fr: Où est le navire ?
cue: 2
en: It sailed at dawn, long before the storm that nobody on the quay had seen coming.
fr: Il est parti à l'aube, bien avant la tempête que personne sur le quai n'avait vue venir.
scene: Act 2
cue: 3
en: Farewell
fr: Adieu
"""


def _model():
    cl = parse_cue_list(CUES)
    return cl, CueDeck(cl), ConsoleModel(cl, preview_size=(400, 120, 40))


def test_current_and_next_show_every_language_with_scene_names():
    cl, deck, m = _model()
    deck.next()
    m.update(deck.operator_view())
    assert m.texts(0) == [("en", "Where is the ship?"), ("fr", "Où est le navire ?")]
    assert [lang for lang, _ in m.texts(1)] == ["en", "fr"]
    text = m.text()
    assert "CURRENT  1 [Act 1]" in text and "fr: Où est le navire ?" in text and "fr: Il est parti" in text
    assert m.state() == "LIVE"


def test_lists_from_srt_show_no_empty_scene_brackets():
    t = parse_subtitles(b"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n")
    cl = CueList.from_tracks({"en": t})
    deck = CueDeck(cl)
    deck.next()
    m = ConsoleModel(cl)
    m.update(deck.operator_view())
    assert "[]" not in m.text() and "[]" not in cl[0].summary()
    assert all("[]" not in m.row_text(e) for _, _, e in m.rows(10))


def test_state_follows_blackout_freeze_and_timing():
    cl, deck, m = _model()
    deck.next()
    m.update(deck.operator_view())
    assert m.state() == "LIVE"
    deck.set_freeze(True)
    deck.next()
    m.update(deck.operator_view())
    assert m.state() == "FROZEN" and "audience on 1" in m.status_line()
    deck.set_blackout(True)
    m.update(deck.operator_view())
    assert m.state() == "BLACKOUT"


def test_display_health_counts_and_silent_displays():
    _, _, m = _model()
    assert m.display_summary() == "DISPLAYS ?"
    m.set_health({"displays": {"fr": 2, "en": 3}, "silent": ["fr-lobby"]})
    assert m.display_summary() == "DISPLAYS 5 (en 3, fr 2)  SILENT fr-lobby"


def test_display_health_takes_the_sync_leaders_own_summary():
    _, _, m = _model()
    m.set_health({"live": 3, "languages": {"en": 2, "fr": 1}, "silent": ["circle-en"]})
    assert m.display_summary() == "DISPLAYS 3 (en 2, fr 1)  SILENT circle-en"


def test_search_ignores_case_and_accents_and_jump_goes_to_the_next_match():
    cl, deck, m = _model()
    assert [cl[i].ident for i in m.search("TEMPETE")] == ["2"]
    assert [cl[i].ident for i in m.search("act 2")] == ["3"]
    deck.next()
    m.update(deck.operator_view())
    assert m.jump_target("e") == "2"           # the first match after cue 1
    try:
        m.jump_target("zebra")
        raise AssertionError("no match must raise")
    except KeyError as exc:
        assert "zebra" in str(exc)


def test_preview_wraps_the_next_cue_within_the_previewed_display():
    pygame.font.init()
    canvas = PygameCanvas(size=(10, 10))
    cl, deck, m = _model()
    deck.next()
    m.update(deck.operator_view())
    size, wrapped = m.preview(canvas)
    assert [lang for lang, _ in wrapped] == ["en", "fr"]
    assert sum(len(lines) for _, lines in wrapped) >= 4       # a long cue in two languages wraps
    for _, lines in wrapped:
        for line in lines:
            assert canvas.text_width(line, size) <= 400 - 16
    assert size < 40                                          # shrunk to fit 120 px


class Feeder(component):
    """Sends operator views, a health status and a window search, then stops the console."""

    def __init__(self, views, **argd):
        super().__init__(**argd)
        self.views = views
        self.addOutbox("health")
        self.addOutbox("keys")

    def main(self):
        self.send({"displays": {"en": 1, "fr": 2}, "silent": []}, "health")
        for v in self.views:
            self.send({"view": v, "text": ""}, "outbox")
            yield 1
        self.pause(0.05)
        yield 1
        self.send(shutdownMicroprocess(), "signal")


def _draw(views, tmp_path, name):
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    pygame.font.init()
    cl = parse_cue_list(CUES)
    screen = PygameCanvas(size=(1000, 640))
    out = open(os.path.join(str(tmp_path), "out.txt"), "w")
    console = OperatorConsole(cl, screen=screen, out=out)
    feeder = Feeder(views(cl))
    feeder.link((feeder, "outbox"), (console, "inbox"))
    feeder.link((feeder, "health"), (console, "health"))
    feeder.link((feeder, "signal"), (console, "control"))
    sched = Scheduler()
    console.activate(scheduler=sched)
    feeder.activate(scheduler=sched)
    sched.run()
    out.close()
    pygame.image.save(screen.target, os.path.join(str(tmp_path), name))
    return screen, open(os.path.join(str(tmp_path), "out.txt")).read()


def test_the_window_draws_the_state_badge_in_its_colour(tmp_path):
    def frozen(cl):
        d = CueDeck(cl)
        d.next()
        d.set_freeze(True)
        d.next()
        return [d.operator_view()]
    screen, out = _draw(frozen, tmp_path, "frozen.png")
    assert screen.get_pixel(12, 12) == STATE_COLOURS["FROZEN"]
    assert "FROZEN" in out and "DISPLAYS 3 (en 1, fr 2)" in out

    def black(cl):
        d = CueDeck(cl)
        d.next()
        d.set_blackout(True)
        return [d.operator_view()]
    screen, out = _draw(black, tmp_path, "black.png")
    assert screen.get_pixel(12, 12) == STATE_COLOURS["BLACKOUT"]

    def live(cl):
        d = CueDeck(cl)
        d.next()
        return [d.operator_view()]
    screen, _ = _draw(live, tmp_path, "live.png")
    assert screen.get_pixel(12, 12) == STATE_COLOURS["LIVE"]
    # text of both languages is drawn in the right half (language colours, not just white)
    right = [screen.get_pixel(x, y) for x in range(470, 990, 3) for y in range(64, 300, 3)]
    assert (255, 255, 255) in right and (255, 220, 0) in right


def test_operator_example_finds_and_jumps_from_stdin():
    env = dict(os.environ, SDL_VIDEODRIVER="dummy")
    p = subprocess.run(
        [sys.executable, "-m", "examples.surtitles.operator", "--key", "k", "--tcp", "127.0.0.1:0"],
        input="find navire\njump navire\nfreeze\nnext\nquit\n", capture_output=True, text=True,
        timeout=30, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr
    assert "FOUND" in p.stdout and "FOUND nothing" not in p.stdout
    assert "FROZEN" in p.stdout


def test_window_search_typed_with_keys_jumps_to_the_match():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    pygame.init()
    cl = parse_cue_list(CUES)
    screen = PygameCanvas(size=(1000, 640))
    console = OperatorConsole(cl, screen=screen, out=open(os.devnull, "w"))
    deck = CueDeck(cl)
    deck.next()

    def key(k, ch=""):
        return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=ch)

    class Typist(component):
        def main(self):
            self.send({"view": deck.operator_view(), "text": ""}, "outbox")
            self.send([key(pygame.K_SLASH, "/")] + [key(pygame.key.key_code(ch), ch) for ch in "adieu"]
                      + [key(pygame.K_RETURN)], "keys")
            yield 1
            self.send([key(pygame.K_t, "t"), key(pygame.K_PAGEDOWN)], "keys")
            yield 1
            self.pause(0.05)
            yield 1
            self.send(shutdownMicroprocess(), "signal")

        Outboxes = {"outbox": "", "keys": "", "signal": ""}

    from kamaelia_lite.util import Collector
    t = Typist()
    got = Collector()
    t.link((t, "outbox"), (console, "inbox"))
    t.link((t, "keys"), (console, "keys"))
    t.link((t, "signal"), (console, "control"))
    console.link((console, "outbox"), (got, "inbox"))
    console.link((console, "signal"), (got, "control"))
    sched = Scheduler()
    for c in (console, t, got):
        c.activate(scheduler=sched)
    sched.run()
    assert got.collected[:3] == [("cue", "3"), ("toggle",), ("next",)]


def test_the_window_shows_timed_playback_in_amber(tmp_path):
    srt = parse_subtitles(b"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n")
    cl = CueList.from_tracks({"en": srt})
    d = CueDeck(cl)
    d.set_timed(True, 0)
    d.tick(1500)
    screen = PygameCanvas(size=(1000, 640))
    out = open(os.path.join(str(tmp_path), "o.txt"), "w")
    console = OperatorConsole(cl, screen=screen, out=out)
    feeder = Feeder([d.operator_view()])
    feeder.link((feeder, "outbox"), (console, "inbox"))
    feeder.link((feeder, "signal"), (console, "control"))
    sched = Scheduler()
    console.activate(scheduler=sched)
    feeder.activate(scheduler=sched)
    sched.run()
    assert screen.get_pixel(12, 12) == STATE_COLOURS["TIMED"]


def test_the_console_shows_and_searches_the_words_of_an_italic_cue_not_its_marks():
    from kamaelia_lite.surtitles.cues import format_operator_view
    cl = parse_cue_list("languages: en\ncue: 1\nen: <i>Offstage:</i> the ship\ncue: 2\nen: plain\n")
    deck = CueDeck(cl)
    m = ConsoleModel(cl, preview_size=(400, 120, 40))
    deck.next()
    m.update(deck.operator_view())
    assert m.row_text(cl[0]) == "1     Offstage: the ship"
    assert "<i>" not in format_operator_view(deck.operator_view())
    assert "Offstage: the ship" in format_operator_view(deck.operator_view())
    assert m.search("i>") == [] and m.search("offstage: the") == [0]


def test_a_cue_too_long_for_the_console_is_cut_with_a_mark_never_silently():
    from kamaelia_lite.surtitles.console_components import cue_lines
    c = PygameCanvas(size=(600, 400))
    long = " ".join("word%d" % i for i in range(80))
    lines = cue_lines(c, long, 300, 20)
    assert len(lines) == 3 and lines[-1].endswith("...")
    assert all(c.text_width(ln, 20) <= 300 for ln in lines)
    assert lines[:2] == c.wrap(long, 300, 20)[:2]
    assert cue_lines(c, "short cue", 300, 20) == ["short cue"]
    three = c.wrap(long, 300, 20)[:3]
    assert cue_lines(c, " ".join(three), 300, 20) == three         # exactly three lines: no mark
