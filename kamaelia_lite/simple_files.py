"""Two small file components (Kamaelia's names: Kamaelia.File.Reading.SimpleReader and
Kamaelia.File.Append.Append).

- `SimpleReader(filename, mode="r")` sends the file line by line (a line longer than
  ``max_line`` characters goes in pieces, so memory stays bounded), then producerFinished.
  Text is UTF-8: a line that is not fails the component with a ValueError naming the file and
  the line, after the lines before it were sent (``mode="rb"`` reads any bytes).
  It waits for room downstream rather than overflowing it. shutdownMicroprocess on control
  stops it at once (passed on). A file that cannot be opened raises in the constructor,
  naming the file, so the error is seen where the program starts.
- `Append(filename=...)` appends every message (str as UTF-8, or bytes; anything else fails it
  with a TypeError naming the message) to the file, flushing each, and forwards it out of "outbox" (``forwarder=True``). ``blat_file=True`` empties the
  file first; ``hold_open=False`` reopens it per message. Any control message: close the file,
  pass the message on, finish.
"""
from typing import Any, Optional

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished, shutdownMicroprocess


class SimpleReader(component):
    """Sends the lines of a file (see module doc)."""

    Inboxes = {"inbox": "unused", "control": "shutdownMicroprocess stops reading"}
    Outboxes = {"outbox": "the file's lines", "signal": "producerFinished at the end of the file"}

    mode = "r"
    buffering = 1
    max_line = 65536

    def __init__(self, filename: str, **argd: Any) -> None:
        super().__init__(**argd)
        self.filename = filename
        if "b" in self.mode:
            self.fh = open(filename, self.mode)
        else:                      # bad bytes are kept (as surrogates) until their line is reached
            self.fh = open(filename, self.mode, encoding="utf-8", errors="surrogateescape")

    def main(self):
        fh = self.fh
        lineno = 1
        try:
            while True:
                line = fh.readline(self.max_line)
                if not line:
                    break
                if isinstance(line, str):
                    try:
                        line.encode("utf-8")
                    except UnicodeEncodeError:
                        raise ValueError("SimpleReader: %s: line %d is not UTF-8 text (mode='rb' reads "
                                         "bytes)" % (self.filename, lineno)) from None
                    lineno += line.endswith("\n")
                while self.hasSpace("outbox") <= 0:
                    self.waitSpace("outbox")
                    self.pause()
                    yield 1
                if passed_shutdown_on(self, shutdownMicroprocess):   # a source: producerFinished dropped
                    return
                self.send(line, "outbox")
                yield 1
                if passed_shutdown_on(self, shutdownMicroprocess):
                    return
        finally:
            fh.close()
        self.send(producerFinished(self), "signal")


class Append(component):
    """Appends each message to a file (see module doc)."""

    Inboxes = {"inbox": "data to append", "control": "any message: close and finish"}
    Outboxes = {"outbox": "each message, if forwarder", "signal": "the control message"}

    filename: Optional[str] = None
    forwarder = True
    blat_file = False
    hold_open = True

    def __init__(self, **argd: Any) -> None:
        super().__init__(**argd)
        if not self.filename:
            raise ValueError("Append: expected a filename")
        if self.blat_file:
            open(self.filename, "wb").close()
        self._f = None

    def _write(self, chunk: Any) -> None:
        if isinstance(chunk, str):
            data = chunk.encode("utf-8")
        elif isinstance(chunk, (bytes, bytearray, memoryview)):
            data = bytes(chunk)
        else:                                   # bytes(5) would be 5 zero bytes
            raise TypeError("%s appends str or bytes, not %s: %r" % (self.name, type(chunk).__name__, chunk))
        f = self._f or open(self.filename, "ab")
        try:
            f.write(data)
            f.flush()
        finally:
            if self.hold_open:
                self._f = f
            else:
                f.close()

    def main(self):
        try:
            while not self.dataReady("control"):
                while self.dataReady("inbox"):
                    chunk = self.recv("inbox")
                    self._write(chunk)
                    if self.forwarder:
                        self.send(chunk, "outbox")
                if not self.dataReady("control"):
                    self.pause()
                    yield 1
            self.send(self.recv("control"), "signal")   # not flow.py's: Kamaelia's Append ends on ANY message
        finally:
            if self._f is not None:
                self._f.close()
                self._f = None
