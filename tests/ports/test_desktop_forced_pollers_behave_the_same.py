"""The core picks its poller in one place and MICROAXON_POLLER forces each path; a networked app
(TCP echo server + client + timers on loopback: kamaelia_lite.desktop.selfcheck) behaves identically with
epoll (Linux), poll (macOS, MicroPython) and select (Windows)."""
import sys

import pytest
from common_helpers import ROOT, repo_env, run


def _selfcheck(poller):
    env = repo_env()
    env.pop("MICROAXON_POLLER", None)
    if poller:
        env["MICROAXON_POLLER"] = poller
    proc = run([sys.executable, "-m", "kamaelia_lite.desktop.selfcheck"], cwd=ROOT, env=env, timeout=30)
    lines = proc.stdout.splitlines()
    return lines[1], lines[2:]


@pytest.mark.parametrize("poller", ["epoll", "poll", "select"])
def test_each_forced_poller_is_used_and_gives_the_same_transcript(poller):
    chosen, transcript = _selfcheck(poller)
    assert chosen.startswith("poller: %s " % poller)
    _, default = _selfcheck(None)
    assert transcript == default
    assert transcript[1] == "echoed 66 bytes, identical: True"
    assert transcript[-1] == "failures: 0, deadlock: False"


def test_linux_default_is_epoll():
    chosen, _ = _selfcheck(None)
    assert chosen.startswith("poller: epoll ")
