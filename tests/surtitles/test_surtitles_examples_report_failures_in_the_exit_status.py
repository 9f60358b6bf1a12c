"""A failure in the surtitles examples reaches the user and the exit status: a taken port or
an interface that does not exist gives a clear error line and exit status 1, never a silent 0."""
import os
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, SDL_VIDEODRIVER="dummy")


def _run(args, stdin=""):
    return subprocess.run([sys.executable, "-m"] + args, input=stdin, capture_output=True, text=True,
                          timeout=30, cwd=ROOT, env=ENV)


def test_operator_on_a_taken_port_says_so_and_exits_1():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    try:
        p = _run(["examples.surtitles.operator", "--key", "k", "--tcp", "127.0.0.1:%d" % s.getsockname()[1]],
                 "next\n")
    finally:
        s.close()
    assert p.returncode == 1
    assert "error: operator:" in p.stderr and "in use" in p.stderr


def test_operator_whose_multicast_sender_fails_stops_with_exit_1():
    p = _run(["examples.surtitles.operator", "--key", "k", "--multicast", "239.255.42.99:5405",
              "--interface", "10.255.254.253"], "next\nnext\n")
    assert p.returncode == 1
    assert "error: operator: MulticastSender" in p.stderr and "failed" in p.stderr


def test_display_on_an_interface_that_does_not_exist_exits_1():
    p = _run(["examples.surtitles.display", "--key", "k", "--headless", "--multicast", "239.255.42.99:5405",
              "--interface", "10.255.254.253"])
    assert p.returncode == 1
    assert "error: display" in p.stderr
