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
# microaxon.lifetime (what a Pipeline runs on) loads now, with this module, rather than inside the
# first Pipeline(), when the components just made have fragmented a device's heap (~750 bytes in
# one piece)
import microaxon.lifetime  # noqa: F401
from kamaelia_lite.chassis import Pipeline
from kamaelia_lite.net.mqtt import MQTTPublisher, MQTTSubscriber
from kamaelia_lite.surtitles.sync_follow_components import SyncFollowerComponent

# the bridge names come from sync_mqtt_bridge through __getattr__ (below)
__all__ = ["sync_mqtt_leader", "sync_mqtt_follower", "SignedDatagramFilter", "multicast_to_mqtt",  # noqa: F822
           "mqtt_to_multicast", "MQTT_SNAPSHOT_PERIOD"]  # noqa: F822

# Over MQTT (TCP: nothing is lost on the way) the quick repeats of a change are not needed, and a
# late joiner has the retained state: snapshots only keep the followers' leader_lost() honest.
MQTT_SNAPSHOT_PERIOD = 1.0


def sync_mqtt_leader(key, host: str, port: int, topic: str, snapshot_period: float = MQTT_SNAPSHOT_PERIOD,
                     qos: int = 1, **mqtt) -> Pipeline:
    """A Pipeline: state dicts in -> signed datagrams -> published, retained, on ``topic``."""
    from kamaelia_lite.surtitles.sync_components import SyncLeaderComponent  # a display never loads it
    leader = SyncLeaderComponent(key=key, snapshot_period=snapshot_period, repeats=())
    return Pipeline(leader, MQTTPublisher(host=host, port=port, topic=topic, qos=qos, retain=True, **mqtt))


def sync_mqtt_follower(key, host: str, port: int, topic: str, qos: int = 1, stale_after: float = 3.0,
                       **mqtt) -> Pipeline:
    """A Pipeline: ``topic`` subscribed -> verified, newer states out (the retained one first)."""
    return Pipeline(MQTTSubscriber(host=host, port=port, topic=topic, qos=qos, **mqtt),
                    SyncFollowerComponent(key=key, stale_after=stale_after))


def __getattr__(name):
    """The bridge side (SignedDatagramFilter, multicast_to_mqtt, mqtt_to_multicast) lives in
    sync_mqtt_bridge, loaded when first asked for: a display never loads it."""
    if name in ("SignedDatagramFilter", "multicast_to_mqtt", "mqtt_to_multicast"):
        from kamaelia_lite.surtitles import sync_mqtt_bridge
        return getattr(sync_mqtt_bridge, name)
    raise AttributeError(name)
