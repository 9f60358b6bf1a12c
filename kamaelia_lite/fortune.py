"""`FortuneCookieProtocol()`: a TCP protocol that sends the output of ``fortune -a`` to the
client, then finishes (closing the connection). Kamaelia's name:
Kamaelia.Protocol.FortuneCookieProtocol.

The command runs with no shell, its output is read without blocking the scheduler (an I/O wait
on the pipe), at most ``max_bytes`` of it are sent. When the ``fortune`` program is not
installed, the error is written to stderr and the connection closes with nothing sent (what
Kamaelia's did in that case).
"""
import os
import subprocess
import sys
from typing import Any

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished


class FortuneCookieProtocol(component):
    """Sends one fortune cookie, then finishes (see module doc)."""

    Inboxes = {"inbox": "ignored (what the client sends)", "control": "shutdown signals"}
    Outboxes = {"outbox": "the fortune's bytes", "signal": "producerFinished when sent"}

    command = ("fortune", "-a")
    max_bytes = 64 * 1024
    peer = peerport = localip = localport = None   # given by ServerCore for each connection

    def __init__(self, debug: int = 0, **argd: Any) -> None:
        super().__init__(**argd)
        self.debug = debug

    def main(self):
        try:
            proc = subprocess.Popen(list(self.command), stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        except OSError as e:
            sys.stderr.write("FortuneCookieProtocol: cannot run %r: %s\n" % (" ".join(self.command), e))
            yield 1
            self.send(producerFinished(self), "signal")
            return
        sent = 0
        fd = proc.stdout.fileno()
        try:
            while sent < self.max_bytes:
                if passed_shutdown_on(self):
                    return
                self.waitReadable(proc.stdout)
                self.pause()
                yield 1
                try:
                    data = os.read(fd, min(4096, self.max_bytes - sent))
                except BlockingIOError:
                    continue
                if not data:
                    break
                sent += len(data)
                self.send(data, "outbox")
        finally:
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self.send(producerFinished(self), "signal")
