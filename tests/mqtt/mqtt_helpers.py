"""A real mosquitto for the MQTT tests: free port, password authentication, persistence; optional
TLS listener with a CA, server and client certificates made here with openssl."""


import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from common_helpers import (
    ROOT,  # noqa: F401  (the mqtt tests read it from here)
    isolated_env,
    run_watched,
)
from common_helpers import free_tcp_port as free_port  # noqa: F401  (one definition, shared)

# The relay's heap: the 64k, as plain .mpy files. Measured on 2026-12-07 with the code of
# that day, with the bundle at a path as long as this test's tmp_path (each module's file name is
# kept in the heap): 26 of 26 runs passed at 64k and 24 of 24 at 62k-65k; a build of the same
# day with a kernel 96 bytes smaller passed 51/51 at 64k, every run at 62k-68k, half at 61k. Pass or fail near the edge depends on where blocks land, so a change of a few
# hundred bytes anywhere (the kernel's too) moves the edge by 1-2k: if this test starts failing
# with MemoryError, measure the edge again (docs/mqtt.md "MicroPython") before changing code.
# (It was 76k on 2026-12-06, 68k before that session's kernel and MQTT cuts.) From a ROMFS image
# (bytecode out of the heap) the relay runs down to 48k. The follower passed from 84k (0/5 at
# 83k) on 2026-12-06; now 3/3 in 81k-90k, 0 at 79k-80k.
MQTT_BUNDLE_HEAP = "64k"
# the handheld follower also carries auth (HMAC) and the follower's half of sync
FOLLOWER_HEAP = "92k"

USER = "venue"
PASSWORD = "s3cret-word"


def _openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


def make_certificates(d):
    """A self-signed CA and, signed by it, a server certificate for 127.0.0.1/localhost and a client
    certificate. Returns a dict of file paths."""
    ext = os.path.join(d, "server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
             "-days", "2", "-subj", "/CN=microaxon test CA", cwd=d)
    for name, cn in (("server", "localhost"), ("client", "display-1")):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                 "-subj", "/CN=" + cn, cwd=d)
        extra = ["-extfile", ext] if name == "server" else []
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", name + ".crt", "-days", "2", *extra, cwd=d)
    names = ("ca.crt", "server.crt", "server.key", "client.crt", "client.key")
    return dict((n.replace(".", "_"), os.path.join(d, n)) for n in names)


