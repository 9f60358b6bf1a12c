"""The TCP connection lifecycle (kamaelia_lite.net.tcp_state), sans-IO: every transition of the
table, every illegal event, the deadlines each state sets, the send buffer and the byte budget."""
import pytest

from kamaelia_lite.net import tcp_state as ts

STATES = [ts.OPEN, ts.PEER_CLOSED, ts.FLUSHING, ts.CLOSING, ts.WR_SHUT, ts.DRAINING, ts.DONE, ts.ERROR]
EVENTS = [ts.EOF, ts.FINISH, ts.ABORT, ts.FLUSHED, ts.EXPIRED, ts.FAIL]

EXPECTED = {
    (ts.OPEN, ts.EOF): ts.PEER_CLOSED,
    (ts.OPEN, ts.FINISH): ts.FLUSHING,
    (ts.OPEN, ts.ABORT): ts.FLUSHING,
    (ts.OPEN, ts.FAIL): ts.ERROR,
    (ts.PEER_CLOSED, ts.FINISH): ts.CLOSING,
    (ts.PEER_CLOSED, ts.ABORT): ts.CLOSING,
    (ts.PEER_CLOSED, ts.FAIL): ts.ERROR,
    (ts.FLUSHING, ts.EOF): ts.CLOSING,
    (ts.FLUSHING, ts.FINISH): ts.FLUSHING,
    (ts.FLUSHING, ts.ABORT): ts.FLUSHING,
    (ts.FLUSHING, ts.FLUSHED): ts.WR_SHUT,
    (ts.FLUSHING, ts.EXPIRED): ts.DONE,
    (ts.FLUSHING, ts.FAIL): ts.ERROR,
    (ts.CLOSING, ts.FINISH): ts.CLOSING,
    (ts.CLOSING, ts.ABORT): ts.CLOSING,
    (ts.CLOSING, ts.FLUSHED): ts.DONE,
    (ts.CLOSING, ts.EXPIRED): ts.DONE,
    (ts.CLOSING, ts.FAIL): ts.ERROR,
    (ts.WR_SHUT, ts.EOF): ts.DRAINING,
    (ts.WR_SHUT, ts.FINISH): ts.WR_SHUT,
    (ts.WR_SHUT, ts.ABORT): ts.WR_SHUT,
    (ts.WR_SHUT, ts.EXPIRED): ts.DONE,
    (ts.WR_SHUT, ts.FAIL): ts.ERROR,
    (ts.DRAINING, ts.FINISH): ts.DRAINING,
    (ts.DRAINING, ts.ABORT): ts.DRAINING,
    (ts.DRAINING, ts.FLUSHED): ts.DONE,
    (ts.DRAINING, ts.EXPIRED): ts.DONE,
    (ts.DRAINING, ts.FAIL): ts.ERROR,
}


def in_state(state, **opts):
    life = ts.Lifecycle(**opts)
    life.state = state
    if state in ts.FINISHING:
        life.deadline = 100.0
    return life


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("event", EVENTS)
def test_each_event_moves_to_the_tabled_state_or_is_refused(state, event):
    life = in_state(state)
    want = EXPECTED.get((state, event))
    if want is None:
        with pytest.raises(ts.StateError):
            life.handle(event, 0.0)
        assert life.state == state                  # a refused event changes nothing
    else:
        assert life.handle(event, 0.0) == want
        assert life.state == want


def test_the_table_is_exactly_the_documented_one():
    table = {(s, e): n for s in ts.TRANSITIONS for e, n in ts.TRANSITIONS[s].items()}
    assert table == EXPECTED
    assert set(ts.TRANSITIONS) == set(STATES)


def test_finish_gives_flush_timeout_and_abort_shortens_it_to_linger():
    life = ts.Lifecycle(linger=2.0, flush_timeout=30.0)
    life.handle(ts.FINISH, 10.0)
    assert life.deadline == 40.0
    life.handle(ts.FINISH, 11.0)                     # a second FINISH does not extend it
    assert life.deadline == 40.0
    life.handle(ts.ABORT, 12.0)
    assert life.deadline == 14.0 and life.urgent
    life.handle(ts.ABORT, 13.0)                      # nor does a second ABORT
    assert life.deadline == 14.0
    assert not life.expired(13.9) and life.expired(14.0)


