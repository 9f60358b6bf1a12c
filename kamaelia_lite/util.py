"""Small everyday components.

Every component here honours shutdown on "control": producerFinished lets it finish what is in
its inbox first, shutdownMicroprocess stops it at once; either way the message is passed on out
of "signal". Components that produce respect a full destination box (they wait for room, they
never drop and never raise BoxFull).

- `DataSource(messages)` sends each item, then producerFinished.
- `Collector()` keeps what arrives in `.collected` (and calls `callback(msg)` if given).
- `ConsoleEchoer(forwarder=False, use_repr=False, tag="")` writes messages to stdout.
- `ConsoleReader(prompt=">>> ", eol="\\n")` emits lines typed on stdin (no busy waiting).
- `PureTransformer(function)` sends function(msg); a result of None is not sent.
- `SimpleDetupler(index)` sends msg[index].
- `MessageRateLimit(messages_per_second, buffer=60)` lets messages through at a steady rate.
- `Chooser(items, loop=False)` a cursor over items: "NEXT", "PREV", "FIRST", "LAST", "SAME".
"""
import sys

from kamaelia_lite.flow import PendingSends, drained_then_stopped, passed_shutdown_on, take_ending
from microaxon import component, now, producerFinished


class Forwarding(component):
    """Base for one-in, one-out components: subclasses define process(msg) -> msg or None.

    Handles backpressure (waits for room downstream) and shutdown (drains on producerFinished,
    stops at once on shutdownMicroprocess) in one place."""

    def process(self, msg):
        return msg

    def main(self):
        ending = None
        while True:
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, False):     # shutdownMicroprocess: stop now
                return
            while self.dataReady("inbox"):
                if self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    break
                out = self.process(self.recv("inbox"))
                if out is not None:
                    self.send(out, "outbox")
            if drained_then_stopped(self, ending, not self.dataReady("inbox")):
                return
            self.pause()
            yield 1


class DataSource(component):
    """Sends each of `messages`, then producerFinished on signal."""

    def __init__(self, messages=(), **argd):
        super().__init__(**argd)
        self.messages = messages

    def main(self):
        for msg in self.messages:
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
                if passed_shutdown_on(self):
                    return
            self.send(msg, "outbox")
            if passed_shutdown_on(self):
                return
        yield 1
        self.send(producerFinished(self), "signal")


class Collector(component):
    """Keeps every message that arrives in `.collected`; calls `callback(msg)` if given."""

    callback = None

    def __init__(self, **argd):
        super().__init__(**argd)
        self.collected = []

    def main(self):
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                self.collected.append(msg)
                if self.callback is not None:
                    self.callback(msg)
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


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
    producerFinished. On Windows, where stdin cannot be waited on, use ports.desktop's
    threaded reader."""

    prompt = ">>> "
    eol = "\n"
    stream = None

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
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                lines.add(line.decode("utf-8", "replace") + self.eol)
                if self.prompt:
                    out.write(self.prompt)
                    out.flush()


def _readable(fd):
    """True if reading fd now would not block (a zero-timeout poll)."""
    import select
    if hasattr(select, "poll"):
        p = select.poll()
        p.register(fd, select.POLLIN)
        return bool(p.poll(0))
    return bool(select.select([fd], [], [], 0)[0])


class PureTransformer(Forwarding):
    """Sends function(msg) for each message; None results are not sent."""

    def __init__(self, function=None, **argd):
        super().__init__(**argd)
        if function is not None:
            self.processMessage = function

    def processMessage(self, msg):
        return msg

    def process(self, msg):
        return self.processMessage(msg)


class SimpleDetupler(Forwarding):
    """Sends msg[index] for each message."""

    def __init__(self, index=0, **argd):
        super().__init__(**argd)
        self.index = index

    def process(self, msg):
        return msg[self.index]


class MessageRateLimit(component):
    """Passes messages on at most `messages_per_second`, after buffering `buffer` of them first
    (as a jitter buffer) unless producerFinished says no more are coming. Timer waits: no
    busy loop."""

    Capacities = {"inbox": 256}

    def __init__(self, messages_per_second, buffer=60, **argd):
        super().__init__(**argd)
        self.rate = float(messages_per_second)
        self.buffer = buffer

    def main(self):
        ending = None
        started = False
        interval = 1.0 / self.rate
        due = now()
        while True:
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, False):
                return
            if not started and (self.dataReady("inbox") >= min(self.buffer, self.Capacities["inbox"])
                                or ending is not None):
                started = True
                due = now()
            timeout = None
            if started and self.dataReady("inbox"):
                t = now()
                if t >= due:
                    if self.hasSpace("outbox") <= 0:
                        self.waitSpace("outbox")
                    else:
                        self.send(self.recv("inbox"), "outbox")
                        due = max(due + interval, t - interval)
                        continue
                else:
                    timeout = due - t
            elif drained_then_stopped(self, ending, True):
                return
            self.pause(timeout)
            yield 1


class Chooser(component):
    """A cursor over `items`: emits the first at start, then one per command on inbox:
    "NEXT", "PREV", "FIRST", "LAST", "SAME". Past either end nothing is emitted unless
    loop=True, when it wraps round. Unknown commands are ignored and counted in `.unknown`."""

    def __init__(self, items=(), loop=False, **argd):
        super().__init__(**argd)
        self.items = list(items)
        self.loop = loop
        self.pos = 0
        self.unknown = 0

    def main(self):
        if self.items:
            self.send(self.items[0], "outbox")
        while True:
            while self.dataReady("inbox"):
                cmd = self.recv("inbox")
                n = len(self.items)
                if not n:
                    continue
                p = self.pos
                if cmd == "NEXT":
                    p = p + 1 if p + 1 < n else (0 if self.loop else None)
                elif cmd == "PREV":
                    p = p - 1 if p > 0 else (n - 1 if self.loop else None)
                elif cmd == "FIRST":
                    p = 0
                elif cmd == "LAST":
                    p = n - 1
                elif cmd != "SAME":
                    self.unknown += 1
                    p = None
                if p is not None:
                    self.pos = p
                    self.send(self.items[p], "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1
