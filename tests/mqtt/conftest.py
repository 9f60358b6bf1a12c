"""Fixtures: a real mosquitto broker (password authentication, persistence on) per test."""
import pytest
from mqtt_helpers import Broker, make_certificates


@pytest.fixture
def broker(tmp_path):
    """mosquitto on a free loopback port, users authenticated by a password file, persistence on."""
    b = Broker(str(tmp_path)).start()
    try:
        yield b
    finally:
        b.stop()


@pytest.fixture
def tls_broker(tmp_path):
    """As ``broker``, plus a TLS listener (``tls_port``) that requires a client certificate; the
    certificate files are in ``broker.certs``."""
    d = tmp_path / "certs"
    d.mkdir()
    b = Broker(str(tmp_path), certs=make_certificates(str(d))).start()
    try:
        yield b
    finally:
        b.stop()
