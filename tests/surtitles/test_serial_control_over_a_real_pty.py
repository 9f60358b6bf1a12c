"""SerialReader/SerialWriter over a real pty pair (os.openpty), driving the command vocabulary.

The scheduler runs in the test's thread; the "device" (the pty master side) is a helper thread.
"""
import os
import select
import threading
import tty

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.serial import SerialGone, SerialReader, SerialWriter, open_serial
from kamaelia_lite.surtitles.control import CommandLineParser
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


class EndRecorder(Collector):
    """A Collector that also keeps the message that ended it."""

    ended_by = None

    def recv(self, box="inbox"):
        msg = super().recv(box)
        if box == "control":
            self.ended_by = msg
        return msg


def pty_pair():
    master, slave = os.openpty()
    tty.setraw(slave)
    return master, slave, os.ttyname(slave)


def read_lines(fd, n, timeout=5.0):
    got = b""
    while got.count(b"\n") < n:
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            break
        try:
            got += os.read(fd, 65536)
        except OSError:
            break
    return got.decode("utf-8", "replace").splitlines()


def device(fn):
    """Run fn() in a thread (the device end); returns (thread, result dict)."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        except Exception as e:  # reported by the test
            result["error"] = e
    th = threading.Thread(target=run, daemon=True)
    th.start()
    return th, result


def test_pedal_lines_become_commands_and_replies_go_back(capfd):
    master, slave, name = pty_pair()
    ser = open_serial(name, 9600)
    try:
        sched = Scheduler()
        reader = SerialReader(serial=ser, max_line=32)
        parser = CommandLineParser(aliases={"PEDAL1": "next", "PEDAL2": "prev"})
        writer = SerialWriter(serial=ser)
        commands = Collector()
        # each link is made by its source (a component's links go when it finishes)
        reader.link((reader, "outbox"), (parser, "inbox"))
        reader.link((reader, "signal"), (parser, "control"))
        parser.link((parser, "outbox"), (commands, "inbox"))
        parser.link((parser, "replies"), (writer, "inbox"))
        parser.link((parser, "signal"), (writer, "control"))
        writer.link((writer, "signal"), (commands, "control"))
        for c in (reader, parser, writer, commands):
            c.activate(scheduler=sched)

        def pedal():
            os.write(master, b"PEDAL1\r\nnext\nblackout on\n" + b"x" * 100 + b"\nfly\nPEDAL2\n")
            lines = read_lines(master, 5)
            os.close(master)              # unplug: the reader reports it and everything finishes
            return lines
        th, result = device(pedal)
        sched.run()
        th.join(5)
        assert commands.collected == [("next",), ("next",), ("blackout", True), ("prev",)]
        lines = result["value"]
        assert lines[:3] == ["ok next", "ok next", "ok blackout on"]
        assert lines[3].startswith("error: unknown command 'fly'")
        assert lines[4] == "ok prev"
        err = capfd.readouterr().err
        assert "line longer than 32 bytes dropped" in err
        assert "serial port %s:" % name in err
        assert [c.finished() for c in (reader, parser, writer, commands)] == [True] * 4
    finally:
        ser.close()
        os.close(slave)


def test_writer_drains_everything_before_finishing():
    master, slave, name = pty_pair()
    try:
        sched = Scheduler()
        writer = SerialWriter(name)
        Pipeline(DataSource(["line %d" % i for i in range(300)]), writer).activate(scheduler=sched)
        th, result = device(lambda: read_lines(master, 300))
        sched.run()
        th.join(5)
        assert writer.finished()
        assert result["value"] == ["line %d" % i for i in range(300)]
    finally:
        os.close(master)
        os.close(slave)


def test_reader_reports_a_vanished_device_and_finishes(capfd):
    master, slave, name = pty_pair()
    ser = open_serial(name)
    try:
        sched = Scheduler()
        reader = SerialReader(serial=ser)
        out = EndRecorder()
        Pipeline(reader, out).activate(scheduler=sched)

        def unplug():
            os.write(master, b"hello\n")
            for _ in range(500):
                if out.collected:
                    break
                threading.Event().wait(0.01)
            os.close(master)
        th, _ = device(unplug)
        sched.run()
        th.join(5)
        assert out.collected == ["hello"]
        assert reader.finished()
        assert "serial port %s:" % name in capfd.readouterr().err
        assert isinstance(out.ended_by, SerialGone)
    finally:
        ser.close()
        os.close(slave)

