"""Append writes str (as UTF-8) and bytes-like messages; anything else is a clear TypeError naming
Append and the message, written after the messages before it, with nothing of it in the file.
Before, ``bytes(n)`` made an int into n zero bytes: a stray 10**6 appended a megabyte of NULs."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.simple_files import Append
from kamaelia_lite.util import DataSource
from microaxon import Scheduler
from microaxon.errors import ComponentFailed


def test_a_number_is_refused_not_appended_as_zero_bytes(tmp_path):
    f = tmp_path / "log.txt"
    with pytest.raises(ComponentFailed, match="Append.*int"):
        Pipeline(DataSource(["kept\n", 10 ** 6, "after\n"]), Append(filename=str(f))).run(Scheduler())
    assert f.read_bytes() == b"kept\n"


def test_bytes_like_messages_are_appended_as_they_are(tmp_path):
    f = tmp_path / "log.bin"
    Pipeline(DataSource([b"a", bytearray(b"b"), memoryview(b"c"), "d"]), Append(filename=str(f))).run(Scheduler())
    assert f.read_bytes() == b"abcd"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(msg=st.one_of(st.integers(0, 10 ** 6), st.none(), st.floats(), st.lists(st.integers(0, 255), max_size=3)))
def test_anything_else_fails_clearly_and_appends_nothing_of_it(tmp_path, msg):
    f = tmp_path / "any.txt"
    f.write_bytes(b"")
    with pytest.raises(ComponentFailed, match=type(msg).__name__):
        Pipeline(DataSource(["x", msg]), Append(filename=str(f))).run(Scheduler())
    assert f.read_bytes() == b"x"
