"""Control inputs for displays: keyboard / presentation remotes, serial lines, a TCP text port.

All of them produce the ONE command vocabulary of ``kamaelia_lite.surtitles.commands`` (tuples such
as ``("next",)`` or ``("blackout", None)``), so a Teleprompter, SubtitlePlayer or CuePlayer
does not care where a command came from.

* ``key_to_command(name, keymap)`` / ``KeyboardControl``: pygame key events (or key names) to
  commands. ``PRESENTER_KEYS`` covers presentation remotes (they send PageUp/PageDown, ``b`` or
  ``.`` for blank, F5 / Shift+F5 to start, Escape to stop) and the arrow keys; ``CUE_KEYS``
  adapts them to an operator cue list (F5 shows, Escape blacks out).
* ``CommandLineParser``: text lines (serial foot pedals and buttons, stdin) to commands, with a
  reply line for each (``ok <command>`` / ``error: <why>``); ``aliases`` map a device's own
  words (``"A"``, ``"PEDAL1"``) onto commands.
* ``TCPControlPort``: a plain-text TCP port, one command per line, a reply per line. Listens on
  127.0.0.1 by default; a shared ``token`` is required when it listens on any other address
  (clients send ``auth <token>`` first); lines are bounded (``max_line``), so are connections
  (``max_connections``: a client beyond the limit is told so and disconnected) and idle time.
"""
import sys

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.net.auth import compare_digest
from kamaelia_lite.net.framing import FramingError, LineDecoder
from kamaelia_lite.net.tcp import TCPServer
from kamaelia_lite.surtitles.commands import MAX_LINE, CommandError, format_command, is_command, parse_command
from microaxon import component, producerFinished, shutdownMicroprocess

__all__ = [
    "PRESENTER_KEYS", "CUE_KEYS", "key_to_command", "KeyboardControl", "KeyEvent",
    "CommandLineParser", "parse_control_line", "TCPControlPort", "ControlSession", "is_loopback",
]

# key names as pygame.key.name() spells them (lower case); "shift+f5" for modified keys
PRESENTER_KEYS = {
    "page down": ("next",), "right": ("next",), "down": ("next",), "space": ("next",),
    "return": ("next",), "enter": ("next",), "n": ("next",),
    "page up": ("prev",), "left": ("prev",), "up": ("prev",), "backspace": ("prev",), "p": ("prev",),
    "b": ("blackout", None), ".": ("blackout", None), "w": ("blackout", None),
    "f": ("freeze", None),
    "f5": ("play",), "shift+f5": ("play",),
    "escape": ("pause",),
    "home": ("rewind",), "end": ("end",),
    "q": ("quit",),
}

CUE_KEYS = dict(PRESENTER_KEYS)
CUE_KEYS.update({"f5": ("blackout", False), "shift+f5": ("blackout", False), "escape": ("blackout", True)})


def key_to_command(name, keymap=None, shift=False):
    """The command for a key ``name`` (pygame.key.name spelling), or None if unmapped."""
    keymap = PRESENTER_KEYS if keymap is None else keymap
    name = name.lower()
    if shift and ("shift+" + name) in keymap:
        return keymap["shift+" + name]
    return keymap.get(name)


class KeyboardControl(component):
    """Key presses in, commands out.

    inbox: pygame ``KEYDOWN`` events (other events are ignored), lists of them (as the
    display service sends), or key names (str).
    outbox: command tuples. ``keymap``: {key name: command tuple} (default PRESENTER_KEYS).
    """

    keymap = None

    def _name_of(self, event):
        if isinstance(event, str):
            return event, False
        import pygame
        if getattr(event, "type", None) != pygame.KEYDOWN:
            return None, False
        shift = bool(getattr(event, "mod", 0) & pygame.KMOD_SHIFT)
        return pygame.key.name(event.key), shift

    def main(self):
        while True:
            while self.dataReady("inbox"):
                msg = self.recv("inbox")
                for event in (msg if isinstance(msg, list) else (msg,)):
                    name, shift = self._name_of(event)
                    if name is not None:
                        cmd = key_to_command(name, self.keymap, shift)
                        if cmd is not None:
                            self.send(cmd, "outbox")
            if passed_shutdown_on(self):
                return
            if not self.anyReady():
                self.pause()
            yield 1


