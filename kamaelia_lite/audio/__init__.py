"""Audio: Ogg Vorbis decoding (files and live streams), playback, WAV, paced serving.

Modules (import what you need; importing this package loads nothing heavy, so its pure-Python
parts, e.g. :mod:`kamaelia_lite.audio.oggpages`, also load on MicroPython):

- ``messages``      AudioFormat, AudioError, StreamGap, StreamRestart, Underrun
- ``push_decoder``  VorbisPushDecoder: sans-IO streaming decoder over libogg/libvorbis (ctypes)
- ``push_decoder_components`` VorbisDecode: the streaming decoder component (Kamaelia.Codec.Vorbis)
- ``vorbisfile``    VorbisFileDecoder: .ogg file -> PCM through pyogg's libvorbisfile
- ``playback``      AudioPlayback (= AOAudioPlaybackAdaptor) via pygame.mixer; WavWriter
- ``ratecontrol``   RateControlledFileReader (Kamaelia.File.Reading), OggPagePacer (live serving)
- ``oggpages``      pure-Python Ogg page splitting/packing (MicroPython too)

On CPython the main names are also available here: ``from kamaelia_lite.audio import VorbisDecode``.
"""

_WHERE = {
    "AudioFormat": "messages",
    "AudioError": "messages",
    "StreamGap": "messages",
    "StreamRestart": "messages",
    "Underrun": "messages",
    "VorbisPushDecoder": "push_decoder",
    "VorbisDecode": "push_decoder_components",
    "VorbisFileDecoder": "vorbisfile",
    "AudioPlayback": "playback",
    "AOAudioPlaybackAdaptor": "playback",
    "WavWriter": "playback",
    "RateControlledFileReader": "ratecontrol",
    "OggPagePacer": "ratecontrol",
    "OggPageSplitter": "oggpages",
}


def __getattr__(name):  # PEP 562 (CPython): load a submodule on first use of one of its names
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError("module 'kamaelia_lite.audio' has no attribute %r" % (name,))
    import importlib

    return getattr(importlib.import_module("kamaelia_lite.audio." + mod), name)
