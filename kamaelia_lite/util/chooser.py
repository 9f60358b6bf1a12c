"""`Chooser(items, loop=False)`: a cursor over items, moved by "NEXT", "PREV", "FIRST", "LAST", "SAME"."""

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component


class Chooser(component):
    """A cursor over `items`: emits the first at start, then one per command on inbox:
    "NEXT", "PREV", "FIRST", "LAST", "SAME". Past either end nothing is emitted unless
    loop=True, when it wraps round. Unknown commands are ignored and counted in `.unknown`."""

    def __init__(self, items=(), loop=False, **argd):
        super().__init__(**argd)
        self.items = list(items)
        self.loop = loop
        self.pos = 0
        self.unknown = 0

    def main(self):
        if self.items:
            self.send(self.items[0], "outbox")
        while True:
            while self.dataReady("inbox"):
                cmd = self.recv("inbox")
                n = len(self.items)
                if not n:
                    continue
                p = self.pos
                if cmd == "NEXT":
                    p = p + 1 if p + 1 < n else (0 if self.loop else None)
                elif cmd == "PREV":
                    p = p - 1 if p > 0 else (n - 1 if self.loop else None)
                elif cmd == "FIRST":
                    p = 0
                elif cmd == "LAST":
                    p = n - 1
                elif cmd != "SAME":
                    self.unknown += 1
                    p = None
                if p is not None:
                    self.pos = p
                    self.send(self.items[p], "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1