class KeyEvent(component):
    """Kamaelia's ``KeyEvent(allkeys=False, key_events=None, key_up_events=None, outboxes={})``.

    Listens to the pygame display service's key presses (it asks for a zero-sized surface, as
    the original did) and, for a key in ``key_events`` ({pygame key code: (message, outbox)}),
    sends that message on that outbox; ``key_up_events`` the same for releases; with
    ``allkeys`` every press and release also goes out of "allkeys" as ("DOWN"|"UP", key code).
    ``outboxes`` ({name: description}) adds the outboxes the messages use. Finishes on
    shutdown (releasing its surface) or when the window closes.
    """

    Inboxes = {"inbox": "key events from the display service", "control": "shutdown signals"}
    Outboxes = {"outbox": "unused", "allkeys": "every key press/release when allkeys=True",
                "signal": "shutdown signals"}

    def __init__(self, allkeys=False, key_events=None, key_up_events=None, outboxes=None, **argd):
        super().__init__(**argd)
        self.allkeys = allkeys
        self.key_events = key_events or {}
        self.key_up_events = key_up_events or {}
        have = set(self.Outboxes)
        for name in outboxes or {}:
            if name not in have:
                self.addOutbox(name)
                have.add(name)

    def main(self):
        import pygame

        from kamaelia_lite.displays.display import PygameDisplay
        svc = PygameDisplay.getDisplayService(self._sched)
        listen = [pygame.KEYDOWN]
        if self.allkeys or self.key_up_events:
            listen.append(pygame.KEYUP)
        surface = svc.request_surface(self, (0, 0), position=(0, 0), events=(self, "inbox"), listen=listen)
        try:
            while True:
                while self.dataReady("inbox"):
                    msg = self.recv("inbox")
                    for ev in (msg if isinstance(msg, list) else (msg,)):
                        down = ev.type == pygame.KEYDOWN
                        table = self.key_events if down else self.key_up_events
                        if ev.key in table:
                            message, box = table[ev.key]
                            self.send(message, box)
                        if self.allkeys and ev.type in (pygame.KEYDOWN, pygame.KEYUP):
                            self.send(("DOWN" if down else "UP", ev.key), "allkeys")
                if passed_shutdown_on(self):
                    return
                if not self.anyReady():
                    self.pause()
                yield 1
        finally:
            svc.release(surface)


def parse_control_line(line, aliases=None):
    """A command tuple for one received line (bytes or str); ``aliases`` maps device words
    (exact, case-insensitive) to command lines. Raises CommandError with a clear message."""
    if isinstance(line, (bytes, bytearray)):
        try:
            line = bytes(line).decode("utf-8")
        except UnicodeError:
            raise CommandError("command must be UTF-8 text") from None
    if aliases:
        key = line.strip().lower()
        for k in aliases:
            if k.lower() == key:
                line = aliases[k]
                break
    return parse_command(line)


class CommandLineParser(component):
    """Text lines in (bytes or str, one command each), command tuples out.

    ``aliases``: {device word: command line}, e.g. {"A": "next", "B": "prev"} for a two-pedal
    foot switch. ``replies`` outbox: ``"ok <command>"`` or ``"error: <message>"`` per line
    (link it back to a SerialWriter or the console). Blank lines are ignored.
    """

    Inboxes = {"inbox": "lines (bytes or str)", "control": "shutdown signals"}
    Outboxes = {"outbox": "command tuples", "replies": "ok/error line per command",
                "signal": "shutdown signals"}

    aliases = None

    def main(self):
        while True:
            while self.dataReady("inbox"):
                line = self.recv("inbox")
                if is_command(line):
                    self.send(line, "outbox")
                    continue
                if isinstance(line, FramingError):
                    self.send("error: %s" % line.message, "replies")
                    continue
                if not (line.strip() if isinstance(line, (str, bytes)) else line):
                    continue
                try:
                    cmd = parse_control_line(line, self.aliases)
                except CommandError as exc:
                    self.send("error: %s" % exc, "replies")
                    continue
                self.send(cmd, "outbox")
                self.send("ok " + format_command(cmd), "replies")
            if passed_shutdown_on(self):
                return
            if not self.anyReady():
                self.pause()
            yield 1


def is_loopback(host):
    """True for addresses reachable only from this machine (127.x, ::1, localhost)."""
    h = host.strip().lower()
    return h.startswith("127.") or h in ("::1", "localhost", "ip6-localhost")


