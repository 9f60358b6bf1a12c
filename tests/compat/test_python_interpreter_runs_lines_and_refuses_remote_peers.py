"""The line interpreter runs complete statements, keeps its namespace, reports failures as text;
the component refuses to run code for a network peer that is not on this machine."""
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.interpreter import LineInterpreter
from kamaelia_lite.interpreter_components import InterpreterTransformer, _is_loopback
from kamaelia_lite.util import Collector, DataSource
from microaxon import Scheduler


def test_statements_run_once_complete_and_keep_their_namespace():
    it = LineInterpreter()
    assert it.feed("x = 6") == [("ran", 6, None)]       # as Kamaelia's: an assignment shows its value
    assert it.feed("x * 7") == [("ran", 42, None)]
    assert it.feed("for i in range(3):") == []
    assert it.feed("  x += i") == []
    assert it.feed("") == [("ran", None, None)]         # a block has no value
    assert it.feed("x") == [("ran", 9, None)]


def test_errors_come_back_as_text_and_the_interpreter_goes_on():
    it = LineInterpreter()
    [(kind, value, tb)] = it.feed("1/0")
    assert kind == "ran" and value is None and "ZeroDivisionError" in tb
    [(kind, tb, script)] = it.feed("foo)")
    assert kind == "syntax" and "SyntaxError" in tb and script == "foo)\n"
    assert it.feed("2+2") == [("ran", 4, None)]


def test_transformer_sends_values_blanks_and_failures():
    got = Collector()
    Pipeline(DataSource(["1+1", "print()", "1/0"]), InterpreterTransformer(), got).run(Scheduler())
    assert got.collected[:3] == [" ", 2, " "]
    assert got.collected[3] == "EPIC FAIL" and "ZeroDivisionError" in got.collected[4]


def test_only_loopback_peers_count_as_local():
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("192.168.1.5") and not _is_loopback(None)


SERVED = r'''
import socket, sys, threading, time
sys.path.insert(0, %r)
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.interpreter_components import InterpreterTransformer
from kamaelia_lite.net.tcp import TCPServer
from kamaelia_lite.util import PureTransformer

def proto(*a, **k):
    return Pipeline(PureTransformer(lambda b: b.decode().rstrip()), InterpreterTransformer(),
                    PureTransformer(lambda x: (str(x) + "\n").encode()))

srv = TCPServer(protocol=proto, port=0, host=%r)
port = srv.listener.getsockname()[1]
def client():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"6*7\n")
    time.sleep(0.5)
    print(s.recv(1000).decode().split())
    import os; os._exit(0)
threading.Thread(target=client, daemon=True).start()
srv.run()
'''


def _served(host):
    import os
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return subprocess.run([sys.executable, "-c", SERVED % (root, host)], capture_output=True, text=True, timeout=30)


def test_served_on_loopback_it_runs_code_for_a_local_peer_quietly():
    p = _served("127.0.0.1")
    assert p.stdout.strip() == "['42']", p.stderr
    assert "WARNING" not in p.stderr


def test_served_on_all_interfaces_it_warns_loudly():
    p = _served("0.0.0.0")
    assert p.stdout.strip() == "['42']", p.stderr       # the peer is local: it still runs
    assert "WARNING: InterpreterTransformer is served on 0.0.0.0" in p.stderr
