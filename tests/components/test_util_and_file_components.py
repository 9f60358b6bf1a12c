import io
import os
import subprocess
import sys
import textwrap
import time

import pytest

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.file import ReadFileAdaptor, SimpleFileWriter
from kamaelia_lite.util import (
    Chooser,
    Collector,
    ConsoleEchoer,
    DataSource,
    MessageRateLimit,
    PureTransformer,
    SimpleDetupler,
)
from microaxon import BoxFull, ComponentFailed, Scheduler, component, producerFinished, shutdownMicroprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def quiet():
    s = Scheduler()
    s.report = io.StringIO()
    return s


def test_datasource_respects_a_full_box_and_collector_gets_everything():
    s = quiet()
    out = Collector()
    Pipeline(DataSource(range(10_000)), out).run(s)
    assert out.collected == list(range(10_000))


def test_puretransformer_drops_none_results():
    s = quiet()
    out = Collector()
    Pipeline(DataSource(range(10)), PureTransformer(lambda x: x if x % 2 else None), out).run(s)
    assert out.collected == [1, 3, 5, 7, 9]


def test_simpledetupler_takes_one_field():
    s = quiet()
    out = Collector()
    Pipeline(DataSource([(1, "a"), (2, "b")]), SimpleDetupler(1), out).run(s)
    assert out.collected == ["a", "b"]


def test_console_echoer_writes_and_forwards():
    s = quiet()
    buf = io.StringIO()
    out = Collector()
    Pipeline(DataSource(["a", 1, "b"]), ConsoleEchoer(stream=buf, forwarder=True, tag="> "), out).run(s)
    assert buf.getvalue() == "> a> 1> b" and out.collected == ["a", 1, "b"]


def test_console_reader_emits_lines_from_stdin_without_polling():
    prog = textwrap.dedent("""
        import sys; sys.path.insert(0, %r)
        from microaxon import Scheduler
        from kamaelia_lite.chassis import Pipeline
        from kamaelia_lite.util import ConsoleReader, Collector
        out = Collector()
        s = Scheduler()
        Pipeline(ConsoleReader(prompt=""), out).run(s)
        print(repr(out.collected))
    """ % ROOT)
    p = subprocess.run([sys.executable, "-c", prog], input="one\ntwo\nlast", capture_output=True,
                       text=True, timeout=20)
    assert p.stdout.strip() == repr(["one\n", "two\n", "last\n"]), p.stderr


def test_message_rate_limit_spaces_messages_out():
    s = quiet()
    stamps = []
    out = Collector(callback=lambda m: stamps.append(time.monotonic()))
    Pipeline(DataSource(range(6)), MessageRateLimit(50, buffer=2), out).run(s)
    assert out.collected == list(range(6))
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert min(gaps) >= 0.015                   # 50 per second: 20 ms apart (timer granularity)


def test_chooser_moves_a_cursor_over_items():
    s = quiet()
    out = Collector()
    cmds = ["NEXT", "NEXT", "NEXT", "NEXT", "PREV", "FIRST", "LAST", "SAME", "bogus"]
    ch = Chooser(items=["a", "b", "c"])
    Pipeline(DataSource(cmds), ch, out).run(s)
    assert out.collected == ["a", "b", "c", "b", "a", "c", "c"]
    assert ch.unknown == 1


def test_chooser_loops_when_asked():
    s = quiet()
    out = Collector()
    Pipeline(DataSource(["NEXT", "NEXT", "PREV"]), Chooser(items=[1, 2], loop=True), out).run(s)
    assert out.collected == [1, 2, 1, 2]


@pytest.fixture
def sample(tmp_path):
    p = tmp_path / "sample.txt"
    p.write_bytes(b"".join(b"line %03d\n" % i for i in range(200)))
    return p