class ControlSession(component):
    """One TCP control connection (made by TCPControlPort): bytes in, replies out.

    Sends accepted commands on ``commands``; replies ``ok <command>`` or ``error: <why>`` to the
    client; with a ``token`` the first line must be ``auth <token>`` (three wrong tries close
    the connection). ``help`` lists the commands. ``quit`` from a client closes only that
    connection.
    """

    Inboxes = {"inbox": "bytes from the client", "control": "connection ended / shutdown",
               "notices": "lines to pass to the client (status, operator view)"}
    Outboxes = {"outbox": "bytes to the client", "commands": "command tuples",
                "signal": "shutdown signals"}

    token = None
    max_line = MAX_LINE
    refuse_reason = None     # set when the port is full: tell the client and hang up
    max_auth_failures = 3

    def reply(self, text):
        self.send((text + "\n").encode("utf-8"), "outbox")

    def main(self):
        if self.refuse_reason:
            self.reply("error: " + self.refuse_reason)
            self.send(producerFinished(self), "signal")
            return
        decoder = LineDecoder(max_line=self.max_line)
        authed = self.token is None
        failures = 0
        self.reply("ready" + ("" if authed else ": send 'auth <token>' first"))
        while True:
            while self.dataReady("inbox"):
                for line in decoder.feed(self.recv("inbox")):
                    if isinstance(line, FramingError):
                        self.reply("error: line longer than %d bytes; ignored" % self.max_line)
                        continue
                    text = line.decode("utf-8", "replace").strip()
                    if not text:
                        continue
                    if not authed:
                        words = text.split()
                        if (len(words) == 2 and words[0].lower() == "auth"
                                and compare_digest(words[1].encode(), self.token.encode())):
                            authed = True
                            self.reply("ok authenticated")
                            continue
                        failures += 1
                        self.reply("error: not authenticated: send 'auth <token>' first")
                        if failures >= self.max_auth_failures:
                            self.reply("error: too many failed attempts; closing")
                            self.send(producerFinished(self), "signal")
                            return
                        continue
                    if text.lower() == "help":
                        from kamaelia_lite.surtitles.commands import KEYWORDS
                        self.reply("ok commands: " + " ".join(KEYWORDS))
                        continue
                    try:
                        cmd = parse_control_line(text)
                    except CommandError as exc:
                        self.reply("error: %s" % exc)
                        continue
                    if cmd[0] == "quit":
                        self.reply("ok bye")
                        self.send(producerFinished(self), "signal")
                        return
                    self.send(cmd, "commands")
                    self.reply("ok " + format_command(cmd))
            while self.dataReady("notices"):
                note = self.recv("notices")
                if authed:
                    for ln in str(note).split("\n"):
                        self.reply("# " + ln)
            while self.dataReady("control"):
                self.recv("control")
                self.send(producerFinished(self), "signal")
                return
            if not self.anyReady():
                self.pause()
            yield 1


class TCPControlPort(component):
    """A plain-text TCP control port: each client line is a command, each gets a reply.

    ``host`` (default "127.0.0.1"), ``port`` (0 picks one; read ``.port`` back),
    ``token`` (str): required when ``host`` is not a loopback address (ValueError otherwise);
    ``max_line`` (bytes, default 200), ``max_connections`` (default 8: more clients are told
    ``error: too many control connections`` and disconnected), ``idle_timeout`` (s, default 600).

    outbox: command tuples from every client. inbox: notices (str) passed to every
    authenticated client as ``# ...`` lines (e.g. the operator view).
    """

    Inboxes = {"inbox": "notices for the clients", "control": "shutdown signals",
               "_commands": "internal: from the sessions", "_server_done": "internal: server finished"}
    Outboxes = {"outbox": "command tuples", "signal": "shutdown signals", "_server": "internal"}

    host = "127.0.0.1"
    port = 0
    token = None
    max_line = MAX_LINE
    max_connections = 8
    idle_timeout = 600.0

    def __init__(self, **argd):
        super().__init__(**argd)
        if not is_loopback(self.host) and not self.token:
            raise ValueError("the control port listens on %s (not loopback): give it a shared token= "
                             "that clients must send as 'auth <token>'" % self.host)
        self.sessions = []
        self.server = TCPServer(protocol=self._new_session, host=self.host, port=self.port,
                                max_connections=self.max_connections + 4, idle_timeout=self.idle_timeout,
                                recv_size=4096, max_send_buffer=64 * 1024)
        self.port = self.server.port

    def _new_session(self):
        self.sessions = [s for s in self.sessions if not s.finished()]
        refuse = None
        if len(self.sessions) >= self.max_connections:
            refuse = "too many control connections (limit %d); try again later" % self.max_connections
            sys.stderr.write("kamaelia_lite: control port %s:%d: %s\n" % (self.host, self.port, refuse))
        s = ControlSession(token=self.token, max_line=self.max_line, refuse_reason=refuse)
        if refuse is None:
            self.sessions.append(s)
            self.link((s, "commands"), (self, "_commands"))
            box = self.addOutbox("_notice")
            self.link((self, box), (s, "notices"))
            s._notice_box = box
        return s

    def main(self):
        self.link((self, "_server"), (self.server, "control"))
        self.link((self.server, "signal"), (self, "_server_done"))
        self.addChildren(self.server)
        self.server.activate(self._sched)
        while True:
            while self.dataReady("_commands"):
                self.send(self.recv("_commands"), "outbox")
            while self.dataReady("inbox"):
                note = self.recv("inbox")
                for s in self.sessions:
                    if not s.finished():
                        try:
                            self.send(note, s._notice_box)
                        except Exception:
                            pass            # a slow client's notices box is full: skip it
            for s in [s for s in self.sessions if s.finished()]:
                self.sessions.remove(s)
                self.deleteOutbox(s._notice_box)
            while self.dataReady("control"):
                msg = self.recv("control")
                if isinstance(msg, (producerFinished, shutdownMicroprocess)):
                    self.send(shutdownMicroprocess(self), "_server")
                    while not self.server.finished() and not self.dataReady("_server_done"):
                        self.pause()
                        yield 1
                    self.send(msg, "signal")
                    return
            if not self.anyReady():
                self.pause()
            yield 1
