"""Audio fixtures: real Ogg Vorbis files made at test time with sox + oggenc."""
import pytest
from audio_helpers import make_ogg


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("audio"))


@pytest.fixture(scope="session")
def stereo_ogg(audio_dir):
    """2 s, 44.1 kHz, stereo."""
    return make_ogg(audio_dir, "stereo", seconds=2.0)


@pytest.fixture(scope="session")
def mono_ogg(audio_dir):
    """1.5 s, 22.05 kHz, mono."""
    return make_ogg(audio_dir, "mono", seconds=1.5, rate=22050, channels=1)


@pytest.fixture(scope="session")
def long_ogg(audio_dir):
    """3 s, 44.1 kHz stereo at ~128 kbit/s (used by the radio and loss tests)."""
    return make_ogg(audio_dir, "long", seconds=3.0, quality=4)
