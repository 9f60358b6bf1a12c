"""A broker stand-in (a plain socket server written here) that answers with garbage, or goes
silent: the client reports a clear error, closes the connection, and nothing crashes."""
import socket
import threading
import time

import pytest
from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTClient, MQTTSubscriber
from kamaelia_lite.util import Collector
from microaxon import Scheduler


class StandIn:
    """Accepts connections; for each, reads the CONNECT and sends ``reply`` (bytes), then records
    whether the client closed the connection (read returns b"")."""

    def __init__(self, reply, then_silent=False):
        self.reply = reply
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(8)
        self.port = self.srv.getsockname()[1]
        self.connections = 0
        self.closed_by_client = 0
        self.stop = False
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stop:
            try:
                conn, _ = self.srv.accept()
            except OSError:
                return
            self.connections += 1
            conn.settimeout(5)
            try:
                conn.recv(1024)                      # the CONNECT
                conn.sendall(self.reply)
                while conn.recv(1024):               # until the client closes
                    pass
                self.closed_by_client += 1
            except OSError:
                pass
            finally:
                conn.close()

    def close(self):
        self.stop = True
        self.srv.close()


GARBAGE = [
    (b"HTTP/1.1 400 Bad Request\r\n\r\n", "expected CONNACK first"),
    (b"\x20\x02\x00\x00" + b"\x30\xff\xff\xff\xff\x01", "remaining length longer than 4 bytes"),
    (b"\x20\x02\x00\x00" + b"\x30\xff\xff\xff\x7f", "exceeds max_packet"),
    (b"\x20\x02\x00\x00" + b"\x30\x05\x00\x03+/#", "wildcard"),
    (b"\x20\x03\x00\x00\x00", "malformed CONNACK"),
    (b"\x20\x02\x00\x00" + b"\x90\x02\x00\x01", "malformed SUBACK"),
    (b"\x20\x02\x00\x00" + b"\xe0\x00", "unexpected packet type 14"),
    (b"\x20\x02\x00\x00" + b"\x38\x05\x00\x01ahi", "DUP set on a QoS 0 message"),
    (b"\x20\x02\x00\x00" + b"\x30\x87\x00\x00\x01ahihi", "not in its shortest form"),
]


@pytest.mark.parametrize("reply,words", GARBAGE, ids=[w for _, w in GARBAGE])
def test_garbage_from_the_broker_is_an_error_event_and_the_connection_is_closed(reply, words):
    srv = StandIn(reply)
    s = Scheduler()
    events = Collector()
    out = Collector()
    c = MQTTSubscriber(port=srv.port, topic="t/#", reconnect=False)
    c.link((c, "events"), (events, "inbox"))
    c.link((c, "outbox"), (out, "inbox"))
    for x in (c, events, out):
        x.activate(scheduler=s)
    try:
        run_until(s, lambda: srv.closed_by_client >= 1 and any(e[0] == "disconnected" for e in events.collected), 5)
        end = time.monotonic() + 2          # the stand-in's thread may see the close a moment
        while srv.closed_by_client < 1 and time.monotonic() < end:   # after our run ended
            time.sleep(0.01)
    finally:
        srv.close()
    errors = [e[1] for e in events.collected if e[0] == "error"]
    assert len(errors) == 1 and words in errors[0], events.collected
    assert ("disconnected", errors[0]) in events.collected
    assert srv.closed_by_client == 1               # we closed the connection
    assert c.sock is None
    assert out.collected == []


def test_a_garbage_broker_is_retried_with_backoff_and_never_crashes():
    srv = StandIn(b"\x00\x00\x00\x00garbage")
    s = Scheduler()
    events = Collector()
    c = MQTTClient(port=srv.port, backoff_min=0.05, backoff_max=0.2)
    c.link((c, "events"), (events, "inbox"))
    c.activate(scheduler=s)
    events.activate(scheduler=s)
    try:
        run_until(s, lambda: srv.closed_by_client >= 4, 5)
    finally:
        srv.close()
    assert srv.closed_by_client >= 4
    assert all(e[0] in ("error", "disconnected") for e in events.collected), events.collected


def test_a_broker_that_goes_silent_is_detected_by_keepalive():
    srv = StandIn(b"\x20\x02\x00\x00")              # CONNACK, then never a PINGRESP
    s = Scheduler()
    events = Collector()
    c = MQTTClient(port=srv.port, keepalive=1, reconnect=False)
    c.link((c, "events"), (events, "inbox"))
    c.activate(scheduler=s)
    events.activate(scheduler=s)
    try:
        run_until(s, lambda: any(e[0] == "disconnected" for e in events.collected), 6)
    finally:
        srv.close()
    kinds = [e[0] for e in events.collected]
    assert kinds[:3] == ["connected", "error", "disconnected"], events.collected
    assert "no PINGRESP from the broker" in events.collected[1][1]
