"""Python interpreters as components (Kamaelia's names:
Kamaelia.Experimental.PythonInterpreter.InterpreterTransformer / StandaloneInterpreter).

SECURITY — READ THIS: both run any Python they are given, as the user running the program.
``InterpreterTransformer`` inside a TCP server's protocol runs code sent by network peers. Ours
therefore refuses to run code for a peer that is not on this machine (loopback) unless built
with ``allow_remote=True``, and warns on stderr when the server it serves listens on a
non-loopback address. Serve it on 127.0.0.1.

- `InterpreterTransformer()`: each message on "inbox" is one line of Python. It sends " " when it
  starts, then per complete statement its value (when true) or " "; a failure sends "EPIC FAIL"
  and the traceback text (a syntax error also the script's repr), as Kamaelia's did.
- `StandaloneInterpreter()`: a console prompt ("> ") on stdin/stdout in a thread: prints "\\nok"
  after each complete statement, then its value when true; ends at end of input.
"""
import sys
from typing import Any

from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.interpreter import LineInterpreter
from microaxon import component, shutdown
from microaxon.threaded import threadedcomponent

_LOOPBACK = ("127.", "::1", "localhost")


def _is_loopback(host: Any) -> bool:
    return isinstance(host, str) and (host.startswith(_LOOPBACK[0]) or host in _LOOPBACK[1:])


def _serving(c: Any):
    """(server listen address, peer) if `c` is inside a TCP server's connection, else None."""
    child, p = c, getattr(c, "_parent", None)
    while p is not None:
        conns = getattr(p, "connections", None)
        listener = getattr(p, "listener", None)
        if isinstance(conns, dict) and listener is not None:
            peer = None
            for entry in conns.values():
                if entry and entry[0] is child:
                    peer = entry[-1]
            try:
                addr = listener.getsockname()
            except OSError:
                addr = None
            return addr, peer
        child, p = p, getattr(p, "_parent", None)
    return None


class InterpreterTransformer(component):
    """Runs lines of Python arriving on "inbox"; sends results (see module doc)."""

    Inboxes = {"inbox": "lines of Python (str)", "control": "shutdown signals"}
    Outboxes = {"outbox": "results, ' ' or 'EPIC FAIL' + traceback", "signal": "shutdown signals"}

    allow_remote = False

    def __init__(self, **argd: Any) -> None:
        super().__init__(**argd)
        self.interpreter = LineInterpreter()

    def _refuse_remote(self) -> bool:
        served = _serving(self)
        if served is None:
            return False
        addr, peer = served
        if addr and not _is_loopback(addr[0]):
            sys.stderr.write("WARNING: InterpreterTransformer is served on %s:%s, which is not loopback: "
                             "it runs the Python its peers send. Serve it on 127.0.0.1.\n" % addr[:2])
        host = peer[0] if isinstance(peer, tuple) else peer
        return not self.allow_remote and not _is_loopback(host)

    def main(self):
        if self._refuse_remote():
            self.send("refused: this interpreter runs code only for peers on this machine\n", "outbox")
            self.send(shutdown(), "signal")
            return
        self.send(" ", "outbox")
        while True:
            while self.dataReady("inbox"):
                for kind, a, b in self.interpreter.feed(self.recv("inbox")):
                    if kind == "syntax":
                        self.send("EPIC FAIL", "outbox")
                        self.send(a, "outbox")
                        self.send(repr(b), "outbox")
                    elif b is not None:
                        self.send("EPIC FAIL", "outbox")
                        self.send(b, "outbox")
                    else:
                        self.send(a if a else " ", "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


def _standalone_main(self: Any) -> None:
    interp = LineInterpreter()
    while True:
        try:
            line = input("> ")
        except EOFError:
            return
        for kind, a, b in interp.feed(line, before_run=lambda: print("\nok")):
            if kind == "syntax":
                print("EPIC FAIL")
                print(a)
                print(b)
                print(repr(b))
                continue
            if b is not None:
                print("EPIC FAIL")
                print(b)
            elif a:
                print(a)


class StandaloneInterpreter(threadedcomponent):
    """A "> " prompt on the console running Python (see module doc)."""

    main = _standalone_main
