"""A graph described by Kamaelia's topology commands, and a spring layout for drawing it (pure
logic: no pygame, no sockets, no scheduler). Used by topology_components.TopologyViewer.

Commands are token lists (see ``tokenise``), as Kamaelia's TopologyViewer takes them:

    ADD NODE <id> <name> <position> <kind>      position: randompos/auto, or "x,y"
    DEL NODE <id>          ADD LINK <from> <to>          DEL LINK <from> <to>
    DEL ALL                GET ALL                       UPDATE_NAME NODE <id> <name>
    GET_NAME NODE <id>     FREEZE ALL / UNFREEZE ALL

``Topology.apply(tokens)`` changes the graph and returns a reply tuple for the GET commands
(``("TOPOLOGY", [commands])``, ``("UPDATE_NAME", "NODE", id, name)``) or None; a malformed or
unknown command raises TopologyError (the viewer turns it into an ("ERROR", text) message).
The graph is bounded: at most ``max_nodes`` nodes (default 1000) and ``max_links`` links (10000). A position "x,y" must be two
finite numbers (else TopologyError); one off the area is placed at its edge, where layout keeps nodes.
"""
import math
import random
from typing import Dict, List, Optional, Tuple


class TopologyError(ValueError):
    """A command the topology cannot carry out (the message says why)."""


