"""Helpers for the multi-process surtitles tests (not a test module): spawn the example's
operator and display processes, read what each display prints, wait for conditions."""
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time

from common_helpers import free_tcp_port, free_udp_port  # noqa: F401  (one definition, shared)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="disk", PYGAME_HIDE_SUPPORT_PROMPT="1",
           PYTHONPATH=ROOT, PYTHONUNBUFFERED="1",
           XDG_STATE_HOME=tempfile.mkdtemp(prefix="surtitles-state-"))   # saved show positions






class Proc:
    """A child process whose stdout lines are collected as they come."""

    def __init__(self, args, prefix=(), stdin=False):
        self.p = subprocess.Popen(list(prefix) + [sys.executable, "-m"] + list(args), cwd=ROOT, env=ENV,
                                  stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = b""
        self.lines = []
        self.started = time.monotonic()

    def feed(self):
        try:
            data = os.read(self.p.stdout.fileno(), 65536)
        except BlockingIOError:
            return
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self.lines.append(line.decode("utf-8", "replace"))

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

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait(5)
        for f in (self.p.stdout, self.p.stderr, self.p.stdin):
            if f is not None:
                f.close()

    def stderr_text(self):
        if self.p.poll() is None:
            return ""
        return self.p.stderr.read().decode("utf-8", "replace")


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
