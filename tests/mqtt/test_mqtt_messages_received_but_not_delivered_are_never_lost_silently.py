"""Messages the client has read (and acknowledged to the broker) but not yet handed on, because
its outbox's destination is full, are not lost silently: ``producerFinished`` waits for them to
be delivered (within ``flush_timeout``), and what a shutdown leaves undelivered is counted in
the ``lost`` event. A broker stand-in (a plain loopback socket server) sends them."""
import socket
import threading

from mqtt_helpers import make_tap, run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, producerFinished, shutdownMicroprocess

N = 100                              # more than the consumer's inbox holds (64)


class Server:
    def __init__(self):
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(1)
        self.port = self.srv.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        try:
            conn, _ = self.srv.accept()
            conn.settimeout(10)
            conn.recv(1024)
            conn.sendall(b"\x20\x02\x00\x00" + b"".join(
                b"\x30\x06\x00\x01t" + b"%03d" % i for i in range(N)))
            while conn.recv(1024):
                pass
        except OSError:
            pass

    def close(self):
        self.srv.close()


class Stuck(component):
    """Takes nothing until told (``go``), then everything."""

    go = False

    def __init__(self):
        super().__init__()
        self.got = []

    def main(self):
        while True:
            while self.go and self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            self.pause(0.01)
            yield 1


def run(ending, release):
    srv = Server()
    s = Scheduler()
    events = Collector()
    stuck = Stuck()
    c = MQTTClient(port=srv.port, keepalive=0, log=False, payloads_only=True, flush_timeout=3)
    c.link((c, "outbox"), (stuck, "inbox"))
    c.link((c, "events"), (events, "inbox"))
    tap = make_tap()                     # what the client passes on when it finishes
    c.link((c, "signal"), (tap, "control"))

    class Ender(component):
        def main(self):
            while c.received < N:
                self.pause(0.01)
                yield 1
            self.send(ending, "outbox")
            if release:
                stuck.go = True

    e = Ender()
    e.link((e, "outbox"), (c, "control"))
    for x in (c, events, stuck, e, tap):
        x.activate(scheduler=s)
    try:
        finished = run_until(s, lambda: tap.got and (not release or len(stuck.got) >= N), 8)
    finally:
        srv.close()
    assert finished, (len(stuck.got), events.collected)       # the client finished by itself
    assert isinstance(tap.got[0], type(ending))
    return c, stuck, events.collected


def test_producer_finished_delivers_what_was_read_before_finishing():
    c, stuck, events = run(producerFinished(), release=True)
    assert stuck.got == [b"%03d" % i for i in range(N)], (len(stuck.got), events)
    assert not [e for e in events if e[0] == "lost"], events


def test_a_shutdown_counts_what_was_read_and_not_delivered_as_lost():
    c, stuck, events = run(shutdownMicroprocess(), release=False)
    lost = [e for e in events if e[0] == "lost"]
    assert lost and lost[0][1] == N - 64, events      # the consumer's inbox took 64