def tokenise(line: str) -> List[str]:
    """Split a command line into tokens: whitespace separates, "double" or 'single' quotes group
    (inside them a backslash makes the next character literal). An unterminated quote raises
    TopologyError."""
    tokens: List[str] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c.isspace():
            i += 1
            continue
        if c in "\"'":
            i += 1
            buf = []
            while i < n and line[i] != c:
                if line[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(line[i])
                i += 1
            if i >= n:
                raise TopologyError("unterminated quote in %r" % line)
            tokens.append("".join(buf))
            i += 1
        else:
            j = i
            while j < n and not line[j].isspace():
                j += 1
            tokens.append(line[i:j])
            i = j
    return tokens


class Node:
    """One node: its name, kind (component/inbox/outbox/...), position and velocity."""

    __slots__ = ("id", "name", "kind", "x", "y", "vx", "vy")

    def __init__(self, nid: str, name: str, kind: str, x: float, y: float) -> None:
        self.id, self.name, self.kind = nid, name, kind
        self.x, self.y, self.vx, self.vy = x, y, 0.0, 0.0


class Topology:
    """Nodes and links, changed by commands, laid out by ``step`` (see module doc)."""

    max_nodes = 1000
    max_links = 10000

    def __init__(self, width: int = 800, height: int = 600, seed: Optional[int] = None) -> None:
        self.width, self.height = width, height
        self.nodes: Dict[str, Node] = {}
        self.order: List[str] = []                 # insertion order, for GET ALL
        self.links: List[Tuple[str, str]] = []
        self._linked = set()                       # the links again, to find one at once
        self.frozen = False
        self._rand = random.Random(seed)

    # -- commands ------------------------------------------------------------------------
    def apply(self, msg: List[str]):
        if len(msg) < 2:
            raise TopologyError("not a command: %r" % (msg,))
        cmd = (str(msg[0]).upper(), str(msg[1]).upper())
        if cmd == ("ADD", "NODE") and len(msg) == 6:
            self.add_node(msg[2], msg[3], msg[4], msg[5])
        elif cmd == ("DEL", "NODE") and len(msg) == 3:
            self.del_node(msg[2])
        elif cmd == ("ADD", "LINK") and len(msg) == 4:
            self.add_link(msg[2], msg[3])
        elif cmd == ("DEL", "LINK") and len(msg) == 4:
            if (msg[2], msg[3]) in self._linked:
                self._linked.discard((msg[2], msg[3]))
                self.links.remove((msg[2], msg[3]))
        elif cmd == ("DEL", "ALL") and len(msg) == 2:
            self.nodes, self.order, self.links, self._linked = {}, [], [], set()
        elif cmd == ("GET", "ALL") and len(msg) == 2:
            return ("TOPOLOGY", self.commands())
        elif cmd in (("FREEZE", "ALL"), ("UNFREEZE", "ALL")) and len(msg) == 2:
            self.frozen = cmd[0] == "FREEZE"
        elif cmd == ("UPDATE_NAME", "NODE") and len(msg) == 4:
            self._node(msg[2]).name = msg[3]
        elif cmd == ("GET_NAME", "NODE") and len(msg) == 3:
            return ("UPDATE_NAME", "NODE", msg[2], self._node(msg[2]).name)
        else:
            raise TopologyError("unknown command or wrong number of arguments: %r" % (msg,))
        return None

    def _node(self, nid: str) -> Node:
        try:
            return self.nodes[nid]
        except KeyError:
            raise TopologyError("no node %r" % (nid,)) from None

    def add_node(self, nid: str, name: str, position: str, kind: str) -> None:
        if nid in self.nodes:
            self.nodes[nid].name = name
            return
        if len(self.nodes) >= self.max_nodes:
            raise TopologyError("too many nodes (limit %d)" % self.max_nodes)
        x, y = self._position(position)
        self.nodes[nid] = Node(nid, name, kind, x, y)
        self.order.append(nid)

    def _position(self, spec: str) -> Tuple[float, float]:
        if "," in spec:
            try:
                xs, ys = spec.split(",", 1)
                x, y = float(xs), float(ys)
            except ValueError:
                x = y = math.nan
            if not (math.isfinite(x) and math.isfinite(y)):
                raise TopologyError("bad position %r (want x,y or randompos)" % spec)
            return (min(max(x, 10.0), self.width - 10.0),       # off the area: at its edge
                    min(max(y, 10.0), self.height - 10.0))
        m = 40
        return (self._rand.uniform(m, max(m + 1, self.width - m)),
                self._rand.uniform(m, max(m + 1, self.height - m)))

    def del_node(self, nid: str) -> None:
        self._node(nid)
        del self.nodes[nid]
        self.order.remove(nid)
        self.links = [lk for lk in self.links if nid not in lk]
        self._linked = set(self.links)

    def add_link(self, src: str, dst: str) -> None:
        self._node(src)
        self._node(dst)
        if (src, dst) not in self._linked:
            if len(self.links) >= self.max_links:
                raise TopologyError("too many links (limit %d)" % self.max_links)
            self.links.append((src, dst))
            self._linked.add((src, dst))

    def commands(self) -> List[tuple]:
        """The graph as commands that rebuild it."""
        out: List[tuple] = []
        for nid in self.order:
            n = self.nodes[nid]
            out.append(("ADD", "NODE", nid, n.name, "%d,%d" % (n.x, n.y), n.kind))
        for src, dst in self.links:
            out.append(("ADD", "LINK", src, dst))
        return out

    # -- layout --------------------------------------------------------------------------
    def step(self, spring: float = 80.0, dt: float = 0.05) -> float:
        """One step of a spring layout: nodes repel, links pull to length `spring`, motion is
        damped and kept inside the area. Returns the largest move (0 when frozen or settled)."""
        if self.frozen or not self.nodes:
            return 0.0
        nodes = [self.nodes[k] for k in self.order]
        fx = {n.id: 0.0 for n in nodes}
        fy = {n.id: 0.0 for n in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                dx, dy = a.x - b.x, a.y - b.y
                d2 = dx * dx + dy * dy
                if d2 > (4 * spring) ** 2:
                    continue
                d2 = max(d2, 1.0)
                f = spring * spring / d2
                d = math.sqrt(d2)
                fx[a.id] += f * dx / d
                fy[a.id] += f * dy / d
                fx[b.id] -= f * dx / d
                fy[b.id] -= f * dy / d
        for src, dst in self.links:
            a, b = self.nodes[src], self.nodes[dst]
            dx, dy = b.x - a.x, b.y - a.y
            d = max(math.sqrt(dx * dx + dy * dy), 1.0)
            f = (d - spring) * 0.5
            fx[a.id] += f * dx / d
            fy[a.id] += f * dy / d
            fx[b.id] -= f * dx / d
            fy[b.id] -= f * dy / d
        moved = 0.0
        for n in nodes:
            n.vx = (n.vx + fx[n.id] * dt) * 0.8
            n.vy = (n.vy + fy[n.id] * dt) * 0.8
            x = min(max(n.x + n.vx, 10.0), self.width - 10.0)
            y = min(max(n.y + n.vy, 10.0), self.height - 10.0)
            moved = max(moved, abs(x - n.x), abs(y - n.y))
            n.x, n.y = x, y
        return moved

    def nearest(self, x: float, y: float, within: float = 20.0) -> Optional[str]:
        """The id of the node nearest (x, y), if one is within `within` pixels."""
        best, best_d = None, within * within
        for nid in self.order:
            n = self.nodes[nid]
            d = (n.x - x) ** 2 + (n.y - y) ** 2
            if d <= best_d:
                best, best_d = nid, d
        return best
