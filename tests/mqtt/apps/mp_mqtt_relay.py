"""A 3-stage Pipeline for a device: MQTTSubscriber("relay/incoming") -> upper-case -> MQTTPublisher
("relay/outgoing", QoS 1). Bundled and run under micropython by test_mqtt_bundle_runs_under_micropython.

    micropython mp_mqtt_relay.py HOST PORT USER PASSWORD

A payload b"end" is relayed, then the relay finishes (publisher flushed, subscriber shut down);
prints the heap figures, then "ok".

Device heap: this file is compiled on the device, where every name and short string in it is
interned for good (one more name can cost a whole new pool of interned names, 3.5 KiB). So its
names are ones the interpreter or the modules it loads have interned already (single letters,
the components' own words), and its topics are longer than 10 characters (not interned).
"""
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


def main(a):
    k = {"host": a[1], "port": int(a[2]), "username": a[3], "password": a[4], "recv_size": 256,
         "max_packet": 4096, "max_inflight": 8, "max_send_buffer": 4096}
    s = MQTTSubscriber(topic="relay/incoming", qos=1, **k)
    c = Upper()
    p = MQTTPublisher(topic="relay/outgoing", qos=1, **k)
    c.link((c, "stop"), (s, "control"))
    gc.collect()
    b = gc.mem_free() if hasattr(gc, "mem_free") else 0
    Pipeline(s, c, p).run()
    gc.collect()
    print("published %d received %d heap free before run %d after %d\nok" % (
        p.published, s.received, b, gc.mem_free() if hasattr(gc, "mem_free") else 0))


main(sys.argv)
