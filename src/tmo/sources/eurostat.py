"""Eurostat immigration by country of previous residence (migr_imm5prv), bilateral totals.

Layout: CSV `partner,geo,year,value`; partner = country of previous residence and geo
= reporting country, both Eurostat two-letter codes (Greece as GR or EL, the United
Kingdom as UK); `OTHER` lumps non-EU/EFTA partners and is not bilateral, so its
rows are left out (counted in an info finding). Values are persons per year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pycountry

from tmo.errors import SchemaError, SourceError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec

EUROSTAT_CODES = {"EL": "GRC", "UK": "GBR"}
NOT_BILATERAL = "OTHER"


def iso3(code: str) -> str | None:
    if code in EUROSTAT_CODES:
        return EUROSTAT_CODES[code]
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def read_immigration_by_previous_residence(files: dict[str, Path],
                                           source: SourceSpec) -> Ingested:
    name = next(iter(files))
    try:
        frame = pd.read_csv(files[name], dtype={"partner": str, "geo": str},
                            keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(f"{name}: unreadable CSV ({exc})") from exc
    missing = {"partner", "geo", "year", "value"} - set(frame.columns)
    if missing:
        raise SchemaError(f"{name}: missing columns {sorted(missing)} (line 1)")
    frame["src_row"] = (frame.index + 2).astype(str)
    other = frame["partner"].eq(NOT_BILATERAL) | frame["geo"].eq(NOT_BILATERAL)
    findings = [Finding("not_bilateral", "info", source.key, name,
                        f"{int(other.sum())} rows with partner or reporter OTHER left out")]
    frame = frame[~other]
    value = pd.to_numeric(frame["value"], errors="coerce")
    bad = value.isna() | (value < 0)
    if bad.any():
        row = frame.loc[bad, "src_row"].iloc[0]
        raise SourceError(f"{name} line {row}: value {frame.loc[bad, 'value'].iloc[0]!r} is not "
                          "a non-negative number")
    codes = {c: iso3(c) for c in set(frame["partner"]) | set(frame["geo"])}
    unknown = sorted(c for c, v in codes.items() if v is None)
    if unknown:
        raise SourceError(f"{name}: unknown country codes {unknown}")
    out = pd.DataFrame({
        "source": "Eurostat migr_imm5prv", "year": frame["year"].astype(int),
        "origin": frame["partner"].map(codes), "destination": frame["geo"].map(codes),
        "flow": value, "src_file": name, "src_sheet": "", "src_row": frame["src_row"],
    })
    ing = Ingested(findings=findings)
    ing.add("reported_flows", out, {"origin": "iso3", "destination": "iso3"})
    return ing
