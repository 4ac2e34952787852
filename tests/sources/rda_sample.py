"""A row sample of an .rda file, cut from the file's own bytes, for reading it twice
cheaply (tests/sources/test_rda.py compares the fast decoder with `rdata`, which parses
every string as a Python object: 20 s on UNHCR's population.rda).

`sample_rda(path, every)` walks R's XDR serialisation (R Internals, "Serialization
formats") only far enough to know where each item ends, and writes an uncompressed .rda
with the same objects, in which each data frame keeps every column and rows 0, every,
2 * every, ... and its last row. Everything is copied byte for byte from the original
(each string's encoding flags and NA markers, the numbers, every attribute, the symbol
table's order), except the vectors' lengths and the compact row names c(NA, -n).
Objects other than data frames are copied whole."""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
from pathlib import Path

NILVALUE, REF, ALTREP, ATTRLIST, ATTRLANG = 254, 255, 238, 239, 240
SINGLETONS = {241, 242, 250, 251, 252, 253, 254}  # base/empty/global env, NULL...
PAIRLISTS = {2, 6, ATTRLIST, ATTRLANG}  # LISTSXP, LANGSXP and their attribute forms
SYM, ENV, CHAR, LGL, INT, REAL, CPLX, STR, VEC, EXPR, EXTPTR, RAW = (
    1, 4, 9, 10, 13, 14, 15, 16, 19, 20, 22, 24)
WIDTH = {LGL: 4, INT: 4, REAL: 8, CPLX: 16, RAW: 1}
HAS_ATTR, HAS_TAG = 1 << 9, 1 << 10
NA_INT = -(2**31)
HEAD = struct.Struct(">ii")  # an item's flags and (for a string) its length


def raw_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:3] == b"BZh":
        return bz2.decompress(data)
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(data)
    return data


class Walker:
    """Positions of the items of an XDR serialisation (no values are built)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def int32(self, pos: int) -> int:
        return struct.unpack_from(">i", self.data, pos)[0]

    def length(self, pos: int) -> tuple[int, int]:
        """A vector's length and where its elements start (long vectors: -1, hi, lo)."""
        n = self.int32(pos)
        if n == -1:
            hi, lo = struct.unpack_from(">II", self.data, pos + 4)
            return (hi << 32) + lo, pos + 12
        return n, pos + 4

    def skip(self, pos: int) -> int:
        """Where the item starting at `pos` ends."""
        flags = self.int32(pos)
        kind = flags & 0xFF
        if kind in SINGLETONS:
            return pos + 4
        special = SPECIAL.get(kind)
        if special is not None:
            return special(self, flags, pos + 4)
        return self.attributes_end(flags, self.elements_end(kind, pos + 4))

    def reference_end(self, flags: int, pos: int) -> int:
        return pos if flags >> 8 else pos + 4  # the index in the flags, or the next int

    def symbol_end(self, flags: int, pos: int) -> int:
        return self.skip(pos)  # its name

    def environment_end(self, flags: int, pos: int) -> int:
        pos += 4  # locked
        for _ in range(4):  # enclosure, frame, hash table, attributes
            pos = self.skip(pos)
        return pos

    def pointer_end(self, flags: int, pos: int) -> int:
        pos = self.skip(self.skip(pos))  # protected value, tag
        return self.attributes_end(flags, pos)

    def altrep_end(self, flags: int, pos: int) -> int:
        for _ in range(3):  # class info, state, attributes
            pos = self.skip(pos)
        return pos

    def string_end(self, flags: int, pos: int) -> int:
        return pos + 4 + max(self.int32(pos), 0)  # NA_STRING: length -1, no bytes

    def pairlist_end(self, flags: int, pos: int) -> int:
        while True:
            if flags & HAS_ATTR:
                pos = self.skip(pos)
            if flags & HAS_TAG:
                pos = self.skip(pos)
            pos = self.skip(pos)  # car
            flags = self.int32(pos)
            if flags & 0xFF not in PAIRLISTS:
                return self.skip(pos)  # the last cdr, NULL
            pos += 4

    def elements(self, kind: int, pos: int) -> tuple[list[tuple[int, int]], int]:
        """The byte range of each element of a vector whose length starts at `pos`."""
        n, pos = self.length(pos)
        if kind in WIDTH:
            w = WIDTH[kind]
            return [(pos + i * w, pos + (i + 1) * w) for i in range(n)], pos + n * w
        if kind in (STR, VEC, EXPR):
            spans = []
            head, data, skip = HEAD.unpack_from, self.data, self.skip
            for _ in range(n):
                flags, size = head(data, pos)
                end = pos + 8 + max(size, 0) if flags & 0xFF == CHAR else skip(pos)
                spans.append((pos, end))
                pos = end
            return spans, pos
        raise ValueError(f"R type {kind} is not a vector")

    def elements_end(self, kind: int, pos: int) -> int:
        n, start = self.length(pos)
        if kind in WIDTH:
            return start + n * WIDTH[kind]
        return self.elements(kind, pos)[1]

    def attributes_end(self, flags: int, pos: int) -> int:
        return self.skip(pos) if flags & HAS_ATTR else pos


