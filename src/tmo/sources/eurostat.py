"""Eurostat immigration by country of previous residence (migr_imm5prv), bilateral totals.

Layout: CSV `partner,geo,year,value`; partner = country of previous residence and geo
= reporting country, both Eurostat two-letter codes, emitted as published (GeoKind
"iso2": ISO 3166 alpha-2, plus Eurostat's EL for Greece and UK for the United
Kingdom, which `tmo.countries` resolves through aliases/iso2.tsv); `OTHER` lumps
non-EU/EFTA partners and is not bilateral, so its rows are left out (counted in an
info finding). Values are persons per year: finite, from 0 to the world population
(tmo.sources.numbers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tmo.errors import SourceError
from tmo.findings import Finding
from tmo.sources import numbers
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import read_csv, require_columns, single
from tmo.sources.numbers import PERSONS, YEAR

NOT_BILATERAL = "OTHER"


def read_immigration_by_previous_residence(files: dict[str, Path],
                                           source: SourceSpec) -> Ingested:
    name, path = single(files)
    frame = read_csv(path, name, dtype=str, keep_default_na=False)
    require_columns(frame, ["partner", "geo", "year", "value"], f"{name} line 1")
    frame["src_row"] = (frame.index + 2).astype(str)
    other = frame["partner"].eq(NOT_BILATERAL) | frame["geo"].eq(NOT_BILATERAL)
    findings = [Finding("not_bilateral", "info", source.key, name,
                        f"{int(other.sum())} rows with partner or reporter OTHER left out")]
    frame = frame[~other]
    value = pd.to_numeric(frame["value"], errors="coerce")
    year = pd.to_numeric(frame["year"], errors="coerce")
    for column, bad, what in (("value", value.isna() | (value < 0), "a non-negative number"),
                              ("year", year.isna() | (year % 1 != 0), "a year")):
        if bad.any():
            row = frame.loc[bad, "src_row"].iloc[0]
            raise SourceError(f"{name} line {row}: {column} {frame.loc[bad, column].iloc[0]!r} "
                              f"is not {what}")
    rows = frame["src_row"]
    for column, measure in (("value", PERSONS), ("year", YEAR)):
        def at(label: Any, column: str = column) -> str:
            return f"{name} line {rows[label]}, column {column}"
        numbers.check(frame[column], measure, at)
    out = pd.DataFrame({
        "source": "Eurostat migr_imm5prv", "year": year.astype(int),
        "origin": frame["partner"], "destination": frame["geo"],
        "flow": value, "src_file": name, "src_sheet": "", "src_row": frame["src_row"],
    })
    ing = Ingested(findings=findings)
    ing.add("reported_flows", out, {"origin": "iso2", "destination": "iso2"},
            {"origin": "partner", "destination": "geo"})
    return ing
