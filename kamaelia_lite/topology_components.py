"""A live graph viewer that speaks Kamaelia's topology protocol (Kamaelia's names:
Kamaelia.Visualisation.PhysicsGraph.{TopologyViewer, TopologyViewerServer, chunks_to_lines,
lines_to_tokenlists}; Kamaelia.Visualisation.Axon.AxonVisualiserServer.AxonVisualiser).

- `chunks_to_lines()`: text or bytes chunks in, whole lines out (str, without the newline and
  one "\r" before it). Bytes are UTF-8 (a character may span chunks; bad bytes become U+FFFD).
  A line longer than ``max_line`` characters goes out in pieces of that size, so memory stays
  bounded; the lines are the same however the input is cut into chunks. Lines wait for room
  downstream (no chunk is taken meanwhile), as do lines_to_tokenlists' token lists and the
  viewer's replies.
- `lines_to_tokenlists()`: each line becomes a token list (topology.tokenise); a line that
  cannot be split is reported on "outbox" as ("ERROR", text) and skipped.
- `TopologyViewer(**options)`: draws the graph (kamaelia_lite.topology) in a surface of the
  shared pygame display, laying it out with springs ``fps`` times a second while it moves
  (then it sleeps until a command or a click). Commands arrive on "inbox" as token lists;
  replies (GET ALL, GET_NAME) and ("ERROR", text) go out of "outbox", and a click on a node
  sends ("SELECT", "NODE", id). Options: size=(800, 600), position=None, fps=25,
  background_colour, showGrid, transparency.
- `TopologyViewerServer(serverPort=1500, host="127.0.0.1", **viewer options)`: one viewer fed by
  every client that connects and types commands. It listens on localhost by default (pass
  ``host="0.0.0.0"`` to let other machines draw on your screen).
- `AxonVisualiser(**options)`: a TopologyViewer whose default size suits Axon graphs
  (component nodes in blue, inboxes green, outboxes red).

Every component honours producerFinished/shutdownMicroprocess on "control" and passes it on.
"""
import codecs
from typing import Any, Optional, Tuple

import pygame

from kamaelia_lite.flow import PendingSends, drained_then_stopped, take_ending
from kamaelia_lite.topology import Topology, TopologyError, tokenise
from microaxon import component, shutdownMicroprocess


class chunks_to_lines(component):
    """Chunks of text or bytes in; lines out (see module doc)."""

    max_line = 65536

    def _cut(self, out: PendingSends, line: str) -> None:
        limit = self.max_line
        while len(line) > limit:
            out.add(line[:limit])
            line = line[limit:]
        out.add(line)

    def main(self):
        buf = ""
        utf8 = codecs.getincrementaldecoder("utf-8")("replace")   # a character may span two reads
        limit = self.max_line
        out = PendingSends(self)          # lines waiting for room downstream; no input taken meanwhile
        ending = None
        while True:
            while not out.full() and self.dataReady("inbox"):
                chunk = self.recv("inbox")
                if isinstance(chunk, (bytes, bytearray)):
                    chunk = utf8.decode(bytes(chunk))
                buf += chunk
                while "\n" in buf:
                    line, buf = buf.split("\n", 1)
                    self._cut(out, line[:-1] if line[-1:] == "\r" else line)
                # pieces of a line still waiting for its end: cut as the whole line will be (with
                # more than max_line + 1 characters held, max_line of them are a piece for sure)
                while len(buf) > limit + 1:
                    out.add(buf[:limit])
                    buf = buf[limit:]
            ending = take_ending(self, ending)
            if isinstance(ending, shutdownMicroprocess):
                self.send(ending, "signal")
                return
            flushed = out.flush()
            if ending is not None and flushed and not self.dataReady("inbox"):
                buf += utf8.decode(b"", True)
                if buf:
                    self._cut(out, buf)            # the last line, unterminated
                    buf = ""
                    continue
                self.send(ending, "signal")
                return
            if not flushed or out.full() or not self.dataReady("inbox"):
                self.pause()
            yield 1


class lines_to_tokenlists(component):
    """Lines in; token lists out (see module doc)."""

    def main(self):
        ending = None
        while True:
            while self.dataReady("inbox") and self.hasSpace("outbox") > 0:
                line = self.recv("inbox")
                if isinstance(line, (bytes, bytearray)):
                    line = bytes(line).decode("utf-8", "replace")
                try:
                    tokens = tokenise(line)
                except TopologyError as e:
                    self.send(("ERROR", str(e)), "outbox")
                    continue
                if tokens:
                    self.send(tokens, "outbox")
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, not self.dataReady("inbox")):
                return
            if self.dataReady("inbox") and self.hasSpace("outbox") <= 0:
                self.waitSpace("outbox")        # one line in, at most one message out: wait for room
            self.pause()
            yield 1


KIND_COLOURS = {"component": (120, 160, 230), "inbox": (140, 210, 140), "outbox": (230, 140, 140)}


