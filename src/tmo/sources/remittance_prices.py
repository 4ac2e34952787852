"""Remittance prices: Remittance Prices Worldwide corridors (DataBank CSV export) and
WDI average sending costs to / from a country (two WDI xls downloads).

RPW CSV quirks: UTF-8 byte-order mark; "Receiving Countries  Name/Code" with a DOUBLE
space; one column per period "2011Q1 [YR2011Q1]" (half-yearly 2011-2012, quarterly
from 2013Q1); ".." = no data (no row emitted); five trailer lines (blank rows, "Data
from database: ...", "Last Updated: ...") recognised and dropped. Values: average
total cost of sending the equivalent of USD 200, percent of the amount sent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.worldbank import numeric, wdi_long

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
    path = files[RPW]
    try:
        raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise SourceError(f"{RPW}: unreadable CSV ({exc})",
                          hint="the file is truncated or damaged; download it again") from exc
    missing = [c for c in RPW_ID if c not in raw.columns]
    if missing:
        raise SchemaError(f"{RPW} line 1: missing columns {missing} (header: "
                          f"{list(raw.columns)[:7]}...)")
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
        values = numeric(body[col].replace({"..": None, "": None}), RPW, body["_line"], col)
        negative += [f"line {body['_line'][i]} {col[:6]}: {values[i]:.2f}"
                     for i in values.index[values < 0]]
        keep = values.notna()
        parts.append(pd.DataFrame({
            "source": "RPW", "period": f"{m.group(1)}Q{m.group(2)}", "year": int(m.group(1)),
            "sender": body.loc[keep, "Sending Countries Code"],
            "receiver": body.loc[keep, "Receiving Countries  Code"],
            "cost_pct": values[keep], "src_file": RPW, "src_sheet": "",
            "src_row": body.loc[keep, "_line"].astype(str)}))
    out = Ingested()
    if negative:  # possible (FX margin below zero) but implausible when large: report, keep
        out.findings.append(Finding(
            "negative_cost", "warning", source.key, RPW,
            f"{len(negative)} negative total costs kept as published: {'; '.join(negative)}"))
    out.add("remittance_costs", pd.concat(parts, ignore_index=True),
            {"sender": "wb", "receiver": "wb"})
    return out


def read_wdi_costs(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """WDI SI.RMT.COST.IB.ZS ('to') and SI.RMT.COST.OB.ZS ('from') -> remittance_cost_country."""
    out = Ingested()
    for name, (indicator, direction) in WDI_COSTS.items():
        frame = wdi_long(files[name], indicator, "cost_pct")
        if (frame["cost_pct"] < 0).any():
            bad = frame[frame["cost_pct"] < 0].iloc[0]
            raise SchemaError(f"{name}, sheet Data row {bad['src_row']}: negative cost")
        frame.insert(0, "source", "WDI")
        frame.insert(3, "direction", direction)
        out.add("remittance_cost_country", frame, {"country": "wb"})
    return out
