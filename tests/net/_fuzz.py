"""Shared helpers for the framing fuzz tests (not a test module)."""
from kamaelia_lite.net.framing import FramingError


def feed_in_chunks(decoder, data, cuts):
    """Feed ``data`` split at the sorted positions ``cuts``; return all events.

    Checks the decoder contract on the way: events are bytes or FramingError, nothing else
    escapes, and after a fatal error feeding raises that FramingError.
    """
    events = []
    points = sorted(set(c % (len(data) + 1) for c in cuts)) + [len(data)]
    prev = 0
    for p in points:
        piece = data[prev:p]
        prev = p
        if decoder.failed is not None:
            try:
                decoder.feed(piece)
            except FramingError as err:
                assert err is decoder.failed
            else:
                raise AssertionError("a failed decoder accepted more input")
            continue
        got = decoder.feed(piece)
        for ev in got:
            assert isinstance(ev, (bytes, FramingError)), ev
        events.extend(got)
    return events
