"""IDMC internally displaced persons by conflict and violence, as published in UNHCR's
`refugees` R package (idmc.rda, object `idmc`): one row per year and country, the
number of people living in internal displacement at the end of the year, persons.

The file repeats the country as origin and asylum (`coo_iso` = `coa_iso`); the country
is `coo_iso` (GeoKind "unhcr") and a row whose two codes differ is an error naming it.
`UNK` rows hold the displaced IDMC could not attribute to a country (years without a
country breakdown). Numbers and keys follow `tmo.sources.unhcr`.
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

FILE, OBJECT = "idmc.rda", "idmc"


def read_idmc(files: dict[str, Path], source: SourceSpec) -> Ingested:
    raw = read_rda(files[FILE], OBJECT, ["year", "coo_iso", "coa_iso", "total"])
    where = f"{FILE}, object {OBJECT}"
    check_numbers(raw, ["year", "total"], where, nonneg=("total",),
                  measures={"year": YEAR, "total": PERSONS}, required=("total",))
    for col in ("year", "coo_iso"):
        if raw[col].isna().any():
            raise SchemaError(f"{where}: row {first_label(raw[col].isna()) + 1}: {col} is empty")
    differ = raw["coo_iso"] != raw["coa_iso"]
    if differ.any():
        i = first_label(differ)
        raise SchemaError(f"{where}: row {i + 1}: coo_iso {raw['coo_iso'][i]!r} and coa_iso "
                          f"{raw['coa_iso'][i]!r} differ (IDMC rows name one country)")
    with np.errstate(invalid="ignore"):
        idps = raw["total"].round().astype("Int64")
    frame = pd.DataFrame({
        "year": raw["year"].astype(int), "country": raw["coo_iso"].astype(str), "idps": idps,
        "src_file": FILE, "src_sheet": OBJECT,
        "src_row": (raw.index.to_series() + 1).astype(str).to_numpy()})
    findings = []
    dup = frame.duplicated(["year", "country"], keep=False)
    if dup.any():
        findings.append(Finding(
            "duplicate_key", "warning", source.key, where,
            f"{int(dup.sum())} rows share (year, coo_iso) with another row, e.g. "
            f"{frame.loc[dup, ['year', 'country', 'src_row']].head(3).to_dict('records')}; "
            "summed"))
        frame = frame.groupby(["year", "country"], as_index=False, sort=False).agg(
            idps=("idps", "sum"), src_file=("src_file", "first"),
            src_sheet=("src_sheet", "first"), src_row=("src_row", "+".join))
    out = Ingested(findings=findings)
    out.add("internal_displacement", frame, {"country": "unhcr"}, {"country": "coo_iso"})
    return out
