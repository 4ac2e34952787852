"""UNHCR Refugee Population Statistics (official `refugees` R package, population.rda).

One row per (year, country of origin, country of asylum) of END-YEAR stocks, persons.
Origin and asylum keep UNHCR's ISO-like codes `coo_iso`/`coa_iso` (kind "unhcr":
UNK = unknown origin, plus codes for stateless). NA (only `oip` before that category
existed) stays null. Duplicate keys would be summed and reported; none exist in
2025.12.1. The `hst` (host community) column is not kept: it is not a displaced
population. Numbers: every count is finite, from 0 to the world population; a year
lies between 1900 and 2200 (tmo.sources.numbers).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import check_numbers, first_label, read_rda
from tmo.sources.numbers import PERSONS, YEAR

FILE, OBJECT = "population.rda", "population"
COUNTS = ["refugees", "asylum_seekers", "returned_refugees", "idps", "returned_idps",
          "stateless", "ooc", "oip"]
KEY = ["year", "origin", "asylum"]


def read_population(files: dict[str, Path], source: SourceSpec) -> Ingested:
    raw = read_rda(files[FILE], OBJECT, ["year", "coo_iso", "coa_iso", *COUNTS])
    where = f"{FILE}, object {OBJECT}"
    check_numbers(raw, ["year", *COUNTS], where, nonneg=tuple(COUNTS),
                  measures={"year": YEAR, **dict.fromkeys(COUNTS, PERSONS)})
    for col in ("year", "coo_iso", "coa_iso"):
        if raw[col].isna().any():
            raise SchemaError(f"{where}: row {first_label(raw[col].isna()) + 1}: {col} is empty")
    with np.errstate(invalid="ignore"):  # NaN (NA) rounds to NaN, then <NA>
        counts = {c: raw[c].round().astype("Int64") for c in COUNTS}
    frame = pd.DataFrame({
        "year": raw["year"].astype(int), "origin": raw["coo_iso"].astype(str),
        "asylum": raw["coa_iso"].astype(str),
        **counts,
        "src_file": FILE, "src_sheet": OBJECT,
        "src_row": (raw.index.to_series() + 1).astype(str).to_numpy()})
    findings = []
    dup = frame.duplicated(KEY, keep=False)
    if dup.any():
        findings.append(Finding(
            "duplicate_key", "warning", source.key, where,
            f"{int(dup.sum())} rows share (year, coo_iso, coa_iso) with another row, e.g. "
            f"{frame.loc[dup, [*KEY, 'src_row']].head(3).to_dict('records')}; summed"))
        frame = frame.groupby(KEY, as_index=False, sort=False).agg(
            **{c: (c, lambda s: s.sum(min_count=1)) for c in COUNTS},
            src_file=("src_file", "first"), src_sheet=("src_sheet", "first"),
            src_row=("src_row", "+".join))
    out = Ingested(findings=findings)
    out.add("refugees", frame, {"origin": "unhcr", "asylum": "unhcr"},
            {"origin": "coo_iso", "asylum": "coa_iso"})
    return out
