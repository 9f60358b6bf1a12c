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

from kamaelia_lite.command_port_components import CommandPort, CommandSession
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.net.framing import FramingError, LineDecoder
from kamaelia_lite.surtitles.commands import MAX_LINE, CommandError, format_command, is_command, parse_command
from microaxon import component

__all__ = [
    "PRESENTER_KEYS", "CUE_KEYS", "key_to_command", "KeyboardControl", "KeyEvent",
    "CommandLineParser", "parse_control_line", "TCPControlPort", "ControlSession",
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
            # one line at a time, while there is room for its command and its reply: a device
            # that does not read its replies slows the parser down, it never makes it raise
            while self.dataReady("inbox") and self.hasSpace("outbox") > 0 and self.hasSpace("replies") > 0:
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
            if self.dataReady("inbox"):
                self.waitSpace("outbox" if self.hasSpace("outbox") <= 0 else "replies")
            if not self.anyReady() or self.dataReady("inbox"):
                self.pause()
            yield 1


class ControlSession(CommandSession):
    """One TCP control connection (made by TCPControlPort): bytes in, replies out.

    Sends accepted commands on ``commands``; replies ``ok <command>`` or ``error: <why>`` to the
    client; with a ``token`` the first line must be ``auth <token>`` (the shared scheme of
    ``kamaelia_lite.command_port``). ``help`` lists the commands. ``quit`` from a client closes
    only that connection. A client that does not read its replies stops being read.
    ``handler``: a function (command tuple -> None when done, or why it failed) that does each
    command at once, in the order read, instead of sending it on ``commands`` (for a display in
    the same scheduler, e.g. a teleprompter's ``command_now``), so each answer is ``ok`` or
    ``error: <why>`` for that command.
    """

    Inboxes = {"inbox": "bytes from the client", "control": "connection ended / shutdown",
               "notices": "lines to pass to the client (status, operator view)"}
    Outboxes = {"outbox": "bytes to the client", "commands": "command tuples",
                "signal": "shutdown signals"}

    up = "commands"
    max_line = MAX_LINE
    handler = None

    def __init__(self, **argd):
        super().__init__(**argd)
        self._decoder = LineDecoder(max_line=self.max_line)
        self._lines = []         # lines of the last input, handled one per work()
        self._at = 0

    def feed(self, data):
        self._lines = self._decoder.feed(data)
        self._at = 0

    def work(self):
        if self._at >= len(self._lines):
            return False
        line = self._lines[self._at]
        self._lines[self._at] = None
        self._at += 1
        if isinstance(line, FramingError):
            self.reply("error: line longer than %d bytes; ignored" % self.max_line)
            return True
        text = line.decode("utf-8", "replace").strip()
        if not text:
            return True
        if text.lower() == "help":
            from kamaelia_lite.surtitles.commands import KEYWORDS
            self.reply("ok commands: " + " ".join(KEYWORDS))
            return True
        try:
            cmd = parse_control_line(text)
        except CommandError as exc:
            self.reply("error: %s" % exc)
            return True
        if cmd[0] == "quit":
            self.reply("ok bye")
            self.finish()
            return True
        if self.handler is not None:
            try:
                why = self.handler(cmd)
            except Exception as exc:      # a client's line never stops the port
                why = "%s: %s" % (type(exc).__name__, exc)
            if why:
                self.reply("error: %s" % why)
                return True
        else:
            self.send(cmd, "commands")      # room was checked before work() was called
        self.reply("ok " + format_command(cmd))
        return True

    def notice(self, msg):
        for ln in str(msg).split("\n"):
            self.reply("# " + ln)


class TCPControlPort(CommandPort):
    """A plain-text TCP control port: each client line is a command, each gets a reply.

    ``host`` (default "127.0.0.1"), ``port`` (0 picks one; read ``.port`` back),
    ``token`` (str): required when ``host`` is not a loopback address (ValueError otherwise);
    ``max_line`` (bytes, default 200), ``max_connections`` (default 8: more clients are told
    ``error: too many control connections`` and disconnected), ``idle_timeout`` (s, default 600).
    Failed ``auth`` attempts are limited per source address (``auth_burst``, ``auth_refill``).
    ``handler`` (see ControlSession: e.g. a teleprompter's ``command_now``).

    outbox: command tuples from every client. inbox: notices (str) passed to every
    authenticated client as ``# ...`` lines (e.g. the operator view).
    """

    session = ControlSession
    what = "control"
    down = "notices"
    max_line = MAX_LINE
    handler = None

    def make_session(self, peer):
        return ControlSession(max_line=self.max_line, handler=self.handler, **self.session_args(peer))
