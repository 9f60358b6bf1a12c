"""A broker's SUBACK that contradicts what was asked is malformed, not believed: fewer or more
return codes than the SUBSCRIBE had filters (MQTT-3.9.3-1: believed, a refusal could go
unreported, or a filter be taken as granted), or a SUBACK answering an UNSUBSCRIBE."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.mqtt_codec import ERROR, MQTTConnection


def connected(clean=True):
    c = MQTTConnection("cid", clean_session=clean)
    c.connect(0.0)
    assert c.receive(b"\x20\x02\x00\x00", 0.0) == [("connected", False)]
    c.take()
    return c


def test_suback_with_a_return_code_missing_is_malformed():
    c = connected()
    pid = c.subscribe([("a", 0), ("b", 1)])
    ev = c.receive(bytes((0x90, 3, pid >> 8, pid & 255, 0x80)), 1.0)
    assert ev[0][0] == "error" and "SUBACK" in ev[0][1] and c.state == ERROR


def test_suback_answering_an_unsubscribe_is_malformed():
    c = connected()
    pid = c.unsubscribe(["a"])
    ev = c.receive(bytes((0x90, 3, pid >> 8, pid & 255, 0)), 1.0)
    assert ev[0][0] == "error" and "SUBACK" in ev[0][1]


@given(st.integers(1, 5), st.lists(st.sampled_from([0, 1, 2, 0x80]), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_a_suback_is_believed_only_with_one_code_per_filter(n, codes):
    c = connected()
    pid = c.subscribe([("t/%d" % i, 1) for i in range(n)])
    ev = c.receive(bytes((0x90, 2 + len(codes), pid >> 8, pid & 255)) + bytes(codes), 1.0)
    if len(codes) == n:
        assert ev == [("subscribed", pid, codes)]
    else:
        assert ev[0][0] == "error" and c.state == ERROR
