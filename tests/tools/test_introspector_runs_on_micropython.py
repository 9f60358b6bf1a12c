"""A MicroPython system can be looked at from a desktop: the Introspector runs under the real
micropython binary (modules built to .mpy) and CPython's microaxon-top client reads its snapshots."""
import subprocess
import time

from tools_helpers import free_tcp_port, isolated_env

from microaxon.tools.top.client import SnapshotClient
from ports.micropython.build import build

APP = """
from microaxon import Scheduler, component, producerFinished
from kamaelia_lite.introspector import Introspector
class Tick(component):
    def main(self):
        n = 0
        while not self.dataReady("control"):
            self.send(n)
            n += 1
            self.pause(0.01)
            yield 1
        self.send(self.recv("control"), "signal")
class Sink(component):
    def main(self):
        while not self.dataReady("control"):
            while self.dataReady("inbox"):
                self.recv("inbox")
            self.pause()
            yield 1
class Stop(component):
    Outboxes = ["outbox", "signal", "tick"]
    def main(self):
        self.pause(%(seconds)s)
        yield 1
        self.send(producerFinished(), "outbox")
        self.send(producerFinished(), "tick")
s = Scheduler()
t, k, st = Tick(), Sink(), Stop()
i = Introspector(port=%(port)d, interval=0.1)
t.link((t, "outbox"), (k, "inbox"))
t.link((t, "signal"), (k, "control"))
st.link((st, "outbox"), (i, "control"))
st.link((st, "tick"), (t, "control"))
for c in (t, k, i, st):
    c.activate(s)
print("listening")
s.run()
print("done", len(s.failures))
"""


def test_micropython_system_is_visible_to_the_desktop_viewer(tmp_path):
    lib = tmp_path / "lib"
    build(str(lib))
    port = free_tcp_port()
    (tmp_path / "app.py").write_text(APP % {"port": port, "seconds": 2.5})
    env = isolated_env()
    env["MICROPYPATH"] = str(lib)
    proc = subprocess.Popen(["micropython", "-X", "heapsize=1m", "app.py"], cwd=str(tmp_path), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 5
        client = None
        while client is None and time.monotonic() < deadline:
            try:
                client = SnapshotClient("127.0.0.1", port, timeout=5)
            except OSError:
                time.sleep(0.05)
        assert client is not None, "the MicroPython introspector never accepted a connection"
        with client:
            _, first = client.next()
            for _ in range(3):
                _, snap = client.next()
        names = sorted(c["name"].split("#")[0] for c in snap)
        assert names == ["Introspector", "Sink", "Stop", "Tick"]
        tick = [c for c in snap if c["name"].startswith("Tick")][0]
        assert tick["outboxes"]["outbox"][0] == [c for c in snap if c["name"].startswith("Sink")][0]["id"]
        tick0 = [c for c in first if c["name"].startswith("Tick")][0]
        assert tick["steps"] > tick0["steps"]
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert out.split() == ["listening", "done", "0"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
