"""kamaelia_lite: components for microaxon, grouped by what they touch.

chassis (Pipeline, Graphline, PAR, Carousel, Backplane, Supervisor), util (sources, sinks,
console, transformers, rate limiting), file (reading and writing files), net/ (framing, TCP,
UDP, multicast, reliable multicast, tunnels), audio/ (Ogg Vorbis, playback), draw/ (the canvas,
its backends, fonts, text layout), displays/ (ticker, teleprompter, subtitles display, pygame
display service and widgets), surtitles/ (subtitle files, cue lists, display sync, commands,
control ports), serial (pyserial).
"""


def lazy_attribute(namespace, where, name):
    """For a package's module ``__getattr__``: import ``name`` from the submodule that
    ``where[name]`` names, keep it in the package's ``namespace`` (its globals) and return it."""
    sub = where.get(name)
    if sub is None:
        raise AttributeError("module %r has no attribute %r" % (namespace["__name__"], name))
    value = getattr(__import__(namespace["__name__"] + "." + sub, None, None, (name,)), name)
    namespace[name] = value
    return value
