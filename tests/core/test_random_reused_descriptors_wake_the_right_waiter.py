"""A reader that keeps closing its socket pair and making a new one (the system hands out the
same descriptor numbers again) while a writer writes to whichever pair is current: every byte of
every pair is read, and the run ends. This is the case the poller's rules name: a kept wait
(same file, same mask: no system call), a file closed while registered, and another file that
now has the registered descriptor number (it must be registered afresh, not taken for the old)."""
import random
import socket

import pytest

from microaxon import Scheduler, component


class Pair:
    def __init__(self):
        self.gen = 0
        self.written = {}
        self.read = {}
        self.new()

    def new(self):
        self.a, self.b = socket.socketpair()
        self.a.setblocking(False)
        self.b.setblocking(False)
        self.gen += 1
        self.written[self.gen] = self.read[self.gen] = 0


class Writer(component):
    def main(self):
        p, rng = self.pair, self.rng
        for _ in range(400):
            if rng.random() < 0.5:
                try:
                    self.p_written(p.a.send(b"x" * (1 + rng.randrange(4))))
                except OSError:
                    pass
            self.pause(0.0002 * rng.randrange(3))
            yield 1
        self.done = True
        self.p_written(p.a.send(b"!"))            # (wakes the reader, to see that it is done)

    def p_written(self, n):
        self.pair.written[self.pair.gen] += n


class Reader(component):
    def main(self):
        p, rng = self.pair, self.rng
        while True:
            try:
                while True:
                    data = p.b.recv(4096)
                    if not data:
                        break
                    p.read[p.gen] += len(data)
            except BlockingIOError:
                pass
            if getattr(self.writer, "done", False):
                p.a.close()
                p.b.close()
                return
            if rng.random() < 0.1:             # a new pair, on the descriptor numbers just freed
                p.a.close()
                p.b.close()
                p.new()
            self.waitReadable(p.b)
            self.pause(0.01 if rng.random() < 0.1 else None)
            yield 1


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.watchdog(30)
def test_a_reader_remaking_its_sockets_reads_every_byte_and_the_run_ends(seed, watchdog):
    rng = random.Random(seed)
    pair = Pair()
    s = Scheduler()
    w, r = Writer(), Reader()
    w.pair = r.pair = pair
    w.rng = r.rng = rng
    r.writer = w
    w.activate(s)
    r.activate(s)
    s.run()
    assert s.failures == [] and s.deadlocked is None
    assert pair.gen > 3                              # it did remake its sockets
    for g in pair.written:
        assert pair.read[g] == pair.written[g], (g, pair.read[g], pair.written[g])
