"""Two real islands: network namespaces A and B, each with its own multicast LAN (lo), joined
only by a veth pair carrying unicast. A MulticastTunnel in each bridges the group: every message
sent on either island is seen on both, exactly once (no loops, no duplicates). Namespaces are
removed in finally."""
import os
import subprocess
import sys

import pytest
from common_helpers import two_namespaces

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GROUP, PORT, LINK_PORT = "239.255.44.1", 5655, 5656

SIDE = r"""
import sys
sys.path[:0] = [%(root)r, %(root)r + "/tests", %(root)r + "/tests/net"]
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.multicast import MulticastReceiver, MulticastSender
from kamaelia_lite.net.tunnel import MulticastTunnel
from microaxon import Scheduler
from net_helpers import StopAfter, StopAll, TimedSource, run_with_deadline
name, peer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
group, port, link = %(group)r, %(port)d, %(link)d
sched = Scheduler()
tunnel = MulticastTunnel(group, port, "127.0.0.1", peer=(peer, link), listen_port=link, key=b"island key 12345")
rx = MulticastReceiver(group, port, "127.0.0.1")
watch = StopAfter(1 << 30, timeout=3.0)
Pipeline(rx, watch).activate(sched)
ender = StopAll([rx, tunnel])
watch.link((watch, "stop"), (ender, "inbox"))
ender.activate(sched)
tunnel.activate(sched)
msgs = [("%%s %%d" %% (name, i)).encode() for i in range(count)]
Pipeline(TimedSource(msgs, delay=1.0, gap=0.003), MulticastSender(group, port, "127.0.0.1")).activate(sched)
run_with_deadline(sched, 10)
print("SEEN", "|".join(sorted(m.decode() for m in watch.collected)))
print("COUNTS", tunnel.forwarded, tunnel.emitted, tunnel.looped, tunnel.forged)
"""


@pytest.mark.netns
def test_islands_bridged_exactly_once():
    script = SIDE % {"root": ROOT, "group": GROUP, "port": PORT, "link": LINK_PORT}
    with two_namespaces("maxtun", "10.78.0", multicast_on_lo=True) as (a, b):
        pa = subprocess.Popen(["ip", "netns", "exec", a, sys.executable, "-c", script, "A", "10.78.0.2", "30"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        pb = subprocess.Popen(["ip", "netns", "exec", b, sys.executable, "-c", script, "B", "10.78.0.1", "20"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        outs = []
        for p in (pa, pb):
            try:
                outs.append(p.communicate(timeout=20))
            finally:
                if p.poll() is None:
                    p.kill()
                    p.wait()
    want = sorted(["A %d" % i for i in range(30)] + ["B %d" % i for i in range(20)])
    for (out, err), forwarded, emitted in ((outs[0], 30, 20), (outs[1], 20, 30)):
        seen = [line[5:] for line in out.splitlines() if line.startswith("SEEN ")]
        assert seen, out + err
        assert seen[0].split("|") == want, err          # everything, each exactly once
        counts = [line.split()[1:] for line in out.splitlines() if line.startswith("COUNTS")][0]
        assert int(counts[0]) == forwarded and int(counts[1]) == emitted
        assert int(counts[2]) >= emitted               # its own re-emissions refused, not looped
