"""The canonical bilateral stock CSV: `year, orig_iso3, dest_iso3, sex, stock`.

Users load any bilateral stock table in this form (see docs/sources/bilateral_csv.md);
the IMS origin-destination mirrors in ../shared/data are in it too. Column names are
matched without regard to case or surrounding spaces; extra columns are ignored; gzip
is recognised by the `.gz` extension or by its magic bytes. Sex values: total (also
"both", "both sexes", "t"), female ("f"), male ("m"), any case.

Totals: where a key (year, origin, destination) has female and male rows and no
total, the total is added as their sum (src_row "a+b", the two line numbers). A key
published for one sex only gets no total: an absent row means "no estimate", not
zero, so the sum of the two sexes is unknown. Where all three are published and the
total differs from female + male, a warning finding says so (the figures are kept).

Numbers (tmo.sources.numbers): every stock is a finite number from 0 to the world
population; an empty cell, text, inf or 1e30 is refused naming the line and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import SourceError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import DAMAGED, read_csv, require_columns, single
from tmo.sources.numbers import STOCK, YEAR

COLUMNS = ["year", "orig_iso3", "dest_iso3", "sex", "stock"]
KEY = ["year", "orig_iso3", "dest_iso3", "sex"]
SEX = {"total": "total", "both": "total", "both sexes": "total", "t": "total",
       "female": "female", "f": "female", "male": "male", "m": "male"}
HINT = "see docs/sources/bilateral_csv.md for the expected columns and values"


def _read(path: Path, name: str) -> pd.DataFrame:
    with path.open("rb") as fh:
        magic = fh.read(2)
    gz = magic == b"\x1f\x8b" or name.lower().endswith(".gz")
    return read_csv(path, name, hint=f"{DAMAGED}, or write it again (a .gz name needs gzip "
                    "content)", dtype=str, keep_default_na=False, skip_blank_lines=False,
                    compression="gzip" if gz else None)


def _fail(name: str, frame: pd.DataFrame, mask: pd.Series, column: str, problem: str) -> None:
    first = frame.loc[mask].iloc[0]
    more = int(mask.sum()) - 1
    raise SourceError(f"{name} line {first['line']}, column {column}: {first[column]!r} "
                      f"{problem}" + (f" ({more:,} more such lines)" if more else ""),
                      hint=HINT)


def _stock(frame: pd.DataFrame, name: str) -> pd.Series:
    """The stock column as numbers: finite, from 0 to the world population."""
    stock = pd.to_numeric(frame["stock"], errors="coerce")
    for bad, problem in ((stock.isna(), "is not a number"),
                         (pd.Series(np.isinf(stock.to_numpy()), index=stock.index),
                          "is not a finite number"),
                         (stock < 0, "is a negative stock"),
                         (stock > STOCK.high, f"is outside the plausible range of {STOCK}")):
        if bad.any():
            _fail(name, frame, bad, "stock", problem)
    return stock


def _year(frame: pd.DataFrame, name: str) -> pd.Series:
    year = pd.to_numeric(frame["year"], errors="coerce")
    for bad, problem in ((year.isna() | (year % 1 != 0), "is not a year"),
                         ((year < YEAR.low) | (year > YEAR.high),
                          f"is outside the plausible range of {YEAR}")):
        if bad.any():
            _fail(name, frame, bad, "year", problem)
    return year


def _parse(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    require_columns(raw, COLUMNS, f"{name} line 1", hint=HINT)
    frame = raw[COLUMNS].fillna("").apply(lambda c: c.str.strip())
    frame["line"] = raw.index + 2
    frame = frame[(frame[COLUMNS] != "").any(axis=1)]  # blank lines keep their numbers
    for col in ("orig_iso3", "dest_iso3"):
        if (frame[col] == "").any():
            _fail(name, frame, frame[col] == "", col, "is empty")
    stock, year = _stock(frame, name), _year(frame, name)
    sex = frame["sex"].str.lower().map(SEX)
    if sex.isna().any():
        _fail(name, frame, sex.isna(), "sex", "is not total, female or male")
    frame = frame.assign(year=year.astype("int64"), sex=sex,
                         stock=stock.round().astype("int64"))
    dup = frame.duplicated(KEY, keep="first")
    if dup.any():
        first = frame[frame.duplicated(KEY, keep=False)].groupby(KEY)["line"].transform("min")
        _fail(name, frame, dup, "orig_iso3", "repeats the year, destination and sex of "
              f"line {first[dup].iloc[0]}")
    return frame.assign(src_row=frame["line"].astype(str))


def _totals(frame: pd.DataFrame, name: str, key: str) -> tuple[pd.DataFrame, list[Finding]]:
    """Totals derived from female + male where absent; findings where they disagree."""
    sexes = ["female", "male", "total"]
    # one pivot per value keeps the counts numeric (a joint pivot makes them objects)
    stock = frame.pivot(index=KEY[:3], columns="sex", values="stock").reindex(columns=sexes)
    rows = (frame.pivot(index=KEY[:3], columns="sex", values="src_row").reindex(columns=sexes)
            .astype("string").fillna(""))
    pair = stock["female"].notna() & stock["male"].notna()
    need = pair & stock["total"].isna()
    totals = pd.DataFrame({
        "stock": (stock.loc[need, "female"] + stock.loc[need, "male"]).astype("int64"),
        "src_row": rows.loc[need, "female"] + "+" + rows.loc[need, "male"],
    }).reset_index().assign(sex="total")
    findings = []
    full = pair & stock["total"].notna()
    off = full & (stock["female"] + stock["male"] != stock["total"])
    if off.any():
        first = rows[off].iloc[0]
        findings.append(Finding(
            "sex_total_mismatch", "warning", key, f"{name} line {first['total']}",
            f"{int(off.sum()):,} totals differ from female + male (lines {first['female']}, "
            f"{first['male']}); published totals kept"))
    return totals, findings


def read_bilateral_csv(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """A canonical bilateral stock CSV -> migrant_stock (ISO3 codes as given; revision
    = the source's revision, e.g. the one a user names for their own file)."""
    name, path = single(files)
    frame = _parse(_read(path, name), name)
    totals, findings = _totals(frame, name, source.key)
    out = pd.concat([frame[[*KEY, "stock", "src_row"]], totals], ignore_index=True)
    ing = Ingested(findings=findings)
    ing.add("migrant_stock", pd.DataFrame({
        "revision": source.revision, "year": out["year"], "origin": out["orig_iso3"],
        "destination": out["dest_iso3"], "sex": out["sex"], "stock": out["stock"],
        "src_file": name, "src_sheet": "", "src_row": out["src_row"]}),
        {"origin": "iso3", "destination": "iso3"},
        {"origin": "orig_iso3", "destination": "dest_iso3"})
    return ing