class Broker:
    """mosquitto on 127.0.0.1:``port`` (and ``tls_port`` when certificates are given)."""

    def __init__(self, d, certs=None, max_packet=None):
        self.dir = d
        self.port = free_port()
        self.tls_port = free_port() if certs else None
        self.certs = certs
        self.user, self.password = USER, PASSWORD
        self.proc = None
        pw = os.path.join(d, "passwd")
        subprocess.run(["mosquitto_passwd", "-b", "-c", pw, USER, PASSWORD], check=True, capture_output=True)
        os.chmod(pw, 0o600)
        persist = os.path.join(d, "db") + "/"
        os.makedirs(persist, exist_ok=True)
        lines = [
            "per_listener_settings false",
            "user %s" % getpass.getuser(),      # run as root, mosquitto would drop to an unprivileged user

            "allow_anonymous false",
            "password_file %s" % pw,
            "persistence true",
            "persistence_location %s" % persist,
            "autosave_interval 1",
            "autosave_on_changes true",
            "max_queued_messages 100000",
            "max_inflight_messages 0",
            "log_dest stderr",
            "listener %d 127.0.0.1" % self.port,
        ]
        if max_packet:
            lines.append("message_size_limit %d" % max_packet)
        if certs:
            lines += ["listener %d 127.0.0.1" % self.tls_port,
                      "cafile %s" % certs["ca_crt"], "certfile %s" % certs["server_crt"],
                      "keyfile %s" % certs["server_key"], "require_certificate true"]
        self.conf = os.path.join(d, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.log = os.path.join(d, "mosquitto.log")

    def start(self):
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=open(self.log, "a"))
        end = time.time() + 10
        for port in (self.port, self.tls_port):
            while port:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                except OSError:
                    if self.proc.poll() is not None or time.time() > end:
                        raise RuntimeError("mosquitto did not start: " + open(self.log).read()[-2000:]) from None
                    time.sleep(0.02)
        return self

    def kill(self):
        """kill -9: no chance to save or say goodbye."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_until(scheduler, cond, timeout=10.0):
    """Run ``scheduler`` in this thread until ``cond()`` is true or ``timeout`` s pass, then stop
    every component; returns cond(). (A watchdog thread checks cond every 20 ms.) If every
    component finishes first, cond is still given the rest of the time: paho's thread may not
    have had what the broker delivers to it yet."""
    end = time.monotonic() + timeout

    def check():
        if cond() or time.monotonic() > end:
            scheduler.callFromThread(scheduler.stop)
            return True
        return False

    run_watched(scheduler, check, 0.02)
    while not cond() and time.monotonic() < end:   # every component finished first: what they
        time.sleep(0.02)                            # sent may still be on its way to paho's thread
    return cond()


def paho_client(broker, received=None, subscribe=None, qos=1, client_id="", clean_session=True):
    """A connected paho-mqtt client running its own network thread; messages it receives are
    appended to ``received`` as paho MQTTMessage objects."""
    import threading

    import paho.mqtt.client as mqtt

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean_session)
    c.username_pw_set(broker.user, broker.password)
    ready = threading.Event()

    def on_connect(client, userdata, flags, rc, props=None):
        if subscribe:
            client.subscribe(subscribe, qos)
        else:
            ready.set()

    def on_subscribe(client, userdata, mid, rcs, props=None):
        ready.set()

    def on_message(client, userdata, msg):
        if received is not None:
            received.append(msg)

    c.on_connect = on_connect
    c.on_subscribe = on_subscribe
    c.on_message = on_message
    c.connect("127.0.0.1", broker.port, keepalive=30)
    c.loop_start()
    if not ready.wait(5):
        raise RuntimeError("paho could not connect/subscribe to the test broker")
    return c


def make_tap():
    """A component recording what arrives on its control inbox (what the component before it in
    a Pipeline passed on when it finished) in ``.got``; it finishes after the first."""
    from microaxon import component

    class Tap(component):
        def __init__(self):
            super().__init__()
            self.got = []

        def main(self):
            while not self.got:
                while self.dataReady("control"):
                    self.got.append(self.recv("control"))
                self.pause()
                yield 1

    return Tap()


def bundle_mpy(app, out, *extra):
    """``microaxon-bundle --mpy`` of ``app`` into ``out`` (``extra``: more options, e.g. --romfs)."""
    assert shutil.which("micropython"), "the micropython binary is missing"
    subprocess.run([sys.executable, "-m", "microaxon.tools.bundle", app, "-o", out, "--mpy", "--report", "none"]
                   + list(extra), cwd=ROOT, check=True)


def romfs_device(app, tmp_path):
    """Bundle ``app`` into a ROMFS image and prepare a 64 KiB device that mounts it
    (ports/micropython/romfs.py): returns (command, working folder, environment). The app also
    prints ``from <where microaxon was loaded>``, so a test can check the image was used."""
    from ports.micropython.romfs import rom_command

    image, work = str(tmp_path / "app.romfs"), tmp_path / "device"
    work.mkdir()
    bundle_mpy(app, str(tmp_path / "bundle"), "--romfs", image)
    with open(app) as f:
        source = f.read() + 'import microaxon\nprint("from", microaxon.__file__)\n'
    env = isolated_env()
    return rom_command(source, image, "64k", str(work), os.path.basename(app), env), str(work), env



def client_packets(data):
    """The MQTT packets in ``data`` (what a client wrote): [(type, flags, body)]."""
    out, i = [], 0
    while i < len(data):
        t = data[i]
        ln, shift, j = 0, 0, i + 1
        while True:
            b = data[j]
            j += 1
            ln |= (b & 127) << shift
            shift += 7
            if not b & 128:
                break
        out.append((t >> 4, t & 15, data[j:j + ln]))
        i = j + ln
    return out


CONNACK = b"\x20\x02\x00\x00"            # accepted, no session present
CONNACK_SESSION = b"\x20\x02\x01\x00"    # accepted, session present


def connected(**kw):
    """A sans-IO MQTTConnection that has sent CONNECT and been accepted (its output taken)."""
    from kamaelia_lite.net.mqtt_codec import MQTTConnection
    c = MQTTConnection("cid", **kw)
    c.connect(0.0)
    assert c.receive(CONNACK, 0.0) == [("connected", False)]
    c.take()
    return c
