"""Run under micropython: split an .ogg into pages (CRC checked), find the Vorbis header pages,
pack pages into datagrams; prints one summary line per item for the test to compare."""
import sys

sys.path.insert(0, sys.argv[1])
from kamaelia_lite.audio.oggpages import OggPageSplitter, VorbisHeaderPages, pack_pages  # noqa: E402

f = open(sys.argv[2], "rb")
data = f.read()
f.close()
sp = OggPageSplitter(check_crc=True)
pages = []
i = 0
while i < len(data):
    pages.extend(sp.feed(data[i:i + 777]))
    i += 777
hp = VorbisHeaderPages()
for p in pages:
    if not hp.add(p):
        break
print("pages", len(pages), sp.bytes_skipped, sp.pending)
print("headers", len(hp.pages), hp.rate, hp.channels, hp.complete)
print("granules", " ".join([str(p.granulepos) for p in pages]))
dg = pack_pages(pages, 1400)
print("datagrams", len(dg), max([len(d) for d in dg]), sum([len(d) for d in dg]) == len(data))
bad = bytearray(data)
bad[len(data) // 2] ^= 0xFF
sp2 = OggPageSplitter(check_crc=True)
print("corrupt", len(sp2.feed(bytes(bad))), sp2.bytes_skipped > 0)
