"""The TCP control port: a reply per line, clear errors, bounded lines and connections, tokens."""
import threading

import pytest
from common_helpers import LineClient

from kamaelia_lite.command_port import is_loopback
from kamaelia_lite.surtitles.control import TCPControlPort
from microaxon import Scheduler, component, now, shutdownMicroprocess


class Until(component):
    """Collects commands; after `count` of them (or `timeout` s) shuts the port down, then
    waits for the port to report that it finished."""

    Inboxes = {"inbox": "commands", "control": "unused", "done": "the port's signal"}

    def __init__(self, count, timeout=5.0, **argd):
        super().__init__(**argd)
        self.count = count
        self.timeout = timeout
        self.got = []
        self.timed_out = False

    def main(self):
        end = now() + self.timeout
        while len(self.got) < self.count:
            while self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            if len(self.got) >= self.count:
                break
            if now() >= end:
                self.timed_out = True
                break
            self.pause(end - now())
            yield 1
        self.send(shutdownMicroprocess(), "outbox")
        while not self.dataReady("done"):
            self.pause()
            yield 1


def serve(port_component, count, clients):
    """Run the port until `count` commands arrived; each client is fn(port) in a thread."""
    sched = Scheduler()
    until = Until(count)
    port_component.link((port_component, "outbox"), (until, "inbox"))
    until.link((until, "outbox"), (port_component, "control"))
    port_component.link((port_component, "signal"), (until, "done"))
    port_component.activate(scheduler=sched)
    until.activate(scheduler=sched)
    results = [None] * len(clients)
    threads = []
    for i, fn in enumerate(clients):
        def run(i=i, fn=fn):
            try:
                results[i] = fn(port_component.port)
            except Exception as e:
                results[i] = e
        th = threading.Thread(target=run, daemon=True)
        th.start()
        threads.append(th)
    sched.run()
    for th in threads:
        th.join(5)
    assert not until.timed_out, until.got
    return until.got, results


def test_commands_get_ok_and_bad_lines_get_clear_errors():
    def client(port):
        c = LineClient(port)
        out = [c.line()]
        out.append(c.ask("next"))
        out.append(c.ask("fly to the moon"))
        out.append(c.ask("speed 99"))
        out.append(c.ask("x" * 5000))
        out.append(c.ask("blackout on"))
        out.append(c.ask("help"))
        out.append(c.ask("cue 12"))
        c.close()
        return out

    got, [replies] = serve(TCPControlPort(max_line=200), 3, [client])
    assert got == [("next",), ("blackout", True), ("cue", "12")]
    assert replies[0] == "ready"
    assert replies[1] == "ok next"
    assert replies[2].startswith("error: unknown command 'fly' (known: play, pause")
    assert replies[3] == "error: speed: 99 is outside -10..10"
    assert replies[4] == "error: line longer than 200 bytes; ignored"
    assert replies[5] == "ok blackout on"
    assert replies[6].startswith("ok commands: play pause")
    assert replies[7] == "ok cue 12"


def test_connections_beyond_the_limit_are_told_and_closed():
    ready = threading.Barrier(3, timeout=5)

    def holder(port):
        c = LineClient(port)
        first = c.line()
        ready.wait()          # both held connections are open
        ready.wait()          # the extra client has been refused
        reply = c.ask("next")
        c.close()
        return first, reply

    def extra(port):
        ready.wait()
        c = LineClient(port)
        lines = [c.line(), c.line()]
        c.close()
        ready.wait()
        return lines

    got, results = serve(TCPControlPort(max_connections=2), 2, [holder, holder, extra])
    assert results[0] == ("ready", "ok next") and results[1] == ("ready", "ok next")
    assert results[2] == ["error: too many control connections (limit 2); try again later", None]
    assert got == [("next",), ("next",)]


def test_token_required_off_loopback():
    with pytest.raises(ValueError, match="not loopback.*token="):
        TCPControlPort(host="0.0.0.0")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")

    intruder_done = threading.Event()

    def client(port):
        c = LineClient(port)
        out = [c.line(), c.ask("next"), c.ask("auth wrong"), c.ask("auth s3cret")]
        intruder_done.wait(5)                 # the last command ends the test: after the intruder
        out.append(c.ask("prev"))
        c.close()
        return out

    def intruder(port):
        c = LineClient(port)
        out = [c.line(), c.ask("auth a"), c.ask("auth b"), c.ask("auth c"), c.line(), c.line()]
        c.close()
        intruder_done.set()
        return out

    got, (replies, bad) = serve(TCPControlPort(host="0.0.0.0", token="s3cret"), 1, [client, intruder])
    assert got == [("prev",)]
    assert replies == ["ready: send 'auth <token>' first",
                       "error: not authenticated: send 'auth <token>' first",
                       "error: not authenticated: send 'auth <token>' first",
                       "ok authenticated", "ok prev"]
    assert bad[1:4] == ["error: not authenticated: send 'auth <token>' first"] * 3
    assert bad[4:] == ["error: too many failed attempts; closing", None]


def test_idle_connections_are_closed():
    idle_closed = threading.Event()

    def idle(port):
        c = LineClient(port)
        first = c.line()
        c.s.settimeout(5)
        rest = c.line()                      # None: the port closed the idle connection
        idle_closed.set()
        c.close()
        return first, rest

    def active(port):
        idle_closed.wait(5)
        c = LineClient(port)
        out = [c.line(), c.ask("next")]
        c.close()
        return out

    got, (idle_result, active_result) = serve(TCPControlPort(idle_timeout=0.3), 1, [idle, active])
    assert idle_result == ("ready", None)
    assert active_result == ["ready", "ok next"] and got == [("next",)]
