"""Looking inside a running system: snapshot helpers, DOT and Mermaid export, JSON lines.

Everything here works on the plain data returned by ``Scheduler.snapshot()`` (a list of dicts,
see docs/core-api.md), so it runs the same on CPython and MicroPython and can format a snapshot
that arrived over the network (``decode_snapshot``) as well as a local one.

    >>> from microaxon.introspect import to_dot, to_mermaid, format_table
    >>> print(to_dot(scheduler.snapshot()))

Graph model (used by every exporter, and by tests comparing an export with the snapshot):
  nodes: one per component, keyed ``"c<id>"``;
  edges: one per linked outbox, from the sending component to the component whose inbox the
         message lands in (links through a chassis are already resolved by the snapshot),
         labelled ``"<outbox>-><inbox>"``;
  parents: a component with children is drawn as a cluster (DOT) / subgraph (Mermaid) holding
         its own node and its children.
(No type annotations here: this module must import on MicroPython.)
"""
import json

from microaxon import core

_STATES = {2: "running", 3: "running"}   # core.py's _RUN and _PAUSE (const: inlined there)


def _state(c):
    st = _STATES.get(c._st)
    if st is not None:
        return st
    if c._iow:
        return "io"
    for n in c._dest:                    # waiting for room: named in a destination's waiters
        w = c._dest[n].spacewait
        if w is c or (w.__class__ is list and c in w):
            return "space"
    s = c._sched                         # a timer set by the sleep it is in (see core's pause)
    for x in s._timers if s is not None else ():
        if x[2] is c and x[3] == c._steps:
            return "timer"
    return "paused"


def snapshot(scheduler):
    """The live graph of ``scheduler``: one dict per live component (format in the module doc
    and docs/core-api.md). Cheap: no message is touched. ``Scheduler.snapshot()`` calls this."""
    out = []
    for c in scheduler.components():
        ib = {}
        for n in c._ib:
            b = c._ib[n]
            ib[n] = [len(b.q), abs(b.cap), getattr(b, "delivered", 0)]
        ob = {}
        drops = c._drops or {}
        for n in c._dest:
            d = c._dest[n]
            o = d.owner
            if o is None:
                ob[n] = [None, None, drops.get(n, 0)]
            else:
                name = [k for k in o._ib if o._ib[k] is d]
                ob[n] = [o.id, name[0] if name else None, drops.get(n, 0)]
        out.append({"id": c.id, "name": c.name,
                    "parent": c._parent.id if c._parent is not None else None,
                    "state": _state(c), "steps": c._steps, "inboxes": ib, "outboxes": ob,
                    "children": [x.id for x in c._children]})
    return out


_plain = [None]


def _counting_send(self, msg, box="outbox"):
    _plain[0](self, msg, box)            # a refused send (BoxFull) raises here: not counted
    d = self._dest[box]
    if d.owner is not None:
        d.delivered = getattr(d, "delivered", 0) + 1


def countMessages(on=True):
    """Count messages delivered per inbox (the snapshot's "delivered"), for introspection
    tools. Off by default: it swaps in a send() that counts, so the plain hop pays nothing."""
    if _plain[0] is None:
        _plain[0] = core.component.send
    core.component.send = _counting_send if on else _plain[0]

STATE_COLOURS = {
    "running": "palegreen",
    "paused": "lightgrey",
    "timer": "lightblue",
    "io": "khaki",
    "space": "salmon",
}


def node_key(cid):
    """The node name used for component id ``cid`` in every export: ``"c<id>"``."""
    return "c%d" % cid


def by_id(snapshot):
    """{id: component dict} for a snapshot."""
    out = {}
    for c in snapshot:
        out[c["id"]] = c
    return out


def graph_edges(snapshot):
    """Every link in the snapshot as ``(src_id, outbox, dst_id, inbox)``, sorted.

    Only outboxes that deliver to a live component in the same snapshot count (an unlinked
    outbox, or one whose destination has already finished, draws nothing).
    """
    ids = by_id(snapshot)
    edges = []
    for c in snapshot:
        obs = c["outboxes"]
        for name in obs:
            ob = obs[name]
            if ob[0] is not None and ob[0] in ids:
                edges.append((c["id"], name, ob[0], ob[1]))
    edges.sort()
    return edges


