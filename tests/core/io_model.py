"""Random writers and readers on socket pairs, waiting with waitReadable/waitWritable, checked
at the end. Portable: the pytest test (test_random_socket_traffic_is_delivered_and_ends.py) and
the MicroPython script (tests/micropython/mp_core_random_sockets.py) both run it (socketpair()
on CPython; on MicroPython, which has none, a loopback TCP connection).

Each pair has a writer and a reader. The writer sends random chunks (up to 64 KiB: the socket's
buffer fills and it waits to write), sleeps on short timers now and then, and closes its end
after its last chunk, or, by a draw, shuts down early. The reader reads what arrives (sometimes
it sleeps first, so the writer gets ahead), and finishes at end of file. Some readers also wait
on a second pair at once, and some close their own socket and wait on it again before using it
(the closed file must wake them at once; the error shows when they use it). What must hold:
- the run ends with every component finished, no failure, no deadlock;
- each reader gets exactly the bytes its writer sent, in order;
- a reader that waits on its own closed socket is woken and sees the error, and nothing escapes
  run() (its writer may find the connection broken: only then).
"""
import sys

from microaxon import Scheduler, component

MPY = sys.implementation.name == "micropython"
if MPY:
    import socket

    PORT = [47000]                       # the next port to try

    def pair():
        """A connected pair of non-blocking sockets over loopback."""
        _port = PORT
        while True:
            _port[0] += 1
            ls = socket.socket()
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                ls.bind(socket.getaddrinfo("127.0.0.1", _port[0])[0][-1])
                break
            except OSError:
                ls.close()
        ls.listen(1)
        a = socket.socket()
        a.connect(socket.getaddrinfo("127.0.0.1", _port[0])[0][-1])
        b, _ = ls.accept()
        ls.close()
        a.setblocking(False)
        b.setblocking(False)
        return a, b
else:
    import socket

    def pair():
        a, b = socket.socketpair()
        a.setblocking(False)
        b.setblocking(False)
        return a, b

WOULDBLOCK = (11, 35)                    # EAGAIN / EWOULDBLOCK (Linux, BSD)


def pattern(k, start, size):
    """Bytes start..start+size of writer k's stream (each byte says where it is: a reader checks
    what arrives as it arrives, and nobody keeps the whole stream)."""
    return bytes((k * 31 + start + i) & 255 for i in range(size))


class Writer(component):
    def __init__(self, k, sock, rng):
        super().__init__()
        self.k, self.sock, self.rng = k, sock, rng
        self.sent = 0                      # bytes the socket took
        self.broken = None

    def main(self):
        rng = self.rng
        for _ in range(1 + rng.randrange(12)):
            size = 1 + rng.randrange(self.big if rng.random() < 0.2 else 512)
            data = pattern(self.k, self.sent, size)
            while data:
                try:
                    m = self.sock.send(data)
                except OSError as e:
                    if e.args[0] not in WOULDBLOCK:
                        self.broken = e    # (the reader closed its end)
                        self.sock.close()
                        return
                    m = 0
                self.sent += m
                data = data[m:]
                if data:
                    self.waitWritable(self.sock)
                    self.pause()
                    yield 1
            if rng.random() < 0.2:
                self.pause(0.0005)
                yield 1
            elif rng.random() < 0.05:
                break                      # done early
        self.sock.close()


class Reader(component):
    def __init__(self, k, sock, rng, other=None):
        super().__init__()
        self.k, self.sock, self.rng, self.other = k, sock, rng, other
        self.got = 0                       # bytes arrived, each as its writer sent it
        self.wrong = None                  # where the first wrong byte arrived
        self.saw_closed = None

    def main(self):
        rng = self.rng
        if rng.random() < 0.1:             # close my socket, then wait on it: woken at once
            self.sock.close()
            self.waitReadable(self.sock)
            self.pause()
            yield 1
            try:
                self.sock.recv(10)
            except (OSError, ValueError) as e:
                self.saw_closed = e
            return
        while True:
            if rng.random() < 0.1:
                self.pause(0.001)          # let the writer get ahead
                yield 1
            try:
                data = self.sock.recv(4096)
            except OSError as e:
                if e.args[0] not in WOULDBLOCK:
                    raise
                data = None
            if data == b"":
                self.sock.close()
                return
            if data:
                if self.wrong is None and data != pattern(self.k, self.got, len(data)):
                    self.wrong = self.got
                self.got += len(data)
                continue
            self.waitReadable(self.sock)
            if self.other is not None:     # (also woken by another pair: a spurious wake here)
                self.waitReadable(self.other)
            self.pause()
            yield 1


def run_sockets(rng, pairs=4, big=65536):
    """Build `pairs` writer/reader pairs, run them, check; returns the bytes delivered. `big`:
    the largest chunk a writer sends (the socket's buffer fills with chunks of 64 KiB)."""
    s = Scheduler()
    ws, rs = [], []
    socks = [pair() for _ in range(pairs)]
    for k in range(pairs):
        a, b = socks[k]
        other = socks[(k + 1) % pairs][1] if pairs > 1 and rng.random() < 0.3 else None
        ws.append(Writer(k, a, rng))
        ws[-1].big = big                   # the largest chunk (a small device heap: a few KiB)
        rs.append(Reader(k, b, rng, other))
    for c in ws + rs:
        c.activate(s)
    s.run()
    if s.deadlocked is not None:
        raise AssertionError("deadlock: %r" % (s.deadlocked,))
    total = 0
    for w, r in zip(ws, rs):
        for c in (w, r):
            if not c.finished() or c.failure is not None:
                raise AssertionError("%s finished %r, failure %r" % (c.name, c.finished(), c.failure))
        if r.saw_closed is not None:
            continue
        if w.broken is not None:
            raise AssertionError("writer %d: %r, but its reader did not close" % (w.k, w.broken))
        if r.got != w.sent or r.wrong is not None:
            raise AssertionError("reader %d got %d bytes (wrong from %r), the writer sent %d" % (
                r.k, r.got, r.wrong, w.sent))
        total += r.got
    return total
