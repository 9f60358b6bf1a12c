"""A serial device that sends lines faster than the component after SerialReader takes them (a
chattering pedal, a device dumping its buffer) loses none and never fails the reader: the reader
holds a bounded number of lines and stops reading the port until there is room (the rest waits
in the tty). Before, the 65th line of one read raised BoxFull: the reader failed and the run
stopped. Real pyserial on a real pty."""
import os
import threading
import tty

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.serial import SerialReader, open_serial
from microaxon import Scheduler, component, producerFinished


class SlowTaker(component):
    """Takes one line every few milliseconds; finishes after ``want`` lines."""

    want = 0
    every = 0.002

    def main(self):
        self.got = []
        while len(self.got) < self.want:
            if self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            self.pause(self.every)
            yield 1
        self.send(producerFinished(self), "signal")


def read_through_slow_taker(payload, want, max_line=200, raw=False):
    master, slave = os.openpty()
    tty.setraw(slave)
    ser = open_serial(os.ttyname(slave))
    try:
        sched = Scheduler()
        reader = SerialReader(serial=ser, max_line=max_line, raw=raw)
        taker = SlowTaker(want=want)
        reader.link((reader, "outbox"), (taker, "inbox"))
        taker.link((taker, "signal"), (reader, "control"))
        reader.activate(scheduler=sched)
        taker.activate(scheduler=sched)
        writer = threading.Thread(target=os.write, args=(master, payload), daemon=True)
        writer.start()
        sched.run()
        writer.join(5)
        assert reader.finished() and taker.finished()
        return taker.got
    finally:
        ser.close()
        os.close(master)
        os.close(slave)


def test_three_hundred_lines_in_one_read_all_reach_a_slow_consumer():
    lines = ["next %d" % i for i in range(300)]
    got = read_through_slow_taker("".join(s + "\n" for s in lines).encode(), 300)
    assert got == lines


@settings(max_examples=8, deadline=None)
@given(n=st.integers(65, 400), width=st.integers(0, 12))
def test_any_burst_of_short_lines_arrives_whole_and_in_order(n, width):
    lines = [("%d" % i).ljust(width, "x") for i in range(n)]
    got = read_through_slow_taker("".join(s + "\n" for s in lines).encode(), n, max_line=32)
    assert got == lines
