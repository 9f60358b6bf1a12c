"""What a broker sends, cut anywhere into reads of any size (including views of one reused
buffer, as the device component reads), gives the codec the same events, the same answers and
the same end state as the stream in one read, and never more buffered than ``max_packet``."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.mqtt_codec import Message, MQTTConnection, _packet, _s

PACKETS = st.one_of(
    st.builds(lambda t, p: _packet(0x30, _s(t) + p), st.sampled_from(["a", "a/b", "x/y/z"]), st.binary(max_size=40)),
    st.builds(lambda t, pid, p: _packet(0x32, _s(t) + bytes((pid >> 8, pid & 255)) + p),
              st.sampled_from(["a", "q"]), st.integers(0, 300), st.binary(max_size=40)),
    st.builds(lambda pid: bytes((0x40, 2, 0, pid)), st.integers(0, 5)),
    st.builds(lambda pid, g: bytes((0x90, 3, 0, pid, g)), st.integers(0, 5), st.sampled_from([0, 1, 0x80, 7])),
    st.just(b"\xd0\x00"),
    st.binary(max_size=6),                                      # garbage
)


def _connected():
    c = MQTTConnection("cid", max_packet=64)
    c.connect(0.0)
    c.receive(b"\x20\x02\x00\x00", 0.0)
    for _ in range(3):
        c.publish("p", b"m", 1)
    c.subscribe([("s/#", 1)])
    c.take()
    return c


def _run(reads):
    c = _connected()
    events, answers = [], b""
    rb = bytearray(256)
    for r in reads:
        rb[:len(r)] = r
        for e in c.receive(memoryview(rb)[:len(r)], 1.0):
            m = e[1]
            events.append((e[0], m.topic, m.payload, m.qos, m.pid) if isinstance(m, Message) else e)
        rb[:len(r)] = bytes(len(r))                             # the buffer is reused
        answers += c.take()
        assert len(c.buf) <= 64
    return events, answers, c.state, c.error, len(c.buf)


@given(st.lists(PACKETS, max_size=12), st.lists(st.integers(1, 40), max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_cut_gives_what_one_read_gives(packets, sizes):
    stream = b"".join(packets)[:256]
    reads, pos = [], 0
    for n in sizes + [len(stream)]:
        if pos < len(stream):
            reads.append(stream[pos:pos + n])
            pos += n
    if pos < len(stream):
        reads.append(stream[pos:])
    assert _run(reads) == _run([stream] if stream else [])