class TopologyViewer(component):
    """Draws a graph from topology commands (see module doc)."""

    Inboxes = {"inbox": "topology commands (token lists)", "control": "shutdown signals",
               "events": "pygame events from the display"}
    Outboxes = {"outbox": "replies, errors and selections", "signal": "shutdown signals"}

    size: Tuple[int, int] = (800, 600)
    position: Optional[Tuple[int, int]] = None
    fps = 25
    background_colour = (255, 255, 255)
    showGrid = True
    transparency = None
    spring = 80.0
    display: Any = None          # a PygameDisplay service; default: the shared one

    def main(self):
        from kamaelia_lite.displays.display import PygameDisplay
        size = (int(self.size[0]), int(self.size[1]))
        graph = Topology(size[0], size[1])
        self.topology = graph
        service = self.display or PygameDisplay.getDisplayService(self._sched)
        surface = service.request_surface(self, size, position=self.position, events=(self, "events"),
                                          listen=(pygame.MOUSEBUTTONDOWN,), transparency=self.transparency)
        pygame.font.init()
        font = pygame.font.Font(None, 18)
        replies = PendingSends(self)      # replies waiting for room; no command is taken meanwhile
        ending = None
        try:
            moving = True
            while True:
                changed = False
                replies.flush()
                while not replies.full() and self.dataReady("inbox"):
                    msg = self.recv("inbox")
                    try:
                        reply = graph.apply(list(msg))
                    except (TopologyError, TypeError) as e:
                        replies.add(("ERROR", "cannot do %r: %s" % (msg, e)))
                        continue
                    if reply is not None:
                        replies.add(reply)
                    elif str(msg[0]).upper() == "ADD" and str(msg[1]).upper() == "NODE":
                        self.node_added(graph.nodes[msg[2]])
                    changed = True
                while self.dataReady("events"):
                    ev = self.recv("events")
                    if getattr(ev, "type", None) == pygame.MOUSEBUTTONDOWN:
                        nid = graph.nearest(*ev.pos)
                        if nid is not None:
                            replies.add(("SELECT", "NODE", nid))
                ending = take_ending(self, ending)     # drain, then stop: replies go first
                if drained_then_stopped(self, ending, replies.flush() and not self.dataReady("inbox")):
                    return
                if changed:
                    moving = True
                if moving:
                    moving = graph.step(self.spring) > 0.2
                    self._draw(surface, graph, font, pygame)
                    service.redraw()
                    self.pause(1.0 / self.fps if moving else None)
                else:
                    self.pause()
                yield 1
        finally:
            service.release(surface)

    def node_added(self, node: Any) -> None:
        """Called after each ADD NODE (a hook for subclasses)."""

    def colour_of(self, node: Any) -> Tuple[int, int, int]:
        return KIND_COLOURS.get(node.kind, (200, 200, 120))

    def _draw(self, surface, graph, font, pygame) -> None:
        surface.fill(self.background_colour)
        w, h = surface.get_size()
        if self.showGrid:
            for x in range(0, w, 40):
                pygame.draw.line(surface, (225, 225, 225), (x, 0), (x, h))
            for y in range(0, h, 40):
                pygame.draw.line(surface, (225, 225, 225), (0, y), (w, y))
        for src, dst in graph.links:
            a, b = graph.nodes[src], graph.nodes[dst]
            pygame.draw.line(surface, (90, 90, 90), (int(a.x), int(a.y)), (int(b.x), int(b.y)))
        for nid in graph.order:
            n = graph.nodes[nid]
            colour = self.colour_of(n)
            r = 14 if n.kind not in ("inbox", "outbox") else 7
            pygame.draw.circle(surface, colour, (int(n.x), int(n.y)), r)
            label = font.render(str(n.name), True, (0, 0, 0))
            surface.blit(label, (int(n.x) - label.get_width() // 2, int(n.y) + r + 2))


def acronym(name: str) -> str:
    """A component name's initials: capitals, word starts, "_" and "." (Kamaelia's rule)."""
    out, prev = "", ""
    for c in name:
        if c.isupper() or c in "_." or (c.isalpha() and not prev.isalpha()):
            out += c.upper()
        prev = c
    return out


AXON_COLOURS = ((255, 128, 128), (255, 192, 128), (224, 224, 128), (128, 255, 128), (128, 255, 192),
                (128, 224, 224), (128, 192, 255), (192, 128, 255), (255, 128, 224))


class AxonVisualiser(TopologyViewer):
    """A TopologyViewer for Axon systems: each component is coloured by its initials, so
    components of one kind look alike (see module doc). As Kamaelia's does, it prints each
    prefix of a new component's initials on stdout as it works out the colour."""

    size = (1024, 768)

    def node_added(self, node: Any) -> None:
        if node.kind == "component":
            initials = acronym(str(node.name))
            for i in range(len(initials)):
                print(initials[:i + 1])

    def colour_of(self, node: Any) -> Tuple[int, int, int]:
        if node.kind != "component":
            return super().colour_of(node)
        total = 0
        for ch in acronym(str(node.name)):
            total = (total * 31 + ord(ch)) % 1000003
        return AXON_COLOURS[total % len(AXON_COLOURS)]


def TopologyViewerServer(serverPort: int = 1500, host: str = "127.0.0.1", **viewer_options: Any) -> component:
    """A TCP server on (host, serverPort) whose clients' commands all draw on one viewer
    (see module doc). Listens on localhost only unless told otherwise."""
    from kamaelia_lite.chassis import PAR, Backplane, Pipeline, PublishTo, SubscribeTo
    from kamaelia_lite.net.tcp import TCPServer
    viewer_options.pop("fullscreen", None)
    if "screensize" in viewer_options:
        viewer_options["size"] = viewer_options.pop("screensize")
    name = "topology-viewer-%d" % serverPort

    def connection(*args: Any, **argd: Any) -> component:
        return Pipeline(chunks_to_lines(), lines_to_tokenlists(), PublishTo(name))

    return PAR(Backplane(name), TCPServer(protocol=connection, port=serverPort, host=host),
               Pipeline(SubscribeTo(name), TopologyViewer(**viewer_options)))
