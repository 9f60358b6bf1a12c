"""Display and input drivers for a MicroPython handheld (example: an ST7789 SPI panel + buttons).

The display side is a *panel*: an object whose ``show()`` pushes the finished RGB565 frame in
its ``buffer`` to the glass. ``FramebufCanvas`` (kamaelia_lite.draw.canvas_framebuf) draws into
that buffer and calls ``show()`` from ``present()``, so every kamaelia_lite display component
(Ticker, SubtitleDisplay, ...) runs unchanged on the device::

    canvas = FramebufCanvas(240, 135)
    panel = ST7789(SPI(1, 40_000_000, sck=Pin(18), mosi=Pin(19)), dc=Pin(16), cs=Pin(5),
                   rst=Pin(23), width=240, height=135, x_offset=40, y_offset=53)
    panel.buffer = canvas.buffer
    canvas.show = panel.show

For a 1-bit SSD1306 OLED the MicroPython ``ssd1306`` driver already is a FrameBuffer:
``FramebufCanvas(128, 64, mono=True, fb=oled, show=oled.show)``.

On the unix port (no SPI) ``PPMPanel`` writes each frame to a .ppm file instead (open it with
any image viewer), which is how the example app and its test run on a desktop.

Input: ``ButtonCommands`` scans GPIO buttons on a timer (no busy loop: ``pause(period)``),
debounces them and sends command tuples from kamaelia_lite.surtitles.commands (``("toggle",)``, ...);
``LineCommands`` reads command lines from a stream such as stdin, waking on readability.
(No annotations: this module runs on MicroPython.)
"""
import time

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.surtitles.commands import CommandError, parse_command
from microaxon import component

# ST7789 commands (from the controller's datasheet)
_SWRESET, _SLPOUT, _COLMOD, _MADCTL, _INVON, _NORON, _DISPON = 0x01, 0x11, 0x3A, 0x36, 0x21, 0x13, 0x29
_CASET, _RASET, _RAMWR = 0x2A, 0x2B, 0x2C


class ST7789:
    """Minimal ST7789 SPI panel: init sequence, then ``show(buffer)`` writes a whole RGB565 frame.

    ``spi`` a machine.SPI; ``dc``/``cs``/``rst`` machine.Pin outputs (rst may be None);
    ``x_offset``/``y_offset`` where the glass starts in controller RAM (panel specific);
    ``madctl`` the memory-access byte (rotation/mirroring; 0x60 = landscape on most boards).
    FramebufCanvas stores RGB565 little-endian; the panel expects big-endian, so ``show`` swaps
    bytes into a reused line buffer (no allocation per frame).
    """

    def __init__(self, spi, dc, cs, rst=None, width=240, height=135, x_offset=0, y_offset=0, madctl=0x60):
        self.spi = spi
        self.dc = dc
        self.cs = cs
        self.rst = rst
        self.width = width
        self.height = height
        self.x_offset = x_offset
        self.y_offset = y_offset
        self._line = bytearray(width * 2)
        self.buffer = None               # the canvas's RGB565 buffer (set before the first show)
        self.reset()
        for cmd, data, delay_ms in ((_SWRESET, None, 150), (_SLPOUT, None, 10), (_COLMOD, b"\x55", 10),
                                    (_MADCTL, bytes((madctl,)), 0), (_INVON, None, 10),
                                    (_NORON, None, 10), (_DISPON, None, 10)):
            self.command(cmd, data)
            if delay_ms:
                time.sleep_ms(delay_ms)

    def reset(self):
        if self.rst is not None:
            self.rst(0)
            time.sleep_ms(10)
            self.rst(1)
            time.sleep_ms(120)

    def command(self, cmd, data=None):
        self.cs(0)
        self.dc(0)
        self.spi.write(bytes((cmd,)))
        if data:
            self.dc(1)
            self.spi.write(data)
        self.cs(1)

    def _window(self, x0, y0, x1, y1):
        x0 += self.x_offset
        x1 += self.x_offset
        y0 += self.y_offset
        y1 += self.y_offset
        self.command(_CASET, bytes((x0 >> 8, x0 & 255, x1 >> 8, x1 & 255)))
        self.command(_RASET, bytes((y0 >> 8, y0 & 255, y1 >> 8, y1 & 255)))

    def show(self, buffer=None):
        """Push a full frame (``width*height*2`` bytes, RGB565 little-endian) to the glass."""
        buffer = buffer if buffer is not None else self.buffer
        self._window(0, 0, self.width - 1, self.height - 1)
        self.cs(0)
        self.dc(0)
        self.spi.write(bytes((_RAMWR,)))
        self.dc(1)
        line = self._line
        stride = self.width * 2
        mv = memoryview(buffer)
        for y in range(self.height):
            row = mv[y * stride:(y + 1) * stride]
            for i in range(0, stride, 2):
                line[i] = row[i + 1]
                line[i + 1] = row[i]
            self.spi.write(line)
        self.cs(1)


