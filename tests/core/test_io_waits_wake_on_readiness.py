import io
import os
import socket
import threading
import time

import pytest
from core_helpers import start

from microaxon import Scheduler, component


@pytest.fixture(params=["epoll", "poll", "select"])
def sched(request, monkeypatch):
    monkeypatch.setenv("MICROAXON_POLLER", request.param)
    s = Scheduler()
    s.report = io.StringIO()
    return s


class LineReader(component):
    """Reads a socket until EOF, waiting for readability (never polling)."""

    def __init__(self, sock, **argd):
        super().__init__(**argd)
        self.sock = sock
        self.data = b""

    def main(self):
        self.sock.setblocking(False)
        while True:
            self.waitReadable(self.sock)
            self.pause()
            yield 1
            try:
                chunk = self.sock.recv(4096)
            except BlockingIOError:
                continue
            if not chunk:
                return
            self.data += chunk


def test_wait_readable_wakes_when_another_thread_writes(sched):
    a, b = socket.socketpair()
    r = LineReader(a)
    start(sched, r)

    def writer():
        for i in range(5):
            time.sleep(0.02)
            b.sendall(b"line %d\n" % i)
        b.close()

    t = threading.Thread(target=writer)
    t.start()
    sched.run()
    t.join()
    a.close()
    assert r.data == b"".join(b"line %d\n" % i for i in range(5))
    assert r._steps <= 12                       # woken per write, not spinning


def test_wait_writable_lets_a_writer_fill_and_drain_a_socket(sched):
    a, b = socket.socketpair()
    a.setblocking(False)
    payload = os.urandom(2_000_000)

    class Writer(component):
        def main(self):
            view = memoryview(payload)
            while view:
                self.waitWritable(a)
                self.pause()
                yield 1
                try:
                    n = a.send(view[:65536])
                except BlockingIOError:
                    continue
                view = view[n:]
            a.close()

    r = LineReader(b)
    start(sched, Writer(), r)
    sched.run()
    assert r.data == payload


def test_closed_socket_wakes_its_waiter_instead_of_hanging(sched):
    a, b = socket.socketpair()

    class Waiter(component):
        def main(self):
            self.waitReadable(a)
            self.pause()
            yield 1
            self.woke = True

    class Closer(component):
        def main(self):
            self.pause(0.05)
            yield 1
            b.close()

    w = Waiter()
    start(sched, w, Closer())
    sched.run()
    a.close()
    assert w.woke


def test_io_wait_and_timer_together_whichever_comes_first(sched):
    a, b = socket.socketpair()

    class Either(component):
        def main(self):
            t0 = time.monotonic()
            self.waitReadable(a)
            self.pause(0.05)
            yield 1
            self.elapsed = time.monotonic() - t0

    e = Either()
    start(sched, e)
    sched.run()
    assert e.elapsed >= 0.05
    a.close()
    b.close()
