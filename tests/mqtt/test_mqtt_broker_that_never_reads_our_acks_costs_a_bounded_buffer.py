"""A broker stand-in (a plain loopback socket server written here) that floods QoS 1 messages and
never reads what the client writes: every delivery costs the client a PUBACK to send, so the
client's send buffer would grow with each message read. It must stay within
``max_send_buffer`` (plus what one read can add) while the client stops reading, so that TCP
flow control reaches the broker; and its subscriptions, asked meanwhile, wait in their inbox."""
import socket
import threading
import time

from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTSubscriber
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component

BUDGET = 16 * 1024
RECV = 4096


def flood():
    """QoS 1 PUBLISHes to "t", packet ids 1..65535 in turn (7 bytes each, payload "x")."""
    out = bytearray()
    for pid in range(1, 65536):
        out += bytes((0x32, 6, 0, 1, 0x74, pid >> 8, pid & 255)) + b"x"
    return bytes(out)


class Server:
    def __init__(self):
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(1)
        self.port = self.srv.getsockname()[1]
        self.sent = 0
        self.conns = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        conn, _ = self.srv.accept()
        self.conns.append(conn)
        conn.recv(64)                                   # the CONNECT; never read again
        conn.sendall(b"\x20\x02\x00\x00")
        blob = flood()
        conn.settimeout(1.0)
        end = time.monotonic() + 3
        try:
            while time.monotonic() < end:
                conn.sendall(blob)
                self.sent += 65535
        except OSError:                                 # the client stopped reading: blocked
            pass

    def close(self):
        for c in self.conns:
            c.close()
        self.srv.close()


class Probe(component):
    """Samples, between the subscriber's steps, the bytes it holds to send (its local ``wbuf``
    and what its codec has queued): the peak is in ``peak``."""

    def __init__(self, sub):
        super().__init__()
        self.sub = sub
        self.peak = 0

    def main(self):
        while True:
            g = self.sub._gen
            if g is not None and g.gi_frame is not None:
                w = g.gi_frame.f_locals.get("wbuf") or b""
                n = len(w) + sum(len(p) for p in self.sub.conn._out)
                self.peak = max(self.peak, n)
            self.pause(0.002)
            yield 1


def test_a_broker_that_floods_and_never_reads_costs_the_client_a_bounded_send_buffer():
    srv = Server()
    s = Scheduler()
    out = Collector()
    sub = MQTTSubscriber(port=srv.port, topic="t", qos=1, keepalive=0, log=False,
                         max_send_buffer=BUDGET, recv_size=RECV)
    probe = Probe(sub)
    sub.link((sub, "outbox"), (out, "inbox"))
    for x in (sub, out, probe):
        x.activate(scheduler=s)
    t0 = time.monotonic()
    try:
        run_until(s, lambda: time.monotonic() - t0 > 3, 6)
    finally:
        srv.close()
    print("received %d, peak send buffer %d bytes" % (sub.received, probe.peak))
    assert sub.received > 1000                      # the flood did arrive
    # 4-byte PUBACKs: at most the budget, plus those for the messages of one read
    assert probe.peak <= BUDGET + RECV // 7 * 4 + 4, probe.peak
    assert len(out.collected) == sub.received       # nothing read was lost


def test_not_reading_for_want_of_send_room_still_ends_a_dead_connection_by_keepalive():
    # the client stops reading because the broker does not read: its PINGREQ cannot get through
    # either, so after keepalive + ping_timeout the connection is declared dead and reported
    srv = Server()
    s = Scheduler()
    events, out = Collector(), Collector()
    sub = MQTTSubscriber(port=srv.port, topic="t", qos=1, keepalive=1, reconnect=False,
                         max_send_buffer=BUDGET, recv_size=RECV)
    sub.link((sub, "events"), (events, "inbox"))
    sub.link((sub, "outbox"), (out, "inbox"))
    for x in (sub, events, out):
        x.activate(scheduler=s)
    try:
        run_until(s, lambda: any(e[0] == "disconnected" for e in events.collected), 8)
    finally:
        srv.close()
    kinds = [e[0] for e in events.collected]
    assert kinds == ["connected", "error", "disconnected"], events.collected
    # (its SUBSCRIBE is the answer awaited: the stand-in never answers anything)
    assert events.collected[1][1] == "no SUBACK from the broker within 1s: connection dead"
    assert sub.sock is None
