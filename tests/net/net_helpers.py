"""Helpers for the networking tests (not a test module): run a scheduler with a deadline,
real-socket clients, multicast on lo, sans-IO SRM channels, chunked feeding for fuzzing."""
import random
import socket
import threading
import time

from common_helpers import free_tcp_port, free_udp_port, run_watched  # noqa: F401  (one definition, shared)

from kamaelia_lite.net.framing import FramingError


def run_with_timeout(scheduler, seconds=10.0):
    """Run ``scheduler`` until it has nothing left to do; fail if that takes over ``seconds``."""
    fired = []

    def expire():
        fired.append(True)
        from microaxon.introspect import snapshot
        for c in snapshot(scheduler):
            print("still running:", c["name"], c["state"], c["inboxes"])   # shown on failure
        scheduler.stop()

    end = time.monotonic() + seconds

    def check():
        # Also stops the scheduler once no component is left: a safety net, so that a client
        # thread a test forgot to finish shows up as a failure rather than a run that waits on.
        if time.monotonic() > end and not fired:
            scheduler.callFromThread(expire)
        elif not scheduler._all or fired:
            scheduler.callFromThread(_stop_if_empty, scheduler)
        return False

    run_watched(scheduler, check, 0.05)
    assert not fired, "the scheduler was still running after %ss" % seconds


def _stop_if_empty(scheduler):
    if not scheduler._all:
        scheduler.stop()


def in_thread(scheduler, fn, *args):
    """Run ``fn(*args)`` in a thread the scheduler knows about; returns a dict with 'result'
    or 'error' once joined (call .join() on the returned thread)."""
    box = {}

    def body():
        try:
            box["result"] = fn(*args)
        except BaseException as e:       # reported by the test through box["error"]
            box["error"] = e
        finally:
            scheduler.threadFinished()

    scheduler.threadStarted()
    t = threading.Thread(target=body, daemon=True)
    t.box = box
    t.start()
    return t


def run_client(scheduler, fn, seconds=10.0):
    """Run ``fn()`` in a client thread while the scheduler runs (at most ``seconds``); returns
    the joined thread, whose ``box`` holds 'result' or 'error'."""
    t = in_thread(scheduler, fn)
    run_with_timeout(scheduler, seconds)
    t.join(5)
    return t


def recv_exactly(sock, n, timeout=5.0):
    sock.settimeout(timeout)
    got = b""
    while len(got) < n:
        chunk = sock.recv(n - len(got))
        if not chunk:
            break
        got += chunk
    return got


def recv_until_eof(sock, timeout=5.0):
    sock.settimeout(timeout)
    got = []
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return b"".join(got)
        got.append(chunk)


def connect(port, host="127.0.0.1", timeout=5.0):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def wait_for(cond, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.005)
    return cond()


def make_trigger():
    """A component whose outbox a test links to some control inbox; call
    ``scheduler.callFromThread(trigger.send, msg, "outbox")`` from a thread to deliver ``msg``."""
    from microaxon import component

    class Trigger(component):
        def main(self):
            while not self.dataReady("control"):
                self.pause()
                yield 1

    return Trigger()


class RecordingProtocolFactory:
    """A protocol factory whose components record what they receive and how they were told
    the connection ended (``self.controls``), then pass the message on and finish."""

    def __init__(self, reply=None):
        self.received = []
        self.controls = []
        self.reply = reply

    def __call__(self):
        from microaxon import component

        factory = self

        class Recorder(component):
            def main(self):
                if factory.reply is not None:
                    self.send(factory.reply, "outbox")
                while True:
                    while self.dataReady("inbox"):
                        factory.received.append(self.recv("inbox"))
                    if self.dataReady("control"):
                        msg = self.recv("control")
                        factory.controls.append(msg)
                        self.send(msg, "signal")
                        return
                    self.pause()
                    yield 1

        return Recorder()


LO = "127.0.0.1"   # multicast tests send on loopback (the conftest fixture lo_multicast)


def run_with_deadline(scheduler, seconds):
    """Run ``scheduler`` until it finishes; stop it after ``seconds`` (returns True if it had to)."""
    fired = []

    def stop():
        fired.append(1)
        scheduler.stop()

    if hasattr(scheduler, "_ensure_wake"):
        scheduler._ensure_wake()         # so callFromThread can wake a poller (core request 2)
    t = threading.Timer(seconds, lambda: scheduler.callFromThread(stop))
    t.start()
    try:
        scheduler.run()
    finally:
        t.cancel()
    return bool(fired)


from microaxon import component, producerFinished, shutdownMicroprocess  # noqa: E402


