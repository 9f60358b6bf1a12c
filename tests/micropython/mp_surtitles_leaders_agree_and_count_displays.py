"""Under the real micropython binary: two leaders agree who publishes (the primary), the backup
adopts the live state, heartbeats are counted, and a silent leader is noticed. Prints ok."""
import sys

_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
sys.path.insert(0, _here + "/../..")

from kamaelia_lite.surtitles.sync import (  # noqa: E402
    DisplayHealth,
    LeaderWatch,
    SyncLeader,
    encode_heartbeat,
    make_authenticator,
    open_datagram,
)

k = b"k"
a = SyncLeader(make_authenticator(k), priority=1, hold=1.0)
b = SyncLeader(make_authenticator(k), priority=0, hold=1.5)
a.publish({"cue": "1"}, 0.0)
b.publish({"cue": "2"}, 0.0)
v = make_authenticator(k)
t = 0.0
while t < 4.0:
    for x, y in ((a, b), (b, a)):
        for d in x.due(t):
            st = y.hear(open_datagram(v, d)[1], t)
            if st is not None:
                y.publish(st, t)
    t += 0.05
assert a.leading and not b.leading and b.state == {"cue": "1"}, (a.leading, b.leading, b.state)
h = DisplayHealth()
m, body = open_datagram(v, encode_heartbeat(make_authenticator(k), "d1", ["en"], 1, 2))
h.heartbeat(body, 1.0)
assert h.summary(2.0)["live"] == 1
w = LeaderWatch(5)
assert w.check(0.0, 6.0) == "lost" and w.check(6.0, 6.1) == "found"
print("ok")
