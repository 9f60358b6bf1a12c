"""Behavioural oracle: Kamaelia 1.14.32's own components (driven directly, one generator step
at a time) and ours produce the same output for the same input: MaxSizePacketiser, Framer/
DeFramer (tagged frames), DataChunker."""
from hypothesis import given, settings
from hypothesis import strategies as st
from Kamaelia.Protocol.Framing import DataChunker as KDataChunker
from Kamaelia.Protocol.Framing import DeFramer as KDeFramer
from Kamaelia.Protocol.Framing import Framer as KFramer
from Kamaelia.Protocol.Packetise import MaxSizePacketiser as KMaxSizePacketiser
from net_helpers import run_with_timeout

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.framing_components import (
    DataChunker,
    DeFramer,
    MaxSizePacketiser,
    SimpleFrameMarshaller,
)
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler

text_st = st.text(alphabet="abcXYZ%\n 0123", min_size=1, max_size=40)


def kamaelia_outputs(comp, inputs):
    """Deliver every input to a Kamaelia component's inbox, step its generator a few times,
    return what it put in its outbox."""
    sent = []
    comp.send = lambda msg, box="outbox": sent.append(msg) if box == "outbox" else None
    gen = comp.main()
    for m in inputs:
        comp._deliver(m, "inbox")
    for _ in range(5):
        next(gen)
    return sent


def ours(comp, inputs):
    sched = Scheduler()
    sink = Collector()
    Pipeline(DataSource(list(inputs)), comp, sink).activate(sched)
    run_with_timeout(sched, 10)
    return sink.collected


@given(st.lists(text_st, min_size=1, max_size=5), st.integers(min_value=1, max_value=15))
@settings(max_examples=40, deadline=None)
def test_max_size_packetiser_matches_kamaelia(messages, size):
    assert ours(MaxSizePacketiser(size), messages) == kamaelia_outputs(KMaxSizePacketiser(size), messages)


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), text_st), min_size=1, max_size=5))
@settings(max_examples=40, deadline=None)
def test_tagged_framer_and_deframer_match_kamaelia(pairs):
    k_frames = kamaelia_outputs(KFramer(), pairs)
    assert ours(SimpleFrameMarshaller(), pairs) == k_frames
    assert ours(DeFramer(), k_frames) == kamaelia_outputs(KDeFramer(), k_frames)


@given(st.lists(text_st, min_size=1, max_size=5))
@settings(max_examples=40, deadline=None)
def test_data_chunker_matches_kamaelia(messages):
    assert ours(DataChunker(), messages) == kamaelia_outputs(KDataChunker(), messages)
