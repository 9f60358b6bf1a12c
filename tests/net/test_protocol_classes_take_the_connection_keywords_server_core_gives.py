"""ServerCore makes each protocol with peer=, peerport=, localip=, localport= (Kamaelia's contract).
Since a component refuses keywords its class does not declare, every ready-made protocol class
declares those four: used as the factory of a ServerCore it gets them, and keeps them."""
import pytest

from kamaelia_lite.fortune import FortuneCookieProtocol
from kamaelia_lite.net.protocols import Chargen, ChatProtocol, EchoProtocol

CONNECTION = {"peer": "127.0.0.1", "peerport": 40000, "localip": "127.0.0.1", "localport": 1500}


@pytest.mark.parametrize("cls", [EchoProtocol, Chargen, ChatProtocol, FortuneCookieProtocol],
                         ids=lambda c: c.__name__)
def test_a_protocol_class_accepts_and_keeps_what_server_core_tells_it(cls):
    p = cls(**CONNECTION)
    assert (p.peer, p.peerport, p.localip, p.localport) == ("127.0.0.1", 40000, "127.0.0.1", 1500)
    assert cls().peer is None


def test_a_protocol_class_still_refuses_a_misspelt_option():
    with pytest.raises(TypeError, match="'peer_port'"):
        EchoProtocol(peer_port=1)
