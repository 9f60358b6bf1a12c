"""The operator console's window (pygame, dummy video driver): presentation-remote keys posted to
pygame's event queue move the cue list, the window shows the operator view, and 'q' ends the show
(every component, the window and the TCP control port finish)."""
import pygame

from examples.surtitles import operator
from kamaelia_lite.surtitles.sync_net import SyncTCPFollower
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, shutdownMicroprocess


class KeyPoster(component):
    """Posts key presses to pygame's queue, one per 50 ms (as a person or a remote would)."""

    def __init__(self, keys, **argd):
        super().__init__(**argd)
        self.keys = keys

    def main(self):
        for k in self.keys:
            self.pause(0.05)
            yield 1
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))


def test_presenter_keys_drive_the_operator_window(capsys, tmp_path):
    key = "window-key"
    args = operator.parse_args(["--key", key, "--window", "--no-stdin", "--tcp", "127.0.0.1:0",
                                "--control-port", "0", "--state-file", str(tmp_path / "show.position")])
    graph, comps = operator.build(args)
    sched = Scheduler()
    keys = operator.attach_keyboard(comps, sched, args)
    graph.activate(scheduler=sched)
    # a display connected over TCP, as the show's handhelds would be
    display = SyncTCPFollower(key=key, port=comps["NET"].port)
    seen = Collector()
    display.link((display, "outbox"), (seen, "inbox"))
    display.link((display, "signal"), (seen, "control"))
    display.activate(scheduler=sched)
    seen.activate(scheduler=sched)
    screen = comps["CONSOLE"].screen
    pixels = []

    def snap():
        pixels.append(sum(1 for x in range(0, 820, 4) for y in range(0, 120, 4)
                          if screen.get_pixel(x, y) != (0, 0, 0)))
    KeyPoster([pygame.K_PAGEDOWN, pygame.K_RIGHT, pygame.K_PAGEUP, pygame.K_b, pygame.K_F5,
               pygame.K_END]).activate(scheduler=sched)

    class Snapper(component):
        """Looks at the window, presses q (end of show), then disconnects the display."""

        def main(self):
            self.pause(0.6)
            yield 1
            snap()
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=0, unicode=""))
            self.pause(0.3)
            yield 1
            self.send(shutdownMicroprocess(), "outbox")
    snapper = Snapper()
    snapper.link((snapper, "outbox"), (display, "control"))
    snapper.activate(scheduler=sched)
    sched.run()
    states = [(st["cue"], st["blackout"]) for st in seen.collected if isinstance(st, dict)]
    assert states == [(None, False), ("1", False), ("2", False), ("1", False), ("1", True), ("1", False),
                      ("8", False)]
    out = capsys.readouterr().out
    assert "LIVE cue=8 version=6" in out
    assert pixels[0] > 20                        # the operator view is drawn in the window
    assert keys.finished() and comps["REMOTE"].finished() and comps["PLAYER"].finished()
