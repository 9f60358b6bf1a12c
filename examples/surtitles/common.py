"""Options shared by the surtitles operator console and its display clients."""
import os
import select
import sys

from kamaelia_lite.flow import passed_shutdown_on
from microaxon import component, producerFinished, shutdownMicroprocess


def add_network_options(parser):
    """--key/--key-file, --multicast GROUP:PORT --interface ADDR, or --tcp HOST:PORT."""
    parser.add_argument("--key", help="shared secret that authenticates the cues (or $SURTITLES_KEY)")
    parser.add_argument("--key-file", help="read the shared secret from this file")
    parser.add_argument("--multicast", default="239.255.42.99:5405", metavar="GROUP:PORT",
                        help="multicast group and port (default %(default)s)")
    parser.add_argument("--interface", default="127.0.0.1",
                        help="local IPv4 address multicast uses (default %(default)s; the LAN address in a venue)")
    parser.add_argument("--tcp", metavar="HOST:PORT",
                        help="use TCP instead of multicast (operator: address to listen on; display: leader's address)")
    parser.add_argument("--reliable", action="store_true", help="reliable multicast (sequence numbers + FEC)")


def size_arg(text):
    """"WxH" -> (w, h), for argparse (a clear message when it is not)."""
    import argparse
    try:
        w, h = [int(x) for x in text.lower().split("x")]
    except ValueError:
        raise argparse.ArgumentTypeError("expected WxH, e.g. 1920x1080, got %r" % text) from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError("a size is positive, got %r" % text)
    return (w, h)


def read_key(args):
    """The shared key from --key, --key-file or $SURTITLES_KEY; exits with a clear message if none."""
    key = args.key
    if args.key_file:
        with open(args.key_file, "rb") as f:
            key = f.read().strip()
    key = key or os.environ.get("SURTITLES_KEY")
    if not key:
        sys.exit("error: a shared key is required (--key, --key-file or $SURTITLES_KEY) so that nobody "
                 "else on the network can put text on the displays")
    return key


def host_port(text, what):
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        sys.exit("error: %s must be HOST:PORT, got %r" % (what, text))
    return host or "127.0.0.1", int(port)


class StdinLines(component):
    """Lines typed on stdin (str, without the line end) on outbox; producerFinished on signal at
    end of input. Reads only when stdin is readable, so a shutdown on control ends it at once.
    Lines longer than ``max_line`` bytes are dropped (reported on stderr)."""

    max_line = 1000

    def main(self):
        fd = sys.stdin.fileno()
        buf = b""
        while True:
            if passed_shutdown_on(self):
                return
            if select.select([fd], [], [], 0)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    if buf.strip():
                        self.send(buf.decode("utf-8", "replace"), "outbox")
                    self.send(producerFinished(self), "signal")
                    return
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self.send(line.decode("utf-8", "replace").rstrip("\r"), "outbox")
                if len(buf) > self.max_line:
                    sys.stderr.write("error: input line longer than %d bytes ignored\n" % self.max_line)
                    buf = b""
            self.waitReadable(fd)
            self.pause()
            yield 1


class StopAll(component):
    """When anything arrives on control (e.g. the window was closed), sends shutdownMicroprocess
    to the control inbox of each of ``targets``, calls ``on_stop()`` if set (e.g. to give a
    window surface back), passes the message on signal and finishes."""

    on_stop = None

    def __init__(self, targets, **argd):
        super().__init__(**argd)
        self.boxes = []
        for t in targets:
            box = self.addOutbox("stop")
            self.link((self, box), (t, "control"))
            self.boxes.append(box)

    def main(self):
        while not self.dataReady("control"):
            self.pause()
            yield 1
        msg = self.recv("control")
        for box in self.boxes:
            try:
                self.send(shutdownMicroprocess(self), box)
            except Exception:      # a target already finished and full of notices
                pass
        if self.on_stop is not None:
            self.on_stop()
        self.send(msg, "signal")


def add_web_option(parser):
    """--web [HOST:]PORT (serve the audience page to phones) and --qr-dir / --public-url."""
    parser.add_argument("--web", metavar="[HOST:]PORT",
                        help="serve the audience page to phones on this port (all interfaces unless HOST is given)")
    parser.add_argument("--public-url", help="the address phones use, when the guessed LAN address is wrong")
    parser.add_argument("--qr-dir", help="write a QR-code PNG per language here (join-<lang>.png)")


def lan_address():
    """This machine's first non-loopback IPv4 address by its host name (127.0.0.1 if none)."""
    import socket
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        addr = info[4][0]
        if not addr.startswith("127."):
            return addr
    return "127.0.0.1"


def web_server(args, languages=(), out=None):
    """The AudienceServer for --web; prints where phones join (the URL per language, a QR code
    of the page in the terminal) and writes a QR PNG per language to --qr-dir."""
    from kamaelia_lite.surtitles.web import join_url, qr_png, qr_terminal
    from kamaelia_lite.surtitles.web_components import AudienceServer
    out = out or sys.stdout
    text = args.web
    host, sep, port = text.rpartition(":")
    if not port.isdigit():
        sys.exit("error: --web must be [HOST:]PORT, got %r" % text)
    everywhere = not sep or host in ("", "0.0.0.0", "::")
    host = host.strip("[]") if sep and host else "0.0.0.0"
    try:
        server = AudienceServer(host=host, port=int(port), languages=list(languages))
    except OSError as e:
        sys.exit("error: cannot serve the audience page on %s:%s: %s" % (host, port, e))
    shown_host = lan_address() if everywhere else host
    base = args.public_url or "http://%s:%d/" % (shown_host if ":" not in shown_host else "[%s]" % shown_host,
                                                 server.port)
    if everywhere:
        out.write("WEB audience page on all interfaces, port %d: phones on the LAN join at %s\n" % (server.port, base))
    else:
        out.write("WEB audience page on %s port %d: %s\n" % (host, server.port, base))
    for lang in languages:
        out.write("JOIN %s %s\n" % (lang, join_url(base, lang)))
    out.write(qr_terminal(join_url(base)))
    if args.qr_dir:
        os.makedirs(args.qr_dir, exist_ok=True)
        for lang in list(languages) or [None]:
            name = os.path.join(args.qr_dir, "join-%s.png" % (lang or "all"))
            with open(name, "wb") as f:
                f.write(qr_png(join_url(base, lang)))
            out.write("QR %s %s\n" % (lang or "all", name))
    out.flush()
    return server


def add_mqtt_options(p):
    """--mqtt HOST:PORT (publish through an MQTT broker), --mqtt-topic, --mqtt-user, --mqtt-password."""
    p.add_argument("--mqtt", metavar="HOST:PORT", help="use an MQTT broker (the state is published retained)")
    p.add_argument("--mqtt-topic", default="surtitles/state", help="MQTT topic of the show (default %(default)s)")
    p.add_argument("--mqtt-user", help="MQTT user name")
    p.add_argument("--mqtt-password", default=os.environ.get("SURTITLES_MQTT_PASSWORD"),
                   help="MQTT password (or $SURTITLES_MQTT_PASSWORD)")


def run_to_exit_status(sched, who):
    """Run ``sched`` until the show ends; a component that fails with nobody handling it ends
    the show with a clear line on stderr. Returns the exit status: 1 after such a failure (or
    Ctrl-C), else 0."""
    from examples.checked import run_checked
    return run_checked(None, who, sched)