def roots(snapshot):
    """Ids of components without a live parent in the snapshot, sorted."""
    ids = by_id(snapshot)
    return sorted([c["id"] for c in snapshot if c["parent"] is None or c["parent"] not in ids])


def children_of(snapshot):
    """{parent id: [child ids in the snapshot]}, from the ``children`` lists."""
    ids = by_id(snapshot)
    out = {}
    for c in snapshot:
        kids = [k for k in c["children"] if k in ids]
        if kids:
            out[c["id"]] = kids
    return out


def box_fill(snapshot):
    """(messages waiting in all inboxes, total capacity) over the whole snapshot."""
    used = cap = 0
    for c in snapshot:
        ibs = c["inboxes"]
        for n in ibs:
            used += ibs[n][0]
            cap += ibs[n][1]
    return used, cap


def total_drops(component):
    """Messages this component sent on unlinked (or lossy) outboxes, as the snapshot counts them."""
    n = 0
    obs = component["outboxes"]
    for name in obs:
        n += obs[name][2] or 0
    return n


def counters(component):
    """The monotonic counters a snapshot entry carries, as {name: value}.

    ``drops`` always; ``steps`` (times main() ran) and ``received`` (messages delivered into its
    inboxes: the 3rd element of each inbox entry, counted while
    ``countMessages(True)`` is on) when the snapshot has them. A viewer turns the
    difference between two snapshots into a rate.
    """
    out = {"drops": total_drops(component)}
    if "steps" in component:
        out["steps"] = component["steps"]
    received = None
    ibs = component["inboxes"]
    for name in ibs:
        ib = ibs[name]
        if len(ib) > 2 and ib[2] is not None:
            received = (received or 0) + ib[2]
    if received is not None:
        out["received"] = received
    return out


def rates(before, after, seconds):
    """{component id: {counter: per-second rate}} between two snapshots ``seconds`` apart."""
    out = {}
    if seconds <= 0:
        return out
    old = by_id(before)
    for c in after:
        prev = old.get(c["id"])
        if prev is None:
            continue
        a = counters(c)
        b = counters(prev)
        r = {}
        for k in a:
            if k in b:
                r[k] = (a[k] - b[k]) / seconds
        out[c["id"]] = r
    return out


def _dot_quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot_label(c):
    fills = []
    ibs = c["inboxes"]
    for n in sorted(ibs):
        if n != "control":
            fills.append("%s %d/%d" % (n, ibs[n][0], ibs[n][1]))
    label = "%s\\n%s" % (c["name"], c["state"])
    if fills:
        label += "\\n" + ", ".join(fills)
    return label


def to_dot(snapshot, title="microaxon"):
    """Graphviz DOT text of the snapshot (render with ``dot -Tsvg`` / ``-Tpng``)."""
    ids = by_id(snapshot)
    kids = children_of(snapshot)
    lines = ["digraph %s {" % _dot_quote(title),
             "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8];']

    def node_line(c, indent):
        colour = STATE_COLOURS.get(c["state"], "white")
        return '%s%s [label="%s", fillcolor=%s];' % (indent, node_key(c["id"]),
                                                      _dot_label(c).replace('"', '\\"'), colour)

    def emit(cid, depth):
        c = ids[cid]
        indent = "  " * depth
        if cid in kids:
            lines.append("%ssubgraph cluster_%d {" % (indent, cid))
            lines.append("%s  label=%s; style=dashed;" % (indent, _dot_quote(c["name"])))
            lines.append(node_line(c, indent + "  "))
            for k in kids[cid]:
                emit(k, depth + 1)
            lines.append("%s}" % indent)
        else:
            lines.append(node_line(c, indent))

    for r in roots(snapshot):
        emit(r, 1)
    for src, ob, dst, ib in graph_edges(snapshot):
        lines.append('  %s -> %s [label=%s];' % (node_key(src), node_key(dst), _dot_quote(ob + "->" + ib)))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text):
    out = str(text)
    for a, b in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        out = out.replace(a, b)
    return out


