"""UNHCR asylum applications, asylum decisions and durable solutions (official `refugees`
R package: asylum_applications.rda, asylum_decisions.rda, solutions.rda).

One thin adapter per file, on the pattern of `tmo.sources.unhcr` (population.rda): origin
and asylum keep UNHCR's ISO-like codes `coo_iso`/`coa_iso` (GeoKind "unhcr"), every count
is a non-negative whole number of persons or cases, a year lies in 1900-2200, an empty
key cell is an error naming the row, and NA stays null (the solutions file leaves a cell
NA where nothing was reported: it is not 0). Repeated keys are summed and reported.

Units: applications and decisions are published in persons (`app_pc`/`dec_pc` = "P") or,
for some countries and years, in cases ("C", a case may hold several persons). The unit
is kept as a key column (`unit` = "persons" / "cases") so the two are never added.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.base import GeoKind, Ingested, SourceSpec
from tmo.sources.io import check_numbers, first_label, read_rda
from tmo.sources.numbers import PERSONS, YEAR

UNITS = {"P": "persons", "C": "cases"}
APPLICATION_COUNTS = ["applied"]
DECISION_COUNTS = {"dec_recognized": "recognized", "dec_other": "complementary",
                   "dec_rejected": "rejected", "dec_closed": "closed", "dec_total": "total"}
SOLUTION_COUNTS = ["returned_refugees", "resettlement", "naturalisation", "returned_idps"]
GEO: dict[str, GeoKind] = {"origin": "unhcr", "asylum": "unhcr"}
LABELS = {"origin": "coo_iso", "asylum": "coa_iso"}


def _read(path: Path, file: str, obj: str, text: list[str], counts: list[str]
          ) -> tuple[pd.DataFrame, str]:
    """The frame with its key cells checked (non-empty) and counts checked (numbers
    policy), and the 'file, object' label of error messages."""
    raw = read_rda(path, obj, ["year", "coo_iso", "coa_iso", *text, *counts], name=file)
    where = f"{file}, object {obj}"
    check_numbers(raw, ["year", *counts], where, nonneg=tuple(counts),
                  measures={"year": YEAR, **dict.fromkeys(counts, PERSONS)})
    for col in ("year", "coo_iso", "coa_iso", *text):
        empty = raw[col].isna()
        if empty.any():
            raise SchemaError(f"{where}: row {first_label(empty) + 1}: {col} is empty")
    return raw, where


def _frame(raw: pd.DataFrame, file: str, obj: str, columns: dict[str, pd.Series]
           ) -> pd.DataFrame:
    return pd.DataFrame({
        "year": raw["year"].astype(int), "origin": raw["coo_iso"].astype(str),
        "asylum": raw["coa_iso"].astype(str), **columns,
        "src_file": file, "src_sheet": obj,
        "src_row": (raw.index.to_series() + 1).astype(str).to_numpy()})


def _whole(values: pd.Series) -> pd.Series:
    with np.errstate(invalid="ignore"):  # NA rounds to NaN, then <NA>
        return values.round().astype("Int64")


def _units(raw: pd.DataFrame, col: str, where: str) -> pd.Series:
    bad = ~raw[col].isin(list(UNITS))
    if bad.any():
        i = first_label(bad)
        raise SchemaError(f"{where}: row {i + 1}: {col} {raw[col][i]!r} is neither P "
                          "(persons) nor C (cases)")
    return raw[col].map(UNITS)


def _dedupe(frame: pd.DataFrame, key: list[str], counts: list[str], source: SourceSpec,
            where: str) -> tuple[pd.DataFrame, list[Finding]]:
    """Rows sharing a key summed (src_row "12+13") with a duplicate_key warning."""
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame, []
    finding = Finding(
        "duplicate_key", "warning", source.key, where,
        f"{int(dup.sum())} rows share ({', '.join(key)}) with another row, e.g. "
        f"{frame.loc[dup, [*key, 'src_row']].head(3).to_dict('records')}; summed")
    frame = frame.groupby(key, as_index=False, sort=False).agg(
        **{c: (c, lambda s: s.sum(min_count=1)) for c in counts},
        src_file=("src_file", "first"), src_sheet=("src_sheet", "first"),
        src_row=("src_row", "+".join))
    return frame, [finding]


def read_asylum_applications(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """asylum_applications.rda -> `asylum_applications`: applications lodged during the
    year by origin, asylum, procedure type, application type, decision level and unit."""
    file = obj = "asylum_applications"
    file += ".rda"
    raw, where = _read(files[file], file, obj,
                       ["procedure_type", "app_type", "dec_level", "app_pc"], APPLICATION_COUNTS)
    frame = _frame(raw, file, obj, {
        "procedure": raw["procedure_type"].astype(str), "app_type": raw["app_type"].astype(str),
        "dec_level": raw["dec_level"].astype(str), "unit": _units(raw, "app_pc", where),
        "applied": _whole(raw["applied"])})
    key = ["year", "origin", "asylum", "procedure", "app_type", "dec_level", "unit"]
    frame, findings = _dedupe(frame, key, ["applied"], source, where)
    out = Ingested(findings=findings)
    out.add("asylum_applications", frame, GEO, LABELS)
    return out


def read_asylum_decisions(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """asylum_decisions.rda -> `asylum_decisions`: decisions taken during the year
    (recognised, complementary protection, rejected, otherwise closed, total as
    published) by origin, asylum, procedure type, decision level and unit."""
    file = obj = "asylum_decisions"
    file += ".rda"
    raw, where = _read(files[file], file, obj, ["procedure_type", "dec_level", "dec_pc"],
                       list(DECISION_COUNTS))
    frame = _frame(raw, file, obj, {
        "procedure": raw["procedure_type"].astype(str),
        "dec_level": raw["dec_level"].astype(str), "unit": _units(raw, "dec_pc", where),
        **{new: _whole(raw[old]) for old, new in DECISION_COUNTS.items()}})
    key = ["year", "origin", "asylum", "procedure", "dec_level", "unit"]
    counts = list(DECISION_COUNTS.values())
    frame, findings = _dedupe(frame, key, counts, source, where)
    parts = frame[["recognized", "complementary", "rejected", "closed"]].sum(axis=1)
    off = (parts != frame["total"]).fillna(False)
    if off.any():
        first = frame.loc[off].iloc[0]
        findings.append(Finding(
            "total_mismatch", "info", source.key, where,
            f"{int(off.sum())} rows publish a dec_total other than recognised + complementary "
            f"+ rejected + closed (e.g. row {first['src_row']}: {int(first['total'])} against "
            f"{int(parts[off].iloc[0])}); dec_total is kept as published and the recognition "
            "rates use the parts"))
    out = Ingested(findings=findings)
    out.add("asylum_decisions", frame, GEO, LABELS)
    return out


def read_solutions(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """solutions.rda -> `durable_solutions`: refugees returned, resettled and naturalised,
    and IDPs returned, during the year, by origin and asylum (NA stays null)."""
    file = obj = "solutions"
    file += ".rda"
    raw, where = _read(files[file], file, obj, [], SOLUTION_COUNTS)
    frame = _frame(raw, file, obj, {c: _whole(raw[c]) for c in SOLUTION_COUNTS})
    frame, findings = _dedupe(frame, ["year", "origin", "asylum"], SOLUTION_COUNTS, source,
                              where)
    out = Ingested(findings=findings)
    out.add("durable_solutions", frame, GEO, LABELS)
    return out
