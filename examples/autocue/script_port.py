"""A TCP port that receives teleprompter scripts.

A client connects and sends the script as UTF-8 text. The script ends with a line holding a
single ``.`` (the connection stays open for the next script) or when the client closes the
connection. Each script goes out of ``ScriptPort``'s outbox as one ``str``; the client gets
``ok script: N words, M markers`` (or ``error: ...``) for each script ended with ``.``.
Scripts are bounded (``max_bytes``); the port listens on 127.0.0.1 unless told otherwise, and
then needs a ``token`` the client sends first as ``auth <token>`` (the shared scheme of every
command port: ``kamaelia_lite.command_port``).
"""
import sys

from kamaelia_lite.command_port_components import CommandPort, CommandSession
from kamaelia_lite.displays.script import Script
from microaxon import shutdownMicroprocess


class ScriptSession(CommandSession):
    """One connection: bytes in, scripts out on ``scripts``, replies to the client on outbox."""

    Inboxes = {"inbox": "bytes from the client", "control": "connection ended / shutdown"}
    Outboxes = {"outbox": "replies to the client", "scripts": "complete scripts (str)",
                "signal": "shutdown"}

    up = "scripts"
    max_bytes = 1 << 20

    def __init__(self, **argd):
        super().__init__(**argd)
        self._buf = bytearray()
        self._overflow = False

    def greeting(self, authenticating):
        if authenticating:
            return "ready: send 'auth <token>' first, then the script; end it with a line holding a single '.'"
        return "ready: send the script, end it with a line holding a single '.'"

    def _publish(self, raw):
        text = bytes(raw).decode("utf-8", "replace")
        s = Script(text)
        self.send(text, "scripts")
        bad = text.count("\ufffd")
        return "ok script: %d words, %d markers%s" % (
            len(s.words), len(s.markers), "; %d bad UTF-8 characters replaced" % bad if bad else "")

    def feed(self, data):
        self._buf += data
        if len(self._buf) > self.max_bytes and self._end() < 0:
            self._overflow = True
            del self._buf[:-3]          # keep a little to find the end marker

    def _end(self):
        """Where the first script in the buffer ends (the "." line starts there), or -1."""
        buf = self._buf
        if buf.startswith(b".\n") or buf.startswith(b".\r\n"):
            return 0
        end = -1
        for marker in (b"\n.\n", b"\n.\r\n"):
            i = buf.find(marker)
            if i >= 0 and (end < 0 or i < end):
                end = i + 1
        return end

    def work(self):
        end = self._end()
        if end < 0:
            return False
        buf = self._buf
        nl = buf.index(b"\n", end)
        script = buf[:end]
        del buf[:nl + 1]
        if self._overflow:
            self._overflow = False
            self.reply("error: script longer than %d bytes; ignored" % self.max_bytes)
        else:
            self.reply(self._publish(script))
        return True

    def ended(self, msg):
        if (self.authenticated() and self._buf.strip() and not self._overflow
                and not isinstance(msg, shutdownMicroprocess) and self.hasSpace("scripts") > 0):
            self._publish(self._buf)


class ScriptPort(CommandPort):
    """TCP server for scripts. ``host`` (default 127.0.0.1), ``port`` (0 picks one; read
    ``.port``), ``token`` (required off loopback), ``max_bytes`` per script,
    ``max_connections``. outbox: scripts (str)."""

    Capacities = {"_up": 64}
    session = ScriptSession
    what = "script"
    max_bytes = 1 << 20
    recv_size = 65536
    idle_timeout = None

    def make_session(self, peer):
        return ScriptSession(max_bytes=self.max_bytes, **self.session_args(peer))


def log(text):
    sys.stderr.write("autocue: %s\n" % text)
