"""A damaged font file (truncated, empty, a TrueType collection that points nowhere, a
character map cut short) is refused by ``fontfiles.read_cmap`` with ValueError naming the
file, as its docstring's contract says, and a pygame canvas whose chain holds one still
draws: ``struct.error`` escaped instead, and the canvas could not be made at all."""
import os
import struct

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kamaelia_lite.draw import fontfiles  # noqa: E402
from kamaelia_lite.draw.canvas_pygame import PygameCanvas, font_chain  # noqa: E402


def table_directory(tag, offset, length, tables=1):
    return struct.pack(">IHHHH", 0x10000, tables, 0, 0, 0) + tag + struct.pack(">III", 0, offset, length)


DAMAGED = {
    "empty": b"",
    "two bytes": b"\x00\x01",
    "bare collection": b"ttcf",
    "collection pointing past the end": b"ttcf" + struct.pack(">III", 0x10000, 1, 400),
    "directory cut short": struct.pack(">IHHHH", 0x10000, 5, 0, 0, 0) + b"cmap",
    "cmap past the end": table_directory(b"cmap", 1000, 64),
    "cmap of one byte": table_directory(b"cmap", 28, 1) + b"\x00",
    "subtable past the end": table_directory(b"cmap", 28, 12) + struct.pack(">HHHHI", 0, 1, 3, 1, 500),
    "format 12 cut short": table_directory(b"cmap", 28, 28) + struct.pack(">HHHHI", 0, 1, 3, 10, 12)
    + struct.pack(">HHIII", 12, 0, 40, 0, 99),
    "format 4 cut short": table_directory(b"cmap", 28, 22) + struct.pack(">HHHHI", 0, 1, 3, 1, 12)
    + struct.pack(">HHHH", 4, 40, 0, 20),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_font_is_refused_with_valueerror(tmp_path, name):
    path = tmp_path / "damaged.ttf"
    path.write_bytes(DAMAGED[name])
    with pytest.raises(ValueError, match="damaged.ttf"):
        fontfiles.read_cmap(str(path))


def test_a_canvas_with_a_damaged_font_in_its_chain_still_draws(tmp_path):
    path = tmp_path / "truncated.ttf"
    path.write_bytes(b"\x00\x01\x00")
    chain = font_chain(None)
    c = PygameCanvas(size=(100, 30), font=chain + [str(path)])
    assert c.text("abc", 0, 0, (255, 255, 255), 16) > 0


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"", b"ttcf", table_directory(b"cmap", 28, 40)]))
def test_any_bytes_as_a_font_file_give_a_coverage_or_valueerror(tmp_path_factory, data, head):
    path = tmp_path_factory.mktemp("fonts") / "any.ttf"
    path.write_bytes(head + data)
    try:
        cov = fontfiles.read_cmap(str(path))
    except ValueError:
        return
    cov.has(65)
    len(cov)
