"""``PositionSaver``: writes the operator's position to a file on every change, atomically
(temporary file, fsync, rename), so a restart resumes there (``kamaelia_lite.surtitles.resume``).
"""
import os
import sys
import threading
import time

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.resume import decode_position, encode_position, position_record, same_position
from microaxon import component, now

__all__ = ["PositionSaver", "load_position", "write_atomic"]


def write_atomic(path: str, data: bytes) -> None:
    """Replace ``path`` by ``data`` so that a crash at any moment leaves the old or the new
    contents, never a mix: write a temporary file beside it, fsync, rename, fsync the folder."""
    tmp = "%s.tmp%d" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    try:
        dfd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:       # some file systems cannot fsync a folder; the rename is still atomic
        pass


def load_position(path: str):
    """The saved record at ``path``; None when there is none; ValueError when it is unreadable."""
    try:
        with open(path, "rb") as f:
            data = f.read(65536)
    except FileNotFoundError:
        return None
    return decode_position(data)


class _Writer:
    """A thread that writes the newest record it was given (older ones not yet written are
    skipped), so a slow fsync never holds up the show's scheduler."""

    def __init__(self, path, on_failure=None):
        self.path = path
        self.on_failure = on_failure       # called in the writer's thread after a failed write
        self.cond = threading.Condition()
        self.pending = None
        self.busy = False
        self.stopping = False
        self.written = 0
        self.failures = []
        self.thread = threading.Thread(target=self.run, name="position-writer", daemon=True)
        self.thread.start()

    def put(self, data):
        with self.cond:
            self.pending = data
            self.cond.notify()

    def run(self):
        while True:
            with self.cond:
                while self.pending is None and not self.stopping:
                    self.cond.wait()
                if self.pending is None:
                    return
                data, self.pending = self.pending, None
                self.busy = True
            try:
                write_atomic(self.path, data)
                self.written += 1
            except OSError as exc:
                msg = "show position not saved to %s: %s" % (self.path, exc)
                if msg not in self.failures:
                    sys.stderr.write(msg + "\n")
                self.failures.append(msg)
                if self.on_failure is not None:
                    self.on_failure()
            with self.cond:
                self.busy = False
                self.cond.notify_all()

    def close(self, timeout=5.0):
        """Write what is pending, then end the thread (waits up to ``timeout`` s)."""
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        self.thread.join(timeout)


class PositionSaver(component):
    """Operator views in (CuePlayer's ``operator`` outbox), passed on unchanged out of outbox;
    each one that changes the position record (cue, blackout, freeze, timing mode and clock)
    is saved to ``path`` at once, atomically, by a
    writer thread (a slow disk never delays the show; the newest record always wins). A
    failure to write is reported on stderr (once per message) and on ``errors``; it never
    stops the show; it is reported as soon as it happens (the writer wakes the component).
    While the show is timed the record is written again every ``refresh_period`` s (default
    60), so its ``saved`` time says the show was running until then, however long the gap
    between two cues (a restart carries the clock on only from a fresh record: see
    ``resume``). ``writer.written`` counts the writes."""

    Inboxes = {"inbox": "operator views", "control": "shutdown signals"}
    Outboxes = {"outbox": "the same views", "errors": "write failures", "signal": "shutdown signals"}

    path = None
    mode = None
    refresh_period = 60.0

    def __init__(self, path=None, **argd):
        super().__init__(**argd)
        if path is not None:
            self.path = path
        self._last = None
        self._refresh_at = None
        self._told = 0
        # the player's clock (microaxon.now, in ms) to wall-clock ms since the epoch, fixed
        # once so that an unchanged timed clock always makes the same record
        self.epoch_offset_ms = time.time() * 1000.0 - now() * 1000.0
        self.writer = _Writer(self.path)

    def save(self, view):
        """Hand the record of ``view`` to the writer if it differs from the last one."""
        if not isinstance(view, dict):
            return
        view = view.get("view", view)
        try:
            rec = position_record(view, self.mode, self.epoch_offset_ms, time.time() * 1000.0)
        except (AttributeError, TypeError, IndexError):
            return
        if not same_position(rec, self._last):
            self._put(rec)

    def _put(self, rec):
        self._last = rec
        self._refresh_at = now() + self.refresh_period
        self.writer.put(encode_position(rec))

    def _failed(self):
        """(writer thread) A write failed: wake the component to report it now."""
        sched = self._sched
        if sched is not None:
            sched.callFromThread(self._wake)

    def _wake(self):
        if not self.finished():
            self.unpause()

    def main(self):
        sched = self._sched
        sched.threadStarted()               # the writer thread may wake us (a failed write)
        self.writer.on_failure = self._failed
        try:
            while True:
                while self.dataReady("inbox"):
                    v = self.recv("inbox")
                    self.save(v)
                    self.send(v, "outbox")
                while self._told < len(self.writer.failures):
                    self.send(self.writer.failures[self._told], "errors")
                    self._told += 1
                if passed_shutdown_on(self):
                    return
                timed = self._last is not None and self._last.get("mode") == "timed"
                if timed and now() >= self._refresh_at:
                    self._put(dict(self._last, saved=int(time.time() * 1000.0)))
                if not self.anyReady():
                    self.pause(max(0.0, self._refresh_at - now()) if timed else None)
                yield 1
        finally:
            self.writer.on_failure = None
            self.writer.close()
            sched.threadFinished()
