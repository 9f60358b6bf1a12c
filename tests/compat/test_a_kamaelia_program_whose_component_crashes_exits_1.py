"""A Kamaelia program whose component raises exits with status 1 on Kamaelia (the exception
leaves Axon's scheduler). Under microaxon.compat nobody watches that component, so its failure
stops the run and run() raises ComponentFailed: the same exit status, the same lines printed
before the crash. (It used to print the traceback and exit 0.)"""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROGRAM = '''
import Axon
from Axon.Ipc import producerFinished
from Kamaelia.Chassis.Pipeline import Pipeline
from Kamaelia.Util.Console import ConsoleEchoer


class Source(Axon.Component.component):
    def main(self):
        for w in ["one\\n", "two\\n", "three\\n"]:
            self.send(w, "outbox")
            yield 1
        self.send(producerFinished(self), "signal")


class Crasher(Axon.Component.component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                w = self.recv("inbox")
                if w.startswith("two"):
                    raise ValueError("cannot handle %r" % w)
                self.send(w, "outbox")
            if self.dataReady("control"):
                self.send(self.recv("control"), "signal")
                return
            self.pause()
            yield 1


Pipeline(Source(), Crasher(), ConsoleEchoer()).run()
'''


def run(argv, cwd):
    p = subprocess.run(argv, capture_output=True, cwd=cwd, timeout=30)
    return p.stdout.decode(), p.stderr.decode(), p.returncode


def ours(path):
    code = ("import sys, runpy; sys.path.insert(0, %r); import microaxon.compat as c; c.install(); "
            "runpy.run_path(%r, run_name='__main__')" % (ROOT, path))
    return run([sys.executable, "-c", code], os.path.dirname(path))


def test_a_crashing_component_makes_the_program_exit_1(tmp_path):
    path = tmp_path / "crash.py"
    path.write_text(PROGRAM)
    out, err, rc = ours(str(path))
    assert rc == 1, err[-2000:]
    assert out == "one\n"
    assert "ComponentFailed" in err and "Crasher" in err and "cannot handle 'two" in err


@pytest.mark.oracle   # live: opt-in with KAMAELIA_ORACLE=1 (deselected otherwise, see conftest)
def test_kamaelia_itself_exits_1_and_prints_the_same(tmp_path):
    path = tmp_path / "crash.py"
    path.write_text(PROGRAM)
    real_out, real_err, real_rc = run([sys.executable, str(path)], str(tmp_path))
    out, _, rc = ours(str(path))
    assert (real_rc, real_out) == (1, "one\n"), real_err[-2000:]
    assert (rc, out) == (real_rc, real_out)
