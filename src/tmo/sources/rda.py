"""Read the data frames of an R `.rda` file (XDR serialisation, gzip/bzip2/xz).

The `rdata` package reads every R object faithfully but builds a Python object per
string, which takes 15 s for UNHCR's `population.rda`. The R data packages we use
only hold plain data frames (data.frame, data.table, tibble) of logical, integer,
double, character and factor columns, so this module decodes exactly that subset
directly into numpy arrays (under a second). Anything else (byte code, S4 objects,
unknown ALTREP classes) falls back to `rdata`, which is slower but complete.

Column types: integer and logical -> pandas "Int64" with NA; double -> float64 with
NaN for NA; character -> object (str or None); factor -> str labels. (`rdata` gives
factors as Categorical and integers as Int32, with the same values;
tests/sources/test_rda.py compares the two on every .rda file the build reads.)

A damaged or truncated file raises `RDataError`; `tmo.sources.io.read_rda` turns it
into a SourceError naming the file, and checks the frame and its columns. A file that
decompresses to more than `max_bytes` raises `TooLarge` after a first pass that keeps
nothing (a compressed bomb never reaches memory); lengths read from the file are checked
against the bytes left before anything is allocated for them.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import warnings
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

NA_INT = -(2**31)  # R's NA_integer_ (and NA for logicals)


class Sexp(IntEnum):
    """R's SEXPTYPE codes (Rinternals.h), and the pseudo-types of the serialisation
    format (serialize.c), as read from the low byte of each item's flags."""

    NIL = 0
    SYM = 1  # symbol
    LIST = 2  # pairlist
    ENV = 4  # environment
    LANG = 6  # language object (call)
    CHAR = 9  # one string (an element of a character vector)
    LGL = 10  # logical vector
    INT = 13  # integer vector (and factor codes)
    REAL = 14  # double vector
    STR = 16  # character vector
    VEC = 19  # list (data frames are lists with a class attribute)
    EXPR = 20  # expression vector
    EXTPTR = 22  # external pointer (data.table's .internal.selfref)
    RAW = 24  # raw bytes
    ALTREP = 238  # serialised ALTREP object: class info, state, attributes
    ATTRLIST = 239  # pairlist with attributes
    ATTRLANG = 240  # language object with attributes
    BASEENV = 241
    EMPTYENV = 242
    BASENAMESPACE = 250
    MISSINGARG = 251
    UNBOUNDVALUE = 252
    GLOBALENV = 253
    NILVALUE = 254
    REF = 255  # reference to an earlier symbol or environment


# Serialised singletons that stand for no data (NULL, the global and base environments...).
NOTHING = frozenset({Sexp.NILVALUE, Sexp.GLOBALENV, Sexp.UNBOUNDVALUE, Sexp.MISSINGARG,
                     Sexp.BASENAMESPACE, Sexp.EMPTYENV, Sexp.BASEENV})
PAIRLISTS = frozenset({Sexp.LIST, Sexp.LANG, Sexp.ATTRLIST, Sexp.ATTRLANG})
INTEGERS = frozenset({Sexp.LGL, Sexp.INT})  # 32-bit integers, NA = NA_INT
# Bits of an item's flags word (serialize.c: PackFlags).
HAS_ATTR = 1 << 9
HAS_TAG = 1 << 10
LEVELS_SHIFT = 12  # the string's encoding ("gp" levels) starts here
LATIN1 = 1 << 2  # levels bit: the string is Latin-1 (else UTF-8 or ASCII)


class RDataError(ValueError):
    """The file is not a readable R data file (damaged, truncated)."""


