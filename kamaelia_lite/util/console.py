"""`ConsoleEchoer` writes messages to stdout; `ConsoleReader` emits lines typed on stdin."""
import sys

from kamaelia_lite.flow import PendingSends, passed_shutdown_on
from kamaelia_lite.util.transform import Forwarding
from microaxon import component, producerFinished


class ConsoleEchoer(Forwarding):
    """Writes each message to stdout as str(msg) (repr with use_repr), no newline added.

    forwarder=True also passes each message on out of "outbox"."""

    forwarder = False
    use_repr = False
    tag = ""
    stream = None

    def process(self, msg):
        out = self.stream or sys.stdout
        out.write(self.tag + (repr(msg) if self.use_repr else str(msg)))
        if hasattr(out, "flush"):
            out.flush()
        return msg if self.forwarder else None


class ConsoleReader(component):
    """Emits each line typed on stdin (with `eol` kept), prompting with `prompt`.

    Waits for stdin to become readable (no thread, no polling); at end of input it sends
    producerFinished. A line longer than ``max_line`` bytes goes out in pieces of that size
    (without ``eol``); lines wait for room downstream (stdin is not read meanwhile). On Windows, where stdin cannot be waited on, use kamaelia_lite.desktop's
    threaded reader."""

    prompt = ">>> "
    eol = "\n"
    stream = None
    max_line = 65536

    def main(self):
        import os
        src = self.stream or sys.stdin
        fd = src.fileno()
        buf = b""
        out = sys.stdout
        lines = PendingSends(self)
        eof = False
        if self.prompt:
            out.write(self.prompt)
            out.flush()
        while True:
            if passed_shutdown_on(self):
                return
            if not lines.flush():             # the reader downstream is slow: stop reading
                self.pause()
                yield 1
                continue
            if eof:
                self.send(producerFinished(self), "signal")
                return
            self.waitReadable(fd)
            self.pause()
            yield 1
            if not _readable(fd):        # woken by something else (a shutdown): do not block
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError as e:
                if getattr(e, "errno", 0) == 11:      # EAGAIN: woken for another reason
                    continue
                raise
            if not chunk:
                if buf:
                    lines.add(buf.decode("utf-8", "replace") + self.eol)
                eof = True
                continue
            buf += chunk
            limit = self.max_line
            while True:
                i = buf.find(b"\n", 0, limit + 1)
                if i >= 0:
                    lines.add(buf[:i].decode("utf-8", "replace") + self.eol)
                    buf = buf[i + 1:]
                    if self.prompt:
                        out.write(self.prompt)
                        out.flush()
                elif len(buf) >= limit:         # bounded: an endless line goes out in pieces
                    lines.add(buf[:limit].decode("utf-8", "replace"))
                    buf = buf[limit:]
                else:
                    break


def _readable(fd):
    """True if reading fd now would not block (a zero-timeout poll)."""
    import select
    if hasattr(select, "poll"):
        p = select.poll()
        p.register(fd, select.POLLIN)
        return bool(p.poll(0))
    return bool(select.select([fd], [], [], 0)[0])
