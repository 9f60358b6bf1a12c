"""A command port's ``auth <token>`` handshake answers a client's bytes the same whether they
arrive whole or cut into reads anywhere: an over-long line is one refusal, whatever its pieces,
and nothing hidden after its first ``max_line`` bytes is read as a line of its own (before, the
rest of a line cut after ``max_line`` bytes was a new line: a second failure, or an ``auth``
accepted that the whole line would have refused)."""
import os
import socket
import subprocess
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.command_port import AuthGate, SourceLimiter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = b"s3cret"


def gate_run(chunks, max_line=40):
    """Feeds ``chunks`` to a fresh gate: (replies, passed, closed, session input)."""
    gate = AuthGate(TOKEN, SourceLimiter(burst=3, refill=60.0), "10.0.0.1", max_line=max_line)
    rest = b""
    for c in chunks:
        got = gate.feed(c, 0.0)
        assert len(gate._buf) <= max_line
        if got is not None:
            rest += got
    return gate.replies, gate.passed, gate.closed, rest


def test_a_long_line_cut_after_the_limit_is_one_refusal_and_hides_no_auth():
    line = b"x" * 45 + b" auth s3cret\n"
    whole = gate_run([line])
    assert whole == (["error: line longer than 40 bytes; ignored"], False, False, b"")
    for cut in (41, 44, 45, 46, 50):
        assert gate_run([line[:cut], line[cut:]]) == whole, cut
    # dripped a byte at a time, too
    assert gate_run([line[i:i + 1] for i in range(len(line))]) == whole


def test_an_auth_line_longer_than_the_limit_is_refused_as_too_long_whole_or_cut():
    line = b"auth " + b"t" * 60 + b"\n"
    whole = gate_run([line])
    assert whole[0] == ["error: line longer than 40 bytes; ignored"]
    assert gate_run([line[:42], line[42:]]) == whole


def test_the_line_after_a_long_one_is_read():
    stream = b"y" * 100 + b"\nauth s3cret\nhello\n"
    assert gate_run([stream[:50], stream[50:]]) == (
        ["error: line longer than 40 bytes; ignored", "ok authenticated"], True, False, b"hello\n")


WORDS = st.sampled_from([b"auth", b"AUTH", TOKEN, b"s3cre", b"x" * 30, b" ", b"\t", b"\n", b"\r\n", b"auth s3cret\n"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(WORDS, st.binary(max_size=20)), max_size=30), data=st.data())
def test_any_client_stream_cut_anywhere_gives_what_it_gives_whole(parts, data):
    stream = b"".join(parts)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(stream)), max_size=8)))
    chunks = [stream[a:b] for a, b in zip([0] + cuts, cuts + [len(stream)])]
    assert gate_run(chunks) == gate_run([stream])


PORT_PROGRAM = """
import sys
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.surtitles.control import TCPControlPort
from kamaelia_lite.util import ConsoleEchoer
port = TCPControlPort(host="127.0.0.1", token="correct-horse")
sys.stderr.write("port %d\\n" % port.port)
sys.stderr.flush()
Pipeline(port, ConsoleEchoer(use_repr=True)).run()
"""


def test_a_client_hiding_its_auth_behind_a_long_line_is_not_let_in_over_tcp():
    p = subprocess.Popen([sys.executable, "-c", PORT_PROGRAM], cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = p.stderr.readline().decode()
        assert line.startswith("port "), line + p.stderr.read().decode()
        s = socket.create_connection(("127.0.0.1", int(line.split()[1])), timeout=5)
        f = s.makefile("rb")
        assert f.readline().startswith(b"ready")
        s.sendall(b"z" * 201)                     # past the 200-byte limit: one read ...
        assert f.readline() == b"error: line longer than 200 bytes; ignored\n"
        time.sleep(0.2)
        s.sendall(b"auth correct-horse\n")        # ... and the same line goes on
        s.sendall(b"auth wrong\n")
        assert f.readline() == b"error: not authenticated: send 'auth <token>' first\n"
        s.close()
    finally:
        p.kill()
        _, err = p.communicate(timeout=10)
    assert b"Traceback" not in err, err
