"""Console and serial input that works where file descriptors cannot be waited on (Windows).

On Linux and macOS ``kamaelia_lite.util.ConsoleReader`` and ``kamaelia_lite.serial.SerialReader``
wait on the file descriptor with the core's ``waitReadable`` (no thread, no polling). On Windows
``select()`` only accepts sockets, so console and serial input are read by a thread instead:

* ``ThreadedConsoleReader()`` — lines typed on stdin come out of ``outbox``;
* ``ThreadedSerialReader(port, baudrate=9600, max_line=200)`` — lines from a serial port (pyserial);
* ``console_reader(**kw)`` / ``serial_reader(port, **kw)`` — the right one for this platform.
  ``MICROAXON_INPUT=thread`` (or ``wait``) forces the choice, so the thread path is tested on Linux.

How the thread is wired: a daemon thread does the blocking reads and hands each line to the
scheduler with ``callFromThread``, at most ``max_pending`` (64) waiting there for room downstream
at a time (beyond, the thread reads no more until lines have gone on); the component itself is an ordinary generator component
(backpressure, shutdown and errors as everywhere else). A thread blocked in a console read cannot
be interrupted on Windows, so the component does not wait for it: on shutdown it finishes at once
and tells the scheduler the thread no longer counts (``threadFinished``); the daemon thread ends
with the process. (A ``threadedcomponent`` would keep the scheduler alive until its thread
returned, i.e. until the user pressed Enter.)

Boxes (all three readers)
  outbox   lines (str, without the line end unless ``keep_eol``)
  errors   problems, explained (oversized line dropped, device gone)
  control  producerFinished / shutdownMicroprocess: finish at once, pass it on
  signal   the shutdown message; producerFinished at end of input; ``SerialGone`` (serial) when
           the device vanished
"""
from __future__ import annotations

import os
import sys
import threading
from collections import deque
from typing import Any, Callable, Optional

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.net.framing import FramingError, LineDecoder
from microaxon import component, producerFinished


def use_threads() -> bool:
    """Whether console/serial input must be read by a thread here (Windows, or forced)."""
    forced = os.environ.get("MICROAXON_INPUT", "").lower()
    if forced in ("thread", "threads", "threaded"):
        return True
    if forced in ("wait", "select", "poll"):
        return False
    return sys.platform == "win32"


