"""Whatever the network does to the datagrams (loss, reordering, duplication), a follower only
ever moves forward and ends on the newest state it received; the leader component refuses a
state too large for one datagram with a clear message and keeps publishing the previous one."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.surtitles.sync import SyncFollower, SyncLeader, make_authenticator
from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler

KEY = b"k" * 16


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.data())
def test_follower_moves_forward_only_and_ends_on_the_newest_received(n, data):
    leader = SyncLeader(make_authenticator(KEY), epoch=7)
    sent = []                                  # (version, datagram) including repeats
    t = 0.0
    for i in range(n):
        t += 1.0
        for d in leader.publish({"cue": str(i)}, t):
            sent.append((leader.version, d))
        for d in leader.due(t + 0.5):
            sent.append((leader.version, d))
    # the network: any subset, in any order, some twice
    picks = data.draw(st.lists(st.integers(0, len(sent) - 1), max_size=3 * len(sent)))
    follower = SyncFollower(make_authenticator(KEY, replay_window=0))
    shown = []
    for k in picks:
        v, d = sent[k]
        st_ = follower.receive(d, 100.0)
        if st_ is not None:
            shown.append(int(st_["cue"]) + 1)
    assert shown == sorted(set(shown))                       # strictly forward
    if picks:
        assert follower.version == max(sent[k][0] for k in picks)
        assert follower.state == {"cue": str(follower.version - 1)}
    assert follower.forged == 0


def test_leader_component_refuses_oversized_state_and_goes_on():
    sched = Scheduler()
    leader = SyncLeaderComponent(key=KEY, max_payload=300, snapshot_period=0.05, repeats=())
    out, errors = Collector(), Collector()
    states = [{"cue": "1"}, {"cue": "2", "texts": {"en": "x" * 1000}}, {"cue": "3"}]
    Pipeline(DataSource(states), leader, out).activate(scheduler=sched)
    leader.link((leader, "errors"), (errors, "inbox"))
    errors.activate(scheduler=sched)
    sched.run()
    follower = SyncFollower(make_authenticator(KEY))
    got = [follower.receive(d, 0.0) for d in out.collected if isinstance(d, bytes)]
    assert [g["cue"] for g in got if g] == ["1", "3"]
    assert len(errors.collected) == 1 and "max_payload=300" in errors.collected[0]
