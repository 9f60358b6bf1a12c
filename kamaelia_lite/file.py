"""Reading and writing files.

- `ReadFileAdaptor(filename, readmode="bytes", readsize=1450, steptime=0, bitrate=None,
  chunkrate=24)`: sends the file's contents, then producerFinished.
  readmode "bytes": chunks of `readsize` bytes; "line": one line (bytes, newline kept) a message,
  a line longer than `max_line` bytes (default 65536) in pieces of that size;
  "bitrate": chunks sized bitrate/8/chunkrate sent `chunkrate` times a second (timer waits).
  `steptime` > 0 spaces messages that many seconds apart in the other modes.
- `SimpleFileWriter(filename, mode="wb")`: writes each message; closes on shutdown.

A file that cannot be opened or read is a failure of the component: it is reported (name,
error) by the scheduler, and a shutdownMicroprocess goes out of "signal" so what is downstream
stops too. The rest of the system keeps running.
"""
from kamaelia_lite.flow import drained_then_stopped, passed_shutdown_on, take_ending
from microaxon import component, now, producerFinished


class ReadFileAdaptor(component):
    """Sends a file's contents in chunks, lines, or at a bit rate; then producerFinished."""

    readmode = "bytes"
    readsize = 1450
    steptime = 0.0
    bitrate = None
    chunkrate = 24
    max_line = 65536

    def __init__(self, filename="", **argd):
        super().__init__(**argd)
        self.filename = filename
        if self.readmode not in ("bytes", "line", "bitrate", ""):
            raise ValueError("readmode must be 'bytes', 'line' or 'bitrate', not %r" % (self.readmode,))

    def _chunks(self, f):
        mode = self.readmode or "bytes"
        if mode == "line":
            while True:
                line = f.readline(self.max_line)
                if not line:
                    return
                yield line
        size = self.readsize
        if mode == "bitrate":
            size = max(1, int(self.bitrate / 8 / self.chunkrate))
        while True:
            data = f.read(size)
            if not data:
                return
            yield data

    def main(self):
        f = open(self.filename, "rb")
        try:
            interval = self.steptime
            if self.readmode == "bitrate":
                if not self.bitrate or not self.chunkrate:
                    raise ValueError("bitrate mode needs bitrate and chunkrate")
                interval = 1.0 / self.chunkrate
            due = now()
            ending = None
            for chunk in self._chunks(f):
                while True:
                    ending = take_ending(self, ending)     # producerFinished: read on to the end
                    if drained_then_stopped(self, ending, False):
                        return
                    wait = due - now() if interval else 0
                    if wait > 0:
                        self.pause(wait)
                        yield 1
                        continue
                    if self.hasSpace("outbox") <= 0:
                        self.waitSpace("outbox")
                        self.pause()
                        yield 1
                        continue
                    break
                self.send(chunk, "outbox")
                if interval:
                    due = max(due + interval, now() - interval)
                else:
                    yield 1
            self.send(producerFinished(self), "signal")
        finally:
            f.close()


class SimpleFileWriter(component):
    """Writes every message (bytes, or str encoded as UTF-8) to `filename`; closes on shutdown."""

    mode = "wb"

    def __init__(self, filename, **argd):
        super().__init__(**argd)
        self.filename = filename

    def main(self):
        f = open(self.filename, self.mode)
        binary = "b" in self.mode
        try:
            while True:
                while self.dataReady("inbox"):
                    data = self.recv("inbox")
                    if binary and isinstance(data, str):
                        data = data.encode("utf-8")
                    f.write(data)
                if passed_shutdown_on(self):
                    f.flush()
                    return
                self.pause()
                yield 1
        finally:
            f.close()
