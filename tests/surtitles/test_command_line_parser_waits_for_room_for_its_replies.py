"""CommandLineParser: a device that never reads its replies slows the parser down (lines stay
queued, in order) instead of making it raise BoxFull."""
from kamaelia_lite.surtitles.control import CommandLineParser
from microaxon import Scheduler, component


class Feeder(component):
    def main(self):
        for _ in range(10):
            self.send("next", "outbox")
        yield 1


class Deaf(component):
    """Holds replies in a 2-slot inbox and never reads them until told to."""

    Inboxes = {"inbox": "replies", "control": "unused", "commands": "commands"}
    Capacities = {"inbox": 2}

    def main(self):
        while True:
            self.pause()
            yield 1


def test_replies_nobody_reads_hold_the_parser_back_without_raising():
    sched = Scheduler()
    feeder, parser, deaf = Feeder(), CommandLineParser(), Deaf()
    feeder.link((feeder, "outbox"), (parser, "inbox"))
    parser.link((parser, "replies"), (deaf, "inbox"))
    parser.link((parser, "outbox"), (deaf, "commands"))
    for c in (feeder, parser, deaf):
        c.activate(scheduler=sched)
    sched.run()          # returns once nothing can move (reported as a deadlock: the deaf device)
    assert parser.failure is None and not parser.finished()
    assert deaf.dataReady("inbox") == 2                   # its replies box is full ...
    assert deaf.dataReady("commands") == 2                # ... so only two lines were taken
    assert parser.dataReady("inbox") == 8                 # the rest wait, in order
