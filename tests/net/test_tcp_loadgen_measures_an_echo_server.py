"""microaxon.tools.loadgen against a real echo server on loopback: counts, percentiles, progress line,
rate control, streaming mode, and wrong answers detected (exit status 1)."""
import os
import subprocess
import sys
import time

from microaxon.tools.loadgen import percentile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def loadgen(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "microaxon.tools.loadgen", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def fields(summary):
    return dict(kv.split("=", 1) for kv in summary.split())


def test_request_response_load_is_counted_and_checked(echo_server):
    out = loadgen("127.0.0.1", str(echo_server), "--clients", "20", "--requests", "50", "--size", "100")
    assert out.returncode == 0, out.stderr
    f = fields(out.stdout.strip())
    assert f["requests"] == "1000" and f["errors"] == "0" and f["mismatches"] == "0"
    assert f["connected"] == "20"
    assert 0 < float(f["p50_ms"]) <= float(f["p90_ms"]) <= float(f["p99_ms"])
    assert "[loadgen]" in out.stderr                 # the progress line


def test_rate_control_spaces_requests(echo_server):
    t0 = time.monotonic()
    out = loadgen("127.0.0.1", str(echo_server), "-c", "4", "-n", "25", "--rate", "100", "-q")
    took = time.monotonic() - t0
    assert out.returncode == 0, out.stderr
    assert fields(out.stdout)["requests"] == "100"
    assert took >= 0.9                                # 100 requests at 100/s cannot finish sooner
    assert "[loadgen]" not in out.stderr


def test_streaming_mode_keeps_a_window_in_flight(echo_server):
    out = loadgen("127.0.0.1", str(echo_server), "-c", "3", "-n", "400", "--stream", "--window", "8", "-q")
    assert out.returncode == 0, out.stderr
    f = fields(out.stdout)
    assert f["requests"] == "1200" and f["mismatches"] == "0"


def test_duration_bounds_the_run(echo_server):
    t0 = time.monotonic()
    out = loadgen("127.0.0.1", str(echo_server), "-c", "2", "-n", "1000000", "--rate", "50", "--duration", "1", "-q")
    assert time.monotonic() - t0 < 10
    assert out.returncode == 0, out.stderr
    assert 0 < int(fields(out.stdout)["requests"]) < 200


def test_wrong_answers_and_refused_connections_fail_the_run():
    import threading

    from kamaelia_lite.net.tcp import TCPServer
    from kamaelia_lite.util import PureTransformer
    from microaxon import Scheduler

    sched = Scheduler()
    server = TCPServer(protocol=lambda: PureTransformer(lambda b: b.upper()), port=0)
    server.activate(sched)
    th = threading.Thread(target=sched.run, daemon=True)
    th.start()
    try:
        out = loadgen("127.0.0.1", str(server.port), "-c", "2", "-n", "10", "-q")
        assert out.returncode == 1
        assert fields(out.stdout)["mismatches"] == "20"
    finally:
        sched.callFromThread(sched.stop)
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    out = loadgen("127.0.0.1", str(port), "-c", "3", "-n", "10", "-q")
    assert out.returncode == 1
    f = fields(out.stdout.split(" error_kinds")[0])
    assert f["errors"] == "3" and "connect:ECONNREFUSED:3" in out.stdout


def test_percentile_nearest_rank():
    assert percentile([], 99) == 0.0
    values = list(range(1, 101))
    assert percentile(values, 50) == 51 and percentile(values, 99) == 100 and percentile(values, 0) == 1
