"""A component that waited on a socket and then finished must not keep the scheduler blocking in
the poller for ever: its wait is forgotten, so run() still sees that nothing else can happen."""
import socket
import threading

from microaxon import Scheduler, component, shutdownMicroprocess


class WaitsOnASocket(component):
    def main(self):
        a, b = socket.socketpair()
        try:
            while not self.dataReady("control"):
                self.waitReadable(a)
                self.pause()
                yield 1
        finally:
            a.close()
            b.close()


class StopsItThenWaits(component):
    def main(self):
        yield 1
        self.send(shutdownMicroprocess(), "outbox")
        while True:
            self.pause()
            yield 1


def test_run_reports_the_deadlock_once_the_socket_waiter_has_finished():
    s = Scheduler()
    s.report = None
    waiter, stopper = WaitsOnASocket(), StopsItThenWaits()
    stopper.link((stopper, "outbox"), (waiter, "control"))
    waiter.activate(scheduler=s)
    stopper.activate(scheduler=s)
    done = threading.Event()
    t = threading.Thread(target=lambda: (s.run(), done.set()), daemon=True)
    t.start()
    finished = done.wait(5)
    if not finished:
        s.callFromThread(s.stop)
        done.wait(5)
    assert finished, "run() kept blocking on the finished component's socket"
    assert waiter.finished()
    assert s.deadlocked == [stopper.name]
