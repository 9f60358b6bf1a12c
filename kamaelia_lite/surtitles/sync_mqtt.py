"""Display sync (``kamaelia_lite.surtitles.sync``) over an MQTT broker: venues beyond one LAN.

The leader's signed state datagrams (HMAC, epoch/version, see sync.py) are published *retained*
on one topic per show, so the broker always holds the current state: a display that joins late
(or reconnects) gets the current cue at once, from the retained message, without waiting for
the leader's next snapshot. The broker never needs the key: followers verify every datagram
end to end, exactly as on multicast, so a broker (or a bridge) cannot put text on the screens.

    # operator (the leader):
    Pipeline(CuePlayer(...), sync_mqtt_leader(key, "broker.example", 1883, "show/hamlet/state"))
    # each display (pygame, web bridge, MicroPython handheld):
    Pipeline(sync_mqtt_follower(key, "broker.example", 1883, "show/hamlet/state"), SubtitleDisplay(...))

``SignedDatagramFilter`` passes datagrams (bytes, or (bytes, address) from a multicast receiver)
on unchanged, verifying them first when given the key; ``multicast_to_mqtt`` and
``mqtt_to_multicast`` use it to join a venue's multicast LAN to a broker (examples/mqtt_bridge.py).
Options for the MQTT side (``username``, ``password``, ``tls``, ``ca_file``...) pass through
``**mqtt`` to ``MQTTClient``.
"""
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.flow import passed_shutdown_on
from kamaelia_lite.net.mqtt import MQTTPublisher, MQTTSubscriber
from kamaelia_lite.surtitles.sync import make_authenticator
from kamaelia_lite.surtitles.sync_components import SyncFollowerComponent, SyncLeaderComponent
from microaxon import component

__all__ = ["sync_mqtt_leader", "sync_mqtt_follower", "SignedDatagramFilter", "multicast_to_mqtt",
           "mqtt_to_multicast", "MQTT_SNAPSHOT_PERIOD"]

# Over MQTT (TCP: nothing is lost on the way) the quick repeats of a change are not needed, and a
# late joiner has the retained state: snapshots only keep the followers' leader_lost() honest.
MQTT_SNAPSHOT_PERIOD = 1.0


def sync_mqtt_leader(key, host: str, port: int, topic: str, snapshot_period: float = MQTT_SNAPSHOT_PERIOD,
                     qos: int = 1, **mqtt) -> Pipeline:
    """A Pipeline: state dicts in -> signed datagrams -> published, retained, on ``topic``."""
    leader = SyncLeaderComponent(key=key, snapshot_period=snapshot_period, repeats=())
    return Pipeline(leader, MQTTPublisher(host=host, port=port, topic=topic, qos=qos, retain=True, **mqtt))


def sync_mqtt_follower(key, host: str, port: int, topic: str, qos: int = 1, stale_after: float = 3.0,
                       **mqtt) -> Pipeline:
    """A Pipeline: ``topic`` subscribed -> verified, newer states out (the retained one first)."""
    return Pipeline(MQTTSubscriber(host=host, port=port, topic=topic, qos=qos, **mqtt),
                    SyncFollowerComponent(key=key, stale_after=stale_after))


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
