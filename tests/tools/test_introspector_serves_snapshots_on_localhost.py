"""The Introspector serves the live scheduler's snapshot as JSON lines on 127.0.0.1 only (unless
told otherwise), survives clients that vanish or misbehave, and shuts down cleanly."""
import json
import socket
import threading

import pytest
from tools_helpers import Running

from kamaelia_lite.introspector import Introspector
from microaxon import Scheduler, component, shutdownMicroprocess
from microaxon.introspect import snapshot
from microaxon.tools.top.client import SnapshotClient


@pytest.fixture
def running():
    r = Running()
    try:
        yield r
    finally:
        if r.thread.is_alive():
            r.stop()


def test_refuses_to_listen_beyond_loopback_unless_asked():
    with pytest.raises(ValueError, match="loopback"):
        Introspector(host="0.0.0.0")
    with pytest.raises(ValueError):
        Introspector(host="")
    assert Introspector(host="0.0.0.0", allow_remote=True).host == "0.0.0.0"
    assert Introspector().host == "127.0.0.1"


def test_streams_json_snapshots_of_the_running_system(running):
    host, port = running.address()
    assert host == "127.0.0.1"
    with SnapshotClient(host, port, timeout=5) as client:
        t1, snap1 = client.next()
        while not any(c["name"].startswith("PureTransformer") for c in snap1):
            t1, snap1 = client.next()             # the pipeline starts its children on its first step
        for _ in range(6):
            t2, snap2 = client.next()
    assert t2 > t1
    names = {c["name"].split("#")[0] for c in snap2}
    assert {"Pipeline", "Metronome", "Graphline", "PureTransformer", "BurstyConsumer", "Introspector"} <= names
    # message counting is on: the doubler's inbox counter moved between the two snapshots
    doubler1 = [c for c in snap1 if c["name"].startswith("PureTransformer")][0]
    doubler2 = [c for c in snap2 if c["name"].startswith("PureTransformer")][0]
    assert doubler2["inboxes"]["inbox"][2] > doubler1["inboxes"]["inbox"][2]
    assert doubler2["steps"] > doubler1["steps"]


def test_clients_that_vanish_or_send_junk_do_not_stop_it(running):
    host, port = running.address()
    for _ in range(3):                                  # connect and vanish at once
        s = socket.create_connection((host, port), timeout=5)
        s.close()
    junk = socket.create_connection((host, port), timeout=5)
    junk.sendall(b"x" * 10000)                         # an endless "request line"
    with SnapshotClient(host, port, timeout=5) as client:
        client.request()
        _, snap = client.next()
        assert any(c["name"].startswith("Introspector") for c in snap)
    # the junk sender was disconnected by the server
    junk.settimeout(5)
    got = b""
    try:
        while True:
            data = junk.recv(65536)
            if not data:
                break
            got += data
    except ConnectionResetError:
        pass
    junk.close()
    assert running.intro.dropped_clients >= 4


def test_shutdown_closes_the_port_and_is_passed_on(running):
    host, port = running.address()
    with SnapshotClient(host, port, timeout=5) as client:
        client.next()
    running.sched.callFromThread(running.trigger.fire)
    done = threading.Event()
    for _ in range(500):
        if running.intro.finished():
            break
        done.wait(0.01)
    assert running.intro.finished() and running.intro.failure is None
    for _ in range(100):
        if running.signals.collected:
            break
        done.wait(0.01)
    assert [type(m) for m in running.signals.collected] == [shutdownMicroprocess]
    running.stop()
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=2).close()


def test_snapshot_lines_are_plain_json(running):
    host, port = running.address()
    s = socket.create_connection((host, port), timeout=5)
    f = s.makefile("rb")
    doc = json.loads(f.readline())
    s.close()
    assert set(doc) == {"t", "components"}
    for c in doc["components"]:
        assert {"id", "name", "parent", "state", "inboxes", "outboxes", "children"} <= set(c)


class TwoLooks(component):
    """Snapshots its scheduler at 0.1 s and 0.6 s, then stops it."""

    def main(self):
        self.looks = []
        for wait in (0.1, 0.5):
            self.pause(wait)
            yield 1
            self.looks.append(snapshot(self._sched))
        self._sched.stop()
        yield 1


def test_without_viewers_it_sleeps_instead_of_polling():
    sched = Scheduler()
    intro = Introspector(interval=0.01).activate(sched)
    looker = TwoLooks().activate(sched)
    sched.run()
    steps = [[c["steps"] for c in snap if c["id"] == intro.id][0] for snap in looker.looks]
    states = [[c["state"] for c in snap if c["id"] == intro.id][0] for snap in looker.looks]
    assert steps[0] == steps[1] and states == ["io", "io"]    # 0.5 s idle: not run once
