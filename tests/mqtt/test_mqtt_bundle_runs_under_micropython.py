"""The device story: tests/mqtt/apps/mp_mqtt_relay.py (a 3-stage Pipeline: MQTTSubscriber ->
upper-case -> MQTTPublisher) is bundled with ``python -m microaxon.tools.bundle --mpy`` and run by the real
micropython binary, in a small heap, against mosquitto (password authentication); paho-mqtt feeds
it and reads what it relays.

Two ways a device holds the bundle:
- .mpy files on its filesystem (their bytecode is loaded into the heap): in MQTT_BUNDLE_HEAP
  (tests/mqtt/mqtt_helpers.py), 64k, about 2k above the smallest heap it passes in reliably;
- a ROMFS image (MicroPython 1.25+; ``--romfs``), whose .mpy bytecode runs in place, out of the
  heap: this runs in exactly 64k (the device emulated by ports/micropython/romfs.py).
docs/mqtt.md, "MicroPython", has the figures."""
import os
import subprocess
import time

from mqtt_helpers import MQTT_BUNDLE_HEAP, ROOT, bundle_mpy, paho_client, romfs_device

APP = os.path.join(ROOT, "tests", "mqtt", "apps", "mp_mqtt_relay.py")


def test_bundled_relay_pipeline_runs_under_micropython_against_the_broker(broker, tmp_path):
    out = str(tmp_path / "bundle")
    bundle_mpy(APP, out)
    relays_every_message(broker, ["micropython", "-X", "heapsize=" + MQTT_BUNDLE_HEAP, "mp_mqtt_relay.py"], out)


def test_relay_bundle_in_a_romfs_image_runs_in_64k_against_the_broker(broker, tmp_path):
    cmd, work, env = romfs_device(APP, tmp_path)
    output = relays_every_message(broker, cmd, work, env)
    assert "from /rom/microaxon/__init__.mpy" in output       # the modules ran from the image


def relays_every_message(broker, cmd, cwd, env=None):
    """Run the relay (``cmd`` + its arguments) against ``broker``, feed it 30 messages and check
    that each comes back upper-cased, in order, and that it finished cleanly; returns its output."""
    got = []
    paho = paho_client(broker, got, subscribe="relay/outgoing", qos=1)
    relay = subprocess.Popen(cmd + ["127.0.0.1", str(broker.port), broker.user, broker.password],
                             cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # publish until the relay's subscription is in place (its first echo), then the rest
        end = time.time() + 20
        while not got and time.time() < end and relay.poll() is None:
            paho.publish("relay/incoming", b"probe", qos=1)
            time.sleep(0.2)
        msgs = [b"cue %d" % i for i in range(30)]
        for m in msgs + [b"end"]:
            paho.publish("relay/incoming", m, qos=1)
        output = relay.communicate(timeout=20)[0]
    finally:
        if relay.poll() is None:
            relay.kill()
        end = time.time() + 3
        while (not got or got[-1].payload != b"END") and time.time() < end:
            time.sleep(0.02)
        paho.loop_stop()
    assert relay.returncode == 0 and "\nok\n" in output, output[-3000:]
    payloads = [m.payload for m in got if m.payload != b"PROBE"]
    assert payloads == [m.upper() for m in msgs] + [b"END"], payloads
    return output
