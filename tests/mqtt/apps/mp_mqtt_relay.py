"""A 3-stage Pipeline for a device: MQTTSubscriber("relay/in") -> upper-case -> MQTTPublisher
("relay/out", QoS 1). Bundled and run under micropython by test_mqtt_bundle_runs_under_micropython.

    micropython mp_mqtt_relay.py HOST PORT USER PASSWORD

A payload b"end" is relayed, then the relay finishes (publisher flushed, subscriber shut down);
prints "ok" and the heap figures."""
import gc
import sys

from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.mqtt import MQTTPublisher, MQTTSubscriber
from microaxon import component, producerFinished, shutdownMicroprocess


class Upper(component):
    Outboxes = {"outbox": "upper-cased payloads", "signal": "producerFinished after b'end'",
                "stop": "shutdown for the subscriber"}

    def main(self):
        while True:
            while self.dataReady("inbox"):
                if not self.hasSpace("outbox"):       # the publisher is not keeping up: wait
                    self.waitSpace("outbox")
                    break
                m = self.recv("inbox")
                self.send(m.upper(), "outbox")
                if m == b"end":
                    self.send(producerFinished(), "signal")
                    self.send(shutdownMicroprocess(), "stop")
                    return
            self.pause()
            yield 1


def main(argv):
    host, port, user, pw = argv[1], int(argv[2]), argv[3], argv[4]
    opts = {"host": host, "port": port, "username": user, "password": pw, "recv_size": 256,
            "max_packet": 4096, "max_inflight": 8, "max_send_buffer": 4096}
    sub = MQTTSubscriber(topic="relay/in", qos=1, **opts)
    up = Upper()
    pub = MQTTPublisher(topic="relay/out", qos=1, **opts)
    up.link((up, "stop"), (sub, "control"))
    gc.collect()
    before = gc.mem_free() if hasattr(gc, "mem_free") else 0
    Pipeline(sub, up, pub).run()
    gc.collect()
    print("published %d received %d heap free before run %d after %d" % (
        pub.published, sub.received, before, gc.mem_free() if hasattr(gc, "mem_free") else 0))
    print("ok")


main(sys.argv)
