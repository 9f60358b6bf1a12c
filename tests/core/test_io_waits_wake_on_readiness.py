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


def socketpair_on(fd):
    """A socketpair whose first socket has descriptor number ``fd`` (just closed, so free).
    The kernel hands out the lowest free number, which is usually ``fd``, but a socket another
    test left to the garbage collector may free a lower one at any moment: move it there then."""
    a, b = socket.socketpair()
    if fd is not None and a.fileno() != fd:
        os.dup2(a.fileno(), fd)
        a.close()
        a = socket.socket(fileno=fd)
    return a, b


def reopen_and_wait(comp, fd, box, byte):
    """Steps of ``comp``'s main (``yield from``): a new socketpair on ``fd``, a thread that sends
    ``byte`` into it 50 ms later, and a wait for it to be readable (5 s at most). Records whether
    the number was reused and what arrived."""
    new, peer = socketpair_on(fd)
    box["reused"] = new.fileno() == fd
    threading.Timer(0.05, peer.send, (byte,)).start()
    comp.waitReadable(new)
    comp.pause(5)
    yield 1
    box["data"] = new.recv(1)
    new.close()
    peer.close()


def test_a_new_socket_on_a_closed_ones_descriptor_number_is_waited_on(sched):
    """Close a socket and open another in the same step: the new one usually gets the same fd
    number. Its wait must reach the poller (which forgot the closed one by itself)."""
    first, first_peer = socket.socketpair()
    box = {}

    class Reopener(component):
        def main(self):
            self.waitReadable(first)
            self.pause(0.02)               # registered on `first`, then woken by the timer
            yield 1
            old_fd = first.fileno()
            first.close()
            first_peer.close()
            yield from reopen_and_wait(self, old_fd, box, b"x")

    start(sched, Reopener())
    t0 = time.monotonic()
    sched.run()
    assert box["data"] == b"x" and time.monotonic() - t0 < 4
    assert box["reused"]                    # the case this test is about did happen


def test_a_socket_closed_by_one_component_and_reopened_by_another_is_waited_on(sched):
    holder, holder_peer = socket.socketpair()
    box = {}

    class Holder(component):
        def main(self):
            self.waitReadable(holder)
            self.pause(0.02)
            yield 1
            box["old_fd"] = holder.fileno()
            holder.close()                  # and finish: its wait goes away with it
            holder_peer.close()

    class Opener(component):
        def main(self):
            self.pause(0.02)                # wakes in the same pass as Holder's timer
            yield 1
            yield from reopen_and_wait(self, box.get("old_fd"), box, b"y")

    start(sched, Holder(), Opener())
    t0 = time.monotonic()
    sched.run()
    assert box["data"] == b"y" and time.monotonic() - t0 < 4
