"""The device story: tests/mqtt/apps/mp_mqtt_relay.py (a 3-stage Pipeline: MQTTSubscriber ->
upper-case -> MQTTPublisher) is bundled with ``python -m microaxon.tools.bundle --mpy`` and run by the real
micropython binary, in a small heap, against mosquitto (password authentication); paho-mqtt feeds
it and reads what it relays.

MQTT_BUNDLE_HEAP (tests/mqtt/mqtt_helpers.py) is the smallest heap this passes in reliably today,
with a margin; the target is 64k (docs/mqtt.md, "MicroPython", says what stands in the way)."""
import os
import shutil
import subprocess
import sys
import time

from mqtt_helpers import MQTT_BUNDLE_HEAP, ROOT, paho_client

APP = os.path.join(ROOT, "tests", "mqtt", "apps", "mp_mqtt_relay.py")


def test_bundled_relay_pipeline_runs_under_micropython_against_the_broker(broker, tmp_path):
    assert shutil.which("micropython"), "the micropython binary is missing"
    out = str(tmp_path / "bundle")
    subprocess.run([sys.executable, "-m", "microaxon.tools.bundle", APP, "-o", out, "--mpy", "--report", "none"],
                   cwd=ROOT, check=True)
    got = []
    paho = paho_client(broker, got, subscribe="relay/outgoing", qos=1)
    relay = subprocess.Popen(["micropython", "-X", "heapsize=" + MQTT_BUNDLE_HEAP, "mp_mqtt_relay.py",
                              "127.0.0.1", str(broker.port), broker.user, broker.password],
                             cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
    assert relay.returncode == 0 and output.rstrip().endswith("ok"), output[-3000:]
    payloads = [m.payload for m in got if m.payload != b"PROBE"]
    assert payloads == [m.upper() for m in msgs] + [b"END"], payloads
