"""The leader counts live displays per language from their signed heartbeats and names the
ones that went silent; forged heartbeats count for nothing; memory is bounded."""
from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.surtitles.sync import (
    HEARTBEAT_MAGIC,
    DisplayHealth,
    encode_heartbeat,
    format_health,
    make_authenticator,
    open_datagram,
)

KEY = b"health-key"


def beat(name, langs, key=KEY):
    return encode_heartbeat(make_authenticator(key), name, langs, 7, 3)


def test_live_displays_per_language_and_silent_ones_by_name():
    verifier = make_authenticator(KEY, max_senders=64)
    h = DisplayHealth(silent_after=3.0)
    for name, langs in (("stalls-1", ["en"]), ("stalls-2", ["en"]), ("circle", ["fr", "de"])):
        magic, body = open_datagram(verifier, beat(name, langs))
        assert magic == HEARTBEAT_MAGIC and h.heartbeat(body, 10.0)
    assert h.summary(11.0) == {"live": 3, "languages": {"en": 2, "fr": 1, "de": 1}, "silent": []}
    h.heartbeat(open_datagram(verifier, beat("stalls-1", ["en"]))[1], 12.5)
    h.heartbeat(open_datagram(verifier, beat("circle", ["fr", "de"]))[1], 12.5)
    s = h.summary(14.0)                                 # stalls-2 last heard at 10.0
    assert s == {"live": 2, "languages": {"en": 1, "fr": 1, "de": 1}, "silent": ["stalls-2"]}
    assert format_health(s) == "2 live (de 1, en 1, fr 1); silent: stalls-2"
    assert h.next_change(14.0) == 15.5


def test_forged_or_malformed_heartbeats_do_not_count_and_memory_is_bounded():
    verifier = make_authenticator(KEY)
    assert open_datagram(verifier, beat("intruder", ["en"], key=b"wrong")) is None
    assert open_datagram(verifier, DatagramAuthenticator(KEY).sign(b"KLH1 not json")) is None
    h = DisplayHealth(max_displays=10)
    assert not h.heartbeat({"d": "", "l": []}, 0.0) and not h.heartbeat({"d": "x", "l": "en"}, 0.0)
    for i in range(50):
        h.heartbeat({"d": "d%d" % i, "l": ["en"]}, float(i))
    assert len(h.displays) == 10 and "d49" in h.displays and "d0" not in h.displays
    assert h.summary(1000.0)["silent"] == [] and h.displays == {}    # forgotten after 600 s
