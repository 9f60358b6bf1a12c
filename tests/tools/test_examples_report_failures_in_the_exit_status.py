"""Every example reports a failure where the user sees it and in the exit status: a component
that fails (multicast on an address that is not ours) or a port that is taken gives one
"error: ..." line on stderr and exit status 1, never a silent 0."""
import socket
import subprocess
import sys

import pytest
from tools_helpers import ROOT, repo_env

NOT_OURS = "10.255.254.253"


def _run(args):
    return subprocess.run([sys.executable, "-m"] + args, cwd=ROOT, env=repo_env(SDL_VIDEODRIVER="dummy"),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("args", [
    ["examples.multicast_receiver", "--interface", NOT_OURS],
    ["examples.multicast_sender", "--interface", NOT_OURS, "--count", "2"],
])
def test_a_failing_component_ends_the_example_with_an_error_and_status_1(args):
    p = _run(args)
    assert p.returncode == 1, p.stderr
    assert "error: " in p.stderr and "failed" in p.stderr


@pytest.mark.parametrize("example", ["examples.echo_server", "examples.chat_server"])
def test_a_taken_port_is_one_clear_error_and_status_1(example):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    try:
        p = _run([example, "--port", str(s.getsockname()[1])])
    finally:
        s.close()
    assert p.returncode == 1
    assert "error:" in p.stderr and "in use" in p.stderr and "Traceback" not in p.stderr
