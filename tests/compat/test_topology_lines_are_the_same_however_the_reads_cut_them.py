"""chunks_to_lines (a topology viewer's TCP input) gives the same lines whether the bytes come whole
or cut into reads anywhere. Before, a UTF-8 character cut between two reads became two U+FFFD
(a node named "café" arrived as "caf\\ufffd\\ufffd"), and the ``max_line`` cut applied only to
the part of a line still waiting for its end: a long line arriving in one read went out whole,
the same line in pieces went out cut."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.topology_components import chunks_to_lines, lines_to_tokenlists
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


def lines_of(chunks, max_line=65536):
    got = Collector()
    Pipeline(DataSource(chunks), chunks_to_lines(max_line=max_line), got).run(Scheduler())
    return got.collected


def test_a_character_cut_between_reads_arrives_whole():
    data = "ADD NODE 1 café randompos component\n".encode()
    at = data.index(b"\xa9")                     # between the two bytes of "é"
    assert lines_of([data[:at], data[at:]]) == ["ADD NODE 1 café randompos component"]
    tokens = Collector()
    Pipeline(DataSource([data[:at], data[at:]]), chunks_to_lines(), lines_to_tokenlists(), tokens).run(Scheduler())
    assert tokens.collected == [["ADD", "NODE", "1", "café", "randompos", "component"]]


def test_bytes_that_are_not_utf8_are_replaced_once_each():
    assert lines_of([b"a\xff", b"b\n", b"\xe2\x82"]) == ["a\ufffdb", "\ufffd"]


def test_a_long_line_is_cut_the_same_in_one_read_or_many():
    data = b"x" * 120 + b"\r\n" + b"y" * 50 + b"\r\n"
    whole = lines_of([data], max_line=50)
    assert whole == ["x" * 50, "x" * 50, "x" * 20, "y" * 50]
    assert lines_of([data[i:i + 7] for i in range(0, len(data), 7)], max_line=50) == whole
    assert lines_of([data[i:i + 1] for i in range(len(data))], max_line=50) == whole


TEXT = st.lists(st.one_of(st.text(alphabet="ab é€😀\r\n\t", max_size=12), st.binary(max_size=6)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(parts=TEXT, max_line=st.integers(1, 9), data=st.data())
def test_any_stream_cut_anywhere_gives_the_lines_it_gives_whole(parts, max_line, data):
    stream = b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in parts)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(stream) - 1)), max_size=10)))
    chunks = [stream[a:b] for a, b in zip([0] + cuts, cuts + [len(stream)]) if stream[a:b]]
    whole = lines_of([stream] if stream else [], max_line)
    assert lines_of(chunks, max_line) == whole
    assert all(len(line) <= max_line for line in whole)
