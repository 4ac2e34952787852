"""A minimal writer of Excel 97-2003 (.xls, BIFF8) workbooks, for the fixture files
whose official editions are .xls (WDI downloads, WUP File 13).

The project reads .xls with xlrd, and no .xls writer is installed, so this writes
just what a BIFF8 reader needs: an OLE2 compound file holding one `Workbook`
stream with a globals substream (BOF, CODEPAGE 1200, DATEMODE, two XF records:
General and a date format, one BOUNDSHEET per sheet, EOF) and one substream per
sheet (BOF, DIMENSIONS, NUMBER and LABEL cells, EOF). Cells are None (left
empty), str (LABEL), int/float (NUMBER), or `datetime.date` (NUMBER with the date
XF, as Excel stores dates).
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Sheet = tuple[str, Sequence[Sequence[Any]]]  # (name, rows of cells)

_SECTOR = 512
_ENDOFCHAIN, _FATSECT, _FREESECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
_MIN_STREAM = 4096  # smaller streams would live in the mini stream: pad instead
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_XF_GENERAL, _XF_DATE = 0, 1


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _xf(fmt: int) -> bytes:
    # font 0, format, cell XF with parent style 0, then alignment/border/fill defaults
    return _record(0x00E0, struct.pack("<HHHBBBBIiH", 0, fmt, 0x0001, 0x20, 0, 0, 0,
                                       0, 0, 0x20C0))


def _text(value: str, lenlen: int) -> bytes:
    """XLUnicodeString: length, flags (0 = Latin-1 bytes, 1 = UTF-16LE), characters."""
    try:
        raw, flags = value.encode("latin-1"), 0
    except UnicodeEncodeError:
        raw, flags = value.encode("utf-16-le"), 1
    length = struct.pack("<B" if lenlen == 1 else "<H", len(value))
    return length + bytes([flags]) + raw


def _cell(row: int, col: int, value: Any) -> bytes:
    if isinstance(value, str):
        return _record(0x0204, struct.pack("<HHH", row, col, _XF_GENERAL) + _text(value, 2))
    if isinstance(value, dt.date):
        serial = (value - _EXCEL_EPOCH).days
        return _record(0x0203, struct.pack("<HHHd", row, col, _XF_DATE, float(serial)))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"cell ({row}, {col}): cannot write {value!r}")
    return _record(0x0203, struct.pack("<HHHd", row, col, _XF_GENERAL, float(value)))


def _sheet_stream(rows: Sequence[Sequence[Any]]) -> bytes:
    cols = max((len(r) for r in rows), default=0)
    out = [_bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, cols, 0))]
    for r, row in enumerate(rows):
        out += [_cell(r, c, v) for c, v in enumerate(row) if v is not None]
    out.append(_record(0x000A, b""))
    return b"".join(out)


def workbook_stream(sheets: Sequence[Sheet]) -> bytes:
    """The BIFF8 `Workbook` stream of the given sheets."""
    bodies = [_sheet_stream(rows) for _, rows in sheets]
    head = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200)),
            _record(0x0022, struct.pack("<H", 0)), _xf(0), _xf(14)]
    bound_sizes = [4 + 6 + len(_text(name, 1)) for name, _ in sheets]
    offset = sum(len(b) for b in head) + sum(bound_sizes) + 4  # + EOF
    bounds = []
    for (name, _), body in zip(sheets, bodies, strict=True):
        bounds.append(_record(0x0085, struct.pack("<IH", offset, 0) + _text(name, 1)))
        offset += len(body)
    return b"".join([*head, *bounds, _record(0x000A, b""), *bodies])


def _dir_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = (name.encode("utf-16-le") + b"\0\0") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", _NOSTREAM, _NOSTREAM, child) + bytes(16)
            + struct.pack("<IQQII", 0, 0, 0, start, size) + bytes(4))


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream."""
    stream = stream.ljust(max(_MIN_STREAM, -(-len(stream) // _SECTOR) * _SECTOR), b"\0")
    n_data = len(stream) // _SECTOR
    n_fat = 1
    while n_data + 1 + n_fat > n_fat * (_SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("stream too large for a header-only FAT")
    dir_sector = n_data
    fat = [i + 1 for i in range(n_data - 1)] + [_ENDOFCHAIN, _ENDOFCHAIN]
    fat += [_FATSECT] * n_fat
    fat += [_FREESECT] * (n_fat * (_SECTOR // 4) - len(fat))
    empty = _dir_entry("", 0, _NOSTREAM, 0, 0)
    directory = (_dir_entry("Root Entry", 5, 1, _ENDOFCHAIN, 0)
                 + _dir_entry(name, 2, _NOSTREAM, 0, len(stream)) + empty + empty)
    difat = list(range(n_data + 1, n_data + 1 + n_fat)) + [_FREESECT] * (109 - n_fat)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_sector, 0, _MIN_STREAM, _ENDOFCHAIN,
                            0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    return header + stream + directory + struct.pack(f"<{len(fat)}I", *fat)


def write_xls(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Write `sheets` (name, rows) as a BIFF8 .xls workbook at `path`."""
    path.write_bytes(compound_file(workbook_stream(sheets)))
    return path