class PPMPanel:
    """A 'panel' for hosts without a display: each ``show()`` rewrites a binary PPM file.

    ``frames`` counts the frames shown. Works on the MicroPython unix port and CPython.
    """

    def __init__(self, path, width, height, buffer=None):
        self.path = path
        self.width = width
        self.height = height
        self.buffer = buffer
        self.frames = 0
        self._row = bytearray(width * 3)

    def show(self, buffer=None):
        buffer = buffer if buffer is not None else self.buffer
        row = self._row
        stride = self.width * 2
        with open(self.path, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (self.width, self.height))
            for y in range(self.height):
                base = y * stride
                for x in range(self.width):
                    v = buffer[base + 2 * x] | (buffer[base + 2 * x + 1] << 8)
                    row[3 * x] = (v >> 8) & 0xF8
                    row[3 * x + 1] = (v >> 3) & 0xFC
                    row[3 * x + 2] = (v << 3) & 0xF8
                f.write(row)
        self.frames += 1


class ButtonCommands(component):
    """GPIO buttons -> command tuples on ``outbox``.

    ``buttons``: list of ``(pin, command line)``, e.g. ``[(Pin(0, Pin.IN, Pin.PULL_UP), "toggle"),
    (Pin(35, Pin.IN), "faster")]``; a pin is anything whose ``value()`` returns 0 while pressed
    (``active_low=False`` for the opposite). Scanned every ``period`` seconds (a timer wait);
    a press counts once the pin reads pressed on two scans in a row (debounce).
    Boxes: control (shutdown: pass it on, finish), outbox (commands), signal.
    """

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "command tuples", "signal": "shutdown signals"}
    period = 0.02
    active_low = True
    buttons = ()

    def __init__(self, **argd):
        super().__init__(**argd)
        self.commands = []
        for pin, line in self.buttons:
            self.commands.append((pin, parse_command(line)))      # a bad line fails here, loudly

    def main(self):
        n = len(self.commands)
        held = [0] * n
        while True:
            if passed_shutdown_on(self):
                return
            for i in range(n):
                pin, cmd = self.commands[i]
                pressed = (pin.value() == 0) == self.active_low
                if pressed:
                    held[i] += 1
                    if held[i] == 2:
                        self.send(cmd, "outbox")
                else:
                    held[i] = 0
            self.pause(self.period)
            yield 1


class LineCommands(component):
    """Command lines from a stream (default: stdin) -> command tuples on ``outbox``.

    Waits for the stream to become readable (no polling). A bad line is reported on ``errors``
    as ``("error", line, message)`` and skipped; end of input sends producerFinished on signal.
    """

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "command tuples", "errors": "('error', line, message)", "signal": "shutdown signals"}
    stream = None

    def main(self):
        import sys

        from microaxon import producerFinished

        stream = self.stream or sys.stdin
        while True:
            if passed_shutdown_on(self):
                return
            self.waitReadable(stream)
            self.pause()
            yield 1
            if self.dataReady("control"):
                continue
            line = stream.readline()
            if not line:
                self.send(producerFinished(self), "signal")
                return
            line = line.strip()
            if not line:
                continue
            try:
                self.send(parse_command(line), "outbox")
            except CommandError as e:
                self.send(("error", line, str(e)), "errors")
