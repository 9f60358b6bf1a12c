"""Keyboard and presentation-remote keys (real pygame key events) become the shared commands and
drive the cue player."""
import pygame

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.surtitles.control import CUE_KEYS, PRESENTER_KEYS, KeyboardControl, key_to_command
from kamaelia_lite.surtitles.cues import parse_cue_list
from kamaelia_lite.surtitles.cues_components import CuePlayer
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


def key(k, mod=0, kind=pygame.KEYDOWN):
    return pygame.event.Event(kind, key=k, mod=mod, unicode="")


def test_presenter_remote_keys_map_onto_the_vocabulary():
    assert key_to_command("page down") == ("next",)
    assert key_to_command("PAGE UP") == ("prev",)
    assert key_to_command("b") == ("blackout", None) == key_to_command(".")
    assert key_to_command("f5") == ("play",) and key_to_command("escape") == ("pause",)
    assert key_to_command("f5", CUE_KEYS, shift=True) == ("blackout", False)
    assert key_to_command("escape", CUE_KEYS) == ("blackout", True)
    assert key_to_command("z") is None
    assert set(PRESENTER_KEYS) <= set(CUE_KEYS)


def test_key_events_drive_the_cue_player():
    cues = parse_cue_list("cue: 1\nen: one\ncue: 2\nen: two\ncue: 3\nen: three\n")
    events = [
        key(pygame.K_PAGEDOWN), key(pygame.K_PAGEDOWN, kind=pygame.KEYUP),   # key up: ignored
        [key(pygame.K_RIGHT), key(pygame.K_SPACE)],                          # a list, as the display service sends
        key(pygame.K_PAGEUP),
        key(pygame.K_b), key(pygame.K_PERIOD),                               # blank, unblank
        key(pygame.K_ESCAPE), key(pygame.K_F5, mod=pygame.KMOD_LSHIFT),      # black out, show
        key(pygame.K_a),                                                     # unmapped: nothing
    ]
    sched = Scheduler()
    audience = Collector()
    Pipeline(DataSource(events), KeyboardControl(keymap=CUE_KEYS), CuePlayer(cues), audience).activate(scheduler=sched)
    sched.run()
    seen = [(s["cue"], s["blackout"]) for s in audience.collected if isinstance(s, dict)]
    assert seen == [(None, False), ("1", False), ("2", False), ("3", False), ("2", False),
                    ("2", True), ("2", False), ("2", True), ("2", False)]
