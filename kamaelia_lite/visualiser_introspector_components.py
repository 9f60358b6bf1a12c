"""`Introspector()`: describes the running system in the Axon visualiser's text protocol
(kamaelia_lite.axon_visualiser), for Kamaelia's AxonVisualiser or any viewer that speaks it.
Kamaelia's name: Kamaelia.Util.Introspector.

Every ``interval`` seconds (default 0.1) it looks at the scheduler's live components, their boxes
and links, and sends on "outbox" one string with the changes since last time (nothing when
nothing changed); the first starts with ``DEL ALL``. Usually piped to a TCPClient:

    Pipeline(Introspector(), PureTransformer(lambda x: x.encode("utf8")),
             TCPClient("127.0.0.1", 1600)).activate()

(kamaelia_lite.introspector is a different thing: JSON snapshots served over TCP.)

Boxes
  inbox    unused
  control  shutdownMicroprocess stops it (passed on); producerFinished is ignored, as in Axon
  outbox   protocol text
  signal   the shutdown message
"""
from typing import Any, Dict, List, Tuple

from kamaelia_lite.axon_visualiser import GraphDiff
from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, defaultScheduler, shutdownMicroprocess


def _box_names(c: Any, attr: str, declared: Any) -> List[str]:
    live = getattr(c, attr, None)              # boxes added at run time live only here
    return list(live) if isinstance(live, dict) else list(declared)


def read_graph(components: List[Any]) -> Tuple[Dict[int, str], List[tuple], List[tuple]]:
    """(components, boxes, links) of the running system, in axon_visualiser's form."""
    comps: Dict[int, str] = {}
    boxes: List[tuple] = []
    links: List[tuple] = []
    for c in components:
        comps[c.id] = c.name
        boxes.extend((c.id, "i", n) for n in _box_names(c, "_ib", c.Inboxes))
        boxes.extend((c.id, "o", n) for n in _box_names(c, "_dest", c.Outboxes))
        for lk in list(getattr(c, "_links", None) or ()):
            try:
                src, dst, pt = lk.src, lk.dst, lk.passthrough
                links.append(((src.owner.id, "i" if pt == 1 else "o", src.name),
                              (dst.owner.id, "o" if pt == 2 else "i", dst.name)))
            except AttributeError:              # a link being torn down
                continue
    return comps, boxes, sorted(set(links))


class Introspector(component):
    """Sends the visualiser protocol describing the running system (see module doc)."""

    Inboxes = {"inbox": "unused", "control": "shutdownMicroprocess stops it"}
    Outboxes = {"outbox": "visualiser protocol text", "signal": "the shutdown message"}

    interval = 0.1
    scheduler = None

    def main(self):
        diff = GraphDiff()
        sched = self.scheduler or self._sched or defaultScheduler()
        while True:
            if passed_shutdown_on(self, shutdownMicroprocess):     # a source: producerFinished is dropped
                return
            text = diff.update(*read_graph(sched.components()))
            if text:
                self.send(text, "outbox")
            self.pause(self.interval)
            yield 1
