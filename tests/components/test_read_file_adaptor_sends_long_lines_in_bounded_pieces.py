"""ReadFileAdaptor in "line" mode holds a bounded amount of a file however it is made: a line
longer than ``max_line`` bytes goes in pieces of that size. Before, a file with no newline (a
binary file, a log written as one line) was read whole into one message: its size in memory,
twice."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.file import ReadFileAdaptor
from kamaelia_lite.util import Collector
from microaxon import Scheduler


def sent(comp):
    got = Collector()
    Pipeline(comp, got).run(Scheduler())
    return got.collected


def test_a_line_without_end_comes_in_pieces_of_max_line(tmp_path):
    f = tmp_path / "one-line.bin"
    data = b"x" * 300000 + b"\n" + b"tail"
    f.write_bytes(data)
    got = sent(ReadFileAdaptor(str(f), readmode="line"))
    assert b"".join(got) == data
    assert max(len(m) for m in got) == ReadFileAdaptor.max_line == 65536
    assert got[-2:] == [b"x" * (300000 - 4 * 65536) + b"\n", b"tail"]
    small = sent(ReadFileAdaptor(str(f), readmode="line", max_line=1000))
    assert b"".join(small) == data and max(len(m) for m in small) == 1000


def test_short_lines_still_come_one_a_message(tmp_path):
    f = tmp_path / "lines.txt"
    f.write_bytes(b"a\nbb\r\n\nlast")
    assert sent(ReadFileAdaptor(str(f), readmode="line")) == [b"a\n", b"bb\r\n", b"\n", b"last"]



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), max_line=st.integers(1, 40))
def test_any_file_is_sent_exactly_in_bounded_pieces(tmp_path, data, max_line):
    f = tmp_path / "any.dat"
    f.write_bytes(data)
    lines = sent(ReadFileAdaptor(str(f), readmode="line", max_line=max_line))
    assert b"".join(lines) == data and all(len(m) <= max_line for m in lines)
