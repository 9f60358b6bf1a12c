"""The last will reaches other clients when our client vanishes without DISCONNECT (its process is
killed), and not when it says goodbye; subscribing and unsubscribing through the ``subscribe``
inbox takes effect at the broker."""
import os
import signal
import subprocess
import sys
import time

from mqtt_helpers import paho_client, run_until

from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import Collector
from microaxon import Scheduler, component

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENT = """
import sys
from kamaelia_lite.net.mqtt import MQTTClient
from kamaelia_lite.util import ConsoleEchoer
from microaxon import Scheduler, component
port, user, pw, bye = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == "bye"
class Say(component):
    def main(self):
        while True:
            while self.dataReady("inbox"):
                ev = self.recv("inbox")
                print(ev[0], flush=True)
                if ev[0] == "connected" and bye:
                    from microaxon import shutdownMicroprocess
                    self.send(shutdownMicroprocess(), "outbox")
            self.pause()
            yield 1
s = Scheduler()
c = MQTTClient(port=port, username=user, password=pw, client_id="will-" + sys.argv[4],
               will=("status/" + sys.argv[4], b"vanished", 1, False))
say = Say()
c.link((c, "events"), (say, "inbox"))
say.link((say, "outbox"), (c, "control"))
c.activate(scheduler=s)
say.activate(scheduler=s)
s.run()
"""


def start(broker, how):
    return subprocess.Popen([sys.executable, "-c", CLIENT, str(broker.port), broker.user, broker.password, how],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)


def test_last_will_is_sent_when_the_client_is_killed_not_when_it_disconnects(broker):
    got = []
    paho = paho_client(broker, got, subscribe="status/#", qos=1)
    try:
        polite = start(broker, "bye")
        assert polite.stdout.readline().strip() == "connected"
        polite.wait(10)
        rude = start(broker, "kill")
        assert rude.stdout.readline().strip() == "connected"
        rude.send_signal(signal.SIGKILL)
        rude.wait()
        end = time.time() + 5
        while not got and time.time() < end:
            time.sleep(0.02)
        time.sleep(0.2)
    finally:
        paho.loop_stop()
    assert [(m.topic, m.payload) for m in got] == [("status/kill", b"vanished")]


def test_subscribe_inbox_subscribes_and_unsubscribes(broker):
    paho = paho_client(broker)
    s = Scheduler()
    out = Collector()
    events = Collector()
    c = MQTTClient(port=broker.port, username=broker.user, password=broker.password)
    c.link((c, "outbox"), (out, "inbox"))
    c.link((c, "events"), (events, "inbox"))

    class Steps(component):
        """subscribe a/#, wait for a delivery, unsubscribe, then subscribe b."""

        def main(self):
            self.send(("a/#", 1), "outbox")
            while not out.collected:
                self.pause(0.01)
                yield 1
            self.send(("unsubscribe", "a/#"), "outbox")
            self.send("b", "outbox")
            while True:
                self.pause()
                yield 1

    st = Steps()
    st.link((st, "outbox"), (c, "subscribe"))
    for x in (c, out, events, st):
        x.activate(scheduler=s)

    def drive():
        n = sum(1 for e in events.collected if e[0] == "subscribed")
        if n == 1 and len(out.collected) == 0:
            paho.publish("a/1", b"first", qos=1)
        if n >= 2:
            paho.publish("a/2", b"after unsubscribe", qos=1)
            paho.publish("b", b"on b", qos=1)
        return any(m.payload == b"on b" for m in out.collected)

    try:
        assert run_until(s, drive, 10), (out.collected, events.collected)
    finally:
        paho.loop_stop()
    payloads = [m.payload for m in out.collected]
    assert b"first" in payloads and b"on b" in payloads and b"after unsubscribe" not in payloads
