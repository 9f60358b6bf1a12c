"""A broker that accepts the connection and then never reads: the publisher holds at most
``max_send_buffer`` bytes beyond what the kernel took, and the rest waits in its (full) inbox,
so the sender sees backpressure instead of memory growing without bound."""
import socket
import threading
import time

from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTPublisher
from microaxon import Scheduler, component

MSG = b"x" * 1024
OFFERED = 40000                      # 40 MB offered


class Flood(component):
    sent = 0

    def main(self):
        while self.sent < OFFERED:
            while not self.hasSpace("outbox"):
                self.waitSpace("outbox")
                self.pause()
                yield 1
            self.send(MSG, "outbox")
            self.sent += 1
            if self.sent % 64 == 0:
                yield 1


def test_a_broker_that_never_reads_costs_a_bounded_buffer():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    held = []

    def accept():
        conn, _ = srv.accept()
        conn.recv(64)                          # the CONNECT
        conn.sendall(b"\x20\x02\x00\x00")     # CONNACK, then never read again
        held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    s = Scheduler()
    src = Flood()
    pub = MQTTPublisher(port=port, topic="t", max_send_buffer=64 * 1024, keepalive=0, log=False)
    src.link((src, "outbox"), (pub, "inbox"))
    pub.activate(scheduler=s)
    src.activate(scheduler=s)
    t0 = time.time()
    run_until(s, lambda: time.time() - t0 > 1.5, 5)
    for c in held:
        c.close()
    srv.close()
    taken = pub.published * len(MSG)
    print("taken into the connection: %d bytes" % taken)
    assert src.sent < OFFERED, "the sender never saw backpressure"
    # what the kernel took on loopback (a few MB at most) + our 64 KiB, far from the 40 MB offered
    assert taken < 10 * 1024 * 1024, taken
