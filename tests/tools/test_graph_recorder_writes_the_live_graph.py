"""GraphRecorder, a component inside the system it records, writes that system's live graph as
DOT, Mermaid and PNG while it runs, and once more when told to shut down."""
import re

from examples.introspect_demo import build
from kamaelia_lite.graph_recorder import GraphRecorder
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component, producerFinished


class StopRecorder(component):
    """After 0.35 s tells the recorder to finish; once it has passed that on, stops everything."""

    Outboxes = ["outbox", "signal"]
    watch = None

    def main(self):
        self.pause(0.35)
        yield 1
        self.send(producerFinished(self), "outbox")
        while not self.watch.collected:
            self.pause(0.02)
            yield 1
        self._sched.stop()
        yield 1


def test_recorder_writes_dot_mermaid_and_png_of_its_own_system(tmp_path):
    sched = Scheduler()
    build(period=0.01).activate(sched)
    rec = GraphRecorder(out_dir=str(tmp_path), every=0.1, title="demo")
    signals = Collector()
    stop = StopRecorder(watch=signals)
    stop.link((stop, "outbox"), (rec, "control"))
    rec.link((rec, "signal"), (signals, "inbox"))
    for c in (rec, stop, signals):
        c.activate(sched)
    sched.run()
    assert rec.finished() and rec.failure is None
    assert [type(m) for m in signals.collected] == [producerFinished]
    assert len(rec.snapshots) >= 3 and len(rec.pngs) == len(rec.snapshots)
    for path in rec.pngs:
        assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    dot = (tmp_path / "graph.dot").read_text()
    last = rec.snapshots[-1][1]
    assert set(re.findall(r"^\s+(c\d+) \[label=", dot, re.M)) == {"c%d" % c["id"] for c in last}
    assert "Metronome" in dot and "GraphRecorder" in dot
    assert (tmp_path / "graph.mmd").read_text().startswith("flowchart LR")