class ThreadedLineReader(component):
    """Base: a daemon thread calls ``read_chunk()`` (blocking) and the lines reach ``outbox``.

    Subclasses provide ``open()`` (run in the thread first), ``read_chunk()`` -> bytes (b"" at end
    of input, None for "nothing yet, try again"), and ``close()``.
    """

    Inboxes = {"inbox": "unused", "control": "shutdown signals"}
    Outboxes = {"outbox": "lines (str)", "errors": "problems, explained", "signal": "shutdown signals"}
    max_line = 4096
    keep_eol = False
    max_pending = 64          # lines held for a slow consumer; the thread reads no more meanwhile

    def __init__(self, **argd: Any) -> None:
        super().__init__(**argd)
        self._room = threading.Semaphore(self.max_pending)   # one per line the thread may hand over
        self._arrived: deque = deque()
        self._ended: Optional[Any] = None       # producerFinished / error message from the thread
        self._stop = threading.Event()
        self._thread_counted = False

    # -- thread side --------------------------------------------------------------------------
    def open(self) -> None:
        """Prepare the source (in the reader thread)."""

    def read_chunk(self) -> Optional[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the source (in the reader thread, after the last read)."""

    def _reader(self, sched: Any) -> None:
        decoder = LineDecoder(max_line=self.max_line)
        end: Any = None
        try:
            self.open()
            while not self._stop.is_set():
                data = self.read_chunk()
                if data is None:
                    continue
                if data == b"":
                    rest = decoder.close()            # an unterminated last line still counts
                    if rest:
                        self._pass_on(sched, rest)
                    end = producerFinished(self)
                    break
                lines = decoder.feed(data)
                if lines:
                    self._pass_on(sched, lines)
        except Exception as e:  # reported in the scheduler's thread, as the component's message
            end = e
        finally:
            try:
                self.close()
            except Exception:
                pass
            if not self._stop.is_set():
                sched.callFromThread(self._thread_ended, end)

    def _pass_on(self, sched: Any, lines: list) -> None:
        """Hands ``lines`` to the scheduler, at most ``max_pending`` held there at a time: waits
        (reading nothing) until the component has passed lines on, or is stopped."""
        batch: list = []
        for line in lines:
            if not self._room.acquire(False):
                if batch:
                    sched.callFromThread(self._hand_over, batch)
                    batch = []
                while not self._room.acquire(True, 0.2):
                    if self._stop.is_set():
                        return
            batch.append(line)
        if batch:
            sched.callFromThread(self._hand_over, batch)

    # -- scheduler side -----------------------------------------------------------------------
    def _hand_over(self, lines: list) -> None:
        if self.finished():
            return
        self._arrived.extend(lines)
        self.unpause()

    def _thread_ended(self, end: Any) -> None:
        self._release_thread()
        if self.finished():
            return
        self._ended = end if end is not None else producerFinished(self)
        self.unpause()

    def _release_thread(self) -> None:
        if self._thread_counted:
            self._thread_counted = False
            self._sched.threadFinished()

    def _line_text(self, line: Any) -> Optional[str]:
        if isinstance(line, FramingError):
            msg = "line longer than %d bytes dropped" % self.max_line
            sys.stderr.write("kamaelia_lite: %s: %s\n" % (self.name, msg))
            if self.hasSpace("errors") > 0:       # else only stderr has it: a report never fails us
                self.send(msg, "errors")
            return None
        text = line.decode("utf-8", "replace") if isinstance(line, bytes) else str(line)
        return text + "\n" if self.keep_eol else text

    def _end_message(self, end: Any) -> Any:
        """What to send on signal when the thread ended with ``end`` (an exception or a message)."""
        if isinstance(end, Exception):
            text = "input failed: %s" % (end,)
            sys.stderr.write("kamaelia_lite: %s: %s\n" % (self.name, text))
            self.send(text, "errors")
            from microaxon import shutdownMicroprocess

            return shutdownMicroprocess()
        return end

    def main(self):
        self._sched.threadStarted()                  # the thread may wake us: not a deadlock
        self._thread_counted = True
        threading.Thread(target=self._reader, args=(self._sched,), name=self.name, daemon=True).start()
        try:
            while True:
                if passed_shutdown_on(self):
                    return
                while self._arrived:
                    if self.hasSpace("outbox") <= 0:
                        self.waitSpace("outbox")
                        break
                    text = self._line_text(self._arrived.popleft())
                    self._room.release()
                    if text is not None:
                        self.send(text, "outbox")
                if self._ended is not None and not self._arrived:
                    self.send(self._end_message(self._ended), "signal")
                    return
                self.pause()
                yield 1
        finally:
            self._stop.set()
            self._release_thread()


class ThreadedConsoleReader(ThreadedLineReader):
    """Lines typed on stdin (or ``stream``, a binary or text file object) -> ``outbox``."""

    stream = None

    def read_chunk(self) -> Optional[bytes]:
        src = self.stream if self.stream is not None else sys.stdin
        raw = getattr(src, "buffer", src)
        line = raw.readline()
        if isinstance(line, str):
            line = line.encode("utf-8")
        return line


class ThreadedSerialReader(ThreadedLineReader):
    """Lines from a serial port read by a thread with pyserial (blocking reads with a timeout).

    ``port`` a device name (COM3, /dev/ttyUSB0, a pty), ``baudrate``, ``options`` (pyserial
    keyword arguments), ``max_line`` (longer lines are dropped and reported on ``errors``).
    A port that cannot be opened, or vanishes, ends the component with ``shutdownMicroprocess``
    on ``signal`` and the reason on ``errors`` and stderr.
    """

    port: Optional[str] = None
    baudrate = 9600
    options: Optional[dict] = None
    max_line = 200
    read_timeout = 0.2

    def __init__(self, port: Optional[str] = None, **argd: Any) -> None:
        if port is not None:
            argd["port"] = port
        super().__init__(**argd)
        self._ser: Any = None

    def open(self) -> None:
        import serial as pyserial

        self._ser = pyserial.Serial(self.port, baudrate=self.baudrate, timeout=self.read_timeout,
                                    **(self.options or {}))

    def read_chunk(self) -> Optional[bytes]:
        n = max(1, self._ser.in_waiting)
        data = self._ser.read(n)
        return data if data else None

    def close(self) -> None:
        if self._ser is not None:
            self._ser.close()

    def _end_message(self, end: Any) -> Any:
        if isinstance(end, Exception):
            from kamaelia_lite.serial import SerialGone

            gone = SerialGone("serial port %s: %s" % (self.port, end))
            sys.stderr.write("kamaelia_lite: %s: %s\n" % (self.name, gone.reason))
            self.send(gone.reason, "errors")
            return gone
        return end


def console_reader(**argd: Any) -> component:
    """A console line reader right for this platform (see the module docstring)."""
    if use_threads():
        return ThreadedConsoleReader(**argd)
    from kamaelia_lite.util import ConsoleReader

    argd.setdefault("prompt", "")
    argd.setdefault("eol", "")
    return ConsoleReader(**argd)


def serial_reader(port: str, **argd: Any) -> component:
    """A serial line reader right for this platform (see the module docstring)."""
    if use_threads():
        return ThreadedSerialReader(port, **argd)
    from kamaelia_lite.serial import SerialReader

    return SerialReader(port, **argd)


Factory = Callable[..., component]