SPECIAL = {REF: Walker.reference_end, SYM: Walker.symbol_end, ENV: Walker.environment_end,
           EXTPTR: Walker.pointer_end, ALTREP: Walker.altrep_end, CHAR: Walker.string_end,
           **dict.fromkeys(PAIRLISTS, Walker.pairlist_end)}


def _length(n: int) -> bytes:
    return struct.pack(">i", n) if n < 2**31 - 1 else struct.pack(">iII", -1, n >> 32,
                                                                    n & 0xFFFFFFFF)


class Sampler:
    def __init__(self, data: bytes, every: int) -> None:
        self.w, self.every = Walker(data), every
        self.rows: list[int] | None = None

    def keep(self, n: int) -> list[int]:
        return kept_rows(n, self.every)

    def column(self, pos: int) -> tuple[int, bytes]:
        """Where the column at `pos` ends, and its bytes with the sampled rows only;
        other items (ALTREP...) whole."""
        w = self.w
        flags = w.int32(pos)
        kind = flags & 0xFF
        if kind not in (LGL, INT, REAL, CPLX, STR, RAW):
            end = w.skip(pos)
            return end, w.data[pos:end]
        spans, after = w.elements(kind, pos + 4)
        end = w.attributes_end(flags, after)
        rows = self.keep(len(spans))
        if self.rows is None:
            self.rows = rows
        if rows != self.rows:
            raise ValueError("columns of different lengths")
        data = w.data
        parts = [data[pos:pos + 4], _length(len(rows))]
        parts += [data[spans[i][0]:spans[i][1]] for i in rows]
        parts.append(data[after:end])  # the column's attributes (factor levels, class...)
        return end, b"".join(parts)

    def list_or_frame(self, pos: int, out: bytearray) -> int:
        """A list copied whole, or a data frame (a list whose class attribute names
        "data.frame") with its rows sampled."""
        w = self.w
        flags = w.int32(pos)
        if flags & 0xFF != VEC or not flags & HAS_ATTR:
            return self.copy(pos, out)
        n, start = w.length(pos + 4)
        self.rows = None
        columns, p = [], start
        for _ in range(n):
            p, column = self.column(p)
            columns.append(column)
        if b"data.frame" not in w.data[p:w.skip(p)]:
            return self.copy(pos, out)
        out += w.data[pos:start]
        for column in columns:
            out += column
        return self.frame_attributes(p, out)

    def frame_attributes(self, pos: int, out: bytearray) -> int:
        """The attribute pairlist, with row.names c(NA, -n) (or 1..n) cut to the sample."""
        w = self.w
        flags = w.int32(pos)
        out += w.data[pos:pos + 4]
        pos += 4
        while True:
            if flags & HAS_ATTR:
                end = w.skip(pos)
                out += w.data[pos:end]
                pos = end
            tag_end = w.skip(pos) if flags & HAS_TAG else pos
            is_row_names = b"row.names" in w.data[pos:tag_end]
            out += w.data[pos:tag_end]
            pos = self.row_names(tag_end, out) if is_row_names else self.copy(tag_end, out)
            flags = w.int32(pos)
            if flags & 0xFF not in PAIRLISTS:
                return self.copy(pos, out)
            out += w.data[pos:pos + 4]
            pos += 4

    def row_names(self, pos: int, out: bytearray) -> int:
        w = self.w
        flags = w.int32(pos)
        n, start = w.length(pos + 4)
        kept = len(self.rows or [])
        if flags & 0xFF == INT and n == 2 and w.int32(start) == NA_INT:
            end = w.skip(pos)
            out += w.data[pos:pos + 4] + _length(2) + struct.pack(">ii", NA_INT, -kept)
            out += w.data[start + 8:end]
            return end
        end, column = self.column(pos)
        out += column
        return end

    def copy(self, pos: int, out: bytearray) -> int:
        end = self.w.skip(pos)
        out += self.w.data[pos:end]
        return end

    def file(self) -> bytes:
        w, data = self.w, self.w.data
        if data[:5] not in (b"RDX2\n", b"RDX3\n") or data[5:7] != b"X\n":
            raise ValueError("not an XDR .rda file")
        pos = 7 + 12
        if w.int32(7) == 3:
            pos += 4 + w.int32(pos)  # native encoding
        out = bytearray(data[:pos])
        flags = w.int32(pos)  # the pairlist of named objects
        out += data[pos:pos + 4]
        pos += 4
        while True:
            if flags & HAS_ATTR:
                pos = self.copy(pos, out)
            if flags & HAS_TAG:
                pos = self.copy(pos, out)
            pos = self.list_or_frame(pos, out)
            flags = w.int32(pos)
            if flags & 0xFF not in PAIRLISTS:
                self.copy(pos, out)
                return bytes(out)
            out += data[pos:pos + 4]
            pos += 4


def kept_rows(n: int, every: int) -> list[int]:
    """The rows a sample keeps of a data frame of `n` rows: 0, every, 2 * every... and
    the last."""
    return sorted({*range(0, n, every), n - 1}) if n else []


def sample_rda(path: Path, out: Path, every: int) -> None:
    """Write to `out` (uncompressed) the objects of `path`, with the rows `kept_rows` of
    each data frame."""
    out.write_bytes(Sampler(raw_bytes(path), every).file())
