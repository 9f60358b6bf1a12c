"""A MicroPython handheld follows the show over MQTT: tests/mqtt/apps/mp_sync_mqtt_follower.py
(sync_mqtt_follower in a Pipeline) is bundled with --mpy and run by the real micropython binary
in a small heap. It joins late: its first state is the retained current cue; then it follows the
leader's next states, verifying each one (a forged one in between is not shown). As .mpy files
in FOLLOWER_HEAP (tests/mqtt/mqtt_helpers.py), and from a ROMFS image (bytecode out of the heap,
the device emulated by ports/micropython/romfs.py) in exactly 64k."""
import os
import subprocess
import time

from mqtt_helpers import FOLLOWER_HEAP, ROOT, bundle_mpy, paho_client, romfs_device

from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.surtitles.sync import SyncLeader

APP = os.path.join(ROOT, "tests", "mqtt", "apps", "mp_sync_mqtt_follower.py")
TOPIC = "show/handheld/state"


def test_micropython_follower_gets_the_retained_cue_then_follows(broker, tmp_path):
    out = str(tmp_path / "bundle")
    bundle_mpy(APP, out)
    follows_the_show(broker, ["micropython", "-X", "heapsize=" + FOLLOWER_HEAP, "mp_sync_mqtt_follower.py"], out)


def test_follower_bundle_in_a_romfs_image_follows_in_64k(broker, tmp_path):
    cmd, work, env = romfs_device(APP, tmp_path)
    rest = follows_the_show(broker, cmd, work, env)
    assert "from /rom/microaxon/__init__.mpy" in rest       # the modules ran from the image


def follows_the_show(broker, cmd, cwd, env=None):
    """Publish the retained cue, start the follower (``cmd`` + its arguments), then a forged state
    and two real ones: it must show the retained cue first, then the two real ones only."""
    leader = SyncLeader(DatagramAuthenticator(b"hand key"))
    forger = SyncLeader(DatagramAuthenticator(b"guess"))
    paho = paho_client(broker)

    def publish(sync, state, t):
        paho.publish(TOPIC, sync.publish(state, t)[0], qos=1, retain=True).wait_for_publish(5)

    publish(leader, {"cue": "3", "text": {"en": "Act II, é"}}, 1.0)       # before the handheld starts
    dev = subprocess.Popen(cmd + ["127.0.0.1", str(broker.port), broker.user, broker.password, TOPIC, "hand key"],
                           cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
    assert dev.returncode == 0 and "ok" in rest.splitlines(), rest[-2000:]
    shown = [ln for ln in rest.splitlines() if ln.startswith("STATE ")]
    assert shown == ['STATE {"cue": "4"}', 'STATE {"cue": "end"}'], rest
    return rest
