"""What the client asked the broker and waits for, a PUBACK, SUBACK or UNSUBACK, is waited for
as a PINGRESP is: no answer within ``ping_timeout`` (while something is unanswered, each answer
restarting the wait) is a dead connection, reported; the client reconnects and sends again
what was not acknowledged. Before, a broker that answered pings but never acknowledged left
the messages in flight for ever and the sender blocked, with nothing reported."""
import socket
import threading

from mqtt_helpers import CONNACK, connected, run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.net.mqtt_codec import CONNECTED, ERROR
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


def test_an_unacknowledged_publish_ends_the_connection_after_ping_timeout():
    c = connected(keepalive=10)                  # ping_timeout 5
    pid = c.publish("q", b"m", 1, now=1.0)
    assert c.deadline() == 6.0
    assert c.tick(5.9) == [] and c.state == CONNECTED
    ev = c.tick(6.0)
    assert ev == [("error", "no PUBACK from the broker within 5s: connection dead")]
    assert c.state == ERROR and pid in c.inflight          # kept: sent again on reconnecting


def test_each_answer_restarts_the_wait_and_the_last_one_ends_it():
    c = connected(keepalive=10)
    p1 = c.publish("q", b"1", 1, now=1.0)
    p2 = c.publish("q", b"2", 1, now=2.0)
    assert c.receive(bytes((0x40, 2, 0, p1)), 4.0) == [("published", p1)]
    assert c.deadline() == 9.0                   # waiting for p2 since the last answer
    assert c.tick(8.9) == []
    assert c.receive(bytes((0x40, 2, 0, p2)), 8.9) == [("published", p2)]
    assert c.deadline() == 12.0                  # nothing unanswered: back to keepalive (2 + 10)
    assert c.tick(13.0) == [] and c.state == CONNECTED


def test_a_pingresp_does_not_end_the_wait_for_a_puback():
    c = connected(keepalive=2)                   # ping_timeout 1
    c.tick(2.0)
    assert c.take() == b"\xc0\x00"               # PINGREQ
    c.publish("q", b"m", 1, now=2.5)
    assert c.receive(b"\xd0\x00", 2.6) == []     # PINGRESP
    ev = c.tick(3.6)
    assert ev and "no PUBACK" in ev[0][1]


def test_an_unanswered_subscribe_and_unsubscribe_are_named():
    c = connected(keepalive=4)
    c.subscribe([("a", 1)], 1.0)
    assert "no SUBACK" in c.tick(3.0)[0][1]
    c = connected(keepalive=4)
    c.unsubscribe(["a"], 1.0)
    assert "no UNSUBACK" in c.tick(3.0)[0][1]


def test_a_slow_consumer_not_reading_restarts_the_wait():
    c = connected(keepalive=10)
    c.publish("q", b"m", 1, now=1.0)
    assert c.tick(7.0, reading=False) == []      # the PUBACK may be waiting unread
    assert c.tick(11.9) == [] and c.state == CONNECTED


class NeverAcks:
    """Answers CONNECT and PINGREQ, reads everything, never acknowledges a PUBLISH; counts the
    connections and records each PUBLISH's first byte."""

    def __init__(self):
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(4)
        self.port = self.srv.getsockname()[1]
        self.publishes = []
        self.connections = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.srv.accept()
            except OSError:
                return
            self.connections += 1
            conn.settimeout(10)
            try:
                while True:
                    d = conn.recv(4096)
                    if not d:
                        break
                    i = 0
                    while i + 1 < len(d):          # (the test's packets are short: one length byte)
                        t, ln = d[i], d[i + 1]
                        if t == 0x10:
                            conn.sendall(CONNACK)
                        elif t == 0xC0:
                            conn.sendall(b"\xd0\x00")
                        elif t >> 4 == 3:
                            self.publishes.append(t)
                        i += 2 + ln
            except OSError:
                pass
            conn.close()

    def close(self):
        self.srv.close()


def test_a_broker_that_never_acknowledges_is_reported_and_the_message_sent_again():
    srv = NeverAcks()
    s = Scheduler()
    events = Collector()
    src = DataSource([b"m1"])
    c = MQTTClient(port=srv.port, topic="t", qos=1, keepalive=2, backoff_min=0.05, log=False)
    src.link((src, "outbox"), (c, "inbox"))
    c.link((c, "events"), (events, "inbox"))
    for x in (src, c, events):
        x.activate(scheduler=s)
    try:
        run_until(s, lambda: len(srv.publishes) >= 2, 8)
    finally:
        srv.close()
    errors = [e[1] for e in events.collected if e[0] == "error"]
    assert errors and errors[0] == "no PUBACK from the broker within 1s: connection dead", events.collected
    assert srv.publishes[:2] == [0x32, 0x3A]     # sent, then again with DUP on the next connection
    assert srv.connections >= 2
