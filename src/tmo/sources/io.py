"""Reading publishers' files: the guards every adapter shares, written once.

Two kinds of failure, two exceptions (see `tmo.errors`):
- a file that cannot be parsed at all (truncated, damaged, not the format its name
  says) is a `SourceError` naming the file, with the hint `DAMAGED`: `read_csv`,
  `read_workbook`, `open_xlsx`, `read_rda` and the `unreadable` guard raise it;
- a file that parses but lacks what the adapter needs (a sheet, a column, a number
  where a number belongs) is a `SchemaError` naming the file, sheet, row or column:
  `require_sheet`, `select_sheet`, `require_columns`, `check_numbers` and `numeric`.

Figures: `persons` turns a publisher's thousands into persons, `rows_label` writes the
provenance (`src_row`) of a figure summed over source rows.
"""

from __future__ import annotations

import gzip
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.sources import rda

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


@contextmanager
def unreadable(where: str, what: str, errors: tuple[type[BaseException], ...], *,
               hint: str = DAMAGED) -> Iterator[None]:
    """Turn the parser errors `errors` raised inside the block into a SourceError
    "<where>: <what> (<error>)" with `hint`."""
    try:
        yield
    except errors as exc:
        raise SourceError(f"{where}: {what} ({exc.__class__.__name__}: {exc})",
                          hint=hint) from exc


def single(files: Mapping[str, Path]) -> tuple[str, Path]:
    """The one (declared name, path) of an edition that has one file."""
    if len(files) != 1:
        raise SourceError(f"expected one file, got {sorted(files)}")
    return next(iter(files.items()))


# ---------------------------------------------------------------- readers

def read_csv(path: Path, name: str | None = None, *, hint: str = DAMAGED,
             **kw: Any) -> pd.DataFrame:
    """`pandas.read_csv` (UTF-8, a byte-order mark skipped); SourceError if unreadable."""
    kw.setdefault("encoding", "utf-8-sig")
    with unreadable(name or path.name, "unreadable CSV", CSV_ERRORS, hint=hint):
        return pd.read_csv(path, **kw)


def read_workbook(path: Path, name: str | None = None, **kw: Any
                  ) -> dict[str, pd.DataFrame]:
    """Every sheet of an xls/xlsx workbook (`pandas.read_excel`), by sheet name;
    SourceError if the workbook cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlrd deprecation, openpyxl style warnings
        # xlrd, openpyxl and zipfile raise many kinds of errors on a damaged file
        with unreadable(name or path.name, "cannot read the workbook", (Exception,)):
            return pd.read_excel(path, sheet_name=None, **kw)


def open_xlsx(path: Path, name: str | None = None) -> openpyxl.Workbook:
    """An xlsx workbook opened read-only with cached values (fast on large sheets);
    close it when done. SourceError if it is not a readable xlsx."""
    with unreadable(name or path.name, "not a readable xlsx workbook", XLSX_ERRORS,
                    hint=NOT_HTML):
        return openpyxl.load_workbook(path, read_only=True, data_only=True)


def read_rda(path: Path, obj: str, columns: Iterable[str], name: str | None = None
             ) -> pd.DataFrame:
    """The data frame `obj` of an R .rda file (`tmo.sources.rda`); SourceError if the
    file is unreadable, SchemaError if it holds no such frame or lacks `columns`."""
    name = name or path.name
    try:
        frames = rda.read_frames(path)
    except rda.RDataError as exc:
        raise SourceError(f"{name}: not a readable R data file ({exc})", hint=DAMAGED) from exc
    if obj not in frames:
        raise SchemaError(f"{name}: no data frame {obj!r} (found: {sorted(frames)})")
    frame = frames[obj]
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
                  nonneg: tuple[str, ...] = (), row: pd.Series | None = None) -> None:
    """SchemaError if a column is not numeric or a count that cannot be negative is < 0.

    `row` gives the row number a user sees for each index label (default: position + 1).
    """
    row = frame.index.to_series() + 1 if row is None else row
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            i = first_label(bad)
            raise SchemaError(f"{where}: column {col!r} row {row[i]}: "
                              f"{frame.at[i, col]!r} is not a number")
        if col in nonneg and (values < 0).any():
            i = first_label(values < 0)
            raise SchemaError(f"{where}: column {col!r} row {row[i]}: negative count {values[i]}")


def numeric(values: pd.Series, where: str, rows: pd.Series, column: str) -> pd.Series:
    """Cells as floats (empty or blank text -> NaN); SchemaError naming the first cell
    that is not a number."""
    out = pd.to_numeric(values, errors="coerce")
    bad = out.isna() & values.notna() & (values.astype(str).str.strip() != "")
    if bad.any():
        i = first_label(bad)
        raise SchemaError(f"{where} row {rows[i]} column {column}: {values[i]!r} is not a number")
    return out


def persons(thousands: pd.Series) -> pd.Series:
    """Thousands (3 decimals = whole persons) -> persons, rounded to the person."""
    return (thousands.astype("float64") * 1000).round()


def rows_label(rows: pd.Series) -> str:
    """Provenance of a figure summed over source rows: "5-25" if contiguous, else "5+9"."""
    lo, hi = int(rows.min()), int(rows.max())
    return f"{lo}-{hi}" if hi - lo + 1 == len(rows) else "+".join(str(int(r)) for r in rows)
