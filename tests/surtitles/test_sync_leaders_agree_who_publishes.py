"""Two or more leaders with the same key never fight: the highest rank (priority, then run id)
publishes, a backup takes over when the primary goes silent, a returning primary continues
from the backup's cue, and followers always follow the one that leads (pure, simulated time)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kamaelia_lite.surtitles.sync import SyncFollower, SyncLeader, make_authenticator, open_datagram

KEY = b"backup-operator-key"
STEP = 0.01


class Net:
    """Leaders and one follower on a lossless shared medium, stepped in simulated time."""

    def __init__(self):
        self.leaders = {}
        self.alive = {}
        self.follower = SyncFollower(make_authenticator(KEY))
        self.shown = []            # (time, cue) each time the follower takes a new state
        self.sent_by = {}          # name -> datagrams sent
        self.verifier = make_authenticator(KEY, max_senders=64)

    def add(self, name, priority, hold, state, t):
        ld = SyncLeader(make_authenticator(KEY), priority=priority, hold=hold)
        ld.publish(state, t)
        self.leaders[name] = ld
        self.alive[name] = True
        self.sent_by.setdefault(name, 0)
        return ld

    def run(self, t0, t1):
        t = t0
        while t < t1:
            out = []
            for name in sorted(self.leaders):
                if self.alive[name]:
                    for d in self.leaders[name].due(t):
                        out.append((name, d))
            for name, d in out:
                self.sent_by[name] += 1
                opened = open_datagram(self.verifier, d)
                assert opened is not None
                for other in sorted(self.leaders):
                    if other != name and self.alive[other]:
                        adopt = self.leaders[other].hear(opened[1], t)
                        if adopt is not None:          # the owner's deck moves to it
                            self.leaders[other].publish(dict(adopt), t)
                got = self.follower.receive(d, t)
                if got is not None:
                    self.shown.append((t, got["cue"]))
            t = round(t + STEP, 6)
        return t

    def leading(self):
        return sorted(n for n in self.leaders if self.alive[n] and self.leaders[n].leading)


def test_primary_and_backup_started_together_only_the_primary_ever_publishes():
    net = Net()
    net.add("primary", 1, 1.0, {"cue": "3"}, 0.0)
    net.add("backup", 0, 1.5, {"cue": "1"}, 0.0)
    net.run(0.0, 5.0)
    assert net.leading() == ["primary"]
    assert net.sent_by["backup"] == 0 and net.sent_by["primary"] > 5
    assert {c for _, c in net.shown} == {"3"}
    assert net.leaders["backup"].state["cue"] == "3"          # the backup follows the live cue


def test_backup_takes_over_within_two_seconds_and_the_returning_primary_continues_from_it():
    net = Net()
    net.add("primary", 1, 1.0, {"cue": "3"}, 0.0)
    net.add("backup", 0, 1.5, {"cue": "1"}, 0.0)
    t = net.run(0.0, 3.0)
    net.alive["primary"] = False                               # primary stops
    killed = t
    t = net.run(t, t + 3.0)
    assert net.leading() == ["backup"]
    backup_epoch = net.leaders["backup"].epoch
    takeover = [tt for tt, _ in net.shown if tt > killed]
    assert takeover and takeover[0] - killed <= 2.0            # the follower took the backup's run
    assert net.follower.epoch == backup_epoch
    net.leaders["backup"].publish({"cue": "4"}, t)             # the backup operator moves on
    t = net.run(t, t + 1.0)
    assert net.shown[-1][1] == "4"
    net.add("primary2", 1, 1.0, {"cue": "3"}, t)               # primary restarts on its saved cue 3
    back = t
    t = net.run(t, t + 4.0)
    assert net.leading() == ["primary2"]
    assert net.leaders["backup"].yields == 1
    assert [c for tt, c in net.shown if tt >= back] and all(c == "4" for tt, c in net.shown if tt >= back)
    assert net.follower.epoch == net.leaders["primary2"].epoch


def test_equal_priorities_are_settled_by_run_id_and_a_higher_epoch_from_a_lower_rank_is_overtaken():
    net = Net()
    a = net.add("a", 1, 0.0, {"cue": "A"}, 0.0)                # both publish at once (no hold)
    b = net.add("b", 1, 0.0, {"cue": "B"}, 0.0)
    winner = "a" if a.rank() > b.rank() else "b"
    w, lo = (a, b) if winner == "a" else (b, a)
    w.epoch = w.top_epoch = 100                                 # the loser is on the newer epoch
    lo.epoch = lo.top_epoch = 200
    net.run(0.0, 2.0)
    assert net.leading() == [winner]
    assert net.shown[-1][1] == winner.upper()
    assert net.follower.epoch == net.leaders[winner].epoch


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.floats(0.0, 2.0)), min_size=2, max_size=4),
       st.integers(0, 3), st.randoms(use_true_random=False))
def test_after_any_starts_and_stops_exactly_the_highest_ranked_live_leader_publishes(specs, stops, rnd):
    net = Net()
    starts = sorted((at, i, prio) for i, (prio, at) in enumerate(specs))
    t = 0.0
    for at, i, prio in starts:
        t = net.run(t, at) if at > t else t
        net.add("L%d" % i, prio, 1.0 if prio else 1.5, {"cue": "L%d" % i}, t)
    for _ in range(stops):
        live = [n for n in net.leaders if net.alive[n]]
        if len(live) > 1:
            net.alive[rnd.choice(sorted(live))] = False
            t = net.run(t, t + rnd.uniform(0.0, 1.0))
    t = net.run(t, t + 3.5)
    live = [n for n in net.leaders if net.alive[n]]
    best = max(live, key=lambda n: net.leaders[n].rank())
    assert net.leading() == [best]
    assert net.follower.epoch == net.leaders[best].epoch       # and the displays follow it


def test_a_leader_ignores_its_own_looped_back_datagrams_and_junk():
    ld = SyncLeader(make_authenticator(KEY), hold=0.0)
    d = ld.publish({"cue": "1"}, 0.0)[0]
    body = open_datagram(make_authenticator(KEY), d)[1]
    assert ld.hear(body, 0.1) is None and ld.leading
    assert ld.hear({"e": "x"}, 0.2) is None and ld.hear({}, 0.2) is None
    assert open_datagram(make_authenticator(b"other key"), d) is None
