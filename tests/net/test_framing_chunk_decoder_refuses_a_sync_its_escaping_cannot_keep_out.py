"""Kamaelia's sync escaping (``%`` and each sync character as ``%<hex>``) keeps the sync sequence
out of the chunk data, and stays reversible, only for some syncs: with ``"%"`` every escape holds
the sync, with ``"35"`` the escape of ``5`` is ``%35``, with ``"\\x02"`` its escape ``%2`` is also
the start of ``%25``. A ChunkDecoder given such a sync would cut messages apart or change them
without a word, so it refuses the sync at once (ValueError); any sync it accepts round-trips
every message, whatever it holds."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.net.framing import ChunkDecoder, escape_sync
from kamaelia_lite.net.framing_components import DataChunker, DataDeChunker

ALPHABET = "%35aX\n\x02\xab2"


@pytest.mark.parametrize("sync", ["%", "35", "\x02", "\n\xab", "5a%", b"%", b"35", "X\u20ac"])
def test_a_sync_the_escaping_cannot_keep_out_of_the_data_is_refused(sync):
    with pytest.raises(ValueError, match="sync"):
        ChunkDecoder(sync)


@pytest.mark.parametrize("sync", ["%", "35", "\x02", b"35"])
@pytest.mark.parametrize("component", [DataChunker, DataDeChunker])
def test_the_chunking_components_refuse_such_a_sync_when_they_are_made(component, sync):
    with pytest.raises(ValueError, match="sync"):
        component(syncmessage=sync)


@pytest.mark.parametrize("sync", ["XXXXXXXXXXXXXXXXXXXXXXXX", "XY", "abc", "\n", "%%", "a%b", b"XX"])
def test_the_usual_syncs_are_accepted(sync):
    ChunkDecoder(sync)
    DataChunker(syncmessage=sync)
    DataDeChunker(syncmessage=sync)


@given(st.text(ALPHABET, min_size=1, max_size=4), st.lists(st.text(ALPHABET, max_size=12), max_size=6))
@settings(max_examples=400, deadline=None)
def test_every_accepted_sync_delivers_each_message_unchanged(sync, messages):
    try:
        dec = ChunkDecoder(sync)
    except ValueError:
        return
    stream = "".join(sync + escape_sync(m, sync) for m in messages)
    assert dec.feed(stream) + dec.flush() == messages
