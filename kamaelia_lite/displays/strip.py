"""What the two strip displays (``ticker.Ticker`` and ``crawl.Crawl``) share: the pause and
resume boxes, the pause / play / toggle / quit commands (a bad line reported on ``errors``), a
canvas from the pygame display service unless one is given, and giving its surface back.

A subclass answers its own commands in ``command(name, cmd)`` (True if it did the command).
Portable: runs on MicroPython.
"""
from kamaelia_lite.surtitles.commands import CommandError, is_command, parse_command
from microaxon import component, shutdownMicroprocess


class Strip(component):
    """Base of Ticker and Crawl (see module doc): ``paused`` says whether it stands still."""

    what = "strip"               # names the display in "does not do" errors
    canvas = None
    font = None
    paused = False
    _service = None
    _surface = None

    def command(self, name, cmd):
        """Do a command the base does not know; True if done (else it is reported)."""
        return False

    def do(self, cmd):
        """Apply one command (tuple or text line); returns True for quit."""
        if not is_command(cmd):
            try:
                cmd = parse_command(cmd)
            except CommandError as e:
                self.send(("error", cmd, str(e)), "errors")
                return False
        name = cmd[0]
        if name == "pause":
            self.paused = True
        elif name == "play":
            self.paused = False
        elif name == "toggle":
            self.paused = not self.paused
        elif name == "quit":
            return True
        elif not self.command(name, cmd):
            self.send(("error", cmd, "the %s does not do %r" % (self.what, name)), "errors")
        return False

    def take_commands(self, ending):
        """Take pausebox, unpausebox and commands; returns ``ending``, or shutdownMicroprocess on quit."""
        while self.dataReady("pausebox"):
            self.recv("pausebox")
            self.paused = True
        while self.dataReady("unpausebox"):
            self.recv("unpausebox")
            self.paused = False
        while self.dataReady("commands"):
            if self.do(self.recv("commands")):
                ending = shutdownMicroprocess(self)
        return ending

    def stop_now(self, ending):
        """True when ``ending`` stops the strip at once: shutdownMicroprocess, or any while paused."""
        return isinstance(ending, shutdownMicroprocess) or (ending is not None and self.paused)

    def _make_canvas(self, size):
        if self.canvas is not None:
            return self.canvas
        from kamaelia_lite.displays.display import PygameDisplay
        from kamaelia_lite.draw.canvas_pygame import PygameCanvas
        self._service = PygameDisplay.getDisplayService(self._sched)
        self._surface = self._service.request_surface(self, size, position=self.position)
        return PygameCanvas(self._surface, font=self.font, default_size=self.text_height,
                            on_present=self._service.redraw)

    def _release(self):
        if self._service is not None and self._surface is not None:
            self._service.release(self._surface)
            self._surface = None
