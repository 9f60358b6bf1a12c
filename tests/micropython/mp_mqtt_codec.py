"""Under the real micropython binary (also in a 64 KiB heap, micropython-heap: 64k): the sans-IO
MQTT client encodes CONNECT/PUBLISH/SUBSCRIBE, parses split packets, keeps its QoS 1 session
across a reconnection (DUP resends), pings on keepalive, and turns malformed input into an error
event. Plain script: raises on failure, prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.net.mqtt_codec import MQTTConnection, topic_matches  # noqa: E402


def check(cond, what):
    if not cond:
        raise AssertionError(what)


c = MQTTConnection("mp", keepalive=10, username="u", password="p")
pkt = c.connect(0.0)
check(pkt[0] == 0x10 and pkt.endswith(b"\x00\x01p"), "CONNECT ends with the password")
check(c.receive(b"\x20\x02\x00\x00", 0.0) == [("connected", False)], "CONNACK")
c.subscribe([("a/+", 1)], 0.0)
check(c.take()[:1] == b"\x82", "SUBSCRIBE")
pid = c.publish("a/b", b"x" * 300, 1, False, 0.0)
out = c.take()
check(out[:3] == bytes([0x32, (307 & 127) | 128, 307 >> 7]), "two-byte remaining length")
stream = b"\x32\x09\x00\x03a/b\x00\x05hi" + b"\x40\x02\x00" + bytes([pid])
ev = []
for i in range(len(stream)):
    ev += c.receive(stream[i:i + 1], 1.0)
check(ev[0][0] == "message" and ev[0][1].payload == b"hi" and ev[0][1].qos == 1, "split PUBLISH")
check(ev[1] == ("published", pid), "PUBACK")
check(c.take() == b"\x40\x02\x00\x05", "our PUBACK")
p2 = c.publish("a/b", b"again", 1, False, 1.0)
c.take()
c.connection_lost()
c.connect(2.0)
c.receive(b"\x20\x02\x00\x00", 2.0)
again = c.take()
check(again[:1] == b"\x82" and again[10:12] == b"\x3a\x0c" and again.endswith(b"again"), "DUP resend")
check(b"a/+" in again, "resubscribed on a new session")
c.receive(b"\x40\x02\x00" + bytes([p2]), 2.0)
check(c.receive(bytes([0x90, 3, again[2], again[3], 1]), 2.0)[0][0] == "subscribed", "SUBACK")
c.tick(12.0)
check(c.take() == b"\xc0\x00", "PINGREQ when idle")
ev = c.receive(b"\x30\xff\xff\xff\xff\x01", 12.5)
check(ev[0][0] == "error" and c.state == "ERROR", "malformed remaining length")
check(topic_matches("a/#", "a/b/c") and not topic_matches("a/+", "a/b/c"), "wildcards")
print("ok")