def test_a_server_waits_linger_for_the_peers_fin_a_client_waits_for_ever():
    server = ts.Lifecycle(linger=2.0, flush_timeout=30.0)
    server.handle(ts.FINISH, 0.0)
    server.handle(ts.FLUSHED, 1.0)
    assert server.state == ts.WR_SHUT and server.deadline == 3.0
    client = ts.Lifecycle(linger=2.0, flush_timeout=30.0, wait_peer=True)
    client.handle(ts.FINISH, 0.0)
    client.handle(ts.FLUSHED, 1.0)
    assert client.state == ts.WR_SHUT and client.deadline is None
    assert not client.expired(1e9)
    client.handle(ts.ABORT, 5.0)                     # but a shutdown bounds the wait
    assert client.deadline == 7.0
    urgent = ts.Lifecycle(linger=2.0, wait_peer=True)
    urgent.handle(ts.ABORT, 0.0)
    urgent.handle(ts.FLUSHED, 1.0)
    assert urgent.deadline == 3.0


def test_peer_close_waits_for_the_protocol_or_ends_the_connection():
    server = ts.Lifecycle()
    assert server.peer_closed(0.0) == ts.PEER_CLOSED and server.deadline is None
    assert server.writes() and not server.reads()
    client = ts.Lifecycle(linger=2.0, end_on_peer_close=True)
    assert client.peer_closed(5.0) == ts.CLOSING and client.deadline == 7.0
    finishing = ts.Lifecycle(end_on_peer_close=True)
    finishing.handle(ts.FINISH, 0.0)
    assert finishing.peer_closed(1.0) == ts.CLOSING and finishing.deadline == 30.0


def test_what_each_state_does_and_the_ends_clear_the_deadline():
    assert [s for s in STATES if s in ts.READS] == [ts.OPEN, ts.FLUSHING, ts.WR_SHUT]
    assert [s for s in STATES if s in ts.WRITES] == [ts.OPEN, ts.PEER_CLOSED, ts.FLUSHING, ts.CLOSING]
    for event in (ts.EXPIRED, ts.FAIL):
        life = in_state(ts.FLUSHING)
        life.handle(event, 0.0)
        assert life.ended() and life.deadline is None


def test_send_buffer_joins_small_writes_and_resumes_partial_ones():
    buf = ts.SendBuffer()
    assert buf.chunk() is None and len(buf) == 0
    for part in (b"ab", b"", b"cd", b"ef"):
        buf.push(part)
    assert len(buf) == 6
    assert bytes(buf.chunk()) == b"abcdef"           # one system call for three messages
    buf.sent(4)
    assert bytes(buf.chunk()) == b"ef" and len(buf) == 2
    buf.sent(2)
    assert buf.chunk() is None and len(buf) == 0
    big = bytes(70000)
    buf.push(big)
    buf.push(b"tail")
    assert buf.chunk() is big                        # a large chunk goes as it is
    buf.sent(70000)
    assert bytes(buf.chunk()) == b"tail"


def test_send_buffer_of_many_tiny_writes_drains_in_order():
    buf = ts.SendBuffer()
    want = b"".join(b"%d," % i for i in range(20000))
    for i in range(20000):
        buf.push(b"%d," % i)
    out = []
    while len(buf):
        c = bytes(buf.chunk())
        n = min(len(c), 1000)                        # a socket that takes 1000 bytes a time
        out.append(c[:n])
        buf.sent(n)
    assert b"".join(out) == want


def test_budget_counts_what_the_receiver_has_not_taken():
    b = ts.Budget(limit=1000)
    b.watch(8)                                       # the receiver's box: 8 slots, empty
    for _ in range(3):
        b.read(100)
        b.delivered(100)
    b.send.push(bytes(300))
    assert b.holding() == 600 and b.allowance() == 400
    b.taken(8 - 3)                                   # nothing taken yet
    assert b.unconsumed == 300
    b.taken(8 - 1)                                   # two taken
    assert b.unconsumed == 100 and b.waiting() == 1
    b.taken(8)
    assert b.unconsumed == 0 and b.allowance() == 700
    b.read(50)                                       # read, then thrown away
    b.dropped(50)
    assert b.unconsumed == 0


def test_budget_ignores_a_receiver_that_keeps_nothing():
    b = ts.Budget(limit=1000)
    b.watch(1 << 30)                                 # unlinked: messages are dropped
    b.read(600)
    b.delivered(600)
    b.taken(1 << 30)
    assert b.unconsumed == 0 and b.waiting() == 0


def test_budget_forgets_taken_messages_in_bounded_space():
    b = ts.Budget(limit=1 << 30)
    b.watch(4)
    for i in range(10000):
        b.read(10)
        b.delivered(10)
        if i % 3 == 2:
            b.taken(4 - 1)                           # the receiver keeps at most one
    b.taken(4)
    assert b.unconsumed == 0 and len(b.sizes) < 100
