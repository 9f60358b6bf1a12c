"""The framing components: round trips through pipelines, protocol errors on the errors outbox,
fatal errors end the pipeline with framingFailed, Kamaelia Framer/DeFramer/chunker contracts."""
from net_helpers import run_with_timeout

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.framing import FrameTooLarge, LineTooLong
from kamaelia_lite.net.framing_components import (
    DataChunker,
    DataDeChunker,
    DeFramer,
    Deframer,
    Fragmenter,
    Framer,
    LineJoiner,
    LineSplitter,
    MaxSizePacketiser,
    NetstringDeframer,
    NetstringFramer,
    Packetiser,
    Reassembler,
    SimpleFrameMarshaller,
    framingFailed,
)
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler, component


class Rechunk(component):
    """Re-cuts a byte stream into 3-byte pieces (so decoders see arbitrary boundaries)."""

    def main(self):
        buf = b""
        while True:
            while self.dataReady("inbox"):
                buf += self.recv("inbox")
            while len(buf) >= 3 and self.hasSpace("outbox") > 0:
                self.send(buf[:3], "outbox")
                buf = buf[3:]
            if self.dataReady("control") and not self.dataReady("inbox") and len(buf) < 3:
                if buf and self.hasSpace("outbox") > 0:
                    self.send(buf, "outbox")
                    buf = b""
                if not buf:
                    self.send(self.recv("control"), "signal")
                    return
            if buf:
                self.waitSpace("outbox")
            self.pause()
            yield 1


def run_pipeline(*components):
    sched = Scheduler()
    sink = Collector()
    p = Pipeline(*(components + (sink,)))
    p.activate(sched)
    run_with_timeout(sched, 10)
    return sink.collected


def test_lines_round_trip_through_joiner_rechunk_splitter():
    lines = [b"alpha", b"", b"gamma delta", "unicode \u00e9".encode()] * 50
    assert run_pipeline(DataSource(lines), LineJoiner(), Rechunk(), LineSplitter()) == lines


def test_oversized_line_goes_to_errors_and_later_lines_still_arrive():
    sched = Scheduler()
    splitter = LineSplitter(max_line=10, quiet=True)
    errors = Collector()
    sink = Collector()
    p = Pipeline(DataSource([b"ok\n", b"x" * 100 + b"\n", b"fine\n"]), splitter, sink)
    splitter.link((splitter, "errors"), (errors, "inbox"))
    p.activate(sched)
    errors.activate(sched)
    sched_stop_errors = Collector()

    class StopErrors(component):
        def main(self):
            while not p.finished():
                self.pause(0.01)
                yield 1
            errors.stop()

    StopErrors().activate(sched)
    del sched_stop_errors
    run_with_timeout(sched, 10)
    assert sink.collected == [b"ok", b"fine"]
    assert len(errors.collected) == 1 and isinstance(errors.collected[0], LineTooLong)


def test_fatal_frame_error_ends_the_pipeline_with_framing_failed(capfd):
    sched = Scheduler()
    got = []

    class Watch(Collector):
        def main(self):
            while not self.dataReady("control"):
                while self.dataReady("inbox"):
                    got.append(self.recv("inbox"))
                self.pause()
                yield 1
            while self.dataReady("inbox"):
                got.append(self.recv("inbox"))
            got.append(self.recv("control"))

    good = Framer().handle(b"payload")[0]
    Pipeline(DataSource([good, b"\xff\xff\xff\xff", good]), Deframer(max_frame=100), Watch()).activate(sched)
    run_with_timeout(sched, 10)
    assert got[0] == b"payload"
    assert isinstance(got[1], framingFailed) and isinstance(got[1].error, FrameTooLarge)
    assert "max_frame=100" in capfd.readouterr().err


def test_length_prefixed_and_netstring_round_trips():
    msgs = [b"", b"a", b"b" * 1000, bytes(range(256))]
    assert run_pipeline(DataSource(msgs), Framer(), Rechunk(), Deframer()) == msgs
    assert run_pipeline(DataSource(msgs), NetstringFramer(), Rechunk(), NetstringDeframer()) == msgs


def test_packetiser_and_fragmenter_round_trips():
    stream = [bytes(range(256)) * 3, b"tail"]
    packets = run_pipeline(DataSource(stream), Packetiser(max_size=100))
    assert all(len(p) <= 100 for p in packets) and b"".join(packets) == b"".join(stream)
    msgs = [b"m" * 5000, b"n", b""]
    assert run_pipeline(DataSource(msgs), Fragmenter(max_datagram=512), Reassembler()) == msgs


def test_kamaelia_max_size_packetiser_contract():
    assert run_pipeline(DataSource(["hello" * 5]), MaxSizePacketiser(maxsize=10)) == ["hellohello"] * 2 + ["hello"]


def test_kamaelia_tagged_frames_and_chunks():
    pairs = [(1, "first"), (2, "second\nline")]
    framed = run_pipeline(DataSource(pairs), SimpleFrameMarshaller())
    assert framed == ["1 5\nfirst", "2 11\nsecond\nline"]
    assert run_pipeline(DataSource(framed + ["9 100\nshort"]), DeFramer()) == pairs
    chunks = ["one", "tw%o", "XXthreeXX"]
    assert run_pipeline(DataSource(chunks), DataChunker(syncmessage="XX"), DataDeChunker(syncmessage="XX")) == chunks
