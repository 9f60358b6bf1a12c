"""The threaded serial/console readers (the Windows path, forced here on Linux) hold at most
``max_pending`` lines for a slow consumer: their thread stops reading until the component has
passed lines on, and no line is lost. Before, the thread handed over everything the device sent,
and the lines waiting for the consumer grew without bound (3,000 lines from a real pty: about
2,900 held)."""
import os
import threading
import time
import tty

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.desktop.inputs import ThreadedConsoleReader, ThreadedSerialReader
from microaxon import Scheduler, component, producerFinished


class SlowTaker(component):
    """Takes a line every few milliseconds, noting how many the reader holds; ends after ``want``."""

    want = 0
    reader = None

    def main(self):
        self.got = []
        self.most_held = 0
        while len(self.got) < self.want:
            self.most_held = max(self.most_held, len(self.reader._arrived))
            if self.dataReady("inbox"):
                self.got.append(self.recv("inbox"))
            self.pause(0.0005)
            yield 1
        self.send(producerFinished(self), "signal")


def run_slowly(reader, want):
    sched = Scheduler()
    taker = SlowTaker(want=want, reader=reader)
    reader.link((reader, "outbox"), (taker, "inbox"))
    taker.link((taker, "signal"), (reader, "control"))
    reader.activate(scheduler=sched)
    taker.activate(scheduler=sched)
    sched.run()
    return taker


def test_a_device_sending_thousands_of_lines_is_read_no_faster_than_they_are_taken():
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        lines = ["cue %d" % i for i in range(3000)]
        payload = "".join(s + "\n" for s in lines).encode()
        reader = ThreadedSerialReader(os.ttyname(slave), max_pending=32)

        def device():                  # once the port is open (pyserial empties it when opening)
            while reader._ser is None or not reader._ser.is_open:
                time.sleep(0.005)
            os.write(master, payload)
        writer = threading.Thread(target=device, daemon=True)
        writer.start()
        taker = run_slowly(reader, len(lines))
        writer.join(5)
        assert taker.got == lines
        assert taker.most_held <= 32, taker.most_held
    finally:
        os.close(master)
        os.close(slave)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 400), pending=st.integers(1, 20), width=st.integers(0, 30))
def test_any_burst_from_a_stream_arrives_whole_with_a_bounded_hold(n, pending, width):
    lines = [("%d" % i).ljust(width, ".") for i in range(n)]
    r, w = os.pipe()
    with os.fdopen(w, "wb") as f:
        writer = threading.Thread(target=lambda: (f.write("".join(s + "\n" for s in lines).encode()), f.close()),
                                  daemon=True)
        writer.start()
        with os.fdopen(r, "rb") as stream:
            reader = ThreadedConsoleReader(stream=stream, max_pending=pending)
            taker = run_slowly(reader, n)
        writer.join(5)
    assert taker.got == lines
    assert taker.most_held <= pending, (taker.most_held, pending)
