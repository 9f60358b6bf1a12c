"""Under the real micropython binary: the SRMSender/SRMReceiver components run in a Pipeline on
the microaxon core, through a stage that drops datagrams, and the messages arrive complete and in
order (the FEC repairs the loss). Plain script: raises on failure, prints ok.
(Needs more than 64 KiB: core + chassis + util + SRM modules; the sans-IO parts alone fit,
see test_net_auth_srm.py.)"""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.chassis import Pipeline  # noqa: E402
from kamaelia_lite.net.srm_components import SRMReceiver, SRMSender  # noqa: E402
from kamaelia_lite.util import Collector, DataSource, Forwarding  # noqa: E402


class DropEvery(Forwarding):
    """Drops every 7th datagram."""

    n = 0

    def process(self, msg):
        self.n += 1
        if self.n % 7 == 0:
            return None
        return msg


msgs = [b"m%d" % i for i in range(60)]
out = Collector()
rx = SRMReceiver(window_blocks=2, log_gaps=False)
Pipeline(DataSource(msgs), SRMSender(k=8, m=2, history=0), DropEvery(), rx, out).run()
if out.collected != msgs:
    raise AssertionError("components pipeline: %r" % (out.collected,))
if rx.state.counters["recovered"] < 5:
    raise AssertionError("nothing was repaired")
print("ok")