class TooLarge(RDataError):
    """The file decompresses to more than the limit on inputs."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"decompresses to more than {limit:,} bytes")
        self.limit = limit


class _Unsupported(Exception):
    """An R object outside the data-frame subset: use the `rdata` package instead."""


class _RVector:
    """An R vector (or list) with its attributes."""

    __slots__ = ("attrs", "kind", "value")

    def __init__(self, kind: int, value: Any, attrs: dict[str, Any] | None = None) -> None:
        self.kind, self.value, self.attrs = kind, value, attrs or {}


class _Reader:
    def __init__(self, data: bytes, limit: int | None = None) -> None:
        self.buf, self.pos = data, 0
        self.limit = limit or len(data)  # bytes a vector expanded from a compact form may take
        self.refs: list[Any] = []  # symbols and environments, for later references
        self.cache: dict[bytes, str] = {}

    def int32(self) -> int:
        (v,) = struct.unpack_from(">i", self.buf, self.pos)
        self.pos += 4
        return v

    def length(self, size: int = 1) -> int:
        """A vector's length, checked against the bytes left (`size`: the fewest bytes
        one element takes), so that no length read from a damaged file allocates more."""
        n = self.int32()
        if n == -1:
            hi, lo = self.int32(), self.int32()
            n = (hi << 32) + lo
        if n < 0 or n * size > len(self.buf) - self.pos:
            raise struct.error(f"length {n} runs past the end of the data")
        return n

    def array(self, dtype: str, n: int, size: int) -> np.ndarray:
        if self.pos + n * size > len(self.buf):
            raise struct.error("data ends inside a vector")
        out = np.frombuffer(self.buf, dtype=dtype, count=n, offset=self.pos)
        self.pos += n * size
        return out

    def charsxp(self, flags: int) -> str | None:
        n = self.int32()
        if n == -1:
            return None
        raw = self.buf[self.pos : self.pos + n]
        if len(raw) < n:
            raise struct.error("data ends inside a string")
        self.pos += n
        text = self.cache.get(raw)
        if text is None:
            enc = "latin-1" if (flags >> LEVELS_SHIFT) & LATIN1 else "utf-8"
            text = self.cache[raw] = raw.decode(enc, errors="replace")
        return text

    def strings(self, n: int) -> np.ndarray:
        out = np.empty(n, dtype=object)
        buf, unpack, cache = self.buf, struct.unpack_from, self.cache
        pos = self.pos
        for i in range(n):
            flags, length = unpack(">ii", buf, pos)
            pos += 8
            if length == -1:
                out[i] = None
                continue
            raw = buf[pos : pos + length]
            pos += length
            text = cache.get(raw)
            if text is None:
                enc = "latin-1" if (flags >> LEVELS_SHIFT) & LATIN1 else "utf-8"
                text = cache[raw] = raw.decode(enc, errors="replace")
            out[i] = text
        if pos > len(buf):
            raise struct.error("data ends inside a character vector")
        self.pos = pos
        return out

    def attributes(self, flags: int) -> dict[str, Any]:
        if not flags & HAS_ATTR:
            return {}
        pairs = self.item()
        return dict(pairs) if isinstance(pairs, list) else {}

    def item(self) -> Any:
        flags = self.int32()
        kind = flags & 0xFF
        if kind in NOTHING:
            return None
        read = _READERS.get(kind)
        if read is not None:
            return read(self, flags)
        return _RVector(kind, self.vector(kind), self.attributes(flags))

    def reference(self, flags: int) -> Any:
        """A symbol or environment read before: by its index in the flags, or the next int."""
        idx = flags >> 8 or self.int32()
        return self.refs[idx - 1]

    def symbol(self, flags: int) -> Any:
        name = self.item()
        self.refs.append(name)
        return name

    def pairlist(self, flags: int) -> list[tuple[Any, Any]]:
        """Each cell's attributes, tag and car, then the next cell's flags (its cdr)."""
        out: list[tuple[Any, Any]] = []
        while True:
            self.attributes(flags)
            tag = self.item() if flags & HAS_TAG else None
            out.append((tag, self.item()))
            flags = self.int32()
            kind = flags & 0xFF
            if kind not in PAIRLISTS:
                if kind != Sexp.NILVALUE:
                    raise _Unsupported(f"dotted pairlist ending in type {kind}")
                return out

    def environment(self, flags: int) -> None:
        """Keep a placeholder for references; read and drop the content."""
        self.int32()  # locked
        self.refs.append(None)
        for _ in range(4):  # enclosure, frame, hash table, attributes
            self.item()

    def external_pointer(self, flags: int) -> None:
        self.refs.append(None)
        self.item()  # protected value
        self.item()  # tag
        self.attributes(flags)

    def vector(self, kind: int) -> Any:
        """The values of an atomic vector or a list (without its attributes)."""
        if kind in INTEGERS:
            return self.array(">i4", self.length(4), 4).astype(np.int64)
        if kind == Sexp.REAL:
            return self.array(">f8", self.length(8), 8).astype(np.float64)
        if kind == Sexp.STR:
            return self.strings(self.length(8))  # each string: flags and length
        if kind in (Sexp.VEC, Sexp.EXPR):
            return [self.item() for _ in range(self.length(4))]
        if kind == Sexp.RAW:
            return self.array("u1", self.length(1), 1)
        raise _Unsupported(f"R object type {kind}")

    def altrep(self, flags: int) -> Any:
        """A compact or wrapped vector, as R serialises it: class info, state, attributes."""
        info = self.item()
        state = self.item()
        attrs = self.item()
        cls = info[0][1] if isinstance(info, list) else None
        if cls == "compact_intseq":
            n, start, step = (float(x) for x in state.value)
            if not 0 <= n <= self.limit // 8:
                raise struct.error(f"compact sequence of {n:g} elements")
            return _RVector(Sexp.INT,
                            np.arange(int(n), dtype=np.int64) * int(step) + int(start))
        if cls in ("wrap_integer", "wrap_real", "wrap_string", "wrap_logical"):
            inner = state.value[0]
            inner.attrs.update(dict(attrs) if isinstance(attrs, list) else {})
            return inner
        if cls == "deferred_string":
            nums = state[0][1]
            return _RVector(Sexp.STR,
                            np.array([_deparse(x) for x in nums.value], dtype=object))
        raise _Unsupported(f"ALTREP class {cls}")


# How each serialised type that is not a plain vector is read, from its flags word.
_READERS: dict[int, Callable[[_Reader, int], Any]] = {
    Sexp.REF: _Reader.reference,
    Sexp.SYM: _Reader.symbol,
    Sexp.CHAR: _Reader.charsxp,
    **dict.fromkeys(PAIRLISTS, _Reader.pairlist),
    Sexp.ENV: _Reader.environment,
    Sexp.EXTPTR: _Reader.external_pointer,
    Sexp.ALTREP: _Reader.altrep,
}


def _deparse(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _column(vec: _RVector) -> Any:
    levels = vec.attrs.get("levels")
    if vec.kind in INTEGERS:
        codes = vec.value
        if levels is not None:  # factor
            labels = np.append(levels.value, np.array([None], dtype=object))  # NA's label
            return labels[np.where(codes == NA_INT, len(labels) - 1, codes - 1)]
        return pd.arrays.IntegerArray(codes, codes == NA_INT)
    if vec.kind in (Sexp.REAL, Sexp.STR):
        return vec.value
    raise _Unsupported(f"column of R type {vec.kind}")


def _opener(raw: bytes) -> Callable[[io.BytesIO], Any] | None:
    if raw[:2] == b"\x1f\x8b":
        return lambda f: gzip.GzipFile(fileobj=f)
    if raw[:3] == b"BZh":
        return bz2.BZ2File
    if raw[:6] == b"\xfd7zXZ\x00":
        return lzma.LZMAFile
    return None


def _decompress(path: Path, max_bytes: int | None = None) -> bytes:
    """The serialised data of an .rda (gzip, bzip2, xz or none); TooLarge beyond
    `max_bytes`, found by streaming through the data once without keeping it."""
    raw = path.read_bytes()
    opener = _opener(raw)
    if opener is None:
        if max_bytes is not None and len(raw) > max_bytes:
            raise TooLarge(max_bytes)
        return raw
    try:
        if max_bytes is not None:
            done = 0
            with opener(io.BytesIO(raw)) as stream:
                while block := stream.read(1 << 20):
                    done += len(block)
                    if done > max_bytes:
                        raise TooLarge(max_bytes)
        with opener(io.BytesIO(raw)) as stream:
            return stream.read()
    except TooLarge:
        raise
    except (OSError, EOFError, ValueError, lzma.LZMAError) as exc:
        raise RDataError(f"compressed data is damaged or truncated ({exc})") from exc


def _fast(data: bytes, limit: int | None = None) -> dict[str, Any]:
    if data[:5] not in (b"RDX2\n", b"RDX3\n") or data[5:7] != b"X\n":
        raise _Unsupported("not an XDR .rda file")
    r = _Reader(data, limit)
    r.pos = 7
    version = r.int32()
    r.int32(), r.int32()
    if version == 3:
        r.pos += 4 + r.int32()
    objects = r.item()
    return dict(objects)


def _frame(obj: Any) -> pd.DataFrame | None:
    if not isinstance(obj, _RVector) or obj.kind != Sexp.VEC:
        return None
    cls = obj.attrs.get("class")
    if cls is None or "data.frame" not in list(cls.value):
        return None
    names = list(obj.attrs["names"].value)
    return pd.DataFrame({n: _column(c) for n, c in zip(names, obj.value, strict=True)})


def decode_frames(path: Path, max_bytes: int | None = None) -> dict[str, pd.DataFrame]:
    """The data frames of an .rda file, by the fast decoder only (no fallback);
    `_Unsupported` for an object outside the data-frame subset."""
    data = _decompress(path, max_bytes)
    try:
        objects = _fast(data, max_bytes)
        return {k: f for k, v in objects.items() if (f := _frame(v)) is not None}
    except (struct.error, IndexError, KeyError, ValueError, TypeError, RecursionError) as exc:
        raise RDataError(str(exc) or exc.__class__.__name__) from exc


def read_frames(path: Path, max_bytes: int | None = None) -> dict[str, pd.DataFrame]:
    """All data frames stored in an .rda file, by R object name (row i = R row i+1):
    the fast decoder, else `rdata` (on a file already known to be within `max_bytes`).
    RDataError if the file cannot be read, TooLarge beyond `max_bytes`."""
    try:
        return decode_frames(path, max_bytes)
    except _Unsupported:
        return _slow(path)


def _slow(path: Path) -> dict[str, pd.DataFrame]:
    import rdata  # noqa: PLC0415 - slow to import (~1 s) and rarely needed

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            objects = rdata.read_rda(path)
    except Exception as exc:  # rdata raises many kinds; all mean an unreadable file
        raise RDataError(f"{exc.__class__.__name__}: {exc}") from exc
    return {k: v.reset_index(drop=True) for k, v in objects.items() if isinstance(v, pd.DataFrame)}
