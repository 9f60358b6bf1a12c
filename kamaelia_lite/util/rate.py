"""`MessageRateLimit(messages_per_second, buffer=60, hardlimit=0)`: lets messages through at a
steady rate."""

from kamaelia_lite.flow import drained_then_stopped, take_ending
from microaxon import component, now


class MessageRateLimit(component):
    """Passes messages on at most `messages_per_second`, after buffering `buffer` of them first
    (as a jitter buffer) unless producerFinished says no more are coming. Timer waits: no
    busy loop. ``hardlimit`` (Kamaelia's option), if not 0, is the inbox's capacity in messages
    (otherwise 256)."""

    Capacities = {"inbox": 256}
    hardlimit = 0

    def __init__(self, messages_per_second, buffer=60, **argd):
        if argd.get("hardlimit"):
            argd["Capacities"] = {"inbox": argd["hardlimit"]}
        super().__init__(**argd)
        self.rate = float(messages_per_second)
        self.buffer = buffer

    def main(self):
        ending = None
        started = False
        interval = 1.0 / self.rate
        due = now()
        while True:
            ending = take_ending(self, ending)
            if drained_then_stopped(self, ending, False):
                return
            if not started and (self.dataReady("inbox") >= min(self.buffer, self.Capacities["inbox"])
                                or ending is not None):
                started = True
                due = now()
            timeout = None
            if started and self.dataReady("inbox"):
                t = now()
                if t >= due:
                    if self.hasSpace("outbox") <= 0:
                        self.waitSpace("outbox")
                    else:
                        self.send(self.recv("inbox"), "outbox")
                        due = max(due + interval, t - interval)
                        continue
                else:
                    timeout = due - t
            elif drained_then_stopped(self, ending, True):
                return
            self.pause(timeout)
            yield 1
