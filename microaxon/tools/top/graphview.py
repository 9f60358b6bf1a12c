"""Draw a snapshot's component graph with pygame: a live window, or PNG files when headless."""
from __future__ import annotations

import math
import os
import sys
from typing import Any, Dict, List, Optional, Tuple

from microaxon.introspect import by_id, format_inboxes, graph_edges, summary_line

from .layout import GAP_X, GAP_Y, NODE_H, NODE_W, positions

COLOURS = {
    "running": (152, 251, 152),
    "paused": (211, 211, 211),
    "timer": (173, 216, 230),
    "io": (240, 230, 140),
    "space": (250, 128, 114),
}
BACKGROUND = (250, 250, 246)
INK = (30, 30, 30)
EDGE = (70, 90, 160)
PARENT = (170, 170, 170)
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def headless() -> bool:
    """True when no window can be shown (SDL dummy driver, or no X11/Wayland display on Linux)."""
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return True
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


class GraphRenderer:
    """Renders snapshots onto a pygame Surface (``render``) sized to fit the graph."""

    def __init__(self) -> None:
        import pygame

        self.pygame = pygame
        pygame.font.init()
        self.font = pygame.font.Font(None, 18)
        self.small = pygame.font.Font(None, 15)

    def render(self, snapshot: List[Dict[str, Any]], title: str = "", size: Optional[Tuple[int, int]] = None):
        """A new Surface showing the graph: nodes coloured by state, links as labelled arrows."""
        pg = self.pygame
        pos, need = positions(snapshot)
        w, h = size or (max(need[0], 480), max(need[1], 200))
        surf = pg.Surface((w, h))
        surf.fill(BACKGROUND)
        comps = by_id(snapshot)
        header = (title + "  " if title else "") + summary_line(snapshot)
        surf.blit(self.font.render(header, True, INK), (8, 6))
        parent_of = {}
        for c in snapshot:                       # containment is written in the child's box
            for k in c["children"]:
                parent_of[k] = c["name"]
        labels: Dict[Tuple[int, int], List[str]] = {}
        containers = {c["id"] for c in snapshot if c["children"]}
        for src, ob, dst, ib in graph_edges(snapshot):   # parallel links share one arrow
            if src in containers or dst in containers:
                continue                       # a chassis passthrough: its children carry the data
            labels.setdefault((src, dst), []).append(ob + "->" + ib)
        self._lanes: Dict[Any, int] = {}
        self._taken: List[Any] = [pg.Rect(x, y, NODE_W, NODE_H) for x, y in pos.values()]
        self._taken.append(pg.Rect(0, 0, w, 24))
        routed = []
        for (src, dst), texts in sorted(labels.items()):
            if src in pos and dst in pos:
                routed.append((self._route(pos[src], pos[dst]), texts))
        self.paths = [points for points, _ in routed]       # kept for checks (tests)
        self.nodes = [pg.Rect(x, y, NODE_W, NODE_H) for x, y in pos.values()]
        self.label_rects = []
        for points, _ in routed:
            self._draw_path(surf, points)
        for points, texts in routed:
            self._label(surf, points, texts)
        for cid, (x, y) in pos.items():
            c = comps[cid]
            rect = pg.Rect(x, y, NODE_W, NODE_H)
            pg.draw.rect(surf, COLOURS.get(c["state"], (255, 255, 255)), rect, border_radius=6)
            pg.draw.rect(surf, INK, rect, 1, border_radius=6)
            surf.blit(self.font.render(c["name"][:26], True, INK), (x + 6, y + 5))
            state = c["state"] + (("  in " + parent_of[cid]) if cid in parent_of else "")
            surf.blit(self.small.render(state[:34], True, INK), (x + 6, y + 22))
            surf.blit(self.small.render(format_inboxes(c)[:34], True, INK), (x + 6, y + 36))
        return surf

    def _lane(self, key: Any, span: int) -> int:
        """An offset for the next line through a gap, so parallel lines stay apart."""
        k = self._lanes.get(key, 0)
        self._lanes[key] = k + 1
        step = 7
        slots = max(1, span // step)
        return (k % slots) * step - (slots // 2) * step

    def _route(self, a: Tuple[int, int], b: Tuple[int, int]) -> List[Tuple[int, int]]:
        """An orthogonal path from box ``a`` to box ``b`` through the gaps between columns and
        the channels between rows, so no line runs under a box."""
        start = (a[0] + NODE_W, a[1] + NODE_H // 2)
        end = (b[0], b[1] + NODE_H // 2)
        if a == b:
            return [(a[0] + NODE_W - 20, a[1]), (a[0] + NODE_W - 20, a[1] - 8), (a[0] + NODE_W - 5, a[1] - 8),
                    (a[0] + NODE_W - 5, a[1])]
        x1 = start[0] + GAP_X // 2 + self._lane(("gap", start[0]), GAP_X - 30)
        x2 = end[0] - GAP_X // 2 + self._lane(("gap", end[0] - GAP_X), GAP_X - 30)
        x2 = max(3 + self._lanes[("gap", end[0] - GAP_X)] % 3 * 4, min(x2, end[0] - 10))   # the left margin
        if b[0] == a[0] + NODE_W + GAP_X:                     # next column: one bend in the gap
            return [start, (x1, start[1]), (x1, end[1]), end]
        top = min(a[1], b[1]) if b[0] <= a[0] else b[1]
        cy = top - GAP_Y // 2 + self._lane(("row", top), GAP_Y - 8)
        return [start, (x1, start[1]), (x1, cy), (x2, cy), (x2, end[1]), end]

    def _draw_path(self, surf, points: List[Tuple[int, int]]) -> None:
        pg = self.pygame
        pg.draw.lines(surf, EDGE, False, points, 2)
        end, before = points[-1], points[-2]
        ang = math.atan2(end[1] - before[1], end[0] - before[0])
        for d in (2.6, -2.6):
            tip = (end[0] + 8 * math.cos(ang + d), end[1] + 8 * math.sin(ang + d))
            pg.draw.line(surf, EDGE, end, tip, 2)

    def _label(self, surf, points: List[Tuple[int, int]], texts: List[str]) -> None:
        """The link names beside the path's first stretch, moved until they overlap no box and
        no other label."""
        pg = self.pygame
        imgs = [self.small.render(t, True, EDGE) for t in texts]
        lw = max(i.get_width() for i in imgs) + 4
        lh = 12 * len(imgs) + 2
        x0, y0 = points[0][0] + 3, points[0][1]
        rect = pg.Rect(x0, y0 - lh - 1, lw, lh)
        for k in range(24):
            dy = (k + 1) // 2 * 13 * (1 if k % 2 else -1)
            cand = rect.move(0, dy)
            if cand.collidelist(self._taken) < 0 and cand.top >= 0:
                rect = cand
                break
        self._taken.append(rect)
        self.label_rects.append(rect)
        pg.draw.rect(surf, BACKGROUND, rect)
        for i, img in enumerate(imgs):
            surf.blit(img, (rect.x + 2, rect.y + 1 + 12 * i))


def save_png(snapshot: List[Dict[str, Any]], path: str, title: str = "") -> str:
    """Render one snapshot to a PNG file (works without any display); returns the path."""
    import pygame

    surf = GraphRenderer().render(snapshot, title)
    pygame.image.save(surf, path)
    return path
