"""Remittance prices: Remittance Prices Worldwide corridors (DataBank CSV export) and
WDI average sending costs to / from a country (two WDI xls downloads).

RPW CSV quirks: UTF-8 byte-order mark; "Receiving Countries  Name/Code" with a DOUBLE
space; one column per period "2011Q1 [YR2011Q1]" (half-yearly 2011-2012, quarterly
from 2013Q1); ".." = no data (no row emitted); five trailer lines (blank rows, "Data
from database: ...", "Last Updated: ...") recognised and dropped. Values: average
total cost of sending the equivalent of USD 200, percent of the amount sent.

Negative costs: the publisher publishes a few (RPW corridors; an exchange-rate margin
below zero can make the total cost negative). Both adapters keep them as published
and report them in one warning finding per file (check "negative_cost") naming the
file, the rows and the values. A cost outside -100 % to 100 % of the amount sent, any
text but '..' (RPW) or an empty cell, or a non-finite value is refused naming the cell
(tmo.sources.numbers).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import numeric, read_csv, require_columns
from tmo.sources.numbers import COST, DOTS
from tmo.sources.wdi import SHEET as WDI_SHEET
from tmo.sources.wdi import wdi_long

RPW = "rpw_corridors_databank_2011Q1-2020Q3.csv"
RPW_ID = ["Sending Countries Name", "Sending Countries Code", "Series Name", "Series Code",
          "Receiving Countries  Name", "Receiving Countries  Code"]
RPW_SERIES = "ATCR.CORR"
TRAILER = ("Data from database:", "Last Updated:")
PERIOD = re.compile(r"(\d{4})Q([1-4]) \[YR\1Q\2\]")
WDI_COSTS = {
    "wdi_SI.RMT.COST.IB.ZS_sending-cost-to-country.xls": ("SI.RMT.COST.IB.ZS", "to"),
    "wdi_SI.RMT.COST.OB.ZS_sending-cost-from-country.xls": ("SI.RMT.COST.OB.ZS", "from"),
}


def read_rpw_corridors(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """RPW DataBank corridors CSV -> remittance_costs (sender/receiver: WB codes)."""
    raw = read_csv(files[RPW], RPW, dtype=str, keep_default_na=False)
    require_columns(raw, RPW_ID, f"{RPW} line 1")
    periods = {c: m for c in raw.columns[len(RPW_ID):] if (m := PERIOD.fullmatch(c))}
    if not periods:
        raise SchemaError(f"{RPW} line 1: no period columns like '2011Q1 [YR2011Q1]'")
    raw["_line"] = range(2, len(raw) + 2)
    first = raw["Sending Countries Name"]
    blank = (raw[RPW_ID] == "").all(axis=1)
    trailer = blank | first.str.startswith(TRAILER)
    if not first.str.startswith(TRAILER[1]).any():
        raise SchemaError(f"{RPW}: trailer line 'Last Updated: ...' not found; "
                          "the file may be truncated")
    end = int(trailer.to_numpy().argmax())
    if not trailer.iloc[end:].all():
        raise SchemaError(f"{RPW} line {raw['_line'].iloc[end]}: data after the trailer lines")
    body = raw.iloc[:end]
    series = body["Series Code"] != RPW_SERIES
    if series.any():
        raise SchemaError(f"{RPW} line {body.loc[series, '_line'].iloc[0]}: series "
                          f"{body.loc[series, 'Series Code'].iloc[0]!r}, expected {RPW_SERIES}")
    parts, negative = [], []
    for col, m in periods.items():
        values = numeric(body[col], RPW, body["_line"], col, measure=COST, missing=DOTS)
        negative += [f"line {body['_line'][i]} {col[:6]}: {values[i]:.2f}"
                     for i in values.index[values < 0]]
        keep = values.notna()
        parts.append(pd.DataFrame({
            "source": "RPW", "period": f"{m.group(1)}Q{m.group(2)}", "year": int(m.group(1)),
            "sender": body.loc[keep, "Sending Countries Code"],
            "receiver": body.loc[keep, "Receiving Countries  Code"],
            "cost_pct": values[keep], "src_file": RPW, "src_sheet": "",
            "src_row": body.loc[keep, "_line"].astype(str)}))
    out = Ingested(findings=_negative_costs(negative, source.key, RPW))
    out.add("remittance_costs", pd.concat(parts, ignore_index=True),
            {"sender": "wb", "receiver": "wb"},
            {"sender": "Sending Countries Code", "receiver": "Receiving Countries  Code"})
    return out


def _negative_costs(cells: list[str], key: str, where: str) -> list[Finding]:
    """One warning naming the negative costs (kept as published) of a file, if any:
    possible (an exchange-rate margin below zero) but implausible when large."""
    if not cells:
        return []
    return [Finding("negative_cost", "warning", key, where,
                    f"{len(cells)} negative total costs kept as published: {'; '.join(cells)}")]


def read_wdi_costs(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """WDI SI.RMT.COST.IB.ZS ('to') and SI.RMT.COST.OB.ZS ('from') -> remittance_cost_country."""
    out = Ingested()
    for name, (indicator, direction) in WDI_COSTS.items():
        frame = wdi_long(files[name], indicator, "cost_pct", COST)
        negative = frame[frame["cost_pct"] < 0]
        out.findings += _negative_costs(
            [f"row {r.src_row} {r.country} {r.year}: {r.cost_pct:.2f}"
             for r in negative.itertuples()], source.key, f"{name}, sheet {WDI_SHEET}")
        frame.insert(0, "source", "WDI")
        frame.insert(3, "direction", direction)
        out.add("remittance_cost_country", frame, {"country": "wb"},
                {"country": "B (Country Code)"})
    return out
