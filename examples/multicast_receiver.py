"""Receive what examples/multicast_sender.py sends: MulticastReceiver -> SRMReceiver (repairs
loss, orders, drops duplicates and forgeries) -> the console. Unrepairable loss is reported as
"lost datagrams first..last" on stderr.

    python3 -m examples.multicast_receiver --interface 127.0.0.1 [--group 239.255.1.1]
        [--port 5600] [--key SECRET]
"""
import argparse
import sys

from examples.checked import run_checked, start_or_exit
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.multicast import MulticastReceiver
from kamaelia_lite.net.srm_components import SRMReceiver
from kamaelia_lite.util import ConsoleEchoer, PureTransformer


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--interface", required=True, help="local IPv4 address to join the group on")
    p.add_argument("--group", default="239.255.1.1")
    p.add_argument("--port", type=int, default=5600)
    p.add_argument("--key", default=None, help="shared secret the sender signs with")
    a = p.parse_args(argv)
    wire = start_or_exit(lambda: MulticastReceiver(a.group, a.port, a.interface), "multicast receiver")
    return run_checked(Pipeline(wire, SRMReceiver(key=a.key.encode() if a.key else None),
                                PureTransformer(lambda b: b.decode("utf-8", "replace") + "\n"),
                                ConsoleEchoer()), "multicast receiver")


if __name__ == "__main__":
    sys.exit(main())
