"""kamaelia_lite: components for microaxon, grouped by what they touch.

chassis (Pipeline, Graphline, PAR, Carousel, Backplane, Supervisor), util (sources, sinks,
console, transformers, rate limiting), file (reading and writing files), net/ (framing, TCP,
UDP, multicast, reliable multicast, tunnels), audio/ (Ogg Vorbis, playback), draw/ (the canvas,
its backends, fonts, text layout), displays/ (ticker, teleprompter, subtitles display, pygame
display service and widgets), surtitles/ (subtitle files, cue lists, display sync, commands,
control ports), serial (pyserial).
"""
