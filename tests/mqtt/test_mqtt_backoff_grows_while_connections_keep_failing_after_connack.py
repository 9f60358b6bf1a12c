"""Reconnecting: a broker stand-in (a plain loopback socket server written here) that accepts the
CONNECT and then breaks every connection at once (garbage, or closing it) is retried with a
growing back-off, and ``max_retries`` ends the client; a connection that stayed up for
``backoff_max`` starts the count afresh."""
import socket
import threading
import time

import pytest
from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import Collector
from microaxon import Scheduler

CONNACK = b"\x20\x02\x00\x00"


class StandIn:
    """For each connection: reads the CONNECT, sends ``reply``, keeps the connection ``hold``
    seconds (or until the client closes it), then closes it. ``times``: when each connection
    was accepted."""

    def __init__(self, reply, hold):
        self.reply, self.hold = reply, hold
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(8)
        self.port = self.srv.getsockname()[1]
        self.times = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.srv.accept()
            except OSError:
                return
            self.times.append(time.monotonic())
            try:
                conn.settimeout(self.hold)
                conn.recv(1024)
                conn.sendall(self.reply)
                while conn.recv(1024):
                    pass
            except OSError:
                pass
            conn.close()

    def close(self):
        self.srv.close()


def client(port, **kw):
    s = Scheduler()
    events = Collector()
    c = MQTTClient(port=port, keepalive=0, log=False, **kw)
    c.link((c, "events"), (events, "inbox"))
    c.activate(scheduler=s)
    events.activate(scheduler=s)
    return s, c, events


@pytest.mark.parametrize("reply", [CONNACK + b"\xf0\x00", CONNACK], ids=["garbage", "closed"])
def test_connections_broken_right_after_connack_grow_the_backoff_and_max_retries_ends_it(reply):
    srv = StandIn(reply, hold=0.05)
    s, c, events = client(srv.port, backoff_min=0.05, backoff_max=0.4, max_retries=3)
    try:
        finished = run_until(s, lambda: c._gen is None and len(srv.times) >= 4, 6)
    finally:
        srv.close()
    gaps = [round(b - a, 2) for a, b in zip(srv.times, srv.times[1:])]
    assert finished and len(srv.times) == 4, (len(srv.times), gaps, events.collected)   # 1 + 3 retries
    # the waits between connections grow: 0.05, 0.1, 0.2 (plus the connection's own life)
    assert gaps[2] > gaps[0] + 0.1, gaps
    assert [e[0] for e in events.collected].count("connected") == 4


def test_a_connection_that_stayed_up_for_backoff_max_starts_the_count_afresh():
    srv = StandIn(CONNACK, hold=0.3)          # each connection lives 0.3 s, then the broker closes it
    s, c, events = client(srv.port, backoff_min=0.05, backoff_max=0.2, max_retries=1)
    try:
        run_until(s, lambda: len(srv.times) >= 5 or c._gen is None, 6)
    finally:
        srv.close()
    assert len(srv.times) >= 5, events.collected             # never gave up: each one counted as up
    gaps = [b - a for a, b in zip(srv.times, srv.times[1:])]
    assert max(gaps) < 0.3 + 0.05 + 0.2, gaps                  # and retried after backoff_min


def test_two_clients_sharing_a_client_id_on_mosquitto_back_off_instead_of_fighting(broker):
    # mosquitto closes a connection when another takes over its client id: each client then
    # reconnects and takes it back. The back-off must grow instead of fighting at backoff_min.
    s = Scheduler()
    events = [Collector(), Collector()]
    for ev in events:
        c = MQTTClient(port=broker.port, username=broker.user, password=broker.password,
                       client_id="same-id", keepalive=0, log=False, backoff_min=0.02, backoff_max=0.5)
        c.link((c, "events"), (ev, "inbox"))
        c.activate(scheduler=s)
        ev.activate(scheduler=s)
    t0 = time.monotonic()
    run_until(s, lambda: time.monotonic() - t0 > 3, 6)
    n = sum([e[0] for e in ev.collected].count("connected") for ev in events)
    print("connections in 3 s: %d" % n)
    assert n >= 3                   # they did take it from each other
    assert n < 40, n                # (at backoff_min for ever: 143 here; with the back-off: 18)
