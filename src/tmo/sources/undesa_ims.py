"""UN DESA International Migrant Stock workbooks (2024 and 2020 revisions).

Quirks handled here and only here:
- the header is on spreadsheet row 11 and a super-header on row 8 says which block of
  year columns is both sexes, males or females (or which measure, in Tables 3-6);
- the 2024 and 2020 layouts order their identifier columns differently (2024:
  Coverage, Data type, Location code; 2020: Notes, Location code, Type of data), so
  columns are found by their header labels, never by position;
- names carry footnote asterisks and, in 2020, indentation; the world row is "WORLD";
- ".." (and empty cells) mean no estimate, "~" a figure below five withheld for
  privacy (2020 Table 6): either way no row is written;
- Table 2 (population) is in thousands and becomes persons; in the 2024 workbook its
  'Location code' column holds the data type instead, so Table 2 rows take their codes
  from Table 1 through the row index (column A), after checking that the names agree.
Location codes are UN M49 numbers; countries have codes below 900, aggregates 900 and
above, and 2003 is "Other / unknown origin".
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from tmo.checks.finding import Finding
from tmo.errors import SchemaError, SourceError
from tmo.sources.base import Ingested, SourceSpec

HEADER_ROW = 11
BLOCK_ROW = 8
NAME_LABEL = "region, development group, country or area"
OTHER_ORIGIN = 2003
AGGREGATE_FROM = 900
YEAR = re.compile(r"^\d{4}(-\d{4})?$")

INDICATORS = [  # (words in the block label, indicator id), most specific first
    ("annual rate of change of the refugee", "refugees_annual_rate_of_change_pct"),
    ("percentage of the total population", "migrant_share_pct"),
    ("female migrants as a percentage", "female_share_pct"),
    ("annual rate of change", "annual_rate_of_change_pct"),
    ("refugee and asylum seekers at mid-year", "refugees_and_asylum_seekers"),
    ("refugee and asylum seekers as a percentage", "refugee_share_pct"),
]


def open_workbook(path: Path, name: str) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(f"{name}: not a readable xlsx workbook ({exc.__class__.__name__}: "
                          f"{exc})", hint="the file is truncated or damaged; download it again") \
            from exc


def sheet_rows(book: openpyxl.Workbook, sheet: str, name: str) -> list[tuple[Any, ...]]:
    if sheet not in book.sheetnames:
        raise SchemaError(f"{name}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    try:
        return list(book[sheet].iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(f"{name}, sheet {sheet!r}: unreadable ({exc})",
                          hint="the file is truncated or damaged; download it again") from exc


def sex_of(label: str) -> str:
    low = label.lower()
    if "both sexes" in low:
        return "total"
    if "females" in low:
        return "female"
    if "males" in low:
        return "male"
    return "total"


def _label(value: Any) -> str:
    return "" if value is None else str(value).strip()


def layout(rows: list[tuple[Any, ...]], name: str, sheet: str) -> dict[str, Any]:
    """Column roles of a sheet from its header (row 11) and block labels (row 8)."""
    if len(rows) < HEADER_ROW:
        raise SchemaError(f"{name}, sheet {sheet!r}: only {len(rows)} rows; the header is "
                          f"expected on row {HEADER_ROW}")
    header = [_label(v) for v in rows[HEADER_ROW - 1]]
    if not any(h.lower().startswith(NAME_LABEL) for h in header):
        found = next((i + 1 for i, r in enumerate(rows[:40])
                      if any(_label(v).lower().startswith(NAME_LABEL) for v in r)), None)
        where = f"found on row {found}" if found else "not found"
        raise SchemaError(f"{name}, sheet {sheet!r}, row {HEADER_ROW}: expected the header "
                          f"'Region, development group, country or area' ({where})")
    blocks = [_label(v) for v in rows[BLOCK_ROW - 1]] + [""] * len(header)
    cols: dict[str, Any] = {"years": []}
    current = ""
    for i, h in enumerate(header):
        current = blocks[i] or current
        low = h.lower()
        if YEAR.match(h):
            cols["years"].append((i, h, current))
        elif low.startswith(NAME_LABEL):
            cols.setdefault("names", []).append(i)
        elif low.startswith("location code"):
            cols.setdefault("codes", []).append(i)
        elif low in ("coverage",):
            cols["coverage"] = i
        elif low in ("data type", "type of data"):
            cols["data_type"] = i
    if not cols.get("codes") or not cols["years"]:
        raise SchemaError(f"{name}, sheet {sheet!r}, row {HEADER_ROW}: no 'Location code' or "
                          f"year columns in the header {header}")
    return cols


def _number(value: Any, name: str, sheet: str, row: int, col: int) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", "..", "-", "~")):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        raise SchemaError(f"{name}, sheet {sheet!r}, cell {get_column_letter(col + 1)}{row}: "
                          f"{value!r} is not a number") from None


def _clean_name(value: Any) -> str:
    return _label(value).rstrip("*").strip().lower()


def area_names(rows: list[tuple[Any, ...]], cols: dict[str, Any]) -> list[dict[str, Any]]:
    """Published names by location code, without footnote marks or indentation
    ('WORLD' -> 'World')."""
    out = []
    for r, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        code = row[cols["codes"][0]] if len(row) > cols["codes"][0] else None
        if isinstance(code, int | float):
            label = _label(row[cols["names"][0]]).rstrip("*").strip()
            out.append({"area": int(code), "row": r,
                        "name": label.title() if label.isupper() else label})
    return out


def index_codes(rows: list[tuple[Any, ...]], cols: dict[str, Any]) -> dict[Any, tuple[str, int]]:
    """Row index (column A) -> (name, location code) of a sheet with reliable codes."""
    out = {}
    for row in rows[HEADER_ROW:]:
        code = row[cols["codes"][0]] if len(row) > cols["codes"][0] else None
        if row and row[0] is not None and isinstance(code, int | float):
            out[row[0]] = (_clean_name(row[cols["names"][0]]), int(code))
    return out


def _area(row: tuple[Any, ...], cols: dict[str, Any], r: int, name: str, sheet: str,
          by_index: dict[Any, tuple[str, int]] | None) -> int | None:
    code = row[cols["codes"][0]]
    if by_index is None:
        if code is None or _label(code) == "":
            return None
        try:
            return int(float(code))
        except ValueError:
            raise SchemaError(f"{name}, sheet {sheet!r}, row {r}: location code {code!r} is "
                              "not a number") from None
    if row[0] is None:
        return None
    if row[0] not in by_index:
        raise SchemaError(f"{name}, sheet {sheet!r}, row {r}: index {row[0]!r} is not in Table 1")
    expected, area = by_index[row[0]]
    if _clean_name(row[cols["names"][0]]) != expected:
        raise SchemaError(f"{name}, sheet {sheet!r}, row {r}: {row[cols['names'][0]]!r} does "
                          f"not match Table 1's {expected!r} for index {row[0]}")
    return area


def cells(rows: list[tuple[Any, ...]], cols: dict[str, Any], name: str, sheet: str,
          *, non_negative: bool, by_index: dict[Any, tuple[str, int]] | None = None
          ) -> Iterator[dict[str, Any]]:
    """One record per published value of the sheet's data rows.

    With `by_index`, location codes come from Table 1 through the row index (column A),
    names checked: the 2024 Table 2 has data types in its 'Location code' column.
    """
    for r, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        row = tuple(row) + (None,) * (len(rows[HEADER_ROW - 1]) - len(row))
        area = _area(row, cols, r, name, sheet, by_index)
        if area is None:
            continue
        for i, period, block in cols["years"]:
            value = _number(row[i], name, sheet, r, i)
            if value is None:
                continue
            if non_negative and value < 0:
                raise SourceError(f"{name}, sheet {sheet!r}, cell "
                                  f"{get_column_letter(i + 1)}{r}: negative "
                                  f"figure {value:g} for location {area}, {period}")
            yield {"area": area, "period": period, "block": block, "value": value, "row": r,
                   "coverage": _label(row[cols["coverage"]]) if "coverage" in cols else "",
                   "data_type": _label(row[cols["data_type"]]) if "data_type" in cols else ""}


def _provenance(frame: pd.DataFrame, name: str, sheet: str) -> pd.DataFrame:
    return frame.assign(src_file=name, src_sheet=sheet, src_row=frame["row"].astype(str))


def repeated_rows(frame: pd.DataFrame, name: str, sheet: str, out: Ingested) -> pd.DataFrame:
    """An aggregate listed twice (2020: Australia and New Zealand, code 927, is both an
    SDG region and a subregion) keeps its first row when the figures agree; differing
    figures are an error."""
    key = ["area", "period", "block"]
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame
    clash = frame[dup].groupby(key)["value"].nunique()
    if (clash > 1).any():
        area, period, _ = clash[clash > 1].index[0]
        raise SchemaError(f"{name}, sheet {sheet!r}: location {area} appears twice with "
                          f"different figures for {period}")
    rows = sorted(frame.loc[dup, "row"].unique().tolist())
    areas = sorted(int(a) for a in frame.loc[dup, "area"].unique())
    out.findings.append(Finding("repeated_row", "info", name, f"{sheet} rows {rows}",
                                f"location(s) {areas} listed twice with equal figures: "
                                "first row kept"))
    return frame.drop_duplicates(key)


def read_destination_workbook(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """IMS 'by sex and destination': Table 1 stocks, Table 2 population, Tables 3-6."""
    name, path = next(iter(files.items()))
    book = open_workbook(path, name)
    rev = source.revision
    out = Ingested()
    try:
        rows = sheet_rows(book, "Table 1", name)
        t1_cols = layout(rows, name, "Table 1")
        by_index = index_codes(rows, t1_cols)
        t1 = pd.DataFrame(cells(rows, t1_cols, name, "Table 1", non_negative=True))
        t1 = _provenance(repeated_rows(t1, name, "Table 1", out), name, "Table 1")
        named = pd.DataFrame(area_names(rows, t1_cols)).drop_duplicates("area")
        out.add("area_names", pd.DataFrame({
            "source": f"UN DESA IMS {rev}", "area": named["area"], "name": named["name"],
            "src_file": name, "src_sheet": "Table 1", "src_row": named["row"].astype(str)}),
            {"area": "m49"})
        out.add("destination_stock", pd.DataFrame({
            "revision": rev, "year": t1["period"].astype(int), "destination": t1["area"],
            "sex": t1["block"].map(sex_of), "stock": t1["value"].round().astype("int64"),
            "coverage": t1["coverage"], "data_type": t1["data_type"],
            "src_file": name, "src_sheet": "Table 1", "src_row": t1["src_row"]}),
            {"destination": "m49"})
        rows = sheet_rows(book, "Table 2", name)
        t2 = pd.DataFrame(cells(rows, layout(rows, name, "Table 2"), name, "Table 2",
                                non_negative=True, by_index=by_index))
        t2 = repeated_rows(t2, name, "Table 2", out)
        out.add("population", pd.DataFrame({
            "source": "UN DESA IMS", "revision": rev, "year": t2["period"].astype(int),
            "country": t2["area"], "sex": t2["block"].map(sex_of),
            "population": (t2["value"] * 1000).round().astype("int64"),
            "src_file": name, "src_sheet": "Table 2", "src_row": t2["row"].astype(str)}),
            {"country": "m49"})
        for sheet in book.sheetnames:
            match = re.fullmatch(r"Table (\d+)", sheet)
            if not match or int(match.group(1)) < 3:
                continue
            rows = sheet_rows(book, sheet, name)
            t = pd.DataFrame(cells(rows, layout(rows, name, sheet), name, sheet,
                                   non_negative=False))
            if t.empty:
                continue
            t = repeated_rows(t, name, sheet, out)
            t["indicator"] = t["block"].map(lambda b: next(
                (ind for words, ind in INDICATORS if words in b.lower()), None))
            unknown = t.loc[t["indicator"].isna(), "block"].unique().tolist()
            if unknown:
                raise SchemaError(f"{name}, sheet {sheet!r}, row {BLOCK_ROW}: unknown block "
                                  f"label(s) {unknown}")
            pct_sex = t["indicator"].isin(["migrant_share_pct", "annual_rate_of_change_pct"])
            out.add("ims_indicator", pd.DataFrame({
                "revision": rev, "table_no": int(match.group(1)), "indicator": t["indicator"],
                "period": t["period"], "area": t["area"],
                "sex": t["block"].map(sex_of).where(pct_sex, "total"), "value": t["value"],
                "src_file": name, "src_sheet": sheet, "src_row": t["row"].astype(str)}),
                {"area": "m49"})
    finally:
        book.close()
    return out


def _od_columns(header: list[str], name: str) -> tuple[int, int]:
    """Destination and origin code columns of the origin-destination Table 1."""
    codes = [i for i, h in enumerate(header) if h.lower().startswith("location code")]
    if len(codes) != 2:
        raise SchemaError(f"{name}, sheet 'Table 1', row {HEADER_ROW}: expected two location "
                          f"code columns (destination, origin), found {len(codes)}")
    return codes[0], codes[1]


def read_od_workbook(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """IMS 'by sex, destination and origin' Table 1 -> migrant_stock (country pairs)."""
    name, path = next(iter(files.items()))
    book = open_workbook(path, name)
    try:
        rows = sheet_rows(book, "Table 1", name)
    finally:
        book.close()
    cols = layout(rows, name, "Table 1")
    dest_col, orig_col = _od_columns([_label(v) for v in rows[HEADER_ROW - 1]], name)
    records = []
    for rec in cells(rows, {**cols, "codes": [dest_col]}, name, "Table 1", non_negative=True):
        orig = rows[rec["row"] - 1][orig_col]
        try:
            rec["origin"] = int(float(orig))
        except (TypeError, ValueError):
            raise SchemaError(f"{name}, sheet 'Table 1', row {rec['row']}: origin code "
                              f"{orig!r} is not a number") from None
        records.append(rec)
    frame = pd.DataFrame(records)
    pairs = (frame["area"] < AGGREGATE_FROM) & ((frame["origin"] < AGGREGATE_FROM)
                                                 | (frame["origin"] == OTHER_ORIGIN))
    out = Ingested()
    out.findings.append(Finding("aggregate_rows", "info", source.key, f"{name}, Table 1",
                                f"{int((~pairs).sum()):,} values with an aggregate origin or "
                                "destination left out of migrant_stock"))
    frame = frame[pairs]
    out.add("migrant_stock", pd.DataFrame({
        "revision": source.revision, "year": frame["period"].astype(int),
        "origin": frame["origin"], "destination": frame["area"],
        "sex": frame["block"].map(sex_of), "stock": frame["value"].round().astype("int64"),
        "src_file": name, "src_sheet": "Table 1", "src_row": frame["row"].astype(str)}),
        {"origin": "m49", "destination": "m49"})
    return out
