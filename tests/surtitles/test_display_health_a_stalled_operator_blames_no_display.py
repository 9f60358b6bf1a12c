"""An operator that was itself stopped for a while (its machine suspended or swapping, the
process paused) does not call its displays silent when it runs again: their heartbeats were
waiting in its socket all along. Found by the show rehearsal: SIGSTOP, then SIGCONT 4 s later,
of the operator printed "DISPLAYS 0 live; silent: d-en d-fr" and "back: d-en d-fr" a moment
later, about displays that never missed a beat."""
import random
import signal
import threading

import pytest
from surtitles_helpers import Proc, free_udp_port, wait_until

from kamaelia_lite.net.multicast import make_multicast_socket
from kamaelia_lite.surtitles.sync import encode_heartbeat, make_authenticator

KEY = "stalled-operator-%d" % random.randrange(1 << 30)


@pytest.mark.slow
def test_a_stalled_operator_does_not_report_its_live_displays_silent(lo_multicast):
    group, port = "239.255.46.%d" % random.randrange(1, 250), free_udp_port()
    op = Proc(["examples.surtitles.operator", "--key", KEY, "--fresh", "--multicast", "%s:%d" % (group, port)],
              stdin=True)
    done = threading.Event()

    def display():                      # a live display: a signed heartbeat every 0.2 s
        auth = make_authenticator(KEY)
        s = make_multicast_socket(group, port + 1, lo_multicast, bind_port=0, join=False)
        while not done.wait(0.2):
            s.sendto(encode_heartbeat(auth, "stalls-en", ["en"], 1, 1), (group, port + 1))
        s.close()

    beats = threading.Thread(target=display, daemon=True)
    beats.start()
    try:
        assert wait_until([op], lambda: "DISPLAYS 1 live (en 1)" in op.lines, 20), op.lines
        op.p.send_signal(signal.SIGSTOP)
        wait_until([], lambda: False, 4.0)           # the operator stands still for 4 s
        op.p.send_signal(signal.SIGCONT)
        op.send("status")                             # it runs again: it answers, then 1.5 s more
        assert wait_until([op], lambda: sum(ln.startswith("LIVE ") for ln in op.lines) >= 2, 10), op.lines
        wait_until([op], lambda: False, 1.5)
        health = [ln for ln in op.lines if ln.startswith("DISPLAYS ")]
        assert not [ln for ln in health if "silent" in ln], health
    finally:
        done.set()
        beats.join()
        op.stop()