def test_readfileadaptor_chunks_lines_and_bitrate(sample):
    data = sample.read_bytes()
    for kw, check in (
        ({"readmode": "bytes", "readsize": 100}, lambda m: all(len(x) <= 100 for x in m)),
        ({"readmode": "line"}, lambda m: m[0] == b"line 000\n" and len(m) == 200),
        ({"readmode": "bitrate", "bitrate": 8 * 9 * 200 * 4, "chunkrate": 40},
         lambda m: len(m) >= 10),
    ):
        s = quiet()
        out = Collector()
        t0 = time.monotonic()
        Pipeline(ReadFileAdaptor(str(sample), **kw), out).run(s)
        assert b"".join(out.collected) == data, kw
        assert check(out.collected), kw
        if kw["readmode"] == "bitrate":         # 1,800 bytes at 7,200 B/s: about a quarter second
            assert time.monotonic() - t0 >= 0.2


def test_a_missing_file_stops_the_run_naming_the_reader_and_the_file(tmp_path):
    s = quiet()
    out = Collector()
    reader = ReadFileAdaptor(str(tmp_path / "nope.txt"))
    with pytest.raises(ComponentFailed) as ei:
        Pipeline(reader, out).run(s)
    assert "nope.txt" in s.report.getvalue() and "FileNotFoundError" in s.report.getvalue()
    assert reader.name in str(ei.value) and "nope.txt" in str(ei.value)
    assert out.finished() and s.deadlocked is None and s.components() == []


def test_simplefilewriter_writes_and_closes(tmp_path):
    s = quiet()
    target = tmp_path / "out.bin"
    Pipeline(DataSource([b"ab", "cd", b"ef"]), SimpleFileWriter(str(target))).run(s)
    assert target.read_bytes() == b"abcdef"


def five_then(ending):
    """A PureTransformer fed 0..4 and then ``ending`` on its control, in one go, run to the end;
    returns (it, the Collector after it)."""
    s = quiet()
    out = Collector()
    pt = PureTransformer(lambda x: x)
    for c in (pt, out):
        c.activate(s)
    pt.link((pt, "outbox"), (out, "inbox"))
    pt.link((pt, "signal"), (out, "control"))
    feeder = DataSource([])
    feeder.link((feeder, "outbox"), (pt, "inbox"))
    feeder.link((feeder, "signal"), (pt, "control"))
    for i in range(5):
        feeder.send(i)
    feeder.send(ending, "signal")
    s.run()
    return pt, out


def test_components_stop_at_once_on_shutdownmicroprocess():
    pt, out = five_then(shutdownMicroprocess())
    assert out.collected == [] and pt.finished()
    assert isinstance(out.finished(), bool)


def test_components_drain_before_finishing_on_producerfinished():
    _, out = five_then(producerFinished())
    assert out.collected == [0, 1, 2, 3, 4]


def test_console_reader_stops_on_shutdown_without_waiting_for_a_line():
    prog = textwrap.dedent("""
        import sys, threading, time; sys.path.insert(0, %r)
        from microaxon import Scheduler, component, shutdownMicroprocess
        from kamaelia_lite.util import ConsoleReader
        s = Scheduler()
        r = ConsoleReader(prompt="")
        stopper = component()
        stopper.link((stopper, "signal"), (r, "control"))
        r.activate(s)
        class Later(component):
            def main(self):
                self.pause(0.2)
                yield 1
                stopper.send(shutdownMicroprocess(), "signal")
        Later().activate(s)
        s.run()
        print("stopped", r.finished())
    """ % ROOT)
    # stdin is a pipe that stays open and silent: a blocking read would hang until the timeout
    r, w = os.pipe()
    p = subprocess.Popen([sys.executable, "-c", prog], stdin=r, stdout=subprocess.PIPE, text=True)
    os.close(r)
    try:
        out, _ = p.communicate(timeout=20)    # w stays open: stdin never ends, never has data
    finally:
        p.kill()
        os.close(w)
    assert out.strip() == "stopped True"


def test_message_rate_limit_hardlimit_bounds_its_inbox():
    src = component()
    limited = MessageRateLimit(10, hardlimit=3)
    src.link((src, "outbox"), (limited, "inbox"))
    for i in range(3):
        src.send(i, "outbox")
    with pytest.raises(BoxFull):
        src.send(3, "outbox")
    with pytest.raises(TypeError, match="'hard_limit'"):
        MessageRateLimit(10, hard_limit=3)
