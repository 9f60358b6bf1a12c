"""A client that pipelines many requests gets every answer, in order, none dropped: the
session answers a bounded batch of requests at a time (what waits is the client's own bytes,
unread), and the server reads on only as the socket takes the answers."""
import re
import threading

from web_helpers import Served, connect

from kamaelia_lite.net.http import HttpSession, Limits, Response, Routes
from kamaelia_lite.net.http_components import WebServer

PAGE = b"p" * 10000


def routes():
    r = Routes()
    r.add("/page", lambda request: Response(200, PAGE))
    r.add("/n", lambda request: Response(200, b"n=" + request.target.encode()))
    return r


def pipelined(n, path="/n"):
    return b"".join(b"GET %s?i=%d HTTP/1.1\r\nHost: x\r\n\r\n" % (path.encode(), i) for i in range(n))


def test_a_session_answers_a_bounded_batch_and_the_rest_as_asked():
    s = HttpSession(routes(), Limits())
    raw = pipelined(2000, "/page")                  # 2000 answers of 10 KB: 20 MB
    sent = [b"".join(a[1] for a in s.receive(raw, 0.0) if a[0] == "send")]
    assert len(sent[0]) <= HttpSession.answer_bytes + len(PAGE) + 1000
    while s.more:
        acts = s.resume(0.0)
        assert all(a[0] == "send" for a in acts)
        sent.append(b"".join(a[1] for a in acts))
        assert 0 < len(sent[-1]) <= HttpSession.answer_bytes + len(PAGE) + 1000
    assert b"".join(sent).count(b"HTTP/1.1 200 OK") == 2000
    assert s.resume(0.0) == [] and not s.done


def test_a_close_after_pipelined_requests_comes_after_their_answers():
    s = HttpSession(routes(), Limits())
    acts = s.receive(pipelined(600), 0.0)
    acts += s.receive(b"", 0.0)                      # the client closed its side meanwhile
    while s.more:
        acts += s.resume(0.0)
    assert b"".join(a[1] for a in acts if a[0] == "send").count(b"HTTP/1.1 200 OK") == 600
    assert acts[-1][0] == "close"


def test_two_thousand_pipelined_requests_over_loopback_are_all_answered_in_order():
    server = WebServer(routes())
    with Served(server):
        sock = connect(server.port, timeout=10.0)
        raw = pipelined(2000)
        sender = threading.Thread(target=sock.sendall, args=(raw,), daemon=True)
        sender.start()
        got = b""
        while got.count(b"HTTP/1.1 200") < 2000:
            data = sock.recv(65536)
            if not data:
                break
            got += data
        sender.join(10)
        sock.close()
        numbers = [int(x) for x in re.findall(rb"n=/n\?i=(\d+)", got)]
        assert numbers == list(range(2000))