class TimedSource(component):
    """Waits ``delay`` seconds (so receivers have joined), sends ``messages`` (respecting a full
    box), then producerFinished on signal (unless ``finish=False``)."""

    def __init__(self, messages, delay=0.1, gap=0.0, finish=True, ready=None, **argd):
        super().__init__(**argd)
        self.finish = finish
        self.messages = list(messages)
        self.delay = delay
        self.gap = gap
        self.ready = ready           # also wait (up to 5 s) until ready() is true

    def main(self):
        self.pause(self.delay)
        yield 1
        until = time.monotonic() + 5
        while self.ready is not None and not self.ready() and time.monotonic() < until:
            self.pause(0.01)
            yield 1
        for msg in self.messages:
            while self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(msg, "outbox")
            if self.gap:
                self.pause(self.gap)
                yield 1
        if self.finish:
            self.send(producerFinished(self), "signal")


class StopAfter(component):
    """Collects what arrives; after ``count`` messages (or ``timeout`` seconds) sends
    shutdownMicroprocess out of "stop" (link it to what should end) and finishes."""

    Inboxes = {"inbox": "messages", "control": "ignored"}
    Outboxes = {"outbox": "unused", "signal": "unused", "stop": "shutdown for the watched component"}

    def __init__(self, count, timeout=5.0, settle=0.0, **argd):
        super().__init__(**argd)
        self.count = count
        self.timeout = timeout
        self.settle = settle
        self.collected = []

    def main(self):
        from microaxon import now
        end = now() + self.timeout
        while now() < end:
            while self.dataReady("inbox"):
                self.collected.append(self.recv("inbox"))
            while self.dataReady("control"):
                self.recv("control")
            if len(self.collected) >= self.count:
                if not self.settle:
                    break
                end = min(end, now() + self.settle)
                self.settle = 0
            self.pause(min(0.05, max(0.0, end - now())))   # short: core request 3
            yield 1
        while self.dataReady("inbox"):
            self.collected.append(self.recv("inbox"))
        self.send(shutdownMicroprocess(), "stop")


class StopAll(component):
    """On any message in its inbox, sends shutdownMicroprocess to the control box of every
    component in ``targets`` and finishes (link a StopAfter's "stop" outbox to it)."""

    def __init__(self, targets, **argd):
        super().__init__(**argd)
        self.boxes = []
        for t in targets:
            box = self.addOutbox("to_%d" % t.id)
            self.link((self, box), (t, "control"))
            self.boxes.append(box)

    def main(self):
        while not self.dataReady("inbox"):
            self.pause()
            yield 1
        for box in self.boxes:
            self.send(shutdownMicroprocess(), box)


def make_messages(n, seed, lo=8, hi=120):
    """n distinct messages (the index is in the last 4 bytes) of random length lo..hi."""
    rnd = random.Random(seed)
    return [bytes([rnd.randrange(256)]) * rnd.randint(lo, hi) + i.to_bytes(4, "big") for i in range(n)]


def sender_datagrams(tx, messages, flush=True):
    wire = []
    for msg in messages:
        wire.extend(tx.send(msg))
    if flush:
        wire.extend(tx.flush())
    return wire


def lossy_channel(wire, seed, loss, dup=0.0, reorder=0.0, reach=5):
    """(delivered datagrams, set of indices into ``wire`` that were dropped)."""
    rnd = random.Random(seed)
    out = []
    dropped = set()
    for n, d in enumerate(wire):
        if rnd.random() < loss:
            dropped.add(n)
            continue
        out.append(d)
        if rnd.random() < dup:
            out.append(d)
    for i in range(len(out) - 1):
        if rnd.random() < reorder:
            j = min(len(out) - 1, i + rnd.randint(1, reach))
            out[i], out[j] = out[j], out[i]
    return out, dropped


def run_receiver(rx, datagrams, flush=True, now=0.0):
    """Feed every datagram; returns (messages, gaps, all events)."""
    events = []
    for d in datagrams:
        events.extend(rx.receive(d, now))
    if flush:
        events.extend(rx.flush())
    data = [e[1] for e in events if e[0] == "data"]
    gaps = [(e[1], e[2]) for e in events if e[0] == "gap"]
    return data, gaps, events


def feed_in_chunks(decoder, data, cuts):
    """Feed ``data`` split at the sorted positions ``cuts``; return all events.

    Checks the decoder contract on the way: events are bytes or FramingError, nothing else
    escapes, and after a fatal error feeding raises that FramingError.
    """
    events = []
    points = sorted(set(c % (len(data) + 1) for c in cuts)) + [len(data)]
    prev = 0
    for p in points:
        piece = data[prev:p]
        prev = p
        if decoder.failed is not None:
            try:
                decoder.feed(piece)
            except FramingError as err:
                assert err is decoder.failed
            else:
                raise AssertionError("a failed decoder accepted more input")
            continue
        got = decoder.feed(piece)
        for ev in got:
            assert isinstance(ev, (bytes, FramingError)), ev
        events.extend(got)
    return events


def echo_once(port, line=b"anyone home?\n", timeout=10.0):
    """Send ``line`` to an echo server on 127.0.0.1:``port``; return what came back up to the
    first newline (or up to the close)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(line)
        got = b""
        while not got.endswith(b"\n"):
            data = s.recv(100)
            if not data:
                break
            got += data
        return got
    finally:
        s.close()
