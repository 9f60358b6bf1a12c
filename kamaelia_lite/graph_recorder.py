"""GraphRecorder: a component that records its own system's live graph to files as it runs.

    GraphRecorder(out_dir="out/showcase", every=2.0).activate()

Every ``every`` seconds it takes ``snapshot(scheduler)`` and writes ``graph.dot`` and
``graph.mmd`` (Graphviz / Mermaid, overwritten with the newest) and, with ``png=True``,
``graph-NNN.png`` rendered with pygame (headless is fine). On shutdown it records once more,
then finishes. ``snapshots`` keeps the (time, snapshot) pairs it took (at most ``keep``).

Boxes: control (producerFinished / shutdownMicroprocess: record, pass it on, finish); signal.
"""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple

from kamaelia_lite.flow import take_ending
from microaxon import component, now
from microaxon.introspect import snapshot, to_dot, to_mermaid


class GraphRecorder(component):
    """Writes the live component graph to ``out_dir`` every ``every`` seconds (see module doc)."""

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "paths written", "signal": "shutdown signals"}

    out_dir = "out"
    every = 2.0
    png = True
    keep = 50
    title = "microaxon"

    def __init__(self, **argd: Any) -> None:
        super().__init__(**argd)
        self.snapshots: List[Tuple[float, List[Dict[str, Any]]]] = []
        self.pngs: List[str] = []
        self._renderer: Optional[Any] = None
        self._t0 = now()

    def record(self) -> List[Dict[str, Any]]:
        """Take a snapshot now and write the files; returns the snapshot."""
        snap = snapshot(self._sched)
        t = now() - self._t0
        self.snapshots.append((t, snap))
        del self.snapshots[:-self.keep]
        os.makedirs(self.out_dir, exist_ok=True)
        with open(os.path.join(self.out_dir, "graph.dot"), "w", encoding="utf-8") as f:
            f.write(to_dot(snap, self.title))
        with open(os.path.join(self.out_dir, "graph.mmd"), "w", encoding="utf-8") as f:
            f.write(to_mermaid(snap))
        if self.png:
            import pygame

            from microaxon.tools.top.graphview import GraphRenderer  # the viewer's renderer

            if self._renderer is None:
                self._renderer = GraphRenderer()
            path = os.path.join(self.out_dir, "graph-%03d.png" % len(self.pngs))
            pygame.image.save(self._renderer.render(snap, "%s  t=%.1fs" % (self.title, t)), path)
            self.pngs.append(path)
            self.send(path, "outbox")
        return snap

    def main(self):
        while True:
            ending = take_ending(self)
            if ending is not None:
                self.record()                     # the final picture, then pass the ending on
                self.send(ending, "signal")
                return
            self.record()
            wake = now() + self.every
            while now() < wake and not self.dataReady("control"):
                self.pause(wake - now())
                yield 1
