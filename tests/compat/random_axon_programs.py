"""Random Kamaelia programs, for comparing microaxon.compat with Kamaelia 1.14.32 itself.

``program(seed)`` writes an unmodified-Axon program: a source (its own, or Kamaelia's
DataSource), a random nesting of Pipelines and Graphlines (wired as pipelines, with "self"
passthroughs) of transformers written in the styles Kamaelia programs use (a generator main, the
old initialiseComponent/mainBody/closeDownComponent hooks, a threadedcomponent, a filter that
drops some messages, one that sends two for one, Kamaelia's PureTransformer), and one printing
sink (its own, or Kamaelia's ConsoleEchoer). Its output is the data, in order, then the sink's ending: deterministic on
any scheduler that keeps messages in order and passes producerFinished down the chain.

The expected outputs were recorded from real Kamaelia (tests/compat/golden_random/, regenerate
with ``KAMAELIA_ORACLE=1 python3 tests/compat/random_axon_programs.py record``);
test_random_axon_programs_print_what_kamaelia_printed.py runs each program under ours.
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(HERE, "golden_random")
SEEDS = range(24)

HEADER = '''import Axon
from Axon.Ipc import producerFinished, shutdownMicroprocess
from Axon.ThreadedComponent import threadedcomponent
from Kamaelia.Chassis.Graphline import Graphline
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleEchoer
from Kamaelia.Util.DataSource import DataSource
from Kamaelia.Util.PureTransformer import PureTransformer


class Source(Axon.Component.component):
    def __init__(self, items):
        super(Source, self).__init__()
        self.items = items

    def main(self):
        for x in self.items:
            self.send(x, "outbox")
            yield 1
        self.send(producerFinished(self), "signal")
        yield 1


class Gen(Axon.Component.component):
    """A generator main: f(x) for each x."""
    def __init__(self, a, b):
        super(Gen, self).__init__()
        self.a, self.b = a, b

    def main(self):
        while 1:
            while self.dataReady("inbox"):
                self.send((self.recv("inbox") * self.a + self.b) % 997, "outbox")
            if self.dataReady("control"):
                msg = self.recv("control")
                if isinstance(msg, (producerFinished, shutdownMicroprocess)):
                    self.send(msg, "signal")
                    return
            if not self.anyReady():
                self.pause()
            yield 1


class Old(Axon.Component.component):
    """The old hooks: initialiseComponent, mainBody, closeDownComponent."""
    def __init__(self, a):
        super(Old, self).__init__()
        self.a = a

    def initialiseComponent(self):
        self.seen = 0
        return 1

    def mainBody(self):
        while self.dataReady("inbox"):
            self.seen += 1
            self.send(self.recv("inbox") + self.a, "outbox")
        if self.dataReady("control"):
            msg = self.recv("control")
            self.send(msg, "signal")
            return 0
        return 1

    def closeDownComponent(self):
        pass


class Drop(Axon.Component.component):
    """Drops multiples of m."""
    def __init__(self, m):
        super(Drop, self).__init__()
        self.m = m

    def main(self):
        while 1:
            while self.dataReady("inbox"):
                x = self.recv("inbox")
                if x % self.m:
                    self.send(x, "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class Twice(Axon.Component.component):
    """Sends x and x + 1 for each x."""
    def main(self):
        while 1:
            while self.dataReady("inbox"):
                x = self.recv("inbox")
                self.send(x, "outbox")
                self.send(x + 1, "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


class Thread(threadedcomponent):
    """A thread: negates each x."""
    def main(self):
        while 1:
            while self.dataReady("inbox"):
                self.send(-self.recv("inbox"), "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()


class Printer(Axon.Component.component):
    def main(self):
        while 1:
            while self.dataReady("inbox"):
                print(self.recv("inbox"))
            if self.dataReady("control"):
                print("end: %s" % type(self.recv("control")).__name__)
                return
            self.pause()
            yield 1


'''


def _stage(rng, depth):
    """Source text of a random stage (an expression)."""
    r = 0.6 + rng.random() * 0.4 if depth == 0 else rng.random()
    if depth >= 3 or r < 0.6:
        k = rng.randrange(6)
        if k == 5:                        # Kamaelia's own (ours: kamaelia_lite's, by compat)
            return "PureTransformer(lambda x: x * %d - %d)" % (1 + rng.randrange(4), rng.randrange(9))
        if k == 0:
            return "Gen(%d, %d)" % (1 + rng.randrange(5), rng.randrange(50))
        if k == 1:
            return "Old(%d)" % rng.randrange(1, 20)
        if k == 2:
            return "Drop(%d)" % rng.randrange(2, 6)
        if k == 3:
            return "Twice()"
        return "Thread()"
    parts = [_stage(rng, depth + 1) for _ in range(1 + rng.randrange(3))]
    if r < 0.8:
        return "Pipeline(%s)" % ", ".join(parts)
    names = ", ".join("S%d=%s" % (i, p) for i, p in enumerate(parts))
    links = ['("self", "inbox"): ("S0", "inbox")', '("self", "control"): ("S0", "control")']
    for i in range(len(parts) - 1):
        links.append('("S%d", "outbox"): ("S%d", "inbox")' % (i, i + 1))
        links.append('("S%d", "signal"): ("S%d", "control")' % (i, i + 1))
    last = len(parts) - 1
    links.append('("S%d", "outbox"): ("self", "outbox")' % last)
    links.append('("S%d", "signal"): ("self", "signal")' % last)
    return "Graphline(%s, linkages={%s})" % (names, ", ".join(links))


def program(seed):
    """The text of random program number `seed`."""
    rng = random.Random(seed)
    items = [rng.randrange(100) for _ in range(5 + rng.randrange(20))]
    source = "Source(%r)" if rng.random() < 0.7 else "DataSource(%r)"
    sink = "Printer()" if rng.random() < 0.8 else 'Pipeline(PureTransformer(lambda x: "%s," % x), ConsoleEchoer())'
    return HEADER + "Pipeline(%s, %s, %s).run()\n" % (source % (items,), _stage(rng, 0), sink)


def golden_path(seed):
    return os.path.join(GOLDEN, "program_%02d.txt" % seed)


def run(seed, ours, timeout=60):
    """Run program `seed` (ours: under microaxon.compat, else real Kamaelia); returns
    (stdout, stderr, returncode)."""
    code = program(seed)
    if ours:
        code = ("import sys; sys.path.insert(0, %r); import microaxon.compat as c; c.install()\n" % ROOT
                + code)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                       cwd=ROOT)
    return p.stdout, p.stderr, p.returncode


def record():
    """Run every program under real Kamaelia and keep what it printed (needs Kamaelia)."""
    os.makedirs(GOLDEN, exist_ok=True)
    for seed in SEEDS:
        out, err, rc = run(seed, ours=False)
        if rc != 0 or not out:
            raise SystemExit("program %d failed under Kamaelia: %s" % (seed, err[-2000:]))
        with open(golden_path(seed), "w") as f:
            f.write(out)
        print("program %d: %d lines" % (seed, len(out.splitlines())))


if __name__ == "__main__" and sys.argv[1:] == ["record"]:
    record()
