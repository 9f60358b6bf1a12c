"""Join venues through an MQTT broker: one venue's multicast surtitle sync goes up to the broker,
and comes down again as multicast on another venue's LAN.

    # venue A (where the operator is): multicast -> broker
    python3 -m examples.mqtt_bridge up   --multicast 239.255.42.99:5405 --interface 192.168.1.10 \\
        --mqtt broker.example:1883 --topic show/hamlet/state --key-file show.key
    # venue B: broker -> multicast (its displays need no change at all)
    python3 -m examples.mqtt_bridge down --multicast 239.255.42.99:5405 --interface 10.0.0.5 \\
        --mqtt broker.example:1883 --topic show/hamlet/state --key-file show.key

The datagrams cross unchanged, still signed by the operator: the displays in venue B verify them
exactly as in venue A, and neither the broker nor the bridge can forge a cue. With the key the
bridge also verifies before forwarding (forged datagrams never reach the broker or the other
LAN); without it, it forwards blindly. Upward, each datagram is published retained, so a bridge
or display that joins later gets the current cue at once. Run one direction per bridge: a bridge
both ways on one LAN would echo its own datagrams (the followers would drop them as replays).
"""
import argparse
import os
import sys

from kamaelia_lite.surtitles.sync_mqtt import mqtt_to_multicast, multicast_to_mqtt
from microaxon import Scheduler


def host_port(text, what):
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        sys.exit("error: %s must be HOST:PORT, got %r" % (what, text))
    return host or "127.0.0.1", int(port)


def build(args):
    """The bridge Pipeline (not yet activated)."""
    key = args.key
    if args.key_file:
        with open(args.key_file, "rb") as f:
            key = f.read().strip()
    key = key or os.environ.get("SURTITLES_KEY") or None
    group, mport = host_port(args.multicast, "--multicast")
    host, port = host_port(args.mqtt, "--mqtt")
    mqtt = {"username": args.mqtt_user, "password": args.mqtt_password}
    if args.tls_ca:
        mqtt.update(tls=True, ca_file=args.tls_ca, cert_file=args.tls_cert, key_file=args.tls_key)
    if args.direction == "up":
        return multicast_to_mqtt(group, mport, args.interface, host, port, args.topic, key=key, **mqtt)
    return mqtt_to_multicast(host, port, args.topic, group, mport, args.interface, key=key, **mqtt)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("direction", choices=("up", "down"), help="up: multicast -> broker; down: broker -> multicast")
    p.add_argument("--multicast", default="239.255.42.99:5405", metavar="GROUP:PORT")
    p.add_argument("--interface", default="127.0.0.1", help="local IPv4 address for multicast")
    p.add_argument("--mqtt", default="127.0.0.1:1883", metavar="HOST:PORT", help="the broker")
    p.add_argument("--topic", default="surtitles/state", help="MQTT topic (default %(default)s)")
    p.add_argument("--mqtt-user")
    p.add_argument("--mqtt-password", default=os.environ.get("SURTITLES_MQTT_PASSWORD"))
    p.add_argument("--tls-ca", help="CA file: connect with TLS, checking the broker against it")
    p.add_argument("--tls-cert", help="client certificate (with --tls-ca)")
    p.add_argument("--tls-key", help="client certificate's key")
    p.add_argument("--key", help="shared sync key: verify datagrams before forwarding (or $SURTITLES_KEY)")
    p.add_argument("--key-file")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    sched = Scheduler()
    build(args).activate(scheduler=sched)
    sys.stderr.write("mqtt bridge %s: multicast %s on %s <-> %s topic %s\n" % (
        args.direction, args.multicast, args.interface, args.mqtt, args.topic))
    try:
        sched.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
