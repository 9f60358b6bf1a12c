"""Sans-IO sync: content-position states, newer versions only, snapshots, forged packets counted."""
import json

import pytest

from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.surtitles.sync import (
    MAGIC,
    StateTooLarge,
    StreamFrameDecoder,
    SyncFollower,
    SyncLeader,
    encode_stream_frame,
    make_authenticator,
)

KEY = b"opera-house-shared-key"


def pair(**kw):
    return SyncLeader(make_authenticator(KEY), epoch=1000, **kw), SyncFollower(make_authenticator(KEY))


def test_follower_shows_published_state():
    leader, follower = pair()
    [dgram] = leader.publish({"cue": "3", "pos": 2, "texts": {"en": "Hi"}}, now=0.0)
    assert follower.receive(dgram, now=0.0) == {"cue": "3", "pos": 2, "texts": {"en": "Hi"}}
    assert follower.version == 1 and follower.applied == 1


def test_older_versions_and_repeats_are_ignored():
    leader, follower = pair()
    [old] = leader.publish({"cue": "1"}, 0.0)
    [new] = leader.publish({"cue": "2"}, 0.1)
    assert follower.receive(new, 0.2) == {"cue": "2"}
    assert follower.receive(old, 0.2) is None
    [repeat] = leader.due(0.2)             # quick repeat of cue 2
    assert follower.receive(repeat, 0.2) is None
    assert follower.state == {"cue": "2"} and follower.stale == 2


def test_same_state_is_not_a_new_version():
    leader, _ = pair()
    assert leader.publish({"cue": "1"}, 0.0)
    assert leader.publish({"cue": "1"}, 0.5) == []
    assert leader.version == 1


def test_leader_repeats_quickly_then_every_snapshot_period():
    leader, _ = pair(snapshot_period=0.5, repeats=(0.02, 0.1))
    assert leader.due(0.0) == [] and leader.next_due() is None
    leader.publish({"cue": "1"}, 10.0)
    assert leader.next_due() == pytest.approx(10.02)
    sends = []
    t = 10.0
    while t < 12.0:
        t = leader.next_due()
        if leader.due(t):
            sends.append(round(t, 3))
    assert sends[:4] == [10.02, 10.1, 10.5, 11.0]
    assert all(round(b - a, 3) == 0.5 for a, b in zip(sends[2:], sends[3:]))


def test_late_joiner_gets_current_state_from_the_next_snapshot():
    leader, _ = pair(snapshot_period=0.5)
    for i in range(5):
        leader.publish({"cue": str(i)}, float(i))
        for t in (i + 0.02, i + 0.1, i + 0.5):
            leader.due(t)
    late = SyncFollower(make_authenticator(KEY))
    t = 4.6
    shown = None
    while shown is None:
        t = leader.next_due()
        for d in leader.due(t):
            shown = late.receive(d, t)
    assert shown == {"cue": "4"} and t - 4.6 <= 0.5


def test_forged_packets_are_ignored_and_counted():
    leader, follower = pair()
    [good] = leader.publish({"cue": "1"}, 0.0)
    follower.receive(good, 0.0)
    intruder = SyncLeader(DatagramAuthenticator(b"not the key"), epoch=99999999)
    [forged] = intruder.publish({"cue": "666", "texts": {"en": "HACKED"}}, 0.1)
    assert follower.receive(forged, 0.1) is None
    raw = MAGIC + json.dumps({"e": 99999999, "v": 9, "s": {"cue": "666"}}).encode()
    assert follower.receive(raw, 0.1) is None
    tampered = bytearray(good)
    tampered[10] ^= 1
    assert follower.receive(bytes(tampered), 0.1) is None
    assert follower.forged == 3
    assert follower.state == {"cue": "1"}


def test_replayed_datagram_is_dropped():
    leader, follower = pair()
    [d] = leader.publish({"cue": "1"}, 0.0)
    assert follower.receive(d, 0.0)
    assert follower.receive(d, 0.0) is None
    assert follower.replayed == 1


def test_authentic_garbage_is_counted_malformed():
    auth = make_authenticator(KEY)
    follower = SyncFollower(make_authenticator(KEY))
    assert follower.receive(auth.sign(b"KLS1{not json"), 0) is None
    assert follower.receive(auth.sign(b"XXXX{}"), 0) is None
    assert follower.receive(auth.sign(b'KLS1{"e":1,"v":1,"s":[1]}'), 0) is None
    assert follower.malformed == 3 and follower.state is None


def test_restarted_leader_takes_over_and_old_epoch_is_refused():
    old = SyncLeader(make_authenticator(KEY), epoch=1000)
    new = SyncLeader(make_authenticator(KEY), epoch=2000)
    follower = SyncFollower(make_authenticator(KEY), stale_after=3.0)
    follower.receive(old.publish({"cue": "7"}, 0.0)[0], 0.0)
    assert follower.receive(new.publish({"cue": "1"}, 1.0)[0], 1.0) == {"cue": "1"}
    assert follower.receive(old.publish({"cue": "8"}, 1.1)[0], 1.1) is None
    # a leader whose clock went back is accepted once the current one has been silent a while
    assert follower.receive(old.publish({"cue": "9"}, 9.0)[0], 9.0) == {"cue": "9"}


def test_oversized_state_is_refused_clearly_and_keeps_the_old_state():
    leader, _ = pair(max_payload=200)
    leader.publish({"cue": "1"}, 0.0)
    with pytest.raises(StateTooLarge, match="max_payload=200"):
        leader.publish({"cue": "2", "texts": {"en": "x" * 500}}, 0.1)
    assert leader.state == {"cue": "1"} and leader.version == 1


def test_missing_key_is_a_clear_error():
    with pytest.raises(ValueError, match="shared key"):
        make_authenticator(b"")


def test_stream_frames_reassemble_across_arbitrary_splits():
    leader, follower = pair()
    frames = b"".join(encode_stream_frame(d) for i in range(3) for d in leader.publish({"cue": str(i)}, i))
    dec = StreamFrameDecoder()
    got = []
    for i in range(0, len(frames), 7):
        for d in dec.feed(frames[i:i + 7]):
            got.append(follower.receive(d, 5.0))
    assert got == [{"cue": "0"}, {"cue": "1"}, {"cue": "2"}]


def test_stream_frame_over_limit_is_refused():
    dec = StreamFrameDecoder(max_frame=100)
    with pytest.raises(ValueError, match="exceeds max_frame=100"):
        dec.feed(b"\x10\x00" + b"x" * 10)
