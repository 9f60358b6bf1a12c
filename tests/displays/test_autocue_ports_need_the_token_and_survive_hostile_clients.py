"""examples/autocue as a real process, attacked over real sockets: exposed off loopback it needs a
token on BOTH ports (anyone on the LAN could replace the prompter text before), warns that the token
travels in clear text, refuses to start without one; clients that never read their replies cannot
make it raise; Ctrl-C ends it quietly with status 130."""
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from common_helpers import LineClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "s3cret-token"


def start(*extra):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=ROOT)
    p = subprocess.Popen([sys.executable, "-m", "examples.autocue", "--script-port", "0",
                          "--control-port", "0", "--size", "320x200", "--font", "20", "--fps", "20",
                          *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 20
    seen = []
    while time.time() < deadline:
        line = p.stderr.readline().decode()
        if not line:
            break
        seen.append(line)
        m = re.search(r"script port [^:]+:(\d+), control port [^:]+:(\d+)", line)
        if m:
            return p, int(m.group(1)), int(m.group(2)), seen
    p.kill()
    raise AssertionError("autocue did not start: %r" % seen)


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGINT)
    try:
        _, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    return p.returncode, err.decode()


def words_shown(control_port):
    """The prompter's word count, from the status the control port passes to its clients."""
    c = LineClient(control_port)
    c.line()
    assert c.ask("auth " + TOKEN) == "ok authenticated"
    assert c.ask("status") == "ok status"
    while True:
        ln = c.line()
        m = re.search(r"'words': (\d+)", ln or "")
        if m:
            c.close()
            return int(m.group(1))
        assert ln is not None


def rss(pid):
    """Resident memory of process ``pid`` in bytes (Linux /proc)."""
    with open("/proc/%d/status" % pid) as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1]) * 1024
    raise AssertionError("no VmRSS for %d" % pid)


@pytest.fixture
def exposed():
    p, script_port, control_port, seen = start("--host", "0.0.0.0", "--token", TOKEN)
    yield script_port, control_port, seen, p.pid
    rc, err = stop(p)
    assert rc == 130, err
    assert "Traceback" not in err and "BoxFull" not in err, err


def test_the_script_port_refuses_a_script_without_the_token(exposed):
    script_port, control_port, seen, _ = exposed
    assert any("token travels in clear text" in ln for ln in seen)
    before = words_shown(control_port)
    evil = LineClient(script_port)
    assert evil.line().startswith("ready: send 'auth <token>' first")
    evil.s.sendall(b"evil " * 40 + b"\n.\n" + b"more evil, unterminated")
    assert evil.line() == "error: not authenticated: send 'auth <token>' first"
    evil.close()                      # the unterminated rest must not be published either
    time.sleep(0.3)
    assert words_shown(control_port) == before
    good = LineClient(script_port)
    good.line()
    assert good.ask("auth " + TOKEN) == "ok authenticated"
    good.s.sendall(b"one two three\n.\n")
    assert good.line() == "ok script: 3 words, 0 markers"
    good.close()
    time.sleep(0.3)
    assert words_shown(control_port) == 3


def test_clients_that_never_read_replies_cannot_make_it_raise(exposed):
    script_port, control_port, _, pid = exposed
    rss_before = rss(pid)
    floods = []
    for port, line in ((control_port, b"help\n"), (script_port, b".\n")):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"auth " + TOKEN.encode() + b"\n")
        s.setblocking(False)
        sent, end = 0, time.time() + 2.0
        while time.time() < end and sent < 8 << 20:
            try:
                sent += s.send(line * 4096)
            except BlockingIOError:           # the port stopped reading us: flow control
                time.sleep(0.01)
        floods.append((s, sent))
    # a well-behaved operator is still served while the flooders hold their connections
    assert words_shown(control_port) >= 0     # (the flood pushed empty scripts)
    c = LineClient(control_port)
    c.line()
    assert c.ask("auth " + TOKEN) == "ok authenticated"
    assert c.ask("pause") == "ok pause"      # (a command the teleprompter can always do)
    c.close()
    # What the flooders got into the kernel's socket buffers is the kernel's affair (loopback
    # buffers autotune up to net.ipv4.tcp_rmem's maximum, 32 MiB on some machines): what the
    # prompter itself holds is bounded (its replies and held input, well under 8 MiB).
    grown = rss(pid) - rss_before
    assert grown < 8 << 20, (grown, [sent for _, sent in floods])
    for s, _sent in floods:
        s.close()


def test_exposed_without_a_token_it_refuses_to_start():
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONPATH=ROOT)
    r = subprocess.run([sys.executable, "-m", "examples.autocue", "--host", "0.0.0.0", "--script-port", "0",
                        "--control-port", "0"], cwd=ROOT, env=env, capture_output=True, timeout=30)
    assert r.returncode == 2
    assert b"not loopback" in r.stderr and b"token=" in r.stderr and b"Traceback" not in r.stderr


def test_ctrl_c_exits_quietly_with_status_130():
    p, _, _, _ = start()
    time.sleep(0.5)
    rc, err = stop(p)
    assert rc == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "autocue: interrupted" in err
