"""A broker stand-in (a plain loopback socket server written here) that breaks a rule of MQTT
3.1.1 in one packet: the client reports it (``error`` event and stderr), closes that connection,
delivers what came before it, and loses nothing: the QoS 1 message it had in flight goes out
again on the next connection, which the stand-in then serves correctly."""
import socket
import threading

import pytest
from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler

CONNACK = b"\x20\x02\x00\x00"
GOOD = b"\x30\x08\x00\x04news" + b"hi"             # a QoS 0 PUBLISH, delivered before the bad one


def read_packet(conn, buf):
    """One MQTT packet from ``conn``: (type, flags, body), or None at EOF. ``buf``: a bytearray
    carrying what was read beyond it."""
    while True:
        if len(buf) >= 2:
            ln, shift, j = 0, 0, 1
            while j < len(buf):
                b = buf[j]
                j += 1
                ln |= (b & 127) << shift
                shift += 7
                if not b & 128:
                    if len(buf) >= j + ln:
                        p = (buf[0] >> 4, buf[0] & 15, bytes(buf[j:j + ln]))
                        del buf[:j + ln]
                        return p
                    break
        d = conn.recv(4096)
        if not d:
            return None
        buf += d


class Scripted:
    """Connection 1: ``first`` as the CONNACK; if that was a good one, waits for the client's
    QoS 1 PUBLISH, then sends GOOD and ``bad``, and waits for the client to close. Connection 2:
    a good CONNACK, then records the PUBLISH (its flags and body) and acknowledges it."""

    def __init__(self, first, bad):
        self.first, self.bad = first, bad
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(4)
        self.port = self.srv.getsockname()[1]
        self.closed_by_client = False
        self.first_try = None         # the PUBLISH seen on connection 1: (flags, body)
        self.second_try = None        # and on connection 2
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        try:
            conn, _ = self.srv.accept()
            conn.settimeout(5)
            buf = bytearray()
            assert read_packet(conn, buf)[0] == 1         # CONNECT
            conn.sendall(self.first)
            if self.bad is not None:
                p = read_packet(conn, buf)
                while p[0] != 3:                          # (the SUBSCRIBE first)
                    p = read_packet(conn, buf)
                self.first_try = p[1:]
                conn.sendall(GOOD + self.bad)
            while read_packet(conn, buf) is not None:     # until the client closes
                pass
            self.closed_by_client = True
            conn.close()
            conn, _ = self.srv.accept()
            conn.settimeout(5)
            buf = bytearray()
            assert read_packet(conn, buf)[0] == 1
            conn.sendall(CONNACK)
            p = read_packet(conn, buf)
            while p is not None and p[0] != 3:
                p = read_packet(conn, buf)
            self.second_try = p[1:]
            pid = p[2][-4:-2]                               # (topic "t": 2+1 bytes, then the pid)
            conn.sendall(b"\x40\x02" + pid)
            while read_packet(conn, buf) is not None:
                pass
            conn.close()
        except (OSError, AssertionError, TypeError):
            pass

    def close(self):
        self.srv.close()


CASES = [
    (b"\x20\x02\x01\x00", None, "session present"),                 # to a clean session
    (CONNACK, b"\x38\x05\x00\x01ahi", "DUP"),                       # QoS 0 PUBLISH with DUP
    (CONNACK, b"\xf0\x00", "unexpected packet type 15"),            # a type that does not exist
    (CONNACK, b"\xd0\x80\x00", "shortest"),                          # PINGRESP, length 0x80 0x00
]


@pytest.mark.parametrize("first,bad,words", CASES, ids=[w for _, _, w in CASES])
def test_a_protocol_violation_is_reported_the_connection_closed_and_nothing_lost(first, bad, words, capsys):
    srv = Scripted(first, bad)
    s = Scheduler()
    events, out = Collector(), Collector()
    src = DataSource([b"m1"])
    c = MQTTClient(port=srv.port, topic="t", qos=1, clean_session=True, subscriptions=["news"],
                   backoff_min=0.05, backoff_max=0.2, keepalive=0)
    src.link((src, "outbox"), (c, "inbox"))
    src.link((src, "signal"), (c, "control"))     # producerFinished: flush (PUBACK), then finish
    c.link((c, "events"), (events, "inbox"))
    c.link((c, "outbox"), (out, "inbox"))
    for x in (src, c, events, out):
        x.activate(scheduler=s)
    try:
        assert run_until(s, lambda: c.conn.inflight == {} and c.published == 1 and srv.second_try, 8), \
            events.collected
    finally:
        srv.close()
    errors = [e[1] for e in events.collected if e[0] == "error"]
    assert len(errors) == 1 and words in errors[0], events.collected
    assert ("disconnected", errors[0]) in events.collected
    assert words in capsys.readouterr().err                         # the operator sees it
    assert srv.closed_by_client
    if bad is not None:
        assert [m.payload for m in out.collected] == [b"hi"]     # what came before it: delivered
        assert srv.first_try[0] == 2 and srv.second_try[0] == 10  # QoS 1, then QoS 1 + DUP
    else:
        assert srv.second_try[0] == 2                # never sent before: a first attempt
    assert srv.second_try[1].endswith(b"m1")
    kinds = [e[0] for e in events.collected]
    assert kinds.count("connected") == (2 if bad is not None else 1)