def to_mermaid(snapshot):
    """Mermaid ``flowchart`` text of the snapshot (paste into a Markdown ```mermaid block)."""
    ids = by_id(snapshot)
    kids = children_of(snapshot)
    lines = ["flowchart LR"]

    def node_line(c, indent):
        return '%s%s["%s<br/>%s"]' % (indent, node_key(c["id"]), _mermaid_text(c["name"]),
                                      _mermaid_text(c["state"]))

    def emit(cid, depth):
        c = ids[cid]
        indent = "    " * depth
        if cid in kids:
            lines.append('%ssubgraph g%d["%s"]' % (indent, cid, _mermaid_text(c["name"])))
            lines.append(node_line(c, indent + "    "))
            for k in kids[cid]:
                emit(k, depth + 1)
            lines.append("%send" % indent)
        else:
            lines.append(node_line(c, indent))

    for r in roots(snapshot):
        emit(r, 1)
    for src, ob, dst, ib in graph_edges(snapshot):
        lines.append('    %s -->|"%s"| %s' % (node_key(src), _mermaid_text(ob) + "->" + _mermaid_text(ib),
                                               node_key(dst)))
    for state in sorted(STATE_COLOURS):
        lines.append("    classDef %s fill:%s" % (state, STATE_COLOURS[state]))
    for c in snapshot:
        lines.append("    class %s %s" % (node_key(c["id"]), c["state"]))
    return "\n".join(lines) + "\n"


def format_inboxes(component, skip_control=True):
    """``"inbox 3/64 data 0/8"``: fill/capacity of each inbox (control hidden by default)."""
    parts = []
    ibs = component["inboxes"]
    for n in sorted(ibs):
        if skip_control and n == "control":
            continue
        parts.append("%s %d/%d" % (n, ibs[n][0], ibs[n][1]))
    return " ".join(parts)


def format_table(snapshot, rate=None, width=100):
    """A text table, one line per component (tree-indented under its parent).

    ``rate`` is the result of :func:`rates` (optional): messages received and steps per second.
    """
    ids = by_id(snapshot)
    kids = children_of(snapshot)
    header = "%5s  %-32s %-8s %8s %8s %6s  %s" % ("ID", "COMPONENT", "STATE", "MSG/S", "STEP/S", "DROPS", "INBOXES")
    lines = [header[:width]]
    rate = rate or {}

    def fmt_rate(r, key):
        if key not in r:
            return "-"
        return "%.1f" % r[key]

    def emit(cid, depth):
        c = ids[cid]
        r = rate.get(cid, {})
        name = ("  " * depth + c["name"])[:32]
        line = "%5d  %-32s %-8s %8s %8s %6d  %s" % (cid, name, c["state"], fmt_rate(r, "received"),
                                                    fmt_rate(r, "steps"), total_drops(c), format_inboxes(c))
        lines.append(line[:width])
        for k in kids.get(cid, ()):
            emit(k, depth + 1)

    for r in roots(snapshot):
        emit(r, 0)
    return lines


def summary_line(snapshot):
    """``"7 components (3 running, 4 paused...), 5 links, inboxes 12/448"``."""
    states = {}
    for c in snapshot:
        states[c["state"]] = states.get(c["state"], 0) + 1
    used, cap = box_fill(snapshot)
    parts = ["%d %s" % (states[s], s) for s in sorted(states)]
    return "%d components (%s), %d links, inboxes %d/%d" % (
        len(snapshot), ", ".join(parts) or "none", len(graph_edges(snapshot)), used, cap)


def encode_snapshot(snapshot, t=None):
    """One JSON line (bytes, ending in ``\\n``): ``{"t": t, "components": snapshot}``."""
    return (json.dumps({"t": t, "components": snapshot}) + "\n").encode()


def decode_snapshot(line):
    """Inverse of :func:`encode_snapshot`: ``(t, snapshot)``. ValueError on a malformed line."""
    if isinstance(line, bytes):
        line = line.decode()
    doc = json.loads(line)
    if not isinstance(doc, dict) or not isinstance(doc.get("components"), list):
        raise ValueError("not a microaxon snapshot line")
    comps = doc["components"]
    for c in comps:
        if not isinstance(c, dict) or "id" not in c or "outboxes" not in c:
            raise ValueError("snapshot entry without id/outboxes: %r" % (c,))
    return doc.get("t"), comps
