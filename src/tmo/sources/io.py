"""Reading publishers' files: the guards every adapter shares, written once.

Three kinds of failure, one line each (see `tmo.errors`):
- a file that cannot be parsed at all (truncated, damaged, not the format its name
  says) is a `SourceError` naming the file, with the hint `DAMAGED`: `read_csv`,
  `read_workbook`, `open_xlsx`, `read_rda` and the `unreadable` guard raise it;
- a file beyond the limits on inputs (`tmo.config.InputLimits`: bytes once
  decompressed, rows, cells) is a `SourceError` naming the file and the limit, raised
  before the content is held in memory: every reader here checks it (`limits`);
- a file that parses but lacks what the adapter needs (a sheet, a column, a number
  where a number belongs) is a `SchemaError` naming the file, sheet, row or column:
  `require_sheet`, `select_sheet`, `require_columns`, `check_numbers` and `numeric`,
  which apply the number policy of `tmo.sources.numbers`.

Figures: `persons` turns a publisher's thousands into persons, `rows_label` writes the
provenance (`src_row`) of a figure summed over source rows.
"""

from __future__ import annotations

import gzip
import math
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from io import StringIO
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

import openpyxl
import pandas as pd
import xlrd  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter

from tmo.config import INPUT_ENV, InputLimits
from tmo.errors import SchemaError, SourceError
from tmo.sources import numbers, rda
from tmo.sources.numbers import EMPTY, Measure

DAMAGED = "the file is truncated or damaged; download it again"
NOT_HTML = f"{DAMAGED} (or check that it is the .xlsx, not an HTML error page)"
# What pandas' CSV parser, gzip and the text decoder raise on a damaged file.
CSV_ERRORS: tuple[type[BaseException], ...] = (
    pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, EOFError, OSError,
    gzip.BadGzipFile, zlib.error)
# What openpyxl raises on a damaged xlsx (a zip archive of XML parts).
XLSX_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError)
SHOWN_COLUMNS = 10
LIMIT_HINT = ("if the file is genuine, raise the limit (docs/reliability.md, \"Limits on "
              "inputs\"); otherwise download the file again")
CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a BIFF .xls is an OLE2 container

_LIMITS: ContextVar[InputLimits | None] = ContextVar("tmo_input_limits", default=None)


# ---------------------------------------------------------------- limits

def limits() -> InputLimits:
    """The limits on inputs in force: those of the running build (`input_limits`), else
    the environment's (`TMO_MAX_INPUT_*`), else the defaults."""
    return _LIMITS.get() or InputLimits.from_env()


@contextmanager
def input_limits(value: InputLimits) -> Iterator[None]:
    """Read every file inside the block under `value` (a build sets its settings')."""
    token = _LIMITS.set(value)
    try:
        yield
    finally:
        _LIMITS.reset(token)


def _mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB" if n >= 1024**2 else f"{n:,} bytes"


def too_large(name: str, what: str, limit: str, *, plural: bool = False) -> SourceError:
    """The refusal of a file beyond a limit, one line: "<name>: <what> exceed(s) the limit
    of <value> (<variable>); refused"."""
    value = getattr(limits(), limit)
    shown = _mib(value) if limit == "max_bytes" else f"{value:,}"
    verb = "exceed" if plural else "exceeds"
    return SourceError(f"{name}: {what} {verb} the limit of {shown} "
                       f"({INPUT_ENV[limit]}); refused", hint=LIMIT_HINT)


def check_size(path: Path, name: str) -> int:
    """The size of a file on disk; refused above `max_bytes`."""
    size = path.stat().st_size
    if size > limits().max_bytes:
        raise too_large(name, f"the file ({_mib(size)} on disk)", "max_bytes")
    return size


def check_table(rows: int, columns: int, name: str) -> None:
    """Refuse a table of more than `max_rows` rows or `max_cells` cells."""
    lim = limits()
    if rows > lim.max_rows:
        raise too_large(name, f"{rows:,} rows", "max_rows", plural=True)
    if rows * columns > lim.max_cells:
        raise too_large(name, f"{rows:,} rows x {columns:,} columns = {rows * columns:,} cells",
                        "max_cells", plural=True)


