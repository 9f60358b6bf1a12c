"""The Axon visualiser's text protocol (pure logic: no sockets, no scheduler).

Kamaelia's AxonVisualiser draws a system from lines such as::

    DEL ALL
    ADD NODE "5" "__main__.Echo_5" randompos component
    ADD NODE "(5, 'i', 'inbox')" "inbox" randompos inbox
    ADD LINK "5" "(5, 'i', 'inbox')"
    ADD LINK "(5, 'o', 'outbox')" "(6, 'i', 'inbox')"
    DEL LINK ... / DEL NODE "..."

`GraphDiff.update(components, boxes, links)` takes the graph as it is now and returns the lines
that turn the previous picture into it (an empty string when nothing changed); the first call's
answer starts with ``DEL ALL``. The graph:

- components: ``{component id: name}``
- boxes: ``[(component id, "i" or "o", box name)]``
- links: ``[(source box, destination box)]`` with boxes in the same tuple form
"""
from typing import Dict, Iterable, List, Tuple

Box = Tuple[int, str, str]


def node_id(thing: object) -> str:
    """The node id the protocol uses: str() of a component id or of a box tuple."""
    return str(thing)


class GraphDiff:
    """Turns successive pictures of a graph into protocol lines (see module doc)."""

    def __init__(self) -> None:
        self.nodes: Dict[object, str] = {}
        self.links: Dict[Tuple[Box, Box], bool] = {}
        self.started = False

    def update(self, components: Dict[int, str], boxes: Iterable[Box],
               links: Iterable[Tuple[Box, Box]]) -> str:
        """The lines that change the last picture into this one ('' when nothing changed)."""
        out: List[str] = []
        if not self.started:
            self.started = True
            out.append("DEL ALL\n")
        nodes: Dict[object, str] = {}
        for cid in sorted(components):
            nodes[cid] = components[cid]
        for b in boxes:
            if b[0] in nodes:
                nodes[b] = b[2]
        new_links = {}
        for src, dst in links:
            if src in nodes and dst in nodes:
                new_links[(src, dst)] = True
        for key in self.links:
            if key not in new_links:
                out.append('DEL LINK "%s" "%s"\n' % (node_id(key[0]), node_id(key[1])))
        for n in self.nodes:
            if n not in nodes:
                out.append('DEL NODE "%s"\n' % node_id(n))
        for n in nodes:                      # components first: boxes hang off them
            if n not in self.nodes and not isinstance(n, tuple):
                out.append('ADD NODE "%s" "%s" randompos component\n' % (node_id(n), nodes[n]))
        for n in nodes:
            if n not in self.nodes and isinstance(n, tuple):
                kind = "inbox" if n[1] == "i" else "outbox"
                out.append('ADD NODE "%s" "%s" randompos %s\n' % (node_id(n), n[2], kind))
                out.append('ADD LINK "%s" "%s"\n' % (node_id(n[0]), node_id(n)))
        for key in new_links:
            if key not in self.links:
                out.append('ADD LINK "%s" "%s"\n' % (node_id(key[0]), node_id(key[1])))
        self.nodes = nodes
        self.links = new_links
        return "".join(out)
