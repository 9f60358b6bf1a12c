"""The pygame display service: one window shared by many display components.

Like Kamaelia's Pygame Display service, it owns the window, hands each component its own
surface at a position, composes the surfaces when one of them changes, and routes pygame
events (mouse events only to the surface under the pointer, with positions made local to
that surface; keys to every component listening for them).

Components ask it for a surface with a direct call (all run in the scheduler's thread)::

    service = PygameDisplay.getDisplayService(scheduler)
    surface = service.request_surface(self, (w, h), position=(x, y),
                                      events=(self, "events"), listen=(pygame.KEYDOWN,))
    ...draw on surface...
    service.redraw()            # compose and flip soon
    service.release(surface)    # in finally; the service ends with its last surface

Configure the window before the first request with
``PygameDisplay.setDisplayService(PygameDisplay(width=.., height=.., ...))``.
Headless (``SDL_VIDEODRIVER=dummy``) the service can write every composed frame as a PNG
(``frames_dir``), so a person can look at what the display showed.
"""
from __future__ import annotations

import os
from typing import List, Optional, Tuple

import pygame

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished, shutdownMicroprocess

MOUSE_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION)


def screen_size(requested: Optional[Tuple[int, int]] = None, fullscreen: bool = False,
                default: Tuple[int, int] = (800, 600)) -> Tuple[int, int]:
    """The size a program's window should be: ``requested`` (a --size option) when given; else,
    full screen, the screen's own size (so the picture fills it, not a corner of it); else
    ``default``."""
    if requested:
        return (int(requested[0]), int(requested[1]))
    if fullscreen:
        pygame.display.init()
        sizes = pygame.display.get_desktop_sizes()
        if sizes and sizes[0][0] > 0 and sizes[0][1] > 0:
            return (int(sizes[0][0]), int(sizes[0][1]))
    return (int(default[0]), int(default[1]))


class SurfaceEvent:
    """A pygame event copied for one surface: ``pos`` made local to that surface."""

    def __init__(self, event: pygame.event.Event, offset: Tuple[int, int] = (0, 0)) -> None:
        self.type = event.type
        for k, v in event.__dict__.items():
            setattr(self, k, v)
        if hasattr(event, "pos"):
            self.pos = (event.pos[0] - offset[0], event.pos[1] - offset[1])

    def __repr__(self) -> str:
        return "<SurfaceEvent %s %r>" % (pygame.event.event_name(self.type), self.__dict__)


class _Client:
    __slots__ = ("owner", "surface", "position", "outbox", "wanted", "transparency")

    def __init__(self, owner, surface, position, outbox, wanted, transparency):
        self.owner = owner
        self.surface = surface
        self.position = position
        self.outbox = outbox
        self.wanted = wanted
        self.transparency = transparency


