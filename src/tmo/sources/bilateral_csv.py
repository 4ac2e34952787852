"""The canonical bilateral stock CSV: `year, orig_iso3, dest_iso3, sex, stock`.

Users load any bilateral stock table in this form (see docs/sources/bilateral_csv.md);
the IMS origin-destination mirrors in ../shared/data are in it too. Extra columns are
ignored; gzip is recognised by its magic bytes. Sex values: total (also "both",
"both sexes", "t"), female ("f"), male ("m"), any case. Where a key has female and
male rows and no total, the total is added as their sum (src_row "a+b"), so every
published pair has a total; a key with a single sex gets no derived total.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.sources.base import Ingested, SourceSpec

COLUMNS = ["year", "orig_iso3", "dest_iso3", "sex", "stock"]
SEX = {"total": "total", "both": "total", "both sexes": "total", "t": "total",
       "female": "female", "f": "female", "male": "male", "m": "male"}


def _read(path: Path, name: str) -> pd.DataFrame:
    compression = "gzip" if path.read_bytes()[:2] == b"\x1f\x8b" else None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, compression=compression)
    except (EOFError, OSError, gzip.BadGzipFile, zlib.error, pd.errors.ParserError,
            UnicodeDecodeError) as exc:
        raise SourceError(f"{name}: unreadable CSV ({exc.__class__.__name__}: {exc})",
                          hint="the file is truncated or damaged; download it again") from exc


def _fail(name: str, frame: pd.DataFrame, mask: pd.Series, column: str, problem: str) -> None:
    first = frame.loc[mask].iloc[0]
    raise SourceError(f"{name} line {first['line']}, column {column}: {first[column]!r} "
                      f"{problem} ({int(mask.sum())} such rows)")


def read_bilateral_csv(files: dict[str, Path], source: SourceSpec) -> Ingested:
    name, path = next(iter(files.items()))
    raw = _read(path, name)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise SchemaError(f"{name} line 1: missing columns {missing}; expected {COLUMNS}")
    frame = raw[COLUMNS].copy()
    frame["line"] = frame.index + 2
    stock = pd.to_numeric(frame["stock"], errors="coerce")
    if stock.isna().any():
        _fail(name, frame, stock.isna(), "stock", "is not a number")
    if (stock < 0).any():
        _fail(name, frame, stock < 0, "stock", "is a negative stock")
    year = pd.to_numeric(frame["year"], errors="coerce")
    if year.isna().any() or (year % 1 != 0).any():
        _fail(name, frame, year.isna() | (year % 1 != 0), "year", "is not a year")
    sex = frame["sex"].str.strip().str.lower().map(SEX)
    if sex.isna().any():
        _fail(name, frame, sex.isna(), "sex", "is not total, female or male")
    frame = frame.assign(year=year.astype(int), sex=sex, stock=stock.round().astype("int64"),
                         orig_iso3=frame["orig_iso3"].str.strip(),
                         dest_iso3=frame["dest_iso3"].str.strip())
    key = ["year", "orig_iso3", "dest_iso3", "sex"]
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        _fail(name, frame, dup, "orig_iso3", "appears twice for the same year, "
              "destination and sex")
    frame["src_row"] = frame["line"].astype(str)
    wide = frame.pivot(index=key[:3], columns="sex", values=["stock", "src_row"])
    both = wide["stock"].reindex(columns=["female", "male", "total"])
    need = both["female"].notna() & both["male"].notna() & both["total"].isna()
    rows = wide["src_row"].reindex(columns=["female", "male"])[need]
    totals = pd.DataFrame({
        "stock": (both.loc[need, "female"] + both.loc[need, "male"]).astype("int64"),
        "src_row": rows["female"] + "+" + rows["male"]}).reset_index().assign(sex="total")
    out = pd.concat([frame[[*key, "stock", "src_row"]], totals], ignore_index=True)
    ing = Ingested()
    ing.add("migrant_stock", pd.DataFrame({
        "revision": source.revision, "year": out["year"], "origin": out["orig_iso3"],
        "destination": out["dest_iso3"], "sex": out["sex"], "stock": out["stock"],
        "src_file": name, "src_sheet": "", "src_row": out["src_row"]}),
        {"origin": "iso3", "destination": "iso3"})
    return ing
