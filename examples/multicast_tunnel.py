"""Bridge a multicast group between two sites ("islands") over a unicast UDP link. Run one end
on a host of each island, each pointing at the other:

    site A: python3 -m examples.multicast_tunnel --interface 192.168.1.10 --listen 5700 --peer B_HOST:5700
    site B: python3 -m examples.multicast_tunnel --interface 10.0.0.20    --listen 5700 --peer A_HOST:5700

Over TCP instead (through firewalls that only let a TCP port through): one end listens, the
other connects:

    site A: python3 -m examples.multicast_tunnel --interface 192.168.1.10 --tcp --listen 5700
    site B: python3 -m examples.multicast_tunnel --interface 10.0.0.20 --tcp --peer A_HOST:5700

Everything sent to --group:--port on one island is re-emitted on the other, once, with no loops.
--key signs the tunnel frames (both ends need the same one).
"""
import argparse
import sys

from examples.checked import run_checked, start_or_exit
from kamaelia_lite.net.tunnel import MulticastTunnel


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--interface", required=True, help="local IPv4 address on this island's LAN")
    p.add_argument("--group", default="239.255.1.1")
    p.add_argument("--port", type=int, default=5600)
    p.add_argument("--listen", type=int, default=0, help="port for frames from the peer")
    p.add_argument("--peer", default=None, help="HOST:PORT of the other end")
    p.add_argument("--tcp", action="store_true", help="TCP link (without --peer: listen)")
    p.add_argument("--key", default=None)
    a = p.parse_args(argv)
    if a.peer is None and not a.tcp:
        p.error("a UDP tunnel needs --peer")
    peer = None
    if a.peer:
        host, port = a.peer.rsplit(":", 1)
        peer = (host, int(port))
    tunnel = start_or_exit(lambda: MulticastTunnel(a.group, a.port, a.interface, peer=peer, listen_port=a.listen,
                                                    key=a.key.encode() if a.key else None,
                                                    transport="tcp" if a.tcp else "udp"), "multicast tunnel")
    return run_checked(tunnel, "multicast tunnel")


if __name__ == "__main__":
    sys.exit(main())
