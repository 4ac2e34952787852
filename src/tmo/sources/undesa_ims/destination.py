"""IMS 'by sex and destination' workbook: Table 1 stocks, Table 2 population, Tables 3-6.

Quirks of this workbook (beyond those of `workbook`):
- 2024 Table 1 reads Index | name | Coverage | Data type | Location code | years x 3;
  2020 Table 1 reads Index | name | Notes | Location code | Type of data | years x 3;
  2020 data types can carry a trailing space ("B R "): stripped;
- Table 2 is in thousands (-> persons); in the 2024 workbook its 'Location code' column
  holds data types, so Table 2 rows take their codes from Table 1 through the row index
  (column A), after checking that the names agree;
- Tables 3-6 hold one measure per block (Table 6, 2020 only: refugees in persons, their
  share of migrants and its rate of change); their sex comes from the block label.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import SchemaError
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import first_label, open_xlsx, single
from tmo.sources.numbers import PERSONS, POPULATION, RATE, SHARE, STOCK
from tmo.sources.undesa_ims import workbook as wb
from tmo.sources.undesa_ims.workbook import Layout

# Required header roles by revision and sheet kind; other revisions: name and code only.
REQUIRED = {
    ("2024", "stock"): ("name", "coverage", "data_type", "code"),
    ("2024", "population"): ("name", "notes", "code"),
    ("2020", "stock"): ("name", "notes", "code", "data_type"),
    ("2020", "population"): ("name", "notes", "code", "data_type"),
}
INDICATORS = [  # (words in the block label, indicator id), most specific first
    ("annual rate of change of the refugee", "refugees_annual_rate_of_change_pct"),
    ("percentage of the total population", "migrant_share_pct"),
    ("female migrants as a percentage", "female_share_pct"),
    ("annual rate of change", "annual_rate_of_change_pct"),
    ("refugee and asylum seekers at mid-year", "refugees"),
    ("refugee and asylum seekers as a percentage", "refugee_share_pct"),
]
BY_SEX = {"migrant_share_pct", "annual_rate_of_change_pct"}
MEASURES = {"refugees_annual_rate_of_change_pct": RATE, "migrant_share_pct": SHARE,
            "female_share_pct": SHARE, "annual_rate_of_change_pct": RATE,
            "refugees": PERSONS, "refugee_share_pct": SHARE}


def _required(rev: str, kind: str) -> tuple[str, ...]:
    return REQUIRED.get((rev, kind), ("name", "code"))


def _text(frame: pd.DataFrame, lay: Layout, role: str, pos: pd.Series) -> pd.Series:
    if role not in lay.roles:
        return pd.Series("", index=pos.index, dtype=object)
    clean = frame[lay.roles[role]].loc[pos].map(wb.label)
    return pd.Series(clean.to_numpy(), index=pos.index, dtype=object)


def _table1(rows: list, name: str, rev: str, out: Ingested) -> tuple[pd.DataFrame, Layout]:
    lay = wb.layout(rows, name, "Table 1", _required(rev, "stock"))
    frame = wb.body(rows, lay)
    area = wb.codes(frame, lay.roles["code"], lay, "location code")
    out.aggregates |= wb.aggregates(frame, area, lay)
    fig = wb.bounded(wb.figures(frame, area, lay, non_negative=True), STOCK, lay)
    fig = wb.repeated_rows(fig, ["area", "period", "block"], lay, out)
    out.add("destination_stock", pd.DataFrame({
        "revision": rev, "year": fig["period"].astype(int), "destination": fig["area"],
        "sex": wb.sexes(fig, lay), "stock": fig["value"].round().astype("int64"),
        "coverage": _text(frame, lay, "coverage", fig["pos"]),
        "data_type": _text(frame, lay, "data_type", fig["pos"]),
        **wb.provenance(fig, lay)}), {"destination": "m49"},
        {"destination": wb.column_label(lay, "code")})
    named = pd.DataFrame({"area": area, "name": frame[lay.roles["name"]].map(wb.clean_name),
                          "row": frame.index}).dropna(subset=["area"])
    named = named.drop_duplicates("area")
    out.add("area_names", pd.DataFrame({
        "source": f"UN DESA IMS {rev}", "area": named["area"].astype("int64"),
        "name": named["name"], "src_file": name, "src_sheet": "Table 1",
        "src_row": named["row"].astype(str)}), {"area": "m49"},
        {"area": wb.column_label(lay, "code")})
    return frame.assign(area=area), lay


def _codes_by_index(frame: pd.DataFrame, lay: Layout, t1: pd.DataFrame, t1_lay: Layout,
                    ) -> pd.Series:
    """Table 2 location codes from Table 1 by row index (column A), names checked."""
    ref = t1.dropna(subset=["area"]).drop_duplicates(0).set_index(0)
    index = frame[0]
    known = index.isin(ref.index) & index.notna()
    stray = index.notna() & ~known & frame[lay.roles["name"]].notna()
    if stray.any():
        row = first_label(stray)
        raise SchemaError(f"{lay.where(row)}: index {index[row]!r} is not in Table 1")
    names = frame[lay.roles["name"]].map(wb.clean_name)
    expected = index.map(ref[t1_lay.roles["name"]].map(wb.clean_name))
    differ = known & (names.str.lower() != expected.str.lower())
    if differ.any():
        row = first_label(differ)
        raise SchemaError(f"{lay.where(row)}: {names[row]!r} does not match Table 1's "
                          f"{expected[row]!r} for index {index[row]}")
    area = index.map(ref["area"]).where(known)
    own = pd.to_numeric(frame[lay.roles["code"]], errors="coerce")
    clash = own.notna() & area.notna() & (own != area)
    if clash.any():
        row = first_label(clash)
        raise SchemaError(f"{lay.where(row)}: location code {own[row]:g} differs from "
                          f"Table 1's {area[row]:g} for index {index[row]}")
    return area.astype(float)


def _table2(rows: list, name: str, rev: str, *, t1: pd.DataFrame, t1_lay: Layout,
            out: Ingested) -> None:
    lay = wb.layout(rows, name, "Table 2", _required(rev, "population"))
    frame = wb.body(rows, lay)
    fig = wb.figures(frame, _codes_by_index(frame, lay, t1, t1_lay), lay, non_negative=True)
    fig = wb.bounded(fig, POPULATION, lay, scale=1000)  # thousands
    fig = wb.repeated_rows(fig, ["area", "period", "block"], lay, out)
    out.add("population", pd.DataFrame({
        "source": "UN DESA IMS", "revision": rev, "year": fig["period"].astype(int),
        "country": fig["area"], "sex": wb.sexes(fig, lay),
        "population": (fig["value"] * 1000).round().astype("int64"),
        **wb.provenance(fig, lay)}), {"country": "m49"},
        {"country": "A (Index), coded by Table 1"})


def _indicator_table(rows: list, name: str, sheet: str, rev: str, out: Ingested) -> None:
    lay = wb.layout(rows, name, sheet, _required(rev, "stock"))
    frame = wb.body(rows, lay)
    fig = wb.figures(frame, wb.codes(frame, lay.roles["code"], lay, "location code"), lay,
                     non_negative=False)
    if fig.empty:
        return
    fig = wb.repeated_rows(fig, ["area", "period", "block"], lay, out)
    blocks = {b: next((ind for words, ind in INDICATORS if words in b.lower()), None)
              for b in fig["block"].unique()}
    unknown = [b for b, ind in blocks.items() if ind is None]
    if unknown:
        raise SchemaError(f"{lay.where(wb.BLOCK_ROW)}: unknown block label(s) {unknown}")
    indicator = fig["block"].map(blocks)
    wb.bounded(fig, indicator.map(MEASURES), lay)
    sex = fig["block"].map(wb.sex_of)
    out.add("ims_indicator", pd.DataFrame({
        "revision": rev, "table_no": int(sheet.split()[1]), "indicator": indicator,
        "period": fig["period"], "area": fig["area"],
        "sex": np.where(indicator.isin(list(BY_SEX)), sex, "total"), "value": fig["value"],
        **wb.provenance(fig, lay)}), {"area": "m49"}, {"area": wb.column_label(lay, "code")})


def read_destination_workbook(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """IMS 'by sex and destination' -> destination_stock, population, ims_indicator,
    area_names (all locations, aggregates included, codes M49 as published)."""
    name, path = single(files)
    book = open_xlsx(path, name)
    out = Ingested()
    try:
        rows = wb.sheet_rows(book, "Table 1", name)
        lay = wb.layout(rows, name, "Table 1", ("name", "code"))
        rev = wb.check_revision(wb.revision_in(rows, lay), source.revision, name, source.key)
        t1, t1_lay = _table1(rows, name, rev, out)
        _table2(wb.sheet_rows(book, "Table 2", name), name, rev, t1=t1, t1_lay=t1_lay, out=out)
        for sheet in book.sheetnames:
            if re.fullmatch(r"Table ([3-9]|\d\d+)", sheet):
                _indicator_table(wb.sheet_rows(book, sheet, name), name, sheet, rev, out)
    finally:
        book.close()
    return out
