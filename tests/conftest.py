"""Shared test setup.

A skipped test is a test that did not run: in this project every dependency is installed by
./dev.sh, so any skip (for a missing module, binary or privilege) fails the session. Set
MICROAXON_ALLOW_SKIPS=1 to allow skips on a developer machine that lacks something.
"""
import os
import subprocess
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
# Each area's helper module (tests/<area>/<area>_helpers.py) is imported by its bare name, from
# any area: every area folder is on the path.
for _area in sorted(os.listdir(os.path.join(ROOT, "tests"))):
    _dir = os.path.join(ROOT, "tests", _area)
    if os.path.isdir(_dir) and not _area.startswith(("_", ".")) and _dir not in sys.path:
        sys.path.append(_dir)

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")
# SDL's disk driver writes its PCM to ./sdlaudio.raw unless told where: keep it out of the checkout
os.environ.setdefault("SDL_DISKAUDIOFILE", os.path.join(tempfile.gettempdir(), "microaxon-sdlaudio.raw"))
# the surtitles operator saves its show position under $XDG_STATE_HOME: keep tests' runs apart
# from the user's shows and from each other's sessions
if "MICROAXON_TEST_STATE" not in os.environ:
    import tempfile
    os.environ["MICROAXON_TEST_STATE"] = os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="microaxon-state-")

# tests/micropython/ holds plain scripts for the micropython binary; tests/test_micropython_suite.py
# runs them there. pytest must not import them itself.
collect_ignore_glob = ["micropython/*"]

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):  # an expected failure ran: not a skip
        _skipped.append(report.nodeid)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``oracle`` run real Kamaelia live: opt-in (KAMAELIA_ORACLE=1), and otherwise
    deselected rather than skipped (the recorded oracle outputs are compared on every run)."""
    if os.environ.get("KAMAELIA_ORACLE") == "1":
        return
    keep = [it for it in items if it.get_closest_marker("oracle") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[it for it in items if it.get_closest_marker("oracle")])
        items[:] = keep


def pytest_sessionfinish(session, exitstatus):
    if _skipped and not os.environ.get("MICROAXON_ALLOW_SKIPS"):
        sys.stderr.write("\n%d test(s) skipped; skips count as failures here:\n" % len(_skipped))
        for nodeid in _skipped:
            sys.stderr.write("  %s\n" % nodeid)
        session.exitstatus = 1


@pytest.fixture
def udp_loss():
    """A function (port, percent) -> table name that makes nftables drop that share of the UDP
    datagrams sent to port; every table it made is deleted after the test."""
    from common_helpers import install_udp_loss, remove_table

    tables = []

    def install(port, percent):
        name = "microaxon_loss_%d_%d" % (port, len(tables))
        tables.append(name)
        install_udp_loss(name, port, percent)
        return name

    try:
        yield install
    finally:
        for name in tables:
            remove_table(name)


@pytest.fixture
def watchdog(request):
    """Fail, not hang, if the test is still running after ``@pytest.mark.watchdog(seconds)``
    (default 30 s): SIGALRM raises TimeoutError in the test's thread, wherever it waits."""
    import signal

    marker = request.node.get_closest_marker("watchdog")
    seconds = marker.args[0] if marker is not None else 30

    def expired(*_):
        raise TimeoutError("still running after %d s" % seconds)

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def scheduler():
    """A fresh scheduler per test, so tests never share components."""
    from microaxon import Scheduler

    return Scheduler()


@pytest.fixture
def echo_server():
    """examples/echo_server.py running in its own process on a free loopback port; yields the port."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen([sys.executable, "-m", "examples.echo_server", "--port", "0"], cwd=root,
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "echo server on" in line, line
        yield int(line.split()[-1])
    finally:
        proc.terminate()
        proc.wait(5)


def lo_has_multicast():
    out = subprocess.run(["ip", "link", "show", "lo"], capture_output=True, text=True, check=True).stdout
    return "MULTICAST" in out.split(">")[0]


@pytest.fixture(scope="session")
def lo_multicast():
    """Makes sure lo carries multicast (turns its MULTICAST flag on; left on afterwards, since
    other tests running in parallel may rely on it)."""
    if not lo_has_multicast():
        subprocess.run(["ip", "link", "set", "lo", "multicast", "on"], check=True)
    assert lo_has_multicast()
    return "127.0.0.1"
