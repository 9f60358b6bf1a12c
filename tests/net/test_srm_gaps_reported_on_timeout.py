"""A stall is given up after hold_time of silence: the missing datagrams are reported as one gap
with exact first/last sequence numbers (tail losses too, thanks to heartbeats), never skipped."""
from kamaelia_lite.net.srm import SRMReceiverState, SRMSenderState


def test_tail_loss_shown_by_heartbeat_becomes_gap_after_hold_time():
    tx = SRMSenderState(k=64, m=0)
    rx = SRMReceiverState(hold_time=0.5)
    got = []
    for i in range(10):
        wire = tx.send(b"msg%d" % i)
        if i < 7:
            for d in wire:
                got.extend(rx.receive(d, 1.0))
    got.extend(rx.receive(tx.heartbeat(), 1.1))
    assert rx.tick(1.3) == []
    assert rx.next_deadline() == 1.6
    got.extend(rx.tick(1.6))
    assert [e for e in got if e[0] == "gap"] == [("gap", 7, 9)]
    assert [e[1] for e in got if e[0] == "data"] == [b"msg%d" % i for i in range(7)]


def test_hole_is_waited_for_then_reported():
    tx = SRMSenderState(k=64, m=0)
    wire = [tx.send(b"%d" % i)[0] for i in range(6)]
    rx = SRMReceiverState(hold_time=1.0)
    events = []
    for n in (0, 1, 4, 5):
        events.extend(rx.receive(wire[n], 0.0))
    assert [e[1] for e in events if e[0] == "data"] == [b"0", b"1"]
    events = rx.receive(wire[2], 0.5)                  # late, still in time
    assert events == [("data", b"2")]
    events = rx.tick(1.6)
    assert events == [("gap", 3, 3), ("data", b"4"), ("data", b"5")]
    assert rx.counters["lost"] == 1
    assert rx.receive(wire[3], 2.0) == []              # too late now: dropped and counted
    assert rx.counters["duplicates"] + rx.counters["late"] == 1
