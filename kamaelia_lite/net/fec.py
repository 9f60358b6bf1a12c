"""Systematic erasure code over GF(256) for blocks of datagrams (pure Python, MicroPython-portable).

A block of ``k`` data units (byte strings, any lengths up to a common maximum) gets ``m`` parity
units. Any ``k`` of the ``k + m`` units rebuild the block (an MDS code): the parity matrix is a
Cauchy matrix with its columns scaled so that parity row 0 is the plain XOR of the data, so with
``m == 1`` this is simple XOR parity, and each further row repairs one more loss.

Coefficients: row ``j`` (0 <= j < m), column ``i`` (0 <= i < k), with ``x_j = 255 - j``,
``y_i = i`` and ``+`` being XOR in GF(2^8) (polynomial 0x11d):
``c(j, i) = (x_0 + y_i) / (x_j + y_i)``. They do not depend on ``k`` or ``m`` (so a short block
uses the first rows/columns of the same matrix); ``k + m <= 256`` keeps all ``x``/``y`` distinct.

Speed in pure Python: multiplying a whole byte string by a constant is one ``bytes.translate`` with
a 256-byte table (C speed on CPython), and adding strings is an XOR of little-endian integers (so
shorter units are implicitly zero-padded at their end). MicroPython has no ``translate``; there a
Python loop does the same (slower, but only needed when something was lost).
"""

_EXP = bytearray(512)
_LOG = bytearray(256)


def _init_tables():
    x = 1
    for i in range(255):
        _EXP[i] = x
        _LOG[x] = i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    for i in range(255, 512):
        _EXP[i] = _EXP[i - 255]


_init_tables()

MAX_UNITS = 256          # k + m at most


def gf_mul(a, b):
    """Product of two field elements (ints 0..255)."""
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def gf_inv(a):
    """Multiplicative inverse of a non-zero field element."""
    if a == 0:
        raise ZeroDivisionError("0 has no inverse in GF(256)")
    return _EXP[255 - _LOG[a]]


def coefficient(j, i):
    """Coefficient of data unit ``i`` in parity row ``j``."""
    return gf_mul(255 ^ i, gf_inv((255 - j) ^ i))


_TABLES = {}
_HAS_TRANSLATE = hasattr(b"", "translate")
_ROW_TABLES = {}


def _row_tables(j):
    """Per parity row ``j``: the multiplication table of each column's coefficient (cached)."""
    r = _ROW_TABLES.get(j)
    if r is None:
        r = [_table(coefficient(j, i)) for i in range(255 - j)]
        _ROW_TABLES[j] = r
    return r


def _table(c):
    t = _TABLES.get(c)
    if t is None:
        t = bytes([gf_mul(c, x) for x in range(256)])
        _TABLES[c] = t
    return t


def scale(c, data):
    """The byte string ``data`` multiplied by the field element ``c`` (bytewise)."""
    if c == 1:
        return data
    if c == 0:
        return bytes(len(data))
    if _HAS_TRANSLATE:
        return data.translate(_table(c))
    # no translate (MicroPython): log/exp lookups, no 256-byte table per coefficient on the heap
    exp = _EXP
    log = _LOG
    lc = log[c]
    out = bytearray(len(data))
    for n in range(len(data)):
        x = data[n]
        if x:
            out[n] = exp[lc + log[x]]
    return bytes(out)


def _int(data):
    return int.from_bytes(data, "little")


class BlockEncoder:
    """Accumulates parity rows as data units are added, so the work is spread over the block.

    ``add(unit)`` for units 0, 1, 2, ... then ``parity(m)`` returns the first ``m`` parity units
    (each as long as the longest data unit). ``m`` may be smaller than ``max_parity``.
    """

    def __init__(self, max_parity):
        self.max_parity = max_parity
        self._rows = [0] * max_parity
        self.count = 0
        self.length = 0
        self._tables = [_row_tables(j) for j in range(max_parity)] if _HAS_TRANSLATE else None

    def add(self, unit):
        i = self.count
        if i + self.max_parity >= MAX_UNITS + 1:
            raise ValueError("block too large: k + m must be <= %d" % MAX_UNITS)
        rows = self._rows
        if len(unit) > self.length:
            self.length = len(unit)
        rows[0] ^= int.from_bytes(unit, "little")
        if _HAS_TRANSLATE:
            tables = self._tables
            for j in range(1, self.max_parity):
                rows[j] ^= int.from_bytes(unit.translate(tables[j][i]), "little")
        else:
            for j in range(1, self.max_parity):
                rows[j] ^= _int(scale(coefficient(j, i), unit))
        self.count = i + 1

    def parity(self, m):
        n = self.length
        return [self._rows[j].to_bytes(n, "little") for j in range(m)]

    def reset(self):
        for j in range(self.max_parity):
            self._rows[j] = 0
        self.count = 0
        self.length = 0


def encode(units, m):
    """Parity units (``m`` of them) for the list of data ``units``."""
    enc = BlockEncoder(m)
    for u in units:
        enc.add(u)
    return enc.parity(m)


def _invert(matrix):
    """Inverse of a square matrix over GF(256) (list of lists); ValueError when singular."""
    n = len(matrix)
    a = [list(row) + [1 if r == c else 0 for c in range(n)] for r, row in enumerate(matrix)]
    for col in range(n):
        pivot = -1
        for r in range(col, n):
            if a[r][col]:
                pivot = r
                break
        if pivot < 0:
            raise ValueError("singular matrix")
        if pivot != col:
            a[col], a[pivot] = a[pivot], a[col]
        row = a[col]
        inv = gf_inv(row[col])
        if inv != 1:
            for c in range(2 * n):
                row[c] = gf_mul(row[c], inv)
        for r in range(n):
            if r != col and a[r][col]:
                f = a[r][col]
                other = a[r]
                for c in range(col, 2 * n):
                    if row[c]:
                        other[c] ^= gf_mul(f, row[c])
    return [row[n:] for row in a]


def decode(k, data, parity):
    """Rebuild the missing data units of a block.

    ``data``: dict index -> unit for the data units received (indices < k).
    ``parity``: dict row -> parity unit received (all the same length, at least the longest unit).
    Returns a dict index -> rebuilt unit (padded to the parity length) for every missing index;
    raises ValueError when fewer than ``k`` units are available.
    """
    missing = [i for i in range(k) if i not in data]
    if not missing:
        return {}
    e = len(missing)
    rows = sorted(parity)[:e]
    if len(rows) < e:
        raise ValueError("not enough units to rebuild the block: %d missing, %d parity"
                         % (e, len(parity)))
    length = len(parity[rows[0]])
    for j in rows:
        if len(parity[j]) != length:
            raise ValueError("parity units of one block differ in length")
    for i in data:
        if len(data[i]) > length:
            raise ValueError("data unit longer than the block's parity")
    syndromes = []
    for j in rows:
        acc = _int(parity[j])
        if j == 0:
            for i in data:
                acc ^= _int(data[i])
        elif _HAS_TRANSLATE:
            tables = _row_tables(j)
            for i in data:
                acc ^= int.from_bytes(data[i].translate(tables[i]), "little")
        else:
            for i in data:
                acc ^= _int(scale(coefficient(j, i), data[i]))
        syndromes.append(acc.to_bytes(length, "little"))
    inv = _invert([[coefficient(j, i) for i in missing] for j in rows])
    out = {}
    for t in range(e):
        acc = 0
        row = inv[t]
        for r in range(e):
            acc ^= _int(scale(row[r], syndromes[r]))
        out[missing[t]] = acc.to_bytes(length, "little")
    return out
