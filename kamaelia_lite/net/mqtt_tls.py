"""The TLS handshake of ``kamaelia_lite.net.mqtt.MQTTClient`` (CPython's ``ssl``), in its own
module so that a device that never uses TLS does not load it. (``do_handshake``: a name
MicroPython has built in, so the client's module names nothing new on a device.)"""
import ssl

from microaxon import now


def do_handshake(client, end):
    """Wrap ``client.sock`` in TLS (``client.ssl_context``, or one made from ``ca_file`` and
    ``cert_file``/``key_file``) and complete the handshake without blocking the scheduler, by
    ``end`` (monotonic seconds): a generator run inside the client's ``main``; raises OSError."""
    ctx = client.ssl_context
    if ctx is None:
        ctx = ssl.create_default_context(cafile=client.ca_file)
        if client.cert_file:
            ctx.load_cert_chain(client.cert_file, client.key_file)
    s = client.sock = ctx.wrap_socket(client.sock, server_hostname=client.server_hostname or client.host,
                                      do_handshake_on_connect=False)
    while True:
        try:
            s.do_handshake()
            return
        except ssl.SSLWantReadError:
            client.waitReadable(s)
        except ssl.SSLWantWriteError:
            client.waitWritable(s)
        if now() >= end:
            raise OSError(110, "TLS handshake timed out")
        client.pause(max(0.0, end - now()))
        yield 1