def _scan_text(path: Path, name: str, *, gz: bool, sep: str) -> None:
    """Stream through a text file (decompressing a .gz) without keeping it: refuse it as
    soon as it exceeds `max_bytes` or `max_rows`, or its rows x header columns exceed
    `max_cells`. Memory: one chunk."""
    lim = limits()
    done = lines = 0
    columns = 0
    opener = gzip.open if gz else open
    with opener(path, "rb") as handle:
        while block := handle.read(CHUNK):
            if not columns:
                columns = block.split(b"\n", 1)[0].count(sep.encode()) + 1
            done += len(block)
            lines += block.count(b"\n")
            if done > lim.max_bytes:
                raise too_large(name, "decompressed, the file" if gz else "the file",
                                "max_bytes")
            if lines > lim.max_rows + 1:
                raise too_large(name, f"more than {lim.max_rows:,} rows", "max_rows",
                                plural=True)
    check_table(max(lines - 1, 0), columns, name)


FEATURE = re.compile(rb'"Feature"')


def check_json(path: Path, name: str) -> None:
    """Refuse a (Geo)JSON file beyond the limits before it is parsed: its size on disk
    (`max_bytes`), its features (`max_rows`: the rows of a GeoJSON table) and its
    values (`max_cells`: every number, string, array and object costs a Python object
    once parsed, at least 30 bytes; counted from above as the commas and opening
    brackets, one chunk at a time). Memory: one chunk."""
    check_size(path, name)
    lim = limits()
    values = features = 0
    tail = b""
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            values += block.count(b",") + block.count(b"[") + block.count(b"{")
            features += len(FEATURE.findall(tail + block))  # a match is 9 bytes: none
            tail = block[-8:]                               # lies in the 8-byte tail alone
            if features > lim.max_rows:
                raise too_large(name, f"more than {lim.max_rows:,} features", "max_rows",
                                plural=True)
            if values > lim.max_cells:
                raise too_large(name, f"more than {lim.max_cells:,} JSON values", "max_cells",
                                plural=True)


@contextmanager
def unreadable(where: str, what: str, errors: tuple[type[BaseException], ...], *,
               hint: str = DAMAGED) -> Iterator[None]:
    """Turn the parser errors `errors` raised inside the block into a SourceError
    "<where>: <what> (<error>)" with `hint`."""
    try:
        yield
    except errors as exc:
        said = " ".join(str(exc).split())  # one line, whatever the parser wrote
        raise SourceError(f"{where}: {what} ({exc.__class__.__name__}: {said})",
                          hint=hint) from exc


def single(files: Mapping[str, Path]) -> tuple[str, Path]:
    """The one (declared name, path) of an edition that has one file."""
    if len(files) != 1:
        raise SourceError(f"expected one file, got {sorted(files)}")
    return next(iter(files.items()))


# ---------------------------------------------------------------- readers

def read_csv(path: Path, name: str | None = None, *, hint: str = DAMAGED,
             **kw: Any) -> pd.DataFrame:
    """`pandas.read_csv` (UTF-8, a byte-order mark skipped; gzip by `compression` or a
    .gz name); SourceError if unreadable or beyond the limits on inputs (checked by
    streaming through the file first, so a compressed bomb is never held in memory)."""
    name = name or path.name
    kw.setdefault("encoding", "utf-8-sig")
    compression = kw.pop("compression", "infer")
    gz = compression == "gzip" or (compression == "infer" and path.name.lower().endswith(".gz"))
    with unreadable(name, "unreadable CSV", CSV_ERRORS, hint=hint):
        _scan_text(path, name, gz=gz, sep=kw.get("sep", ","))
        return pd.read_csv(path, compression="gzip" if gz else None, **kw)


def read_workbook(path: Path, name: str | None = None, **kw: Any
                  ) -> dict[str, pd.DataFrame]:
    """Every sheet of an xls/xlsx workbook (`pandas.read_excel`), by sheet name;
    SourceError if the workbook cannot be read or is beyond the limits on inputs.

    Only an empty cell is missing (NaN): text such as 'n/a' or 'NA' stays text, for
    the number policy to refuse where a number belongs (pass `na_values` to change)."""
    name = name or path.name
    kw.setdefault("keep_default_na", False)
    kw.setdefault("na_values", [""])
    check_size(path, name)
    with path.open("rb") as handle:
        magic = handle.read(8)
    source: Any = path
    if magic[:2] == ZIP_MAGIC:
        check_xlsx(path, name, "cannot read the workbook", hint=DAMAGED)
    elif magic == OLE_MAGIC:
        source = _open_xls(path, name)  # checked, then handed to pandas as it is
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlrd deprecation, openpyxl style warnings
        # xlrd, openpyxl and zipfile raise many kinds of errors on a damaged file
        with unreadable(name, "cannot read the workbook", (Exception,)):
            book = pd.read_excel(source, sheet_name=None, **kw)
    for sheet, frame in book.items():
        check_table(*frame.shape, f"{name}, sheet {sheet!r}")
    return book


