"""Send lines reliably to a multicast group: typed lines (or --count numbered ones) go through
SRMSender (FEC parity, optional HMAC) into a MulticastSender.

    python3 -m examples.multicast_sender --interface 127.0.0.1 [--group 239.255.1.1] [--port 5600]
        [--key SECRET] [--count 100]

Pair it with examples/multicast_receiver.py. --interface is the local address multicast goes out
of (127.0.0.1 needs `ip link set lo multicast on`; use your LAN address between hosts).
"""
import argparse
import sys

from examples.checked import run_checked, start_or_exit
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.multicast import MulticastSender
from kamaelia_lite.net.srm_components import SRMSender
from kamaelia_lite.util import ConsoleReader, DataSource, PureTransformer


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--interface", required=True, help="local IPv4 address for multicast")
    p.add_argument("--group", default="239.255.1.1")
    p.add_argument("--port", type=int, default=5600)
    p.add_argument("--ttl", type=int, default=1)
    p.add_argument("--key", default=None, help="shared secret: sign every datagram (HMAC-SHA256)")
    p.add_argument("--count", type=int, default=0, help="send N numbered lines instead of stdin")
    a = p.parse_args(argv)
    if a.count:
        source = DataSource([b"line %d" % i for i in range(a.count)])
    else:
        source = Pipeline(ConsoleReader(prompt="> "), PureTransformer(lambda s: s.encode()))
    wire = start_or_exit(lambda: MulticastSender(a.group, a.port, a.interface, ttl=a.ttl), "multicast sender")
    return run_checked(Pipeline(source, SRMSender(k=16, m=4, key=a.key.encode() if a.key else None), wire),
                       "multicast sender")


if __name__ == "__main__":
    sys.exit(main())
