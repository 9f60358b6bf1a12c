"""Serial ports as components (pyserial): foot pedals, hardware buttons, line-protocol devices.

* ``SerialReader(port, baudrate=9600, max_line=200)``: lines received on the port come out of
  ``outbox`` as str (UTF-8; undecodable bytes become U+FFFD). A line longer than ``max_line``
  is dropped and reported on ``errors`` (and stderr); what follows it is still read. Lines wait
  for room downstream (the port is not read meanwhile), so a fast device loses none.
* ``SerialWriter(port, ...)``: str/bytes on ``inbox`` are written to the port (a str without a
  line end gets ``"\\n"``); writes never block the scheduler. Any other message fails the writer
  with a TypeError naming it (nothing of it is written).
* ``open_serial(port, baudrate=9600, **options)``: a configured, non-blocking ``serial.Serial``
  to share between a reader and a writer (``serial=`` argument); whoever opens it closes it.

pyserial opens and configures the port (baud rate, parity, ...); reading and writing wait on the
port's file descriptor with the core's ``waitReadable`` / ``waitWritable`` (POSIX), so nothing
polls. A device that vanishes (unplugged, pty closed) is reported on ``errors`` and stderr, and
the component finishes with ``shutdownMicroprocess`` on ``signal``.

With ``kamaelia_lite.surtitles.control.CommandLineParser`` after a SerialReader, a pedal that sends
``next`` / ``prev`` lines (or its own words, mapped with ``aliases``) drives any display.
"""
import errno
import os
import sys

from kamaelia_lite.flow import PendingSends, drained_then_stopped, passed_shutdown_on, take_ending
from kamaelia_lite.net.framing import FramingError, LineDecoder
from microaxon import component, shutdownMicroprocess

__all__ = ["open_serial", "SerialReader", "SerialWriter", "SerialGone"]

_AGAIN = (errno.EAGAIN, getattr(errno, "EWOULDBLOCK", errno.EAGAIN), getattr(errno, "EINTR", 4))


class SerialGone(shutdownMicroprocess):
    """The serial device went away (unplugged, closed); ``reason`` says how."""

    def __init__(self, reason):
        super().__init__()
        self.reason = reason

    def __repr__(self):
        return "SerialGone(%r)" % (self.reason,)


def open_serial(port, baudrate=9600, **options):
    """Open ``port`` (a device path such as /dev/ttyUSB0 or a pty name) with pyserial, in
    non-blocking mode (pyserial opens POSIX ports O_NONBLOCK). ``options`` go to ``serial.Serial`` (bytesize, parity, stopbits, rtscts...)."""
    import serial as pyserial
    return pyserial.Serial(port, baudrate=baudrate, timeout=0, write_timeout=0, **options)


def _report(comp, text):
    sys.stderr.write("kamaelia_lite: %s: %s\n" % (comp.name, text))
    if comp.hasSpace("errors") > 0:          # else only stderr has it: a report never fails us
        comp.send(text, "errors")


class _SerialComponent(component):
    port = None
    baudrate = 9600
    serial = None            # an already open serial.Serial (shared); not closed by us
    options = None

    def __init__(self, port=None, **argd):
        if port is not None:
            argd["port"] = port
        super().__init__(**argd)

    def _open(self):
        if self.serial is not None:
            return self.serial, False
        if self.port is None:
            raise ValueError("%s needs port= (a device path) or serial= (an open port)" % type(self).__name__)
        return open_serial(self.port, self.baudrate, **(self.options or {})), True