def open_xlsx(path: Path, name: str | None = None) -> openpyxl.Workbook:
    """An xlsx workbook opened read-only with cached values (fast on large sheets);
    close it when done. SourceError if it is not a readable xlsx or is beyond the
    limits on inputs (every part and sheet is checked before openpyxl reads it)."""
    name = name or path.name
    check_size(path, name)
    check_xlsx(path, name, "not a readable xlsx workbook", hint=NOT_HTML)
    with unreadable(name, "not a readable xlsx workbook", XLSX_ERRORS, hint=NOT_HTML):
        return openpyxl.load_workbook(path, read_only=True, data_only=True)


# ---------------------------------------------------------------- xlsx guard

_CELL = re.compile(r"([A-Z]+)(\d+)")
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from xl/workbook.xml and its relationships; parts
    that cannot be named keep their path as their name."""
    names = {i.filename for i in book.infolist()}
    parts = {p: p for p in names if p.startswith("xl/worksheets/") and p.endswith(".xml")}
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return parts
    with book.open("xl/_rels/workbook.xml.rels") as rels:
        targets = {el.get("Id"): el.get("Target", "") for _, el in iterparse(rels)
                   if el.tag == _RELS}
    with book.open("xl/workbook.xml") as wb:
        for _, el in iterparse(wb):
            if _local(el.tag) == "sheet":
                target = targets.get(el.get(_REL_ID), "").lstrip("/")
                part = target if target.startswith("xl/") else f"xl/{target}"
                if part in parts:
                    parts[part] = el.get("name", part)
    return parts


def _scan_sheet(handle: IO[bytes], where: str) -> tuple[int, int]:
    """Stream through one worksheet's XML: its extent (the last row and column that
    openpyxl and pandas would fill, declared or found) and every number cell's value,
    which must be finite (openpyxl fails without naming the cell, or reads inf)."""
    extent = [0, 0]  # rows, columns
    sheet_data = None
    for event, el in iterparse(handle, events=("start", "end")):
        tag = _local(el.tag)
        if event == "start":
            sheet_data = el if tag == "sheetData" else sheet_data
        elif tag == "dimension":
            for letters, row in _CELL.findall(el.get("ref", "")):
                _reach(extent, int(row), letters)
        elif tag == "c":
            ref = _CELL.fullmatch(el.get("r", ""))
            if ref:
                _reach(extent, int(ref[2]), ref[1])
            _number_cell(el, where)
        elif tag == "row":
            _reach(extent, int(el.get("r", extent[0] + 1)))
            if sheet_data is not None:
                sheet_data.clear()  # keep memory to one row
    return extent[0], extent[1]


def _reach(extent: list[int], row: int, letters: str = "") -> None:
    extent[0] = max(extent[0], row)
    if letters:
        extent[1] = max(extent[1], _column_number(letters))


def _number_cell(cell: Any, where: str) -> None:
    """A number cell must hold a finite number; an error value (#N/A, #DIV/0!) is
    refused too, as pandas would read it as no figure."""
    kind = cell.get("t", "n")
    value = next((v.text for v in cell if _local(v.tag) == "v"), None)
    if kind == "e":
        raise SchemaError(f"{where}, cell {cell.get('r', '?')}: {value!r} is an error value "
                          "of the spreadsheet, not a number")
    if kind != "n" or value is None:
        return
    try:
        ok = math.isfinite(float(value))
    except ValueError:
        ok = False
    if not ok:
        raise SchemaError(f"{where}, cell {cell.get('r', '?')}: {value.strip()!r} is not a "
                          "finite number")


# BIFF8 records that hold one cell (row, column first): NUMBER, LABEL, LABELSST, RK,
# BLANK, BOOLERR, FORMULA, RSTRING; and those that hold a run of cells in one row, with
# the bytes each cell takes: MULRK, MULBLANK.
_BIFF_CELL = frozenset({0x0203, 0x0204, 0x00FD, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6})
_BIFF_RUN = {0x00BD: 6, 0x00BE: 2}
_BIFF_EOF = 0x000A


def _scan_xls(book: Any, name: str) -> None:
    """Walk the cell records of every sheet of a BIFF8 workbook opened on demand (its
    stream is in memory, bounded by `max_bytes` on disk; no cell is decoded yet): refuse
    a sheet whose extent, to which xlrd pads every row, exceeds `max_rows`/`max_cells`,
    or sheets together beyond `max_cells` (the workbook is read whole), before xlrd
    holds a cell. Memory: nothing beyond the stream."""
    if getattr(book, "biff_version", 0) < 80:
        return  # older BIFF: checked sheet by sheet once loaded (`_open_xls`)
    lim, mem, total = limits(), book.mem, 0
    for sheet, start in zip(book.sheet_names(), book._sh_abs_posn, strict=True):
        where = f"{name}, sheet {sheet!r}"
        rows = columns = 0
        pos, end = start, len(mem)
        while pos + 4 <= end:
            code, length = struct.unpack_from("<HH", mem, pos)
            pos += 4
            if code == _BIFF_EOF:
                break
            if length >= 6 and (code in _BIFF_CELL or code in _BIFF_RUN):
                row, first = struct.unpack_from("<HH", mem, pos)
                last = first + ((length - 6) // _BIFF_RUN[code] - 1 if code in _BIFF_RUN else 0)
                if row >= rows or last >= columns:
                    rows, columns = max(rows, row + 1), max(columns, last + 1)
                    if rows > lim.max_rows:
                        raise too_large(where, f"more than {lim.max_rows:,} rows", "max_rows",
                                        plural=True)
                    if rows * columns > lim.max_cells:
                        raise too_large(where, f"at least {rows:,} rows x {columns:,} columns "
                                        f"= {rows * columns:,} cells", "max_cells", plural=True)
            pos += length
        check_table(rows, columns, where)
        total += rows * columns
        if total > lim.max_cells:
            raise too_large(name, f"its sheets together ({total:,} cells)", "max_cells",
                            plural=True)


def _open_xls(path: Path, name: str) -> Any:
    """An .xls workbook (xlrd), refused when a sheet exceeds `max_rows`/`max_cells` (its
    records counted before any cell is decoded: `_scan_xls`) or holds an error value
    (#N/A, #DIV/0!...), which pandas would read as no figure. The file itself is bounded
    by `max_bytes` on disk (BIFF is not compressed)."""
    with unreadable(name, "cannot read the workbook", (Exception,)):
        book = xlrd.open_workbook(str(path), logfile=StringIO(), on_demand=True)
    with unreadable(name, "cannot read the workbook", (struct.error, AttributeError)):
        _scan_xls(book, name)
    with unreadable(name, "cannot read the workbook", (Exception,)):
        sheets = book.sheets()
    for sheet in sheets:
        where = f"{name}, sheet {sheet.name!r}"
        check_table(sheet.nrows, sheet.ncols, where)
        for r in range(sheet.nrows):
            types = sheet.row_types(r)
            if xlrd.XL_CELL_ERROR in types:
                c = list(types).index(xlrd.XL_CELL_ERROR)
                value = xlrd.error_text_from_code.get(sheet.cell_value(r, c), "?")
                raise SchemaError(f"{where}, cell {get_column_letter(c + 1)}{r + 1}: {value!r} "
                                  "is an error value of the spreadsheet, not a number")
    return book


def check_xlsx(path: Path, name: str, what: str, *, hint: str) -> None:
    """Refuse an xlsx (a zip of XML parts) before any part is decompressed into memory:
    its parts together beyond `max_bytes` (zipfile never yields more than a part's
    declared size), a sheet beyond `max_rows`/`max_cells` (the larger of its declared
    and actual extent), its sheets together beyond `max_cells`, or a number cell that
    is not finite. SourceError `what` if it
    is not a readable zip."""
    lim = limits()
    with unreadable(name, what, (*XLSX_ERRORS, ParseError, zlib.error), hint=hint), \
            zipfile.ZipFile(path) as book:
        total = sum(info.file_size for info in book.infolist())
        if total > lim.max_bytes:
            raise too_large(name, f"its parts ({_mib(total)} decompressed)", "max_bytes",
                            plural=True)
        cells = 0
        for part, sheet in sorted(_sheet_parts(book).items()):
            where = f"{name}, sheet {sheet!r}"
            with book.open(part) as handle:
                rows, columns = _scan_sheet(handle, where)
            check_table(rows, columns, where)
            cells += rows * columns
            if cells > lim.max_cells:  # pandas reads every sheet at once
                raise too_large(name, f"its sheets together ({cells:,} cells)", "max_cells",
                                plural=True)


def read_rda(path: Path, obj: str, columns: Iterable[str], name: str | None = None
             ) -> pd.DataFrame:
    """The data frame `obj` of an R .rda file (`tmo.sources.rda`); SourceError if the
    file is unreadable, SchemaError if it holds no such frame or lacks `columns`."""
    name = name or path.name
    check_size(path, name)
    try:
        frames = rda.read_frames(path, max_bytes=limits().max_bytes)
    except rda.TooLarge as exc:
        raise too_large(name, "decompressed, the file", "max_bytes") from exc
    except rda.RDataError as exc:
        raise SourceError(f"{name}: not a readable R data file ({exc})", hint=DAMAGED) from exc
    if obj not in frames:
        raise SchemaError(f"{name}: no data frame {obj!r} (found: {sorted(frames)})")
    frame = frames[obj]
    check_table(*frame.shape, f"{name}, object {obj}")
    require_columns(frame, columns, f"{name}, object {obj}")
    return frame


# ---------------------------------------------------------------- layout

def require_sheet(sheets: Iterable[str], sheet: str, name: str, *, hint: str | None = None
                  ) -> None:
    names = list(sheets)
    if sheet not in names:
        raise SchemaError(f"{name}: no sheet {sheet!r} (sheets: {names})", hint=hint)


def select_sheet(book: dict[str, pd.DataFrame], which: str | int, name: str, *,
          hint: str | None = None) -> tuple[str, pd.DataFrame]:
    """A sheet of a `read_workbook` result by name or position, with its name."""
    names = list(book)
    label = which if isinstance(which, str) else names[which]
    require_sheet(names, label, name, hint=hint)
    return label, book[label]


def require_columns(frame: pd.DataFrame, columns: Iterable[str], where: str, *,
                    hint: str | None = None) -> None:
    """SchemaError "<where>: missing columns [...] (found: [...])" unless `frame` has
    every column of `columns`."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = [str(c) for c in frame.columns]
        shown = found[:SHOWN_COLUMNS] + (["..."] if len(found) > SHOWN_COLUMNS else [])
        raise SchemaError(f"{where}: missing columns {missing} (found: {shown})", hint=hint)


# ---------------------------------------------------------------- numbers

def first_label(mask: pd.Series) -> int:
    """The index label of the first True in `mask`. Frames read here keep the file's row
    positions as integer labels (through slicing and filtering), so this is a row."""
    return int(mask.index[int(mask.to_numpy().argmax())])


def check_numbers(frame: pd.DataFrame, columns: list[str], where: str, *,
                  nonneg: tuple[str, ...] = (), row: pd.Series | None = None,
                  measures: Mapping[str, Measure] | None = None, scale: float = 1.0,
                  missing: Collection[str] = EMPTY, required: Collection[str] = ()) -> None:
    """The number policy (`tmo.sources.numbers`) on columns of a frame: SchemaError if a
    cell is text other than a `missing` marker, not finite, empty in a column of
    `required` (a figure that is summed: a missing one would lower the sum silently), a
    negative count where the column is in `nonneg`, or outside the plausible range of its
    measure in `measures` (values times `scale`, e.g. 1000 for thousands).

    `row` gives the row number a user sees for each index label (default: position + 1).
    """
    row = frame.index.to_series() + 1 if row is None else row
    for col in columns:
        def at(label: Any, col: str = col) -> str:
            return f"{where}: column {col!r} row {row[label]}"

        values, refused = numbers.parse(frame[col], missing=missing, required=col in required)
        if refused is not None:
            raise numbers.refuse(refused, at)
        if col in nonneg and (values < 0).any():
            i = first_label(values < 0)
            raise SchemaError(f"{where}: column {col!r} row {row[i]}: negative count {values[i]:g}")
        measure = (measures or {}).get(col)
        refused = numbers.bound(values, measure, scale=scale, raw=frame[col]) if measure \
            else None
        if refused is not None:
            raise numbers.refuse(refused, at)


def numeric(values: pd.Series, where: str, rows: pd.Series, column: str, *,
            measure: Measure | None = None, missing: Collection[str] = EMPTY,
            scale: float = 1.0) -> pd.Series:
    """Cells as floats (empty or blank text and the `missing` markers -> NaN);
    SchemaError naming the first cell that is not a number, not finite, or outside the
    plausible range of `measure` (values times `scale`)."""
    return numbers.check(values, measure, lambda i: f"{where} row {rows[i]} column {column}",
                         missing=missing, scale=scale)


def persons(thousands: pd.Series) -> pd.Series:
    """Thousands (3 decimals = whole persons) -> persons, rounded to the person."""
    return (thousands.astype("float64") * 1000).round()


def rows_label(rows: pd.Series) -> str:
    """Provenance of a figure summed over source rows: "5-25" if contiguous, else "5+9"."""
    lo, hi = int(rows.min()), int(rows.max())
    return f"{lo}-{hi}" if hi - lo + 1 == len(rows) else "+".join(str(int(r)) for r in rows)
