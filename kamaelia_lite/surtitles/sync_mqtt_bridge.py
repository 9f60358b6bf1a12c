"""The bridge side of display sync over MQTT (re-exported by ``sync_mqtt``, which describes it):
``SignedDatagramFilter`` and the multicast <-> MQTT pipelines of examples/mqtt_bridge.py. Apart
from ``sync_mqtt`` so that a display that only follows never loads them."""
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.net.mqtt import MQTTPublisher, MQTTSubscriber
from kamaelia_lite.surtitles.sync_follow import make_authenticator
from microaxon import component

__all__ = ["SignedDatagramFilter", "multicast_to_mqtt", "mqtt_to_multicast"]


class SignedDatagramFilter(component):
    """Passes datagrams on as bytes (from bytes or (bytes, address)). With ``key`` it verifies
    each one (HMAC, replays) and drops, counting in ``dropped``, those that fail; the datagram
    goes on unchanged, still signed, for the followers to verify again."""

    key = None
    dropped = 0
    passed = 0

    def __init__(self, **argd):
        super().__init__(**argd)
        self.auth = make_authenticator(self.key) if self.key else None

    def main(self):
        while True:
            while self.dataReady("inbox"):
                d = self.recv("inbox")
                if isinstance(d, tuple):
                    d = d[0]
                if not isinstance(d, (bytes, bytearray)) or (self.auth is not None and self.auth.verify(d) is None):
                    self.dropped += 1
                    continue
                self.passed += 1
                self.send(bytes(d), "outbox")
            if passed_shutdown_on(self):
                return
            self.pause()
            yield 1


def multicast_to_mqtt(group: str, mport: int, interface: str, host: str, port: int, topic: str, key=None,
                      **mqtt) -> Pipeline:
    """A Pipeline: a venue's multicast sync datagrams -> (verified) -> retained on ``topic``."""
    from kamaelia_lite.net.multicast import MulticastReceiver
    return Pipeline(MulticastReceiver(group, mport, interface), SignedDatagramFilter(key=key),
                    MQTTPublisher(host=host, port=port, topic=topic, qos=1, retain=True, **mqtt))


def mqtt_to_multicast(host: str, port: int, topic: str, group: str, mport: int, interface: str, key=None,
                      **mqtt) -> Pipeline:
    """A Pipeline: ``topic`` -> (verified) -> multicast on another venue's LAN."""
    from kamaelia_lite.net.multicast import MulticastSender
    return Pipeline(MQTTSubscriber(host=host, port=port, topic=topic, qos=1, **mqtt),
                    SignedDatagramFilter(key=key), MulticastSender(group, mport, interface))
