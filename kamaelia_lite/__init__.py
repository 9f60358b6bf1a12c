"""kamaelia_lite: components for microaxon, grouped by what they touch.

chassis (Pipeline, Graphline, PAR, Carousel, Backplane, Supervisor), util (sources, sinks,
console, transformers, rate limiting), file (reading and writing files), net/ (framing, TCP,
UDP, multicast, reliable multicast, tunnels), audio/ (Ogg Vorbis, playback), ui/ (canvas,
ticker, teleprompter, subtitles), serial (pyserial).
"""
