"""issue 11: the kernel imports from its .py source inside a 64 KiB MicroPython heap, so copying
the files onto a device works without mpy-cross (the compiler's peak is what has to fit)."""
import shutil

from common_helpers import ROOT, isolated_env, run

MICROPYTHON = "micropython"

APP = """
import gc
from microaxon import Scheduler, component

class Relay(component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                self.send(self.recv("inbox") + 1, "outbox")
            if self.dataReady("control"):
                return
            self.pause()
            yield 1

class Sink(component):
    got = []
    def main(self):
        while not self.dataReady("control"):
            while self.dataReady("inbox"):
                Sink.got.append(self.recv("inbox"))
            self.pause()
            yield 1

s = Scheduler()
a, b, z = Relay(), Relay(), Sink()
a.link((a, "outbox"), (b, "inbox"))
b.link((b, "outbox"), (z, "inbox"))
feed = component()
feed.link((feed, "outbox"), (a, "inbox"))
for c in (a, b, z):
    c.activate(s)
for i in range(5):
    feed.send(i, "outbox")
s.run()
print("got", Sink.got, "deadlocked", len(s.deadlocked))
gc.collect()
print("free", gc.mem_free())
"""


def test_kernel_source_files_import_and_run_in_a_64k_heap(tmp_path):
    dev = tmp_path / "device"
    shutil.copytree(ROOT + "/microaxon", str(dev / "microaxon"),
                    ignore=shutil.ignore_patterns("tools", "__pycache__", "compat.py", "_desktop.py"))
    (dev / "app.py").write_text(APP)
    proc = run([MICROPYTHON, "-X", "heapsize=64k", "app.py"], cwd=str(dev), env=isolated_env(), check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0] == "got [2, 3, 4, 5, 6] deadlocked 3"
    assert int(proc.stdout.split("free ")[1]) > 0
