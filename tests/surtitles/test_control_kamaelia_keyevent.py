"""Kamaelia's KeyEvent(key_events=..., allkeys=..., outboxes=...): key presses from the pygame
display service (dummy video driver, events posted to pygame's real queue) go out of the named
outboxes, as in the original."""
import pygame

from kamaelia_lite.surtitles.control import KeyEvent
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, shutdownMicroprocess


class Presser(component):
    def __init__(self, events, **argd):
        super().__init__(**argd)
        self.events = events

    def main(self):
        for ev in self.events:
            self.pause(0.03)
            yield 1
            pygame.event.post(ev)
        self.pause(0.2)
        yield 1
        self.send(shutdownMicroprocess(), "outbox")


def down(k):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="")


def up(k):
    return pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode="")


def test_keyevent_sends_the_mapped_messages():
    sched = Scheduler()
    keys = KeyEvent(key_events={pygame.K_1: (1, "numbers"), pygame.K_2: (2, "numbers"),
                                pygame.K_SPACE: ("next", "commands")},
                    key_up_events={pygame.K_SPACE: ("released", "commands")}, allkeys=True,
                    outboxes={"numbers": "numbers", "commands": "commands"})
    numbers, commands, allkeys = Collector(), Collector(), Collector()
    keys.link((keys, "numbers"), (numbers, "inbox"))
    keys.link((keys, "commands"), (commands, "inbox"))
    keys.link((keys, "allkeys"), (allkeys, "inbox"))
    keys.link((keys, "signal"), (numbers, "control"))
    presser = Presser([down(pygame.K_1), down(pygame.K_3), down(pygame.K_SPACE), up(pygame.K_SPACE),
                       down(pygame.K_2)])
    presser.link((presser, "outbox"), (keys, "control"))
    for c in (keys, numbers, commands, allkeys, presser):
        c.activate(scheduler=sched)
    commands.link((numbers, "signal"), (commands, "control"))
    commands.link((commands, "signal"), (allkeys, "control"))
    sched.run()
    assert numbers.collected == [1, 2]
    assert commands.collected == ["next", "released"]
    assert allkeys.collected == [("DOWN", pygame.K_1), ("DOWN", pygame.K_3), ("DOWN", pygame.K_SPACE),
                                 ("UP", pygame.K_SPACE), ("DOWN", pygame.K_2)]
    assert keys.finished()
