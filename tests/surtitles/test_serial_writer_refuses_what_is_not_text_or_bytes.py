"""SerialWriter writes str and bytes-like messages; anything else (a number, None, a tuple) is a
clear TypeError naming the writer and the message, and nothing of it reaches the device. Before,
``bytes(n)`` made an int into n zero bytes: a stray 100000 wrote 100 kB of NULs to the device,
and None stopped the writer with "cannot convert 'NoneType' object to bytes". Real pty."""
import os
import select
import threading
import tty

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.serial import SerialWriter
from kamaelia_lite.util import DataSource
from microaxon import Scheduler
from microaxon.errors import ComponentFailed


def written(messages):
    """What reaches the device when ``messages`` go to a SerialWriter (and the failure, if any)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    failure = None
    got = []
    done = threading.Event()

    def device():                  # reads all the time, so a big write cannot stall the writer
        while not done.is_set() or select.select([master], [], [], 0.2)[0]:
            if select.select([master], [], [], 0.05)[0]:
                got.append(os.read(master, 65536))
    th = threading.Thread(target=device, daemon=True)
    th.start()
    try:
        try:
            Pipeline(DataSource(messages), SerialWriter(os.ttyname(slave))).run(Scheduler())
        except ComponentFailed as e:
            failure = e
        done.set()
        th.join(5)
        return b"".join(got), failure
    finally:
        os.close(master)
        os.close(slave)


def test_a_number_is_refused_not_written_as_zero_bytes():
    got, failure = written(["go", 100000])
    assert got == b"go\n"
    assert failure is not None and "SerialWriter" in str(failure) and "int" in str(failure)


def test_bytes_like_messages_are_written_as_they_are():
    got, failure = written([b"a\n", bytearray(b"b\n"), memoryview(b"c\n"), "d"])
    assert (got, failure) == (b"a\nb\nc\nd\n", None)


@settings(max_examples=15, deadline=None)
@given(msg=st.one_of(st.integers(0, 10 ** 6), st.none(), st.floats(allow_nan=False),
                     st.tuples(st.text(max_size=3)), st.lists(st.integers(0, 255), max_size=3)))
def test_anything_else_fails_clearly_and_writes_nothing_of_it(msg):
    got, failure = written(["before", msg])
    assert got == b"before\n"
    assert failure is not None and type(msg).__name__ in str(failure)

