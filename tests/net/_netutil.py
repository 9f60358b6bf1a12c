"""Helpers for the socket tests (not a test module): run a scheduler with a watchdog, and talk
to servers from plain blocking client threads."""
import socket
import threading
import time


def run_with_timeout(scheduler, seconds=10.0):
    """Run ``scheduler`` until it has nothing left to do; fail if that takes over ``seconds``."""
    fired = []

    def expire():
        fired.append(True)
        from microaxon.introspect import snapshot
        for c in snapshot(scheduler):
            print("still running:", c["name"], c["state"], c["inboxes"])   # shown on failure
        scheduler.stop()

    done = threading.Event()

    def watchdog():
        # Also stops the scheduler once no component is left: a safety net, so that a client
        # thread a test forgot to finish shows up as a failure rather than a run that waits on.
        end = time.monotonic() + seconds
        while not done.wait(0.05):
            if time.monotonic() > end and not fired:
                scheduler.callFromThread(expire)
            elif scheduler._live == 0 or fired:
                scheduler.callFromThread(_stop_if_empty, scheduler)

    # make the wake-up channel exist without counting the watchdog as a live thread (a live
    # thread would keep run() from returning)
    scheduler.threadStarted()
    scheduler.threadFinished()
    t = threading.Thread(target=watchdog, daemon=True)
    t.start()
    try:
        scheduler.run()
    finally:
        done.set()
        t.join()
    assert not fired, "the scheduler was still running after %ss" % seconds


def _stop_if_empty(scheduler):
    if scheduler._live == 0:
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
