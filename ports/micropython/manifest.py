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
# kamaelia_lite.audio.{native,pcm,push_decoder,vorbisfile,push_decoder_components,ratecontrol,playback}
# and messages (ctypes/pyogg/pygame/typing), kamaelia_lite.draw.canvas_pygame and kamaelia_lite.displays.{display,widgets} (pygame),
# kamaelia_lite.serial (pyserial), and kamaelia_lite.net.{tcp,udp}, kamaelia_lite.surtitles.{control,
# sync_net}: they import under micropython, but speak CPython's socket dialect (tuple addresses,
# getsockname, TCP_NODELAY/SHUT_WR, ConnectionResetError and friends), which the unix port lacks;
# list them here once they run there.
# microaxon/threaded.py is frozen: it works on ports whose _thread has a GIL (ESP32) and raises
# ImportError elsewhere, which microaxon/__init__.py expects.

package(
    "microaxon",
    files=["__init__.py", "core.py", "scheduler.py", "lifetime.py", "errors.py", "_device.py", "iowait.py", "threadcalls.py", "more.py", "threaded.py", "introspect.py"],
    base_path="../..",
)

package(
    "kamaelia_lite",
    files=[
        "__init__.py",
        "flow.py",
        "chassis/__init__.py",
        "chassis/container.py",
        "chassis/pipeline.py",
        "chassis/graphline.py",
        "chassis/par.py",
        "chassis/carousel.py",
        "chassis/backplane.py",
        "chassis/supervisor.py",
        "util/__init__.py",
        "util/transform.py",
        "util/sources.py",
        "util/sinks.py",
        "util/console.py",
        "util/rate.py",
        "util/chooser.py",
        "file.py",
        "introspector.py",
        "net/__init__.py",
        "net/framing.py",
        "net/framing_components.py",
        "net/protocols.py",
        "net/multicast.py",
        "net/srm_components.py",
        "net/tunnel.py",
        "net/auth.py",
        "net/fec.py",
        "net/srm.py",
        "net/mqtt_codec.py",
        "net/mqtt.py",
        "audio/__init__.py",
        "audio/oggpages.py",
        "draw/__init__.py",
        "draw/canvas.py",
        "draw/canvas_framebuf.py",
        "draw/font5x8.py",
        "draw/layout.py",
        "displays/__init__.py",
        "displays/ticker.py",
        "displays/crawl.py",
        "displays/strip.py",
        "displays/teleprompter.py",
        "displays/script.py",
        "surtitles/__init__.py",
        "surtitles/commands.py",
        "surtitles/cues.py",
        "surtitles/cues_components.py",
        "surtitles/subtitle_text.py",
        "surtitles/markup.py",
        "surtitles/subtitles.py",
        "surtitles/subtitles_components.py",
        "surtitles/sync.py",
        "surtitles/sync_components.py",
        "surtitles/sync_follow.py",
        "surtitles/sync_follow_components.py",
        "surtitles/sync_mqtt.py",
        "surtitles/sync_mqtt_bridge.py",
        "displays/subtitle_display.py",
    ],
    base_path="../..",
)
