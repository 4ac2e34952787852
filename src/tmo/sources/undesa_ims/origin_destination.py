"""IMS 'by sex, destination and origin' workbook, Table 1 -> migrant_stock.

Layouts (header row 11, years in three blocks: both sexes, males, females):
- 2024: Index | destination name | Coverage | Data type | Location code of destination |
  origin name | Location code of origin | 1990..2024 x 3;
- 2020: Index | destination name | Notes of destination | Location code of destination |
  Type of data of destination | origin name | Location code of origin | 1990..2020 x 3.
Each destination (World, regions, groups, then countries) lists its origins: the total
("World", code 900), regions and groups, countries, and "Other(s)" (2003, origin not
known). Only country-to-country rows are stored, origin 2003 included: rows whose
destination or origin code is 900 or above (other than 2003) are counted in an info
finding and left out. The origin rows of each destination must add up to its total
row; a difference is a warning finding.

The code range is only a first guess: every code left out as an aggregate is declared
in `Ingested.assumed_aggregates` with its first cell, and the build refuses it unless
the UN annex or this workbook (a destination row without a data type,
`Ingested.aggregates`) lists it as an aggregate; so a country whose code was damaged
into 999 is refused, never dropped or stored as an aggregate.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import first_label, open_xlsx, single
from tmo.sources.numbers import STOCK
from tmo.sources.undesa_ims import workbook as wb

REQUIRED = {
    "2024": ("name", "coverage", "data_type", "code", "origin_name", "origin_code"),
    "2020": ("name", "notes", "code", "data_type", "origin_name", "origin_code"),
}
WORLD = 900


def _aggregate_finding(fig: pd.DataFrame, pairs: pd.Series, name: str, key: str) -> Finding:
    dest_agg = fig["area"] >= wb.AGGREGATE_FROM
    total = ~dest_agg & (fig["origin"] == WORLD)
    other = ~pairs & ~dest_agg & ~total
    rows = {what: fig.loc[mask, "pos"].nunique()
            for what, mask in (("aggregate destination", dest_agg), ("origin total (900)", total),
                               ("aggregate origin", other))}
    return Finding("aggregate_rows", "info", key, f"{name}, Table 1",
                   "left out of migrant_stock: " + ", ".join(
                       f"{n:,} rows with {what}" for what, n in rows.items())
                   + f" ({int((~pairs).sum()):,} figures); codes >= {wb.AGGREGATE_FROM} other "
                   f"than {wb.OTHER_ORIGIN} (Other) are aggregates, each confirmed by the "
                   "workbook's list or the UN annex")


def _assumed(codes: dict[str, pd.Series], lay: wb.Layout) -> dict[int, str]:
    """The codes left out as aggregates (900 and above, other than 2003), each with the
    first cell where it stands, for the build to confirm."""
    out: dict[int, str] = {}
    for role, values in codes.items():
        guess = values.notna() & (values >= wb.AGGREGATE_FROM) & (values != wb.OTHER_ORIGIN)
        first = values[guess].drop_duplicates()
        for row, code in zip(first.index.to_numpy(), first.to_numpy(), strict=True):
            out.setdefault(int(code), f"{lay.where()}, cell {wb.cell(lay.roles[role], int(row))}")
    return out


def _sum_check(fig: pd.DataFrame, pairs: pd.Series, name: str, key: str) -> list[Finding]:
    """Countries + Other of each country destination against its origin-total row."""
    key_cols = ["area", "period", "sex"]
    countries = ~(fig["area"] >= wb.AGGREGATE_FROM)
    total = fig[countries & (fig["origin"] == WORLD)].set_index(key_cols)["value"]
    parts = fig[pairs].groupby(key_cols)["value"].sum()
    both = pd.concat({"total": total, "parts": parts}, axis=1).dropna()
    off = both[(both["total"] - both["parts"]).abs() > 0.5]
    if off.empty:
        return []
    (area, period, sex), first = off.index[0], off.iloc[0]
    return [Finding("od_sum_vs_destination_total", "warning", key, f"{name}, Table 1",
                    f"{len(off):,} destination/year/sex totals differ from the sum of their "
                    f"origins, e.g. {area} {period} {sex}: total {first['total']:,.0f}, "
                    f"origins {first['parts']:,.0f}")]


def read_od_workbook(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """IMS 'by sex, destination and origin' Table 1 -> migrant_stock (country pairs,
    M49 codes as published, sex total/male/female)."""
    name, path = single(files)
    book = open_xlsx(path, name)
    try:
        rows = wb.sheet_rows(book, "Table 1", name)
    finally:
        book.close()
    lay = wb.layout(rows, name, "Table 1", ("name", "code", "origin_code"))
    rev = wb.check_revision(wb.revision_in(rows, lay), source.revision, name, source.key)
    lay = wb.layout(rows, name, "Table 1", REQUIRED.get(rev, ("name", "code", "origin_code")))
    frame = wb.body(rows, lay)
    dest = wb.codes(frame, lay.roles["code"], lay, "destination code")
    origin = wb.codes(frame, lay.roles["origin_code"], lay, "origin code")
    out = Ingested(aggregates=wb.aggregates(frame, dest, lay),
                   assumed_aggregates=_assumed({"code": dest, "origin_code": origin}, lay))
    lone = dest.notna() & origin.isna()
    if lone.any():
        out.findings.append(Finding(
            "od_row_without_origin", "warning", source.key, f"{name}, Table 1",
            f"{int(lone.sum())} rows with a destination code but no origin code skipped, "
            f"first row {first_label(lone)}"))
    fig = wb.figures(frame, dest.where(origin.notna()), lay, non_negative=True)
    fig = wb.bounded(fig, STOCK, lay)
    fig["origin"] = origin.loc[fig["pos"]].to_numpy().astype("int64")
    fig["sex"] = wb.sexes(fig, lay)
    pairs = (fig["area"] < wb.AGGREGATE_FROM) & ((fig["origin"] < wb.AGGREGATE_FROM)
                                                  | (fig["origin"] == wb.OTHER_ORIGIN))
    out.findings.append(_aggregate_finding(fig, pairs, name, source.key))
    out.findings += _sum_check(fig, pairs, name, source.key)
    fig = wb.repeated_rows(fig[pairs], ["area", "origin", "period", "block"], lay, out)
    out.add("migrant_stock", pd.DataFrame({
        "revision": rev, "year": fig["period"].astype(int), "origin": fig["origin"],
        "destination": fig["area"], "sex": fig["sex"],
        "stock": fig["value"].round().astype("int64"), **wb.provenance(fig, lay)}),
        {"origin": "m49", "destination": "m49"},
        {"origin": wb.column_label(lay, "origin_code"),
         "destination": wb.column_label(lay, "code")})
    return out
