"""chunks_to_lines and lines_to_tokenlists (what a topology viewer server runs for each client)
hold their output until there is room downstream: one read holding more lines than the next
box takes (65 newlines are enough) no longer fails the connection with BoxFull. Found by
tools/fuzz/control.py (target topology_lines). Real sockets: a client writing 300 commands at
once to a TopologyViewerServer has every node drawn."""
import os
import socket
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.topology_components import chunks_to_lines, lines_to_tokenlists
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_one_chunk_of_many_lines_all_come_through():
    got = Collector()
    chunk = b"".join(b"ADD NODE %d n%d randompos component\n" % (i, i) for i in range(300))
    Pipeline(DataSource([chunk, b"\n" * 200 + b"GET ALL\n"]), chunks_to_lines(), lines_to_tokenlists(), got).run(Scheduler())
    assert got.collected == [["ADD", "NODE", str(i), "n%d" % i, "randompos", "component"] for i in range(300)] + [["GET", "ALL"]]


@settings(max_examples=30, deadline=None)
@given(counts=st.lists(st.integers(0, 400), min_size=1, max_size=4), max_line=st.integers(1, 20))
def test_any_number_of_lines_in_a_chunk_arrives_in_order(counts, max_line):
    chunks = [b"".join(b"L%d-%d\n" % (k, i) for i in range(n)) for k, n in enumerate(counts)]
    got = Collector()
    Pipeline(DataSource(chunks), chunks_to_lines(max_line=max_line), got).run(Scheduler())
    want = []
    for k, n in enumerate(counts):
        for i in range(n):
            line = "L%d-%d" % (k, i)
            want += [line[j:j + max_line] for j in range(0, len(line), max_line)]
    assert got.collected == want


SERVER = r"""
import os, socket, sys, threading, time
os.environ["SDL_VIDEODRIVER"] = "dummy"
from kamaelia_lite.topology_components import TopologyViewer, TopologyViewerServer
from microaxon import Scheduler
port = int(sys.argv[1])
sched = Scheduler()
par = TopologyViewerServer(serverPort=port, size=(300, 200))

def viewer(c):
    if isinstance(c, TopologyViewer):
        return c
    for k in c.childComponents():
        v = viewer(k)
        if v is not None:
            return v

def client():
    time.sleep(0.5)
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"".join(b"ADD NODE %d n%d randompos component\n" % (i, i) for i in range(300)))
    for _ in range(100):
        time.sleep(0.1)
        v = viewer(par)
        if v is not None and len(getattr(v, "topology").nodes) == 300:
            break
    v = viewer(par)
    print("nodes", len(v.topology.nodes) if v is not None else None, "failures", len(sched.failures), flush=True)
    os._exit(0)

threading.Thread(target=client, daemon=True).start()
par.run(sched)
"""


def test_a_client_sending_300_commands_at_once_has_them_all_drawn():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.run([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, PYTHONPATH=ROOT))
    assert p.stdout.strip().splitlines()[-1:] == ["nodes 300 failures 0"], p.stdout + p.stderr


class SlowCollector(Collector):
    """Takes one message a millisecond; ends after ``want``, or when told to with nothing left."""

    want = 0

    def main(self):
        while len(self.collected) < self.want:
            if self.dataReady("inbox"):
                self.collected.append(self.recv("inbox"))
            elif self.dataReady("control"):
                return
            self.pause(0.001)
            yield 1


def test_the_viewer_holds_its_replies_for_a_slow_reader():
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from kamaelia_lite.topology_components import TopologyViewer
    got = SlowCollector(want=201)
    sched = Scheduler()
    Pipeline(DataSource([b"BOGUS %d\n" % i for i in range(200)] + [b"GET ALL\n"]), chunks_to_lines(),
             lines_to_tokenlists(), TopologyViewer(size=(200, 100)), got).run(sched)
    assert [m[0] for m in got.collected] == ["ERROR"] * 200 + ["TOPOLOGY"]
    assert "BOGUS" in got.collected[199][1] and "199" in got.collected[199][1]
    assert not sched.failures