class PygameDisplay(component):
    """Owns the pygame window. Keyword arguments (defaults as Kamaelia's):

    width=1024, height=768, background_colour=(255, 255, 255), fullscreen=False,
    caption="kamaelia_lite", frames_dir=None (write frame_00000.png... on each compose),
    frame_every=1 (write every Nth composed frame), event_interval=1/60 (how often pygame's
    event queue is read while someone listens for events; a timer wait, not polling),
    close_check_interval=0.25 (how often it is read otherwise, for the window's close button),
    quit_on_close=True (closing the window sends shutdownMicroprocess to every component
    showing a surface; they finish, and the service ends with the last surface).
    """

    Inboxes = {"inbox": "unused", "control": "shutdown: close the window now"}
    Outboxes = {"outbox": "unused", "signal": "producerFinished when the window closes"}

    width = 1024
    height = 768
    background_colour = (255, 255, 255)
    fullscreen = False
    caption = "kamaelia_lite"
    frames_dir: Optional[str] = None
    frame_every = 1
    event_interval = 1.0 / 60
    close_check_interval = 0.25
    quit_on_close = True

    _service: Optional[PygameDisplay] = None

    def __init__(self, **argd) -> None:
        super().__init__(**argd)
        self.clients: List[_Client] = []
        self.had_clients = False
        self.dirty = True
        self.frames_written = 0
        self.composed = 0
        self.screen: Optional[pygame.Surface] = None
        self._next_position = (0, 0)
        self._open()

    # -- the process-wide service (Kamaelia's names) -------------------------------------
    @classmethod
    def getDisplayService(cls, scheduler=None) -> PygameDisplay:
        """The running display service, made (with default settings) if there is none."""
        svc = cls._service
        stale = svc is not None and svc._sched is not None and scheduler is not None and svc._sched is not scheduler
        if svc is None or svc.finished() or stale:
            svc = cls()            # (a service left on another scheduler, e.g. by a failed test, is dropped)
            cls._service = svc
        if svc._sched is None:
            svc.activate(scheduler)
        return svc

    @classmethod
    def setDisplayService(cls, display: PygameDisplay) -> None:
        """Use ``display`` (a PygameDisplay with your settings) as the service."""
        cls._service = display

    # -- window ----------------------------------------------------------------------------
    def _open(self) -> None:
        pygame.display.init()
        flags = pygame.FULLSCREEN if self.fullscreen else 0
        self.screen = pygame.display.set_mode((int(self.width), int(self.height)), flags)
        pygame.display.set_caption(self.caption)
        if self.frames_dir:
            os.makedirs(self.frames_dir, exist_ok=True)

    # -- client API (direct calls from components in the same scheduler) -----------------
    def request_surface(self, owner: component, size: Tuple[int, int],
                        position: Optional[Tuple[int, int]] = None,
                        events: Optional[Tuple[component, str]] = None,
                        listen=(), transparency=None) -> pygame.Surface:
        """A new surface of ``size`` shown at ``position`` (Kamaelia's cascade if None).

        events: (component, inbox) that receives lists of SurfaceEvents of the ``listen`` types.
        transparency: a colour drawn as see-through.
        """
        surface = pygame.Surface((int(size[0]), int(size[1])))
        if transparency is not None:
            surface.set_colorkey(transparency)
        if position is None:
            position = self._next_position
            self._next_position = (position[0] + 50, position[1] + 50)
        outbox = None
        if events is not None:
            outbox = self.addOutbox("events")
            self.link((self, outbox), events)
        self.clients.append(_Client(owner, surface, (int(position[0]), int(position[1])), outbox,
                                    set(listen), transparency))
        self.had_clients = True
        self.redraw()
        return surface

    def listen(self, surface: pygame.Surface, event_type: int) -> None:
        """Also route events of ``event_type`` to the owner of ``surface``."""
        for c in self.clients:
            if c.surface is surface:
                c.wanted.add(event_type)
        self.unpause()

    def move(self, surface: pygame.Surface, position: Tuple[int, int]) -> None:
        for c in self.clients:
            if c.surface is surface:
                c.position = (int(position[0]), int(position[1]))
        self.redraw()

    def release(self, surface: pygame.Surface) -> None:
        """The owner is done with ``surface``: it disappears from the window."""
        for c in list(self.clients):
            if c.surface is surface:
                self.clients.remove(c)
                if c.outbox is not None:
                    try:
                        self.deleteOutbox(c.outbox)
                    except Exception:  # already torn down with the owner's links
                        pass
        self.redraw()

    def redraw(self) -> None:
        """Compose the window soon (call after drawing on your surface)."""
        self.dirty = True
        self.unpause()

    # -- work ------------------------------------------------------------------------------
    def compose(self) -> None:
        screen = self.screen
        screen.fill(self.background_colour)
        for c in self.clients:
            screen.blit(c.surface, c.position)
        pygame.display.flip()
        self.composed += 1
        self.dirty = False
        if self.frames_dir and (self.composed - 1) % max(1, int(self.frame_every)) == 0:
            self.save_frame(os.path.join(self.frames_dir, "frame_%05d.png" % self.frames_written))
            self.frames_written += 1

    def save_frame(self, path: str) -> None:
        """Write the window as it is now to an image file (PNG by extension)."""
        pygame.image.save(self.screen, path)

    def _route(self, events) -> None:
        for c in self.clients:
            if c.outbox is None or not c.wanted:
                continue
            bundle = []
            for e in events:
                if e.type not in c.wanted:
                    continue
                if e.type in MOUSE_EVENTS:
                    x, y = e.pos
                    px, py = c.position
                    w, h = c.surface.get_size()
                    if not (px <= x < px + w and py <= y < py + h):
                        continue
                    bundle.append(SurfaceEvent(e, c.position))
                else:
                    bundle.append(SurfaceEvent(e))
            if bundle:
                try:
                    self.send(bundle, c.outbox)
                except Exception as exc:  # a listener that cannot keep up loses this batch
                    import sys
                    sys.stderr.write("PygameDisplay: events for %s dropped: %s\n" % (c.owner, exc))

    def close_all(self) -> None:
        """Ask every component showing a surface to finish (the window was closed)."""
        for c in self.clients:
            if "control" not in c.owner._ib:
                continue
            box = self.addOutbox("quit")
            try:
                self.link((self, box), (c.owner, "control"))
                self.send(shutdownMicroprocess(self), box)
            except Exception as exc:
                import sys
                sys.stderr.write("PygameDisplay: could not stop %s: %s\n" % (c.owner, exc))

    def _listening(self) -> bool:
        for c in self.clients:
            if c.outbox is not None and c.wanted:
                return True
        return False

    def main(self):
        try:
            while True:
                if passed_shutdown_on(self):
                    return
                listening = self._listening()
                events = pygame.event.get()
                if events:
                    if listening:
                        self._route(events)
                    if self.quit_on_close:
                        for e in events:
                            if e.type == pygame.QUIT:
                                self.close_all()
                                break
                if self.dirty:
                    self.compose()
                if self.had_clients and not self.clients:
                    self.send(producerFinished(self), "signal")
                    return
                if not self.clients:
                    self.pause()
                else:
                    self.pause(self.event_interval if listening else self.close_check_interval)
                yield 1
        finally:
            if PygameDisplay._service is self:
                PygameDisplay._service = None
            pygame.display.quit()
