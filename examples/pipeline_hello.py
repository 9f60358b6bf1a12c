"""A first microaxon program: words flow through a Pipeline and a Graphline.

Runs unchanged on CPython and MicroPython (it is the app the bundle tests ship to a 64 KiB heap):
    python examples/pipeline_hello.py
    python -m microaxon.tools.bundle examples/pipeline_hello.py -o out/hello && cd out/hello && micropython pipeline_hello.py
"""
from kamaelia_lite.chassis import Graphline, Pipeline
from kamaelia_lite.util import ConsoleEchoer, DataSource, PureTransformer
from microaxon import Scheduler

WORDS = ["tiny", "components", "talk", "through", "boxes"]


def shout(word):
    return word.upper()


def number():
    count = [0]

    def add_number(word):
        count[0] += 1
        return "%d: %s\n" % (count[0], word)

    return add_number


def build():
    return Pipeline(
        DataSource(messages=WORDS),
        Graphline(
            SHOUT=PureTransformer(function=shout),
            NUMBER=PureTransformer(function=number()),
            linkages={
                ("self", "inbox"): ("SHOUT", "inbox"),
                ("SHOUT", "outbox"): ("NUMBER", "inbox"),
                ("NUMBER", "outbox"): ("self", "outbox"),
                ("self", "control"): ("SHOUT", "control"),
                ("SHOUT", "signal"): ("NUMBER", "control"),
                ("NUMBER", "signal"): ("self", "signal"),
            },
        ),
        ConsoleEchoer(),
    )


if __name__ == "__main__":
    sched = Scheduler()
    build().run(sched)
    print("done: %d failures" % len(sched.failures))
