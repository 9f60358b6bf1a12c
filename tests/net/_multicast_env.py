"""Shared fixtures helpers for multicast tests (not a test module): make sure ``lo`` carries
multicast, pick free ports, run a scheduler with a deadline so nothing can hang."""
import socket
import subprocess
import threading

import pytest

LO = "127.0.0.1"


def lo_has_multicast():
    out = subprocess.run(["ip", "link", "show", "lo"], capture_output=True, text=True, check=True).stdout
    return "MULTICAST" in out.split(">")[0]


@pytest.fixture(scope="session")
def lo_multicast():
    """Makes sure lo carries multicast (turns its MULTICAST flag on; left on afterwards, since
    other tests running in parallel may rely on it)."""
    if not lo_has_multicast():
        subprocess.run(["ip", "link", "set", "lo", "multicast", "on"], check=True)
    assert lo_has_multicast()
    return LO


def free_udp_port():
    """A port free for UDP *and* TCP right now (a tunnel may listen on it with either): a port
    only checked for UDP can be some TCP connection's local port, and binding it then fails."""
    for _ in range(100):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("", 0))
            port = t.getsockname()[1]
            u.bind(("", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise RuntimeError("no port free for both TCP and UDP")


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

    def __init__(self, messages, delay=0.1, gap=0.0, finish=True, **argd):
        super().__init__(**argd)
        self.finish = finish
        self.messages = list(messages)
        self.delay = delay
        self.gap = gap

    def main(self):
        self.pause(self.delay)
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
