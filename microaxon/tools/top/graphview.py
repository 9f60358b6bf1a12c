"""Draw a snapshot's component graph with pygame: a live window, or PNG files when headless."""
from __future__ import annotations

import math
import os
import sys
from typing import Any, Dict, List, Optional, Tuple

from microaxon.introspect import by_id, format_inboxes, graph_edges, summary_line

from .layout import NODE_H, NODE_W, positions

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
        for c in snapshot:                                  # parent -> child: thin grey lines
            for k in c["children"]:
                if k in pos and c["id"] in pos:
                    pg.draw.line(surf, PARENT, self._centre(pos[c["id"]]), self._centre(pos[k]), 1)
        labels: Dict[Tuple[int, int], List[str]] = {}
        containers = {c["id"] for c in snapshot if c["children"]}
        for src, ob, dst, ib in graph_edges(snapshot):   # parallel links share one arrow
            if src in containers:                          # a chassis passthrough: a faint line
                if src in pos and dst in pos:
                    pg.draw.line(surf, PARENT, self._centre(pos[src]), self._centre(pos[dst]), 1)
                continue
            labels.setdefault((src, dst), []).append(ob + "->" + ib)
        for (src, dst), texts in labels.items():
            if src in pos and dst in pos:
                self._arrow(surf, pos[src], pos[dst], texts)
        for cid, (x, y) in pos.items():
            c = comps[cid]
            rect = pg.Rect(x, y, NODE_W, NODE_H)
            pg.draw.rect(surf, COLOURS.get(c["state"], (255, 255, 255)), rect, border_radius=6)
            pg.draw.rect(surf, INK, rect, 1, border_radius=6)
            surf.blit(self.font.render(c["name"][:26], True, INK), (x + 6, y + 5))
            surf.blit(self.small.render(c["state"], True, INK), (x + 6, y + 22))
            surf.blit(self.small.render(format_inboxes(c)[:34], True, INK), (x + 6, y + 36))
        return surf

    @staticmethod
    def _centre(p: Tuple[int, int]) -> Tuple[int, int]:
        return (p[0] + NODE_W // 2, p[1] + NODE_H // 2)

    def _arrow(self, surf, a: Tuple[int, int], b: Tuple[int, int], labels: List[str]) -> None:
        pg = self.pygame
        if a[0] < b[0]:
            start, end = (a[0] + NODE_W, a[1] + NODE_H // 2), (b[0], b[1] + NODE_H // 2)
        elif a == b:
            start, end = (a[0] + NODE_W - 20, a[1]), (a[0] + NODE_W - 5, a[1])
        else:                                               # backwards/same column: go below
            start, end = (a[0] + NODE_W // 2, a[1] + NODE_H), (b[0] + NODE_W // 2, b[1] + NODE_H)
        pg.draw.line(surf, EDGE, start, end, 2)
        ang = math.atan2(end[1] - start[1], end[0] - start[0])
        for d in (2.6, -2.6):
            tip = (end[0] + 9 * math.cos(ang + d), end[1] + 9 * math.sin(ang + d))
            pg.draw.line(surf, EDGE, end, tip, 2)
        y = (start[1] + end[1]) // 2 - 4 - 12 * len(labels)
        for i, text in enumerate(labels):
            img = self.small.render(text, True, EDGE)
            surf.blit(img, ((start[0] + end[0] - img.get_width()) // 2, y + 12 * i))


def save_png(snapshot: List[Dict[str, Any]], path: str, title: str = "") -> str:
    """Render one snapshot to a PNG file (works without any display); returns the path."""
    import pygame

    surf = GraphRenderer().render(snapshot, title)
    pygame.image.save(surf, path)
    return path
