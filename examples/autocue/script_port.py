"""A TCP port that receives teleprompter scripts.

A client connects and sends the script as UTF-8 text. The script ends with a line holding a
single ``.`` (the connection stays open for the next script) or when the client closes the
connection. Each script goes out of ``ScriptPort``'s outbox as one ``str``; the client gets
``ok script: N words, M markers`` (or ``error: ...``) for each script ended with ``.``.
Scripts are bounded (``max_bytes``); the port listens on 127.0.0.1 unless told otherwise.
"""
import sys

from kamaelia_lite.displays.script import Script
from kamaelia_lite.net.tcp import TCPServer
from microaxon import component, producerFinished, shutdownMicroprocess


class ScriptSession(component):
    """One connection: bytes in, scripts out on ``scripts``, replies to the client on outbox."""

    Inboxes = {"inbox": "bytes from the client", "control": "connection ended / shutdown"}
    Outboxes = {"outbox": "replies to the client", "scripts": "complete scripts (str)",
                "signal": "shutdown"}

    max_bytes = 1 << 20

    def reply(self, text):
        self.send((text + "\n").encode("utf-8"), "outbox")

    def _publish(self, raw):
        text = bytes(raw).decode("utf-8", "replace")
        s = Script(text)
        self.send(text, "scripts")
        bad = text.count("\ufffd")
        return "ok script: %d words, %d markers%s" % (
            len(s.words), len(s.markers), "; %d bad UTF-8 characters replaced" % bad if bad else "")

    def main(self):
        buf = bytearray()
        overflow = False
        self.reply("ready: send the script, end it with a line holding a single '.'")
        while True:
            while self.dataReady("inbox"):
                buf += self.recv("inbox")
                while True:
                    # a "." line ends a script
                    end = -1
                    if buf.startswith(b".\n") or buf.startswith(b".\r\n"):
                        end = 0
                    else:
                        for marker in (b"\n.\n", b"\n.\r\n"):
                            i = buf.find(marker)
                            if i >= 0 and (end < 0 or i < end):
                                end = i + 1
                    if end < 0:
                        break
                    nl = buf.index(b"\n", end)
                    script, buf = buf[:end], buf[nl + 1:]
                    if overflow:
                        self.reply("error: script longer than %d bytes; ignored" % self.max_bytes)
                        overflow = False
                    else:
                        self.reply(self._publish(script))
                if len(buf) > self.max_bytes:
                    overflow = True
                    del buf[:-3]          # keep a little to find the end marker
            if self.dataReady("control"):
                msg = self.recv("control")
                if buf.strip() and not overflow and not isinstance(msg, shutdownMicroprocess):
                    self._publish(buf)
                self.send(producerFinished(self), "signal")
                return
            self.pause()
            yield 1


class ScriptPort(component):
    """TCP server for scripts. ``host`` (default 127.0.0.1), ``port`` (0 picks one; read
    ``.port``), ``max_bytes`` per script, ``max_connections``. outbox: scripts (str)."""

    Inboxes = {"inbox": "unused", "control": "shutdown", "_scripts": "from the sessions",
               "_server_done": "server finished"}
    Outboxes = {"outbox": "scripts (str)", "signal": "shutdown", "_server": "to the server"}
    Capacities = {"_scripts": 64}

    host = "127.0.0.1"
    port = 0
    max_bytes = 1 << 20
    max_connections = 8

    def __init__(self, **argd):
        super().__init__(**argd)
        self.server = TCPServer(protocol=self._session, host=self.host, port=self.port,
                                max_connections=self.max_connections, recv_size=65536)
        self.port = self.server.port

    def _session(self):
        s = ScriptSession(max_bytes=self.max_bytes)
        self.link((s, "scripts"), (self, "_scripts"))
        return s

    def main(self):
        self.link((self, "_server"), (self.server, "control"))
        self.link((self.server, "signal"), (self, "_server_done"))
        self.addChildren(self.server)
        self.server.activate(self._sched)
        while True:
            while self.dataReady("_scripts"):
                self.send(self.recv("_scripts"), "outbox")
            if self.dataReady("control"):
                msg = self.recv("control")
                self.send(shutdownMicroprocess(self), "_server")
                while not self.server.finished() and not self.dataReady("_server_done"):
                    self.pause()
                    yield 1
                self.send(msg, "signal")
                return
            self.pause()
            yield 1


def log(text):
    sys.stderr.write("autocue: %s\n" % text)
