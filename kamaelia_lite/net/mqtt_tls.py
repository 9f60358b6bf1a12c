"""CPython's part of ``kamaelia_lite.net.mqtt``: TLS (``ssl``) for ``MQTTClient``.

``kamaelia_lite.net.mqtt`` imports this module at its end on CPython only, so none of this is
loaded into a device's heap. It gives ``MQTTClient`` its TLS options (``ssl_context``,
``ca_file``, ``cert_file``, ``key_file``; an ``ssl_context`` given turns ``tls`` on), the
``do_handshake`` step its ``main`` runs after connecting, and an ``_again`` that also knows TLS
wanting to read or write. ``ssl`` itself is imported on the first handshake."""
from kamaelia_lite.net import mqtt
from microaxon import now

_MQTTClient = mqtt.MQTTClient
_plain_again = mqtt._again
_plain_init = _MQTTClient.__init__


def _again(e: BaseException):
    """As ``mqtt._again``, and also True for TLS wanting to read or write."""
    return _plain_again(e) or type(e).__name__ in ("SSLWantReadError", "SSLWantWriteError")


def _init(self, *args, **argd):
    if argd.get("ssl_context") is not None:      # a context given: TLS
        argd["tls"] = True
    _plain_init(self, *args, **argd)


def do_handshake(client, end: float):
    """Wrap ``client.sock`` in TLS (``client.ssl_context``, or one made from ``ca_file`` and
    ``cert_file``/``key_file``) and complete the handshake without blocking the scheduler, by
    ``end`` (monotonic seconds): a generator run inside the client's ``main``; raises OSError."""
    import ssl

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


for _k in ("ssl_context", "ca_file", "cert_file", "key_file"):
    setattr(_MQTTClient, _k, None)
_MQTTClient.__init__ = _init
_MQTTClient.do_handshake = do_handshake
mqtt._again = _again
