"""Console and serial input without waiting on file descriptors (the Windows path), forced on
Linux: lines arrive the same as through the fd-waiting readers, oversized lines are dropped and
reported, a vanished device ends the reader with SerialGone, and shutdown never waits for a
thread stuck in a blocking read."""
import os
import subprocess
import sys
import threading
import time

from common_helpers import ROOT, repo_env

from kamaelia_lite.desktop.inputs import ThreadedSerialReader
from kamaelia_lite.serial import SerialGone
from kamaelia_lite.util import Collector
from microaxon import Scheduler

ECHO_APP = """
import sys
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.util import ConsoleEchoer, PureTransformer
from microaxon import Scheduler
from kamaelia_lite.desktop.inputs import console_reader
reader = console_reader()
print("reader:", type(reader).__name__, flush=True)
s = Scheduler()
Pipeline(reader, PureTransformer(function=lambda l: "<%s>\\n" % l.strip().upper()), ConsoleEchoer()).run(s)
print("done, failures:", len(s.failures))
"""

STUCK_APP = """
from microaxon import Scheduler, component, shutdownMicroprocess
from kamaelia_lite.util import Collector
from kamaelia_lite.desktop.inputs import ThreadedConsoleReader
class StopSoon(component):
    def main(self):
        self.pause(0.3)
        yield 1
        self.send(shutdownMicroprocess(), "outbox")
s = Scheduler()
r, stop, sig = ThreadedConsoleReader(), StopSoon(), Collector()
stop.link((stop, "outbox"), (r, "control"))
r.link((r, "signal"), (sig, "inbox"))
for c in (r, stop, sig):
    c.activate(s)
s.run()
print("returned; reader finished:", r.finished(), [type(m).__name__ for m in sig.collected])
"""


def _run_app(source, mode, stdin_data=None, keep_stdin_open=False, timeout=20):
    env = repo_env(MICROAXON_INPUT=mode)
    proc = subprocess.Popen([sys.executable, "-c", source], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if keep_stdin_open:
            start = time.monotonic()
            while proc.poll() is None and time.monotonic() - start < timeout:
                time.sleep(0.05)
            assert proc.poll() is not None, "the process hung on a blocked console read"
            out = proc.stdout.read()
            err = proc.stderr.read()
        else:
            out, err = proc.communicate(stdin_data, timeout=timeout)
        return proc.returncode, out, err
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(5)
        proc.stdin.close()


def test_threaded_console_reader_gives_the_same_lines_as_the_fd_reader():
    text = "hello\nwindows console\n\nlast line without newline"
    rc_t, out_t, err_t = _run_app(ECHO_APP, "thread", text)
    rc_w, out_w, err_w = _run_app(ECHO_APP, "wait", text)
    assert rc_t == 0 and rc_w == 0, err_t + err_w
    assert out_t.splitlines()[0] == "reader: ThreadedConsoleReader"
    assert out_w.splitlines()[0] == "reader: ConsoleReader"
    assert out_t.splitlines()[1:] == out_w.splitlines()[1:]
    assert "<HELLO>" in out_t and "<WINDOWS CONSOLE>" in out_t and "<LAST LINE WITHOUT NEWLINE>" in out_t
    assert out_t.splitlines()[-1] == "done, failures: 0"


def test_shutdown_does_not_wait_for_a_thread_blocked_in_a_console_read():
    rc, out, err = _run_app(STUCK_APP, "thread", keep_stdin_open=True, timeout=10)
    assert rc == 0, err
    assert "returned; reader finished: True ['shutdownMicroprocess']" in out


def test_threaded_serial_reader_on_a_pty_reads_lines_drops_oversized_and_reports_hangup():
    master, slave = os.openpty()
    port = os.ttyname(slave)
    sched = Scheduler()
    reader = ThreadedSerialReader(port, max_line=40, read_timeout=0.05)
    lines, errors, signals = Collector(), Collector(), Collector()
    reader.link((reader, "outbox"), (lines, "inbox"))
    reader.link((reader, "errors"), (errors, "inbox"))
    reader.link((reader, "signal"), (signals, "inbox"))
    for c in (reader, lines, errors, signals):
        c.activate(sched)

    def device():
        time.sleep(0.3)
        os.write(master, b"next\r\n" + b"x" * 100 + b"\nprev\n")
        time.sleep(0.5)
        os.close(master)                          # the device goes away

    t = threading.Thread(target=device, daemon=True)
    t.start()

    runner = threading.Thread(target=sched.run, daemon=True)
    runner.start()
    deadline = time.monotonic() + 10
    while not reader.finished() and time.monotonic() < deadline:
        time.sleep(0.05)
    sched.callFromThread(sched.stop)
    runner.join(10)
    os.close(slave)
    assert reader.finished()
    assert lines.collected == ["next", "prev"]
    assert errors.collected[0] == "line longer than 40 bytes dropped"
    assert len(signals.collected) == 1 and isinstance(signals.collected[0], SerialGone)
    assert port in signals.collected[0].reason
