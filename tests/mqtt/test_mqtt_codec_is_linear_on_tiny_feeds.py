"""A broker that dribbles a large packet a byte at a time (or a slow link cutting it into tiny
reads) costs the codec time in proportion to the packet, not to its square: the bytes of an
incomplete packet are kept in a buffer that grows at its end, not copied whole on every read."""
import time

from kamaelia_lite.net.mqtt_codec import MQTTConnection, _packet, _s


def cpu_to_receive_bytewise(stream):
    """CPU seconds to feed ``stream`` one byte per call (best of 2), and the messages it gave."""
    best = None
    for _ in range(2):
        c = MQTTConnection("x", max_packet=1 << 20)
        c.connect(0.0)
        c.receive(b"\x20\x02\x00\x00", 0.0)
        t = time.process_time()
        ev = []
        for i in range(len(stream)):
            ev += c.receive(stream[i:i + 1], 1.0)
        t = time.process_time() - t
        best = t if best is None else min(best, t)
    return best, ev


def test_a_large_packet_fed_byte_by_byte_costs_what_as_many_bytes_of_small_ones_cost():
    big = _packet(0x30, _s("a/b") + b"x" * (256 * 1024))
    small = _packet(0x30, _s("a/b") + b"y" * 100)
    many = small * (len(big) // len(small))          # as many bytes, and as many calls
    t_big, ev = cpu_to_receive_bytewise(big)
    assert len(ev) == 1 and ev[0][1].payload == b"x" * (256 * 1024)
    t_many, ev = cpu_to_receive_bytewise(many)
    assert len(ev) == len(many) // len(small)
    assert t_big < 3 * t_many, "%.3fs for one 256 KiB packet, %.3fs for as many bytes in 100-byte ones" % (
        t_big, t_many)


def test_a_packet_cut_anywhere_gives_the_same_events_and_leaves_nothing_behind():
    pkt = _packet(0x32, _s("a/b") + b"\x00\x07" + b"payload") + bytes((0xD0, 0)) + _packet(0x30, _s("c") + b"z")
    for cut in range(len(pkt) + 1):
        c = MQTTConnection("x")
        c.connect(0.0)
        c.receive(b"\x20\x02\x00\x00", 0.0)
        c.take()
        ev = c.receive(memoryview(bytearray(pkt[:cut])), 1.0) + c.receive(pkt[cut:], 1.0)
        assert [(e[1].topic, e[1].payload, e[1].pid) for e in ev] == [("a/b", b"payload", 7), ("c", b"z", 0)]
        assert len(c.buf) == 0 and c.take() == b"\x40\x02\x00\x07"
