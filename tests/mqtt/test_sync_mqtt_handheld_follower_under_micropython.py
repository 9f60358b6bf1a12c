"""A MicroPython handheld follows the show over MQTT: tests/mqtt/apps/mp_sync_mqtt_follower.py
(sync_mqtt_follower in a Pipeline) is bundled with --mpy and run by the real micropython binary
in a small heap. It joins late: its first state is the retained current cue; then it follows the
leader's next states, verifying each one (a forged one in between is not shown)."""
import os
import subprocess
import sys
import time

from mqtt_helpers import FOLLOWER_HEAP, ROOT, paho_client

from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.surtitles.sync import SyncLeader

APP = os.path.join(ROOT, "tests", "mqtt", "apps", "mp_sync_mqtt_follower.py")
TOPIC = "show/handheld/state"


def test_micropython_follower_gets_the_retained_cue_then_follows(broker, tmp_path):
    out = str(tmp_path / "bundle")
    subprocess.run([sys.executable, "-m", "microaxon.tools.bundle", APP, "-o", out, "--mpy", "--report", "none"],
                   cwd=ROOT, check=True)
    leader = SyncLeader(DatagramAuthenticator(b"hand key"))
    forger = SyncLeader(DatagramAuthenticator(b"guess"))
    paho = paho_client(broker)

    def publish(sync, state, t):
        paho.publish(TOPIC, sync.publish(state, t)[0], qos=1, retain=True).wait_for_publish(5)

    publish(leader, {"cue": "3", "text": {"en": "Act II, é"}}, 1.0)       # before the handheld starts
    dev = subprocess.Popen(["micropython", "-X", "heapsize=" + FOLLOWER_HEAP, "mp_sync_mqtt_follower.py",
                            "127.0.0.1", str(broker.port), broker.user, broker.password, TOPIC, "hand key"],
                           cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = dev.stdout.readline()
        assert first.startswith("STATE ") and '"cue": "3"' in first, first + dev.stdout.read()[-2000:]
        publish(forger, {"cue": "FORGED"}, 2.0)
        time.sleep(0.2)
        publish(leader, {"cue": "4"}, 3.0)
        publish(leader, {"cue": "end"}, 4.0)
        rest = dev.communicate(timeout=20)[0]
    finally:
        if dev.poll() is None:
            dev.kill()
        paho.loop_stop()
    assert dev.returncode == 0 and rest.rstrip().endswith("ok"), rest[-2000:]
    shown = [ln for ln in rest.splitlines() if ln.startswith("STATE ")]
    assert shown == ['STATE {"cue": "4"}', 'STATE {"cue": "end"}'], rest
