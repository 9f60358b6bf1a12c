"""A handheld display under the real micropython binary follows a CPython leader: signed states
are verified and drawn centred on a framebuf canvas; forged and stale datagrams are dropped."""
import os
import subprocess

from kamaelia_lite.net.auth import DatagramAuthenticator
from kamaelia_lite.ui.commands import parse_command
from kamaelia_lite.ui.cues import CueDeck, parse_cue_list
from kamaelia_lite.ui.sync import SyncLeader, make_authenticator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tests", "micropython", "mp_surtitles_follower_on_framebuf.py")
CUES = "languages: en fr\ncue: 1\nen: Hello\nfr: Bonjour\ncue: 2\nen: Bye\nfr: Salut\n"


def test_micropython_follower_shows_authentic_states_only(tmp_path):
    key = "handheld-key"
    leader = SyncLeader(make_authenticator(key), epoch=5)
    intruder = SyncLeader(DatagramAuthenticator("wrong"), epoch=6)
    deck = CueDeck(parse_cue_list(CUES))
    grams = []
    t = 0.0
    for line in ("next", "next", "blackout on", "blackout off", "prev"):
        deck.apply(parse_command(line))
        t += 1
        grams += leader.publish(deck.shown(), t)
        grams += leader.due(t + 0.5)                      # a repeat: stale, ignored
        grams += intruder.publish({"cue": "X", "texts": {"en": "HACKED %d" % t}, "version": 99}, t)
    path = tmp_path / "grams.hex"
    path.write_text("\n".join(g.hex() for g in grams) + "\n")
    out = subprocess.run(["micropython", "-X", "heapsize=1m", SCRIPT, str(path), key],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.rstrip().endswith("ok"), out.stdout + out.stderr
    frames = [ln.split("|") for ln in out.stdout.splitlines() if ln.startswith("FRAME|")]
    # initial blank frame, then one frame per operator action
    assert [(f[1], f[2], f[3]) for f in frames] == [
        ("None", "None", "False"), ("1", "1", "False"), ("2", "2", "False"), ("3", "2", "True"),
        ("4", "2", "False"), ("5", "1", "False")]
    assert [f[6] for f in frames] == ["", "Hello", "Bye", "", "Bye", "Hello"]
    assert frames[3][4] == "0"                             # blackout: not one pixel lit
    # "Hello" centred on the 160x40 canvas (bounding box of the white pixels)
    box = [int(v) for v in frames[1][5].split(",")]
    assert abs((box[0] + box[2]) / 2 - 80) <= 2 and abs((box[1] + box[3]) / 2 - 20) <= 3
    assert "FORGED 5 STALE 5" in out.stdout
