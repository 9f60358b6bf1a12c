# ruff: noqa: F821  (package() is provided by MicroPython's manifest reader)
# MicroPython freeze manifest: the microaxon core and the portable kamaelia_lite modules.
#
# Frozen modules live in flash, so their bytecode costs no heap. In a board build:
#     make BOARD=RPI_PICO FROZEN_MANIFEST=/path/to/microaxon/ports/micropython/manifest.py
# or from a board's own manifest:
#     include("/path/to/microaxon/ports/micropython/manifest.py")
# Without building firmware, `python -m ports.micropython.build OUT/` compiles the same files to
# .mpy for copying onto a device's filesystem (e.g. `mpremote cp -r OUT/* :`).
#
# Only modules that import under MicroPython are listed (tests/ports/
# test_micropython_manifest_modules_import.py imports each one under the real binary).
# Desktop-only modules are left out on purpose: microaxon.compat (Kamaelia module aliases),
# microaxon._desktop (CPython's pollers and clock; microaxon._device is MicroPython's),
# kamaelia_lite.audio.{native,pcm,push_decoder,vorbisfile,vorbis_stream,ratecontrol,playback}
# and messages (ctypes/pyogg/pygame/typing), kamaelia_lite.ui.{canvas_pygame,display,widgets} (pygame),
# kamaelia_lite.serial (pyserial), and kamaelia_lite.net.{tcp,udp}, kamaelia_lite.ui.{control,
# sync_net}: they import under micropython, but speak CPython's socket dialect (tuple addresses,
# getsockname, TCP_NODELAY/SHUT_WR, ConnectionResetError and friends), which the unix port lacks;
# list them here once they run there.
# microaxon/threaded.py is frozen: it works on ports whose _thread has a GIL (ESP32) and raises
# ImportError elsewhere, which microaxon/__init__.py expects.

package(
    "microaxon",
    files=["__init__.py", "core.py", "_device.py", "threaded.py", "introspect.py"],
    base_path="../..",
)

package(
    "kamaelia_lite",
    files=[
        "__init__.py",
        "lifecycle.py",
        "chassis.py",
        "util.py",
        "file.py",
        "introspector.py",
        "net/__init__.py",
        "net/framing.py",
        "net/framers.py",
        "net/protocols.py",
        "net/multicast.py",
        "net/srm_components.py",
        "net/tunnel.py",
        "net/auth.py",
        "net/fec.py",
        "net/srm.py",
        "audio/__init__.py",
        "audio/oggpages.py",
        "audio/_outqueue.py",
        "ui/__init__.py",
        "ui/canvas.py",
        "ui/canvas_framebuf.py",
        "ui/commands.py",
        "ui/cues.py",
        "ui/font5x8.py",
        "ui/layout.py",
        "ui/subtitle_text.py",
        "ui/subtitles.py",
        "ui/sync.py",
        "ui/ticker.py",
        "ui/teleprompter.py",
        "ui/script.py",
    ],
    base_path="../..",
)