class SerialReader(_SerialComponent):
    """Reads lines from a serial port (see the module docstring).

    ``port`` / ``serial``, ``baudrate``, ``options`` ({pyserial option: value}),
    ``max_line`` (bytes), ``raw`` (True: send the bytes as they arrive instead of lines),
    ``max_pending`` (lines held for a slow consumer: beyond, the port is not read until there
    is room; the device's bytes wait in the tty, and then the device, as flow control allows).
    """

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "lines (str), or bytes when raw", "errors": "problems, explained",
                "signal": "shutdown signals / SerialGone"}

    max_line = 200
    raw = False
    max_pending = 64

    def main(self):
        ser, owned = self._open()
        decoder = LineDecoder(max_line=self.max_line)
        out = PendingSends(self, max_count=self.max_pending)
        fd = ser.fileno()
        empty_wakes = 0       # a tty in raw mode reads b"" when idle; hung up, it stays "readable"
        try:
            while True:
                if passed_shutdown_on(self):
                    return
                if not out.flush():       # downstream is slow: read no more (the tty holds the rest)
                    self.pause()
                    yield 1
                    continue
                try:
                    data = os.read(fd, 4096)
                except OSError as e:
                    if e.errno in _AGAIN:
                        data = None
                    else:
                        gone = SerialGone("read failed: %s" % (e.strerror or e))
                        _report(self, "serial port %s: %s" % (self.port or ser.port, gone.reason))
                        self.send(gone, "signal")
                        return
                if data == b"":
                    empty_wakes += 1
                    if empty_wakes > 3:
                        gone = SerialGone("hung up (readable but no data)")
                        _report(self, "serial port %s: %s" % (self.port or ser.port, gone.reason))
                        self.send(gone, "signal")
                        return
                if data:
                    empty_wakes = 0
                    if self.raw:
                        out.add(data)
                    else:
                        for line in decoder.feed(data):
                            if isinstance(line, FramingError):
                                _report(self, "line longer than %d bytes dropped" % self.max_line)
                            else:
                                out.add(line.decode("utf-8", "replace"))
                    yield 1           # let others run, then read again until the port is drained
                    continue
                self.waitReadable(fd)
                self.pause()
                yield 1
        finally:
            if owned:
                ser.close()


class SerialWriter(_SerialComponent):
    """Writes what arrives on ``inbox`` to a serial port (see the module docstring).

    On producerFinished it finishes writing what it holds first; ``max_pending`` bytes at most
    are held (beyond, the inbox fills and senders see backpressure).
    """

    Inboxes = {"inbox": "str or bytes to write", "control": "shutdown signals"}
    Outboxes = {"outbox": "unused", "errors": "problems, explained", "signal": "shutdown signals / SerialGone"}

    max_pending = 64 * 1024

    def main(self):
        ser, owned = self._open()
        fd = ser.fileno()
        pending = b""
        finishing = None
        bad = None
        try:
            while True:
                while bad is None and len(pending) < self.max_pending and self.dataReady("inbox"):
                    msg = self.recv("inbox")
                    if isinstance(msg, str):
                        if not msg.endswith("\n"):
                            msg += "\n"
                        msg = msg.encode("utf-8")
                    elif not isinstance(msg, (bytes, bytearray, memoryview)):   # bytes(5): 5 NULs
                        bad = (msg,)         # refused once what came before it is written
                        break
                    pending += bytes(msg)
                finishing = take_ending(self, finishing)
                if drained_then_stopped(self, finishing, False):     # shutdownMicroprocess: now
                    return
                if pending:
                    try:
                        n = os.write(fd, pending)
                        pending = pending[n:]
                    except OSError as e:
                        if e.errno not in _AGAIN:
                            gone = SerialGone("write failed: %s" % (e.strerror or e))
                            _report(self, "serial port %s: %s" % (self.port or ser.port, gone.reason))
                            self.send(gone, "signal")
                            return
                    if pending:
                        self.waitWritable(fd)
                if bad is not None and not pending:
                    raise TypeError("%s writes str or bytes, not %s: %r" % (self.name, type(bad[0]).__name__, bad[0]))
                if finishing is not None and not pending and not self.dataReady("inbox"):
                    self.send(finishing, "signal")
                    return
                if not pending and self.dataReady("inbox"):
                    continue
                self.pause()
                yield 1
        finally:
            if owned:
                ser.close()
