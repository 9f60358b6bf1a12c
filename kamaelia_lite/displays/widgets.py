"""pygame widgets with Kamaelia's names, arguments and defaults: ``Button``, ``Image``,
``TextDisplayer`` and ``Textbox`` (Kamaelia.UI.Pygame.Button / .Image / .Text).

Each takes a surface from the shared display service (``kamaelia_lite.displays.display``) at its
``position`` and draws there; events (clicks, keys) come from the service as lists of
events on the box Kamaelia used. A widget finishes on ``producerFinished`` or
``shutdownMicroprocess`` on ``control`` (passing it on through ``signal``) and gives its
surface back; when the last surface goes, the window closes.

The slideshow (Kamaelia's Graphline demo) wires them with ``Chooser``::

    Graphline(CHOOSER=Chooser(items=files),
              IMAGE=Image(size=(800, 600), position=(8, 48)),
              NEXT=Button(caption="Next", msg="NEXT", position=(72, 8)),
              PREVIOUS=Button(caption="Previous", msg="PREV", position=(8, 8)),
              linkages={("NEXT", "outbox"): ("CHOOSER", "inbox"),
                        ("PREVIOUS", "outbox"): ("CHOOSER", "inbox"),
                        ("CHOOSER", "outbox"): ("IMAGE", "inbox")}).run()
"""
from __future__ import annotations

import io
import sys
from typing import Optional, Tuple

import pygame

from kamaelia_lite.displays.display import PygameDisplay
from kamaelia_lite.draw.canvas_pygame import PygameCanvas
from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component


def _report(widget: component, what: str) -> None:
    sys.stderr.write("%s: %s\n" % (widget.name, what))
    try:
        widget.send(("error", what), "errors")
    except Exception:  # errors outbox full: stderr has it
        pass


class _Widget(component):
    """Shared life of a widget: get a surface, run ``step()`` on each wake-up, give it back."""

    _events_box = "inbox"
    _listen: Tuple[int, ...] = ()

    def _setup(self):
        self._service = PygameDisplay.getDisplayService(self._sched)
        self.display = self._service.request_surface(
            self, self.size, position=self.position, events=(self, self._events_box),
            listen=self._listen, transparency=self._transparency())

    def _transparency(self):
        return None

    def redraw(self) -> None:
        self._service.redraw()

    def main(self):
        self._service = None
        self.display = None
        try:
            self._setup()
            self.draw()
            while True:
                if passed_shutdown_on(self):
                    return
                self.step()
                self.pause()
                yield 1
        finally:
            if self._service is not None and self.display is not None:
                self._service.release(self.display)

    def draw(self) -> None:
        """Draw the whole widget on its surface."""

    def step(self) -> None:
        """Handle what arrived."""


