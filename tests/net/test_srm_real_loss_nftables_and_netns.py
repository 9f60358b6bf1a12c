"""End to end with real packet loss: nftables drops 5% / 10% of the multicast datagrams on lo
(`numgen random mod 100 < N drop`) and the SRM layer still delivers every message, in order,
by FEC alone; and across two network namespaces joined by a veth pair (sender in one, receiver
in the other, multicast routed over the veth). Tables and namespaces are removed in finally."""
import os
import subprocess
import sys

import pytest
from common_helpers import dropped, two_namespaces
from net_helpers import (  # noqa: F401
    LO,
    StopAfter,
    StopAll,
    TimedSource,
    free_udp_port,
    run_with_deadline,
)

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.multicast import MulticastReceiver, MulticastSender
from kamaelia_lite.net.srm_components import SRMReceiver, SRMSender
from microaxon import Scheduler

pytestmark = pytest.mark.usefixtures("lo_multicast")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GROUP = "239.255.42.3"


@pytest.mark.parametrize("percent, k, m", [(5, 64, 16), (10, 64, 20)])
def test_fec_repairs_nftables_random_drop(udp_loss, percent, k, m):
    port = free_udp_port()
    table = udp_loss(port, percent)
    n = 2000
    messages = [b"%06d:" % i + bytes([i % 256]) * 100 for i in range(n)]
    sched = Scheduler()
    rx = SRMReceiver(hold_time=2.0)
    mrx = MulticastReceiver(GROUP, port, LO, rcvbuf=4 << 20)
    stop = StopAfter(n, timeout=10)
    Pipeline(mrx, rx, stop).activate(sched)
    stop.link((stop, "stop"), (mrx, "control"))
    # a 4 MB receive buffer: the only loss is nftables'
    Pipeline(TimedSource(messages, gap=0.0), SRMSender(k=k, m=m), MulticastSender(GROUP, port, LO)).activate(sched)
    assert not run_with_deadline(sched, 40)
    lost = dropped(table)
    sent = n * (k + m) // k
    assert mrx.received + lost >= sent - 2 * m, "loss other than nftables' (socket buffer?)"
    assert lost > sent * percent / 100 * 0.6, "nftables dropped too little to prove anything"
    assert rx.state.counters["gaps"] == 0
    assert stop.collected == messages
    print("\n%d%% nft drop: %d of ~%d datagrams dropped, %d repaired, overhead %.1f%%"
          % (percent, lost, sent, rx.state.counters["recovered"], 100.0 * m / k))


NETNS_SCRIPT = r"""
import sys
sys.path[:0] = [%(root)r, %(root)r + "/tests", %(root)r + "/tests/net"]
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.multicast import MulticastReceiver, MulticastSender
from kamaelia_lite.net.srm_components import SRMReceiver, SRMSender
from microaxon import Scheduler
from net_helpers import StopAfter, TimedSource, run_with_deadline
role, iface = sys.argv[1], sys.argv[2]
group, port, n = %(group)r, %(port)d, %(n)d
sched = Scheduler()
if role == "rx":
    mrx = MulticastReceiver(group, port, iface, rcvbuf=4 << 20)
    stop = StopAfter(n, timeout=15)
    Pipeline(mrx, SRMReceiver(), stop).activate(sched)
    stop.link((stop, "stop"), (mrx, "control"))

    class Ready(TimedSource):
        def main(self):
            while mrx.sock is None:          # the group is joined once the socket exists
                self.pause(0.02)
                yield 1
            print("ready", flush=True)

    Ready([]).activate(sched)
    run_with_deadline(sched, 20)
    ok = stop.collected == [b"msg %%d" %% i for i in range(n)]
    print("RESULT", len(stop.collected), ok, flush=True)
else:
    msgs = [b"msg %%d" %% i for i in range(n)]
    Pipeline(TimedSource(msgs, delay=0.2, gap=0.001), SRMSender(k=16, m=4),
             MulticastSender(group, port, iface, ttl=2)).activate(sched)
    run_with_deadline(sched, 20)
    print("SENT", flush=True)
"""


@pytest.mark.netns
def test_two_hosts_in_network_namespaces():
    port = free_udp_port()
    n = 500
    script = NETNS_SCRIPT % {"root": ROOT, "group": GROUP, "port": port, "n": n}
    with two_namespaces("maxsrm", "10.77.0") as (a, b):
        rx = subprocess.Popen(["ip", "netns", "exec", b, sys.executable, "-c", script, "rx", "10.77.0.2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            line = rx.stdout.readline().strip()
            assert line == "ready", line + rx.stderr.read()
            tx = subprocess.run(["ip", "netns", "exec", a, sys.executable, "-c", script, "tx", "10.77.0.1"],
                                capture_output=True, text=True, timeout=30, cwd=ROOT)
            assert "SENT" in tx.stdout, tx.stderr
            out, err = rx.communicate(timeout=30)
        finally:
            if rx.poll() is None:
                rx.kill()
                rx.wait()
        assert "RESULT %d True" % n in out, out + err


def test_nack_over_unicast_repairs_heavy_nftables_loss(udp_loss):
    """25% drop on the group's port, parity for only ~3%: the receiver's NACKs go by unicast
    (MulticastSender given (bytes, addr)) to the sender's NACK port and the retransmissions
    complete the stream."""
    from kamaelia_lite.net.multicast import Multicast_transceiver

    port, nack_port = free_udp_port(), free_udp_port()
    table = udp_loss(port, 25)
    n = 600
    messages = [b"%05d" % i for i in range(n)]
    sched = Scheduler()
    tx = SRMSender(k=32, m=1, history=4096, flush_after=0.02)
    nack_in = Multicast_transceiver(LO, nack_port, GROUP, 0, interface=LO)     # unicast listener
    nack_in.link((nack_in, "outbox"), (tx, "nack"))
    stop = StopAfter(n, timeout=12)
    Pipeline(TimedSource(messages, finish=False), tx, MulticastSender(GROUP, port, LO)).activate(sched)
    nack_in.activate(sched)
    mrx = MulticastReceiver(GROUP, port, LO, with_address=True, rcvbuf=4 << 20)
    rx = SRMReceiver(nack_port=nack_port, nack_delay=0.02, nack_retries=30, hold_time=3.0,
                     window_blocks=64)
    Pipeline(mrx, rx, stop).activate(sched)
    nack_out = MulticastSender(GROUP, port, LO)
    rx.link((rx, "nack"), (nack_out, "inbox"))
    nack_out.activate(sched)
    ender = StopAll([mrx, tx, nack_in, nack_out])     # once everything arrived (or timed out)
    stop.link((stop, "stop"), (ender, "inbox"))
    ender.activate(sched)
    assert not run_with_deadline(sched, 30)
    assert dropped(table) > n * 0.15
    assert stop.collected == messages
    assert tx.state.resent > 0 and rx.state.counters["nacks"] > 0
    assert rx.state.counters["gaps"] == 0
