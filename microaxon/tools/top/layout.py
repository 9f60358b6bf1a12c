"""Left-to-right layered layout of a snapshot's component graph (pure logic, no pygame)."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from microaxon.introspect import graph_edges

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 180, 54, 110, 22, 20


def layers(snapshot: List[Dict[str, Any]]) -> List[List[int]]:
    """Component ids grouped in columns: each linked component one column right of its sources.

    Cycles are broken at the first edge that closes them; components with no links at all (a
    chassis, a timer) go in a last column of their own. Links out of a chassis (a component with
    children) are passthroughs and do not place anything.
    """
    ids = sorted(c["id"] for c in snapshot)
    succ: Dict[int, List[int]] = {i: [] for i in ids}
    pred_count: Dict[int, int] = {i: 0 for i in ids}
    linked = set()
    containers = {c["id"] for c in snapshot if c["children"]}
    for src, _, dst, _ in graph_edges(snapshot):
        if src in containers:
            continue            # a chassis' own outbox is a passthrough: its children carry the data
        if dst not in succ[src] and src != dst:
            succ[src].append(dst)
            pred_count[dst] += 1
        linked.add(src)
        linked.add(dst)
    # depth-first to drop back edges, then longest-path layering over the DAG that remains
    state: Dict[int, int] = {}
    dag: Dict[int, List[int]] = {i: [] for i in ids}

    def visit(n: int) -> None:
        state[n] = 1
        for m in succ[n]:
            if state.get(m) == 1:
                continue                    # back edge: part of a cycle, ignored for layering
            dag[n].append(m)
            if m not in state:
                visit(m)
        state[n] = 2

    for i in sorted(ids, key=lambda i: (pred_count[i] != 0, i)):
        if i not in state:
            visit(i)
    depth: Dict[int, int] = {}
    order: List[int] = []
    seen = set()

    def topo(n: int) -> None:
        seen.add(n)
        for m in dag[n]:
            if m not in seen:
                topo(m)
        order.append(n)

    for i in ids:
        if i not in seen:
            topo(i)
    for n in reversed(order):
        depth.setdefault(n, 0)
        for m in dag[n]:
            depth[m] = max(depth.get(m, 0), depth[n] + 1)
    columns: Dict[int, List[int]] = {}
    last = max([depth[i] for i in linked] + [-1]) + 1
    for i in ids:
        col = depth[i] if i in linked else last
        columns.setdefault(col, []).append(i)
    return [columns[k] for k in sorted(columns)]


def positions(snapshot: List[Dict[str, Any]]) -> Tuple[Dict[int, Tuple[int, int]], Tuple[int, int]]:
    """({id: (x, y) of the node's top-left corner}, (width, height) needed)."""
    pos: Dict[int, Tuple[int, int]] = {}
    cols = layers(snapshot)
    tallest = 0
    for ci, col in enumerate(cols):
        for ri, cid in enumerate(col):
            pos[cid] = (MARGIN + ci * (NODE_W + GAP_X), MARGIN + 24 + ri * (NODE_H + GAP_Y))
        tallest = max(tallest, len(col))
    width = MARGIN * 2 + max(len(cols), 1) * (NODE_W + GAP_X) - GAP_X
    height = MARGIN * 2 + 24 + max(tallest, 1) * (NODE_H + GAP_Y) - GAP_Y
    return pos, (width, height)