class Button(_Widget):
    """A clickable button (Kamaelia's Button). Arguments and defaults as Kamaelia's:

    caption=None ("Button <id>"), position=None, margin=8, bgcolour=(224, 224, 224),
    fgcolour=(0, 0, 0), msg=None (("CLICK", id)), key=None (a pygame key code that also
    clicks), transparent=False, size=None (caption size plus margins).
    Sends ``msg`` on ``outbox`` for each click inside it or press of ``key``.
    """

    Inboxes = {"inbox": "events from the display service", "control": "shutdown",
               "callback": "unused (Kamaelia's surface callback)"}
    Outboxes = {"outbox": "msg, once per click", "signal": "shutdown", "display_signal": "unused",
                "errors": "problems"}
    _listen = (pygame.MOUSEBUTTONDOWN, pygame.KEYDOWN)

    def __init__(self, caption=None, position=None, margin=8, bgcolour=(224, 224, 224), fgcolour=(0, 0, 0),
                 msg=None, key=None, transparent=False, size=None, **argd):
        super().__init__(**argd)
        self.backgroundColour = bgcolour
        self.foregroundColour = fgcolour
        self.margin = margin
        self.key = key
        self.caption = "Button " + str(self.id) if caption is None else caption
        self.size = size
        self.position = position
        self.transparent = transparent
        self.eventMsg = ("CLICK", self.id) if msg is None else msg
        self.clicks = 0
        if not pygame.font.get_init():
            pygame.font.init()
        self._build_caption(self.caption)

    def _build_caption(self, text: str) -> None:
        self.image = pygame.font.Font(None, 14).render(text, True, self.foregroundColour)
        w, h = self.image.get_size()
        if not self.size:
            self.size = (w + 2 * self.margin, h + 2 * self.margin)
            self.imagePosition = (self.margin, self.margin)
        else:
            self.imagePosition = ((self.size[0] - w) // 2, (self.size[1] - h) // 2)

    def _transparency(self):
        return self.backgroundColour if self.transparent else None

    def draw(self) -> None:
        self.display.fill(self.backgroundColour)
        self.display.blit(self.image, self.imagePosition)
        self.redraw()

    def click(self) -> None:
        self.clicks += 1
        self.send(self.eventMsg, "outbox")

    def step(self) -> None:
        while self.dataReady("inbox"):
            for event in self.recv("inbox"):
                if event.type == pygame.MOUSEBUTTONDOWN:
                    if self.display.get_rect().collidepoint(*event.pos):
                        self.click()
                elif event.type == pygame.KEYDOWN and self.key is not None and event.key == self.key:
                    self.click()


class Image(_Widget):
    """Shows an image file (Kamaelia's Image). Arguments and defaults as Kamaelia's:

    image=None (file name), position=None, bgcolour=(128, 128, 128), size=None (the image's
    size, or (240, 192) without one), displayExtra=None (ignored), maxpect=0 ((w, h) to scale
    the image to), expect_file_strings=0 (inbox carries image bytes, not file names).
    A file name (or bytes) on ``inbox`` replaces the image; a colour on ``bgcolour`` changes
    the background; ``alphacontrol`` takes 0..255. A file that cannot be loaded is reported
    on stderr and ``errors``; the background is shown and the component keeps running.
    """

    Inboxes = {"inbox": "file name (or bytes) of a new image", "control": "shutdown",
               "callback": "unused", "bgcolour": "new background colour", "events": "events",
               "alphacontrol": "alpha 0..255"}
    Outboxes = {"outbox": "unused", "signal": "shutdown", "display_signal": "unused",
                "errors": "('error', message) for images that could not be loaded"}
    _events_box = "events"

    def __init__(self, image=None, position=None, bgcolour=(128, 128, 128), size=None, displayExtra=None,
                 maxpect=0, expect_file_strings=0, **argd):
        super().__init__(**argd)
        self.backgroundColour = bgcolour
        self.size = size
        self.position = position
        self.maxpect = maxpect
        self.expect_file_strings = expect_file_strings
        self.imagePosition = (0, 0)
        self.image: Optional[pygame.Surface] = None
        self.shown = None
        self.load_errors = 0
        if image is not None:
            self._load(image)
        if self.size is None:
            self.size = (240, 192)

    def _load(self, source) -> bool:
        try:
            if isinstance(source, (bytes, bytearray)):
                img = pygame.image.load(io.BytesIO(bytes(source)))
            else:
                img = pygame.image.load(source)
        except (pygame.error, OSError, ValueError, TypeError) as e:
            self.load_errors += 1
            self.image = None
            _report(self, "cannot load image %r: %s" % (source if isinstance(source, str) else "<bytes>", e))
            return False
        if self.maxpect:
            img = pygame.transform.scale(img, (int(self.maxpect[0]), int(self.maxpect[1])))
        if self.size is None:
            self.size = img.get_size()
        self.image = img
        self.shown = source
        return True

    def draw(self) -> None:
        self.display.fill(self.backgroundColour)
        if self.image is not None:
            self.display.blit(self.image, self.imagePosition)
        self.redraw()

    def step(self) -> None:
        change = False
        while self.dataReady("alphacontrol"):
            self.display.set_alpha(self.recv("alphacontrol"))
            change = True
        while self.dataReady("bgcolour"):
            self.backgroundColour = self.recv("bgcolour")
            change = True
        while self.dataReady("inbox"):
            self._load(self.recv("inbox"))
            change = True
        while self.dataReady("events"):
            self.recv("events")
        if change:
            self.draw()


class TextDisplayer(_Widget):
    """Shows each message on its own line at the bottom, older lines scrolling up, long
    lines wrapped (Kamaelia's TextDisplayer). Defaults as Kamaelia's: size=(500, 300),
    text_height=18, bgcolour=(255, 255, 200), fgcolour=(0, 0, 0), position=(0, 0),
    transparent=False, font_file=None, padding=0, border_size=0, border_colour=(128, 128, 128).
    """

    Inboxes = {"inbox": "lines of text", "control": "shutdown", "_surface": "unused",
               "_quitevents": "window close", "_events": "events"}
    Outboxes = {"outbox": "unused", "signal": "shutdown", "_pygame": "unused", "errors": "problems"}
    _events_box = "_quitevents"

    size = (500, 300)
    text_height = 18
    bgcolour = (255, 255, 200)
    fgcolour = (0, 0, 0)
    position = (0, 0)
    transparent = False
    font_file = None
    padding = 0
    border_size = 0
    border_colour = (128, 128, 128)

    def __init__(self, **argd):
        super().__init__(**argd)
        self.lines_shown = 0

    def _transparency(self):
        return self.bgcolour if self.transparent else None

    def _setup(self):
        super()._setup()
        self.canvas = PygameCanvas(self.display, font=self.font_file, default_size=self.text_height,
                                   on_present=self.redraw)

    def _inner(self):
        p = self.padding + self.border_size
        return p, p, self.size[0] - 2 * p, self.size[1] - 2 * p

    def draw(self) -> None:
        c = self.canvas
        c.fill(self.border_colour if self.border_size else self.bgcolour)
        x, y, w, h = self._inner()
        c.fill_rect(x, y, w, h, self.bgcolour)
        c.present()

    def show_line(self, text: str) -> None:
        """Scroll up and write ``text`` (wrapped) at the bottom. Only the lines that stay on
        screen are drawn: the last ``h / line height`` push everything before them out."""
        c = self.canvas
        x, y, w, h = self._inner()
        lh = c.line_height()
        lines = c.wrap(str(text), w) or [""]
        keep = max(1, -(-h // lh)) if lh > 0 else 1
        for line in lines[-keep:]:
            c.scroll(0, -lh, x, y, w, h)
            c.fill_rect(x, y + h - lh, w, lh, self.bgcolour)
            c.text(line, x, y + h - lh, self.fgcolour)
        self.lines_shown += 1
        c.present()

    def step(self) -> None:
        while self.dataReady("inbox"):
            self.show_line(self.recv("inbox"))
        while self.dataReady(self._events_box):
            self.recv(self._events_box)


class Textbox(TextDisplayer):
    """Typed text (KEYDOWN events) shown as it is typed; Enter sends the line on ``outbox``
    (Kamaelia's Textbox). Same arguments as TextDisplayer. Characters arriving on ``inbox``
    are typed too ("\\n" sends, "\\x08" deletes)."""

    _events_box = "_events"
    _listen = (pygame.KEYDOWN,)
    initial_string_buffer = ""

    def __init__(self, **argd):
        super().__init__(**argd)
        self.buffer = self.initial_string_buffer

    def draw(self) -> None:
        super().draw()
        self.set_text(self.buffer + "|")

    def set_text(self, text: str) -> None:
        c = self.canvas
        x, y, w, h = self._inner()
        c.fill_rect(x, y, w, h, self.bgcolour)
        c.text_box(text, x, y, w, self.fgcolour)
        c.present()

    def _type(self, char: str, key: Optional[int] = None) -> None:
        if char in ("\n", "\r"):
            self.send(self.buffer, "outbox")
            self.buffer = ""
        elif char == "\x08" or key == pygame.K_BACKSPACE:
            self.buffer = self.buffer[:-1]
        elif char:
            self.buffer += char

    def step(self) -> None:
        changed = False
        while self.dataReady("_events"):
            for event in self.recv("_events"):
                if event.type == pygame.KEYDOWN:
                    self._type(getattr(event, "unicode", ""), event.key)
                    changed = True
        while self.dataReady("inbox"):
            for ch in str(self.recv("inbox")):
                self._type(ch)
            changed = True
        if changed:
            self.set_text(self.buffer + "|")
