"""Helpers for the multi-process surtitles tests (not a test module): spawn the example's
operator and display processes, read what each display prints, wait for conditions."""
import json
import os
import selectors
import tempfile
import time

from common_helpers import LineProc, free_tcp_port, free_udp_port  # noqa: F401  (one definition, shared)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk", PYGAME_HIDE_SUPPORT_PROMPT="1",
           PYTHONPATH=ROOT, PYTHONUNBUFFERED="1",
           XDG_STATE_HOME=tempfile.mkdtemp(prefix="surtitles-state-"))   # saved show positions


class Proc(LineProc):
    """An example's process (operator or display) whose stdout lines are collected as they come."""

    def __init__(self, args, prefix=(), stdin=False):
        super().__init__(args, ENV, prefix, stdin)

    def shows(self):
        """[(monotonic time, frame dict)] of every SHOW line so far."""
        out = []
        for ln in self.lines:
            if ln.startswith("SHOW "):
                _, t, js = ln.split(" ", 2)
                out.append((float(t), json.loads(js)))
        return out

    def last_show(self):
        s = self.shows()
        return s[-1][1] if s else None

    def ready_at(self):
        for ln in self.lines:
            if ln.startswith("READY "):
                return float(ln.split()[1])
        return None

    def rejected(self):
        return [ln for ln in self.lines if ln.startswith("REJECTED ")]


def wait_until(procs, cond, timeout):
    """Read every process's output until cond() is true or timeout; returns cond()."""
    sel = selectors.DefaultSelector()
    for pr in procs:
        sel.register(pr.p.stdout, selectors.EVENT_READ, pr)
    end = time.monotonic() + timeout
    try:
        while not cond():
            left = end - time.monotonic()
            if left <= 0:
                break
            for keyobj, _ in sel.select(min(left, 0.2)):
                keyobj.data.feed()
        return cond()
    finally:
        sel.close()


def display_args(key, transport, language="en"):
    return ["examples.surtitles.display", "--key", key, "--headless", "--print", "--font", "bitmap",
            "--size", "320x60", "--font-size", "8", "--language", language] + list(transport)


def saved_cue(path):
    """The live cue an operator's position file holds (None: no file yet, or not readable)."""
    try:
        with open(path) as f:
            return json.load(f).get("live")
    except (OSError, ValueError):
        return None
