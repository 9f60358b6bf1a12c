"""The live graph as the showcase draws it: no link line runs under a component's box (other
than the two it joins, at their edges), and no two link labels overlap each other or a box."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from examples.showcase_parts import surtitles_part  # noqa: E402
from microaxon import Scheduler, component  # noqa: E402
from microaxon.introspect import snapshot  # noqa: E402
from microaxon.tools.top.graphview import GraphRenderer  # noqa: E402


def _crosses(a, b, rect):
    """True when the segment a-b passes through the inside of rect (shrunk by 1 px)."""
    inner = rect.inflate(-2, -2)
    return bool(inner.clipline(a, b))


def test_graph_lines_go_round_boxes_and_labels_keep_apart(tmp_path):
    sched = Scheduler()
    part = surtitles_part(str(tmp_path), seconds=6)
    for c in part.components:
        c.activate(sched)
    got = []

    class Snap(component):
        """Takes a snapshot of the running system after 1 s, then stops it all."""

        def main(self):
            self.pause(1.0)
            yield 1
            got.append(snapshot(self._sched))
            self._sched.stop()
    Snap().activate(sched)
    sched.run()
    snap = got[0]
    r = GraphRenderer()
    r.render(snap, "test")
    assert len(r.paths) >= 10
    for points in r.paths:
        for a, b in zip(points, points[1:]):
            for rect in r.nodes:
                if rect.collidepoint(points[0][0] - 1, points[0][1]) or rect.collidepoint(points[-1][0] + 1, points[-1][1]):
                    continue            # the boxes this link joins
                assert not _crosses(a, b, rect), (points, rect)
    for i, lr in enumerate(r.label_rects):
        assert lr.collidelist(r.nodes) < 0
        assert lr.collidelist(r.label_rects[:i]) < 0
