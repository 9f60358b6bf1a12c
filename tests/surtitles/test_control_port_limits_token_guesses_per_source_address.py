"""Brute force against the control port's token, with real sockets against a real process:
failed guesses are limited per source ADDRESS (reconnecting does not reset the count: before, a
reconnecting client made 9,632 guesses a second), refused guesses are not even compared, and
another address is not held back."""
import os
import socket
import subprocess
import sys
import time

import pytest

from kamaelia_lite.command_port import AuthGate, SourceLimiter, token_matches

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "correct-horse"
PORT_PROGRAM = """
import sys
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.surtitles.control import TCPControlPort
from kamaelia_lite.util import ConsoleEchoer
port = TCPControlPort(host="127.0.0.1", token=%r, max_connections=64, auth_timeout=float(sys.argv[1]))
sys.stderr.write("port %%d\\n" %% port.port)
sys.stderr.flush()
Pipeline(port, ConsoleEchoer(use_repr=True)).run()
""" % TOKEN


@pytest.fixture
def control_port(request):
    auth_timeout = getattr(request, "param", 10.0)
    p = subprocess.Popen([sys.executable, "-c", PORT_PROGRAM, str(auth_timeout)], cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = p.stderr.readline().decode()
    assert line.startswith("port "), line + p.stderr.read().decode()
    yield int(line.split()[1])
    p.kill()
    _, err = p.communicate(timeout=10)
    assert b"Traceback" not in err, err


def guess(port, word, source="127.0.0.1"):
    """One connection, one guess: the reply to it."""
    s = socket.socket()
    s.settimeout(5)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"auth " + word.encode() + b"\n")
    reply = f.readline().decode().strip()
    s.close()
    return reply


def test_reconnecting_does_not_reset_the_guess_limit(control_port):
    start = time.time()
    replies = [guess(control_port, "guess%d" % i) for i in range(60)]
    elapsed = time.time() - start
    compared = sum(1 for r in replies if r.startswith("error: not authenticated"))
    refused = [r for r in replies if r.startswith("error: too many failed attempts from 127.0.0.1")]
    assert compared + len(refused) == 60, replies
    # a burst of 5, then one more every 2 s: the rest are refused without a comparison
    assert 5 <= compared <= 5 + int(elapsed / 2.0) + 1, (compared, elapsed)
    assert "try again in" in refused[-1]
    # even the right token is refused from that address while it is locked out ...
    assert guess(control_port, TOKEN).startswith("error: too many failed attempts from")
    # ... but another address is not held back by it
    assert guess(control_port, TOKEN, source="127.0.0.2") == "ok authenticated"


@pytest.mark.parametrize("control_port", [0.5], indirect=True)
def test_silent_strangers_are_hung_up_on_and_free_their_slots(control_port):
    quiet = [socket.create_connection(("127.0.0.1", control_port), timeout=5) for _ in range(3)]
    start = time.time()
    for s in quiet:
        f = s.makefile("rb")
        assert f.readline().startswith(b"ready: send 'auth <token>' first")
        assert f.readline() == b"error: not authenticated within 0.5 s; closing\n"
        assert f.readline() == b""                         # and the connection is closed
        s.close()
    assert time.time() - start < 3.0
    assert guess(control_port, TOKEN) == "ok authenticated"


def test_the_limit_refills_with_time():
    lim = SourceLimiter(burst=2, refill=1.0)
    gate = AuthGate(b"tok", lim, "10.0.0.9", max_failures=10)
    assert gate.feed(b"auth a\nauth b\nauth c\n", 100.0) is None
    assert gate.replies[-1].startswith("error: too many failed attempts from 10.0.0.9; try again in 1 s")
    assert gate.closed
    fresh = AuthGate(b"tok", lim, "10.0.0.9")
    assert fresh.feed(b"auth tok\nnext\n", 101.0) == b"next\n"     # one attempt back after 1 s
    assert fresh.replies == ["ok authenticated"]


def test_tokens_compare_by_digest_whatever_their_length():
    assert token_matches(b"abc", "abc") and not token_matches(b"abc", b"abd")
    assert not token_matches(b"ab", b"abc") and not token_matches(b"", b"abc")


def test_the_limiter_remembers_a_bounded_number_of_addresses():
    lim = SourceLimiter(burst=1, refill=10.0, max_sources=8)
    for i in range(100):
        lim.failed("10.0.%d.1" % i, 0.0)
    assert len(lim._b) <= 8
