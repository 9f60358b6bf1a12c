"""The radio client with no audio device to play on: the player's error reaches stderr and the
exit status; it never prints "done, 0 gap(s)" and exits 0."""
import os
import subprocess
import sys

from common_helpers import free_udp_port
from test_radio_end_to_end import ROOT, server


def test_client_reports_a_player_that_cannot_open_the_device(long_ogg, tmp_path):
    port = free_udp_port()
    net = ["--transport", "udp", "--port", str(port)]
    with server([long_ogg, "--speed", "2", "--header-interval", "0.5"] + net):
        env = dict(os.environ, PYTHONPATH=ROOT, SDL_AUDIODRIVER="no-such-driver")
        p = subprocess.run([sys.executable, "-m", "examples.radio.client", "--seconds", "2", "--timeout", "15",
                            "--name", "player"] + net, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=30)
    assert p.returncode == 1, p.stderr
    assert "player: error: pygame.mixer: cannot open the audio device" in p.stderr
    assert "done," not in p.stderr


def test_server_with_a_file_it_cannot_read_says_so_and_exits_1(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    p = subprocess.run([sys.executable, "-m", "examples.radio.server", str(tmp_path / "missing.ogg"),
                        "--transport", "udp", "--port", str(free_udp_port())], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1
    assert "radio: error:" in p.stderr and "missing.ogg" in p.stderr
