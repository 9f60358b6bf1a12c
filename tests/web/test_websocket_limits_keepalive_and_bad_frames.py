"""WebSocket limits: a message over the limit (whole, fragmented, or only announced), bad
framing, keepalive pings both ways, a peer that never answers pings: each gets a clear close
frame with the right code, and another phone keeps getting every state meanwhile."""
import json
import socket
import time

import pytest
from web_helpers import (
    Collector,
    Feeder,
    Served,
    client_frame,
    close_code,
    read_frames,
    read_until_closed,
    ws_handshake,
)
from websockets.sync.client import connect as ws_connect

from kamaelia_lite.net.http import Limits
from kamaelia_lite.surtitles.web_components import AudienceServer


def state(i, **extra):
    d = {"cue": str(i), "texts": {"en": "line %d" % i, "ja": "第%d行" % i}, "blackout": False}
    d.update(extra)
    return d


@pytest.fixture
def bridge():
    """(served, feeder, server, collector) with small limits and quick keepalive."""
    feeder = Feeder()
    server = AudienceServer(limits=Limits(max_message_bytes=256, ping_interval=0.3, pong_timeout=0.5,
                                          send_timeout=1.0), counts_period=0.05)
    sink = Collector()
    feeder.link((feeder, "outbox"), (server, "inbox"))
    server.link((server, "outbox"), (sink, "inbox"))
    server.link((server, "counts"), (sink, "counts"))
    with Served(feeder, server, sink) as s:
        s.call(feeder.send, state(1))
        yield s, feeder, server, sink


def closing_frame(sock, timeout=5.0):
    frames = read_frames(read_until_closed(sock, timeout))
    closes = [p for op, p in frames if op == 8]
    assert closes, "no close frame (got %r)" % frames
    return close_code(closes[0]), closes[0][2:].decode("utf-8", "replace")


def good_client_still_served(s, feeder, port, i):
    with ws_connect("ws://127.0.0.1:%d/live" % port, open_timeout=3) as ws:
        json.loads(ws.recv(timeout=3))
        s.call(feeder.send, state(i))
        assert json.loads(ws.recv(timeout=3))["cue"] == str(i)


@pytest.mark.parametrize("frames", [
    [client_frame(1, b"x" * 1000)],                                        # one big text message
    [client_frame(2, b"\x00" * 300)],                                      # binary
    [client_frame(1, b"y" * 100, fin=False)] + [client_frame(0, b"y" * 100, fin=False)] * 3,
    [client_frame(1, b"z" * 300, declared=1 << 40)],                      # only announced
])
def test_a_message_over_the_limit_is_closed_with_1009(bridge, frames):
    s, feeder, server, _ = bridge
    sock, _ = ws_handshake(server.port)
    for f in frames:
        sock.sendall(f)
    code, reason = closing_frame(sock)
    sock.close()
    assert code == 1009 and "256" in reason
    good_client_still_served(s, feeder, server.port, 2)


@pytest.mark.parametrize("frame,expect", [
    (client_frame(1, b"hello", mask=False), 1002),                         # clients must mask
    (client_frame(3, b"??"), 1002),                                        # reserved opcode
    (client_frame(9, b"p" * 200), 1002),                                   # control frame > 125
    (client_frame(1, b"\xff\xfe\xfd"), 1007),                              # text not UTF-8
    (bytes([0xF1, 0x85]) + b"abcdhello", 1002),                            # RSV bits set
])
def test_bad_framing_is_closed_with_the_protocol_code(bridge, frame, expect):
    s, feeder, server, _ = bridge
    sock, _ = ws_handshake(server.port)
    sock.sendall(frame)
    code, _ = closing_frame(sock)
    sock.close()
    assert code == expect
    good_client_still_served(s, feeder, server.port, 3)


def test_pings_are_answered_and_the_server_pings_quiet_phones(bridge):
    s, feeder, server, _ = bridge
    sock, rest = ws_handshake(server.port)
    sock.sendall(client_frame(9, b"are you there"))
    got = rest
    end = time.monotonic() + 3
    sock.settimeout(0.2)
    while time.monotonic() < end:
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        got += data
        ops = [op for op, _ in read_frames(got)]
        if 10 in ops and 9 in ops:
            break
    frames = read_frames(got)
    assert (10, b"are you there") in frames          # our ping answered
    assert any(op == 9 for op, _ in frames)          # the server pinged us (0.3 s of quiet)
    sock.close()


def test_a_phone_that_answers_pings_stays_and_one_that_does_not_is_closed(bridge):
    s, feeder, server, sink = bridge
    with ws_connect("ws://127.0.0.1:%d/live" % server.port, open_timeout=3) as ws:   # answers pings
        ws.recv(timeout=3)
        mute, _ = ws_handshake(server.port)       # reads, but never answers
        t0 = time.monotonic()
        code, reason = closing_frame(mute, 5.0)
        mute.close()
        assert code == 1011 and "no pong" in reason
        assert time.monotonic() - t0 < 3.0
        time.sleep(1.5)                            # several ping intervals
        s.call(feeder.send, state(9))
        assert json.loads(ws.recv(timeout=3))["cue"] == "9"
        assert s.call(server.phones)["total"] == 1


def test_the_upgrade_is_checked(bridge):
    from web_helpers import connect, parse_response
    s, feeder, server, _ = bridge
    for req, status in [
        (b"GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 426),
        (b"GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n", 400),
        (b"GET /live HTTP/1.1\r\nHost: x\r\n\r\n", 426),
        (b"GET /index.html HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 200),
    ]:
        sock = connect(server.port)
        sock.sendall(req)
        got = sock.recv(65536)
        sock.close()
        assert parse_response(got)[0] == status, (req, got[:100])
    assert s.call(server.phones)["total"] == 0
