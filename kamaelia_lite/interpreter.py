"""A line-at-a-time Python interpreter (pure logic: no I/O, no scheduler).

    it = LineInterpreter()
    it.feed("x = 2")      # -> [("ran", None, None)]
    it.feed("x * 3")      # -> [("ran", 6, None)]
    it.feed("for i in range(2):")   # -> []  (more lines needed)

feed(line) returns a list of events:
  ("ran", value, None)         a complete statement ran; value is the expression's value (or None)
  ("ran", None, traceback)     it raised; traceback is the formatted text
  ("syntax", traceback, script) the script so far cannot compile; it is dropped

A statement is complete when a line that does not start with a space or a tab completes it (so
a block ends with an empty line, as at Python's own prompt). The namespace persists between lines.

SECURITY: this runs any code it is given, with the rights of the process. Never feed it text
from a network peer you do not trust (see interpreter_components for the TCP safeguards).
"""
import code
import traceback
from typing import Any, Callable, Dict, List, Optional, Tuple

Event = Tuple[str, Any, Any]


class LineInterpreter:
    """Feeds lines to Python's compiler; runs each statement once complete (see module doc)."""

    def __init__(self, namespace: Optional[Dict[str, Any]] = None) -> None:
        self.namespace: Dict[str, Any] = namespace if namespace is not None else {"__name__": "__console__"}
        self.script = ""

    def feed(self, line: str, before_run: Optional[Callable[[], Any]] = None) -> List[Event]:
        """Add one line (without its newline); returns the events it caused. `before_run()`, if
        given, is called just before a complete statement runs (a console prints "ok" there,
        so the statement's own output follows it)."""
        self.script += line + "\n"
        try:
            compiled = code.compile_command(self.script, "<stdin>", "exec")
        except (SyntaxError, ValueError, OverflowError):
            script, self.script = self.script, ""
            return [("syntax", traceback.format_exc(), script)]
        if line[:1] in (" ", "\t") or compiled is None:      # an indented line: the block goes on
            return []
        script, self.script = self.script, ""
        if before_run is not None:
            before_run()
        return [self._run(script, compiled)]

    def _run(self, script: str, compiled: Any) -> Event:
        ns = self.namespace
        try:                                # an expression: keep its value in `_`
            as_value = code.compile_command("_=" + script, "<stdin>", "exec")
        except (SyntaxError, ValueError, OverflowError):
            as_value = None
        before = ns.get("_")
        ns["_"] = None
        try:
            exec(as_value or compiled, ns)
        except BaseException as e:          # the user's code may raise anything, even SystemExit
            if isinstance(e, KeyboardInterrupt):
                raise
            ns["_"] = before
            return ("ran", None, traceback.format_exc())
        value = ns["_"]
        if value is None:
            ns["_"] = before
        return ("ran", value, None)
