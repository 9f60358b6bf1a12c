"""``ShowLog``: appends every operator action, cue change and show event to a file as it
happens, one flushed line each (``kamaelia_lite.surtitles.showlog`` has the format), so the
log is complete up to the last action even after ``kill -9``.
"""
import os
import sys
import time

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.showlog import describe_command, describe_event, log_line, state_changes
from microaxon import component, shutdown

__all__ = ["ShowLog"]


class ShowLog(component):
    """A tap for a show: logs what passes through it, passing everything on unchanged.

    ``path``: the log file (appended to; created if missing). ``fsync``: also fsync every line
    (survives a power cut, not only a crash; default False: each line is flushed to the
    kernel, which is enough for a killed process).

    inbox -> outbox: operator commands (tuples or lines), logged as ACTION.
    states -> states_out: audience states, logged as CUE / BLACKOUT / FREEZE / MODE on change.
    events: anything else worth a line (leader role changes, display health, errors).
    A file that cannot be written is reported once, on stderr and on ``errors`` (the operator
    console shows it); the show goes on regardless.
    """

    Inboxes = {"inbox": "operator commands", "states": "audience states", "events": "other events",
               "control": "shutdown signals"}
    Outboxes = {"outbox": "the same commands", "states_out": "the same states",
                "errors": "the log cannot be written (once)", "signal": "shutdown signals"}

    path = None
    fsync = False
    clock = None

    def __init__(self, path=None, **argd):
        super().__init__(**argd)
        if path is not None:
            self.path = path
        self.clock = self.clock or time.time
        self.lines = 0
        self._state = None
        self._broken = False
        self._file = open(self.path, "a", encoding="utf-8")   # fail at start, where the user sees it

    def write(self, kind, text=""):
        """Append one line now (flushed)."""
        if self._broken:
            return
        try:
            self._file.write(log_line(self.clock(), kind, text))
            self._file.flush()
            if self.fsync:
                os.fsync(self._file.fileno())
            self.lines += 1
        except (OSError, ValueError) as exc:
            self._broken = True
            msg = "show log %s: cannot write (%s); the show goes on without it" % (self.path, exc)
            sys.stderr.write(msg + "\n")
            self.send(msg, "errors")

    def main(self):
        self.write("START", "show log opened")
        try:
            while True:
                while self.dataReady("inbox"):
                    cmd = self.recv("inbox")
                    if not isinstance(cmd, shutdown):
                        self.write("ACTION", describe_command(cmd))
                    self.send(cmd, "outbox")
                while self.dataReady("states"):
                    st = self.recv("states")
                    if isinstance(st, dict):
                        for kind, text in state_changes(self._state, st):
                            self.write(kind, text)
                        self._state = st
                    self.send(st, "states_out")
                while self.dataReady("events"):
                    kind, text = describe_event(self.recv("events"))
                    self.write(kind, text)
                if passed_shutdown_on(self):
                    self.write("END", "show log closed")
                    return
                if not self.anyReady():
                    self.pause()
                yield 1
        finally:
            try:
                self._file.close()
            except OSError:
                pass
