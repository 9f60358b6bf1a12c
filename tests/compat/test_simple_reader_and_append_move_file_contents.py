"""SimpleReader sends a file's lines then finishes; Append appends each message and forwards it."""
import pytest

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.simple_files import Append, SimpleReader
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


def test_simple_reader_sends_each_line_then_finishes(tmp_path):
    f = tmp_path / "in.txt"
    f.write_text("a\nb\nlast")
    got = Collector()
    Pipeline(SimpleReader(str(f)), got).run(Scheduler())
    assert got.collected == ["a\n", "b\n", "last"]


def test_simple_reader_names_a_missing_file_at_once(tmp_path):
    with pytest.raises(OSError) as e:
        SimpleReader(str(tmp_path / "nope.txt"))
    assert "nope.txt" in str(e.value)


def test_append_adds_to_the_end_and_forwards(tmp_path):
    f = tmp_path / "out.txt"
    f.write_text("old\n")
    got = Collector()
    Pipeline(DataSource(["one\n", b"two\n"]), Append(filename=str(f)), got).run(Scheduler())
    assert f.read_text() == "old\none\ntwo\n"
    assert got.collected == ["one\n", b"two\n"]


def test_append_blat_file_starts_empty(tmp_path):
    f = tmp_path / "out.txt"
    f.write_text("old\n")
    Pipeline(DataSource(["new\n"]), Append(filename=str(f), blat_file=True)).run(Scheduler())
    assert f.read_text() == "new\n"
