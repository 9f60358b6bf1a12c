"""A wait on a closed socket ends at once under the real micropython binary, and a socket closed
between its waiter's step and the next poll is never handed to the poller.

Before: this port's poller skips a closed socket (descriptor -1), so a component waiting on one
slept for good and the run hung; and registering one among five others crashed select.poll
(a segmentation fault). Plain script: raises on failure, prints ok.
"""
import socket
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from microaxon import Scheduler, component  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)


class ClosesThenWaits(component):
    """Closes its socket, then waits on it: woken at once, it sees the error when it reads."""
    saw = None

    def main(self):
        self.sock.close()
        self.waitReadable(self.sock)
        self.pause()
        yield 1
        try:
            self.sock.recv(1)
        except (OSError, ValueError) as e:
            self.saw = e


class Waits(component):
    """Waits on its socket until it is readable or closed."""
    woke = False

    def main(self):
        self.waitReadable(self.sock)
        self.pause()
        yield 1
        self.woke = True


class Closer(component):
    """Closes a socket another component has just asked to wait on (before the next poll)."""

    def main(self):
        self.sock.close()
        return
        yield


s = Scheduler()
a = ClosesThenWaits()
a.sock = socket.socket()
a.activate(s)
waiters = []
for _ in range(6):                       # six waits; one socket is closed before the poll
    w = Waits()
    w.sock = socket.socket()
    waiters.append(w)
    w.activate(s)
closer = Closer()
closer.sock = waiters[1].sock
closer.activate(s)


class Later(component):
    def main(self):
        self.pause(0.05)
        yield 1
        for w in waiters:
            w.sock.close()


Later().activate(s)
s.run()
check(a.finished() and a.saw is not None, "the waiter on its own closed socket was not woken")
check(all(w.woke for w in waiters), "a waiter on a closed socket slept on")
check(s.deadlocked is None, "deadlock: %r" % (s.deadlocked,))
print("ok")
