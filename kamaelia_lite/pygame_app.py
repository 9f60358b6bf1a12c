"""A frame-loop pygame application as a component, with an event-handler table (Kamaelia's
names: Kamaelia.UI.MH.{PyGameApp, DragHandler}).

Subclass `PyGameApp(screensize, caption=...)`: it takes a surface from the shared pygame
display (kamaelia_lite.displays.display), calls your ``initialiseComponent()`` once, then every
frame hands pygame events to the handlers registered with ``addHandler(event_type, handler)``
(a handler returning True stops the others seeing that event), calls your ``mainLoop()`` to
draw on ``self.screen``, and asks the display to show it. Frames come ``fps`` times a second
(a timer wait, not a busy loop). ``quit()`` (or the window closing, or a control message)
ends it; it prints "QUIT" as Kamaelia's did.

`DragHandler(event, app)`: made on a mouse-button-down event; if ``detect(pos, button)``
returns a position, it follows the mouse, calling ``drag(x, y)`` on each move and
``release(x, y)`` when the button comes up. Subclass it and define those three.
"""
from typing import Any, Callable, Dict, List, Optional, Tuple

import pygame

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component


class PyGameApp(component):
    """A pygame frame loop with event handlers (see module doc)."""

    Inboxes = {"inbox": "unused", "control": "shutdown signals", "events": "pygame events from the display"}
    Outboxes = {"outbox": "unused", "signal": "shutdown signals"}

    fps = 30

    def __init__(self, screensize: Tuple[int, int] = (800, 600), caption: str = "PyGame Application",
                 fullscreen: bool = False, depth: int = 0, transparency: Any = None,
                 position: Optional[Tuple[int, int]] = None, **argd: Any) -> None:
        super().__init__(**argd)
        self.screensize = (int(screensize[0]), int(screensize[1]))
        self.caption = caption
        self.fullscreen = fullscreen
        self.transparency = transparency
        self.position = position
        self.eventHandlers: Dict[int, List[Callable[[Any], Any]]] = {}
        self.quitting = False
        self.screen: Optional[pygame.Surface] = None
        self._service: Any = None
        pygame.font.init()          # apps make fonts in their constructors, as Kamaelia's allowed

    def addHandler(self, eventtype: int, handler: Callable[[Any], Any]) -> None:
        """Call handler(event) for each event of this type (newest handler first)."""
        self.eventHandlers.setdefault(eventtype, []).insert(0, handler)
        if self._service is not None and self.screen is not None:
            self._service.listen(self.screen, eventtype)

    def removeHandler(self, eventtype: int, handler: Callable[[Any], Any]) -> None:
        handlers = self.eventHandlers.get(eventtype, [])
        if handler in handlers:
            handlers.remove(handler)

    def quit(self, event: Any = None) -> None:
        self.quitting = True

    def initialiseComponent(self) -> None:
        """Override: set up, once the surface exists."""

    def mainLoop(self) -> Any:
        """Override: draw one frame on self.screen."""
        return 1

    def events(self):
        while self.dataReady("events"):
            yield from self.recv("events")

    def _dispatch(self) -> None:
        for event in self.events():
            for handler in list(self.eventHandlers.get(event.type, ())):
                if handler(event):
                    break

    def main(self):
        from kamaelia_lite.displays.display import PygameDisplay
        self._service = PygameDisplay.getDisplayService(self._sched)
        self.screen = self._service.request_surface(self, self.screensize, position=self.position,
                                                    events=(self, "events"), listen=(pygame.QUIT,),
                                                    transparency=self.transparency)
        try:
            pygame.display.set_caption(self.caption)
            for eventtype in self.eventHandlers:
                self._service.listen(self.screen, eventtype)
            self.addHandler(pygame.QUIT, self.quit)
            self.initialiseComponent()
            while not self.quitting:
                if passed_shutdown_on(self):
                    break
                self._dispatch()
                if not self.quitting:
                    self.mainLoop()
                    self._service.redraw()
                self.pause(1.0 / self.fps)
                yield 1
            print("QUIT")
        finally:
            self._service.release(self.screen)


class DragHandler:
    """Follows a mouse drag that starts on something `detect` accepts (see module doc)."""

    def __init__(self, event: Any, app: PyGameApp) -> None:
        self.app = app
        centre = self.detect(event.pos, event.button)
        if centre:
            self.offset = (event.pos[0] - centre[0], event.pos[1] - centre[1])
            app.addHandler(pygame.MOUSEMOTION, self.handleMouseMove)
            app.addHandler(pygame.MOUSEBUTTONUP, self.handleMouseUp)

    def detect(self, pos: Tuple[int, int], button: int) -> Any:
        """Override: a position (the dragged thing's centre) to start dragging, else False."""
        return False

    def drag(self, newx: float, newy: float) -> None:
        """Override: the thing is now at (newx, newy)."""

    def release(self, newx: float, newy: float) -> None:
        """Override: the drag ended at (newx, newy)."""

    def handleMouseMove(self, event: Any) -> bool:
        self.drag(event.pos[0] - self.offset[0], event.pos[1] - self.offset[1])
        return True

    def handleMouseUp(self, event: Any) -> bool:
        self.release(event.pos[0] - self.offset[0], event.pos[1] - self.offset[1])
        self.app.removeHandler(pygame.MOUSEMOTION, self.handleMouseMove)
        self.app.removeHandler(pygame.MOUSEBUTTONUP, self.handleMouseUp)
        return True
