"""The wpp2019 R package text files (popM.txt, popF.txt by 5-year age group and
migration.txt by 5-year period, year columns, THOUSANDS) and the open-numbers DDF CSVs
of births and deaths per 5-year period -> population, vital_events.

Population: 1 July of every fifth year, summed over ages, male and female from
their own files, total = male + female. Events: 5-year periods, `year` = the first
year of the period ("1950-1955" -> 1950), `period_years` = 5.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import check_numbers, persons, rows_label
from tmo.sources.numbers import EVENTS, M49, NET_MIGRATION, POPULATION, THOUSANDS, YEAR, Measure
from tmo.sources.wpp.tables import (
    GEO,
    aggregates,
    heading_finding,
    known_codes,
    read_locations,
    read_table,
    row_number,
    with_source,
)

BIRTHS = "ddf--datapoints--births--by--country--time--freq.csv"
DEATHS = "ddf--datapoints--deaths--by--country--time--freq.csv"


def _codes(frame: pd.DataFrame, name: str, column: str, locations: pd.DataFrame, *,
           findings: list[Finding] | None = None, key: str = "") -> pd.DataFrame:
    """Location codes: whole M49 numbers that UNlocations.txt lists; the frame without
    the heading rows of a named table (reported in `findings`)."""
    check_numbers(frame, [column], name, row=frame["_row"], measures={column: M49})
    names = frame["name"] if "name" in frame.columns else None
    rows = frame["_row"]
    heading = known_codes(frame[column], locations,
                          lambda i: f"{name}: column {column!r} line {rows[i]}", names)
    if findings is not None:
        findings += heading_finding(frame, heading, key, name)
    elif heading.any():  # a table that cannot report headings keeps none
        first = frame.loc[heading].iloc[0]
        raise SchemaError(f"{name}: column {column!r} line {first['_row']}: location code "
                          f"{first[column]} is not in UNlocations.txt")
    return frame[~heading]


def _wide_years(frame: pd.DataFrame, name: str, ids: list[str], measure: Measure,
                locations: pd.DataFrame, *, findings: list[Finding] | None = None,
                key: str = "", complete: bool = False) -> pd.DataFrame:
    """Melt year (or 'YYYY-YYYY' period) columns; `year` = first year of the label."""
    cols = [c for c in frame.columns if c[:4].isdigit()]
    if not cols:
        raise SchemaError(f"{name}: no year columns in header {list(frame.columns)}")
    frame = _codes(frame, name, "country_code", locations, findings=findings, key=key)
    check_numbers(frame, cols, name, row=frame["_row"], measures=dict.fromkeys(cols, measure),
                  required=cols if complete else ())
    long = frame.melt(id_vars=[*ids, "_row"], value_vars=cols, var_name="label")
    long["year"] = long["label"].str[:4].astype(int)
    return long.dropna(subset=["value"])


def _sex_sums(path: Path, locations: pd.DataFrame) -> pd.DataFrame:
    frame = read_table(path, ["country_code", "age"])
    long = _wide_years(frame, path.name, ["country_code", "age"],
                       POPULATION.per(1000, THOUSANDS), locations,
                       complete=True)  # summed over ages: an empty cell would lower the sum
    if (long["value"] < 0).any():
        bad = long[long["value"] < 0].iloc[0]
        raise SchemaError(f"{path.name}: line {bad['_row']} column {bad['label']}: "
                          f"negative population {bad['value']}")
    groups = long.groupby(["country_code", "year"])
    return pd.DataFrame({"value": groups["value"].sum(),
                         "rows": groups["_row"].agg(rows_label)}).reset_index()


def _ddf(path: Path, measure: str, locations: pd.DataFrame) -> pd.DataFrame:
    frame = read_table(path, ["country", "time", "freq", measure], sep=",")
    check_numbers(frame, ["time", measure], path.name, nonneg=(measure,), row=frame["_row"],
                  measures={"time": YEAR, measure: EVENTS.per(1000, THOUSANDS)})
    _codes(frame, path.name, "country", locations)
    if (frame["freq"] != "5yr").any():
        bad = frame[frame["freq"] != "5yr"].iloc[0]
        raise SchemaError(f"{path.name}: line {bad['_row']}: freq {bad['freq']!r}, expected '5yr'")
    return frame.rename(columns={"country": "country_code", "time": "year"})


def read_wpp2019_rpackage(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """wpp2019 R package text files + DDF births/deaths -> population, vital_events."""
    rev = source.revision
    locations = read_locations(files["UNlocations.txt"])
    male = _sex_sums(files["popM.txt"], locations)
    female = _sex_sums(files["popF.txt"], locations)
    both = male.merge(female, on=["country_code", "year"], how="outer",
                      suffixes=("_m", "_f"), indicator=True)
    if (both["_merge"] != "both").any():
        bad = both[both["_merge"] != "both"].iloc[0]
        raise SchemaError(f"popM.txt/popF.txt: location {bad['country_code']} year "
                          f"{bad['year']} is in only one of the two files")
    parts = []
    for sex, value, src, rows in (
        ("male", persons(both["value_m"]), "popM.txt", both["rows_m"]),
        ("female", persons(both["value_f"]), "popF.txt", both["rows_f"]),
        ("total", persons(both["value_m"]) + persons(both["value_f"]), "popM.txt+popF.txt",
         both["rows_m"] + "+" + both["rows_f"]),
    ):
        parts.append(pd.DataFrame({
            "year": both["year"], "country": both["country_code"].astype(int).astype(str),
            "sex": sex, "population": value.astype("int64"), "src_file": src, "src_sheet": "",
            "src_row": rows}))
    out = Ingested(aggregates=aggregates(locations))
    out.add("population", with_source(pd.concat(parts, ignore_index=True), rev), GEO,
            {"country": "country_code"})
    mig = _wide_years(read_table(files["migration.txt"], ["country_code"]), "migration.txt",
                      ["country_code"], NET_MIGRATION.per(1000, THOUSANDS), locations,
                      findings=out.findings, key=source.key)
    births = _ddf(files[BIRTHS], "births", locations)
    deaths = _ddf(files[DEATHS], "deaths", locations)
    ev = births.merge(deaths, on=["country_code", "year"], how="outer",
                      suffixes=("_b", "_d"))
    ev = ev.merge(mig.rename(columns={"value": "mig", "_row": "_row_m"}),
                  on=["country_code", "year"], how="outer")
    events = pd.DataFrame({
        "year": ev["year"].astype(int), "period_years": 5,
        "country": ev["country_code"].astype(int).astype(str),
        "births": persons(ev["births"]), "deaths": persons(ev["deaths"]),
        "net_migration": persons(ev["mig"]),
        "src_file": f"{BIRTHS}+{DEATHS}+migration.txt",
        "src_sheet": "",
        "src_row": [f"{row_number(b)}+{row_number(d)}+{row_number(m)}" for b, d, m in
                    zip(ev["_row_b"], ev["_row_d"], ev["_row_m"], strict=True)]})
    out.add("vital_events", with_source(events, rev), GEO,
            {"country": "country (births, deaths), country_code (migration)"})
    return out
