"""TLS on CPython: the client checks the broker against a CA made in the test (openssl) and
presents a client certificate that mosquitto requires; a wrong CA is a clear connection error."""
import socket
import ssl

from mqtt_helpers import run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component


def tls_client(b, **kw):
    c = b.certs
    return MQTTClient(host="127.0.0.1", port=b.tls_port, username=b.user, password=b.password, tls=True,
                      ca_file=c["ca_crt"], cert_file=c["client_crt"], key_file=c["client_key"], **kw)


class Gate(component):
    """Sends ``msgs`` once an MQTTClient's events say its subscription is in place."""

    def __init__(self, msgs):
        super().__init__()
        self.msgs = msgs

    def main(self):
        while True:
            while self.dataReady("inbox"):
                if self.recv("inbox")[0] == "subscribed":
                    for m in self.msgs:
                        self.send(m, "outbox")
            self.pause()
            yield 1


def test_publish_and_receive_over_tls_with_a_client_certificate(tls_broker):
    s = Scheduler()
    out = Collector()
    msgs = [b"tls %d" % i for i in range(20)]
    sub = tls_client(tls_broker, subscriptions=[("secure/#", 1)])
    gate = Gate(msgs)
    pub = tls_client(tls_broker, topic="secure/cue", qos=1)
    sub.link((sub, "outbox"), (out, "inbox"))
    sub.link((sub, "events"), (gate, "inbox"))
    gate.link((gate, "outbox"), (pub, "inbox"))
    for c in (out, sub, gate, pub):
        c.activate(scheduler=s)
    socks = set()

    def done():
        socks.add(type(sub.sock))
        return len(out.collected) == len(msgs)

    assert run_until(s, done, 10), out.collected
    assert [m.payload for m in out.collected] == msgs
    assert ssl.SSLSocket in socks and socket.socket not in socks


def test_a_broker_not_signed_by_our_ca_is_refused(tls_broker, tmp_path):
    from mqtt_helpers import make_certificates
    d = tmp_path / "other"
    d.mkdir()
    other = make_certificates(str(d))
    s = Scheduler()
    events = Collector()
    c = MQTTClient(host="127.0.0.1", port=tls_broker.tls_port, tls=True, ca_file=other["ca_crt"],
                   cert_file=other["client_crt"], key_file=other["client_key"], reconnect=False)
    c.link((c, "events"), (events, "inbox"))
    c.activate(scheduler=s)
    events.activate(scheduler=s)
    assert run_until(s, lambda: events.collected, 10)
    kind, reason = events.collected[0]
    assert kind == "disconnected" and "could not connect" in reason and "CERTIFICATE_VERIFY_FAILED" in reason
