"""The wpp2024 R package (.rda data.tables, THOUSANDS) and IOM gdidata's annual
population (persons) -> population, vital_events, population_projection.

- popAge5dt: population by 5-year age group, 1 July of every fifth year 1950-2020,
  by sex; summed over ages -> population (src_row "first-last" of the summed rows),
  and as published -> population_by_age (one row per age group and sex, src_row the
  row of the frame; `age_start` the group's first age, 100 for "100+");
- gdidata `wdi` (var "pop"): 1 July totals, ISO3 codes, for the years between;
- misc1dt + mig1dt (estimates), miscproj1dt + migproj1dt (medium projection): births,
  deaths and net migration per calendar year;
- popproj1dt: projected population at 31 December by variant (medium by sex; low,
  high and the 80/95% bounds as totals).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import SchemaError
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import check_numbers, persons, read_rda, rows_label
from tmo.sources.numbers import (
    EVENTS,
    M49,
    NET_MIGRATION,
    POPULATION,
    PROJECTION,
    THOUSANDS,
    YEAR,
    Measure,
)
from tmo.sources.wpp.tables import (
    GEO,
    aggregates,
    known_codes,
    read_locations,
    row_number,
    with_source,
)

SEXES = {"total": "pop", "male": "popM", "female": "popF"}  # popAge5dt columns
# The plausible range of each numeric column of the package's frames (THOUSANDS).
MEASURES: dict[str, Measure] = {
    "country_code": M49, "year": YEAR, "t": YEAR,
    **dict.fromkeys(["popM", "popF", "pop"], POPULATION.per(1000, THOUSANDS)),
    **dict.fromkeys(["births", "deaths"], EVENTS.per(1000, THOUSANDS)),
    "mig": NET_MIGRATION.per(1000, THOUSANDS),
    **dict.fromkeys(["pop_80l", "pop_80u", "pop_95l", "pop_95u", "pop_low", "pop_high"],
                    PROJECTION.per(1000, THOUSANDS)),
}
CODE = {"country": "country_code"}
PROJECTED = {"popM": PROJECTION.per(1000, THOUSANDS), "popF": PROJECTION.per(1000, THOUSANDS)}


def _rda(files: dict[str, Path], name: str, obj: str, columns: list[str], *,
         nonneg: tuple[str, ...] = (), locations: pd.DataFrame | None = None,
         measures: dict[str, Measure] | None = None, required: tuple[str, ...] = (),
         ) -> pd.DataFrame:
    where = f"{name}, object {obj}"
    frame = read_rda(files[name], obj, columns)
    check_numbers(frame, [c for c in columns if c not in ("age", "geo", "var")], where,
                  nonneg=nonneg, measures={**MEASURES, **(measures or {})}, required=required)
    frame = frame.copy()
    frame["_row"] = np.arange(1, len(frame) + 1)
    if locations is not None:
        rows = frame["_row"]
        known_codes(frame["country_code"], locations,
                    lambda i: f"{where}: column 'country_code' row {rows[i]}")
    return frame


def _population_by_age(frame: pd.DataFrame, name: str, obj: str) -> pd.DataFrame:
    """Sum age groups per (country_code, year); one row per sex, persons."""
    groups = frame.groupby(["country_code", "year"], sort=True)
    n_ages = frame["age"].nunique()
    sizes = groups.size()
    if (sizes != n_ages).any():
        (code, year) = sizes.index[int((sizes != n_ages).argmax())]
        raise SchemaError(f"{name}, object {obj}: location {code} year {year} has "
                          f"{sizes[(code, year)]} age groups, expected {n_ages}")
    sums = groups[list(SEXES.values())].sum()
    rows = groups["_row"].agg(rows_label)
    parts = []
    for sex, col in SEXES.items():
        parts.append(pd.DataFrame({
            "year": sums.index.get_level_values("year").astype(int),
            "country": sums.index.get_level_values("country_code").astype(str),
            "sex": sex, "population": persons(sums[col]).astype("int64").to_numpy(),
            "src_file": name, "src_sheet": obj, "src_row": rows.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def _age_start(ages: pd.Series, where: str, rows: pd.Series) -> np.ndarray:
    """The first age of each group label ("0-4" -> 0, "100+" -> 100); SchemaError naming
    the row for a label that is neither. Labels are parsed once each (21 of them)."""
    labels = pd.Series(pd.unique(ages))
    starts = labels.astype(str).str.extract(r"^(\d+)(?:-\d+|\+)$")[0]
    bad = set(labels[starts.isna() | labels.isna()])
    if bad:
        i = ages.index[int(ages.isin(bad).to_numpy().argmax())]
        raise SchemaError(f"{where}: column 'age' row {rows[i]}: {ages[i]!r} is not an age "
                          "group like '0-4' or '100+'")
    lookup = dict(zip(labels, starts.astype(int), strict=True))
    return ages.map(lookup).to_numpy(dtype="int64")


def _age_groups(frame: pd.DataFrame, name: str, obj: str) -> pd.DataFrame:
    """popAge5dt as published: one row per location, year, age group and sex, persons."""
    start = _age_start(frame["age"], f"{name}, object {obj}", frame["_row"])
    parts = [pd.DataFrame({
        "year": frame["year"].astype(int).to_numpy(),
        "country": frame["country_code"].astype(int).astype(str).to_numpy(),
        "age": frame["age"].astype(str).to_numpy(), "age_start": start,
        "sex": sex, "population": persons(frame[col]).astype("int64").to_numpy(),
        "src_file": name, "src_sheet": obj, "src_row": frame["_row"].astype(str).to_numpy()})
        for sex, col in SEXES.items()]
    return pd.concat(parts, ignore_index=True)


def _annual_population(files: dict[str, Path], by_age: pd.DataFrame) -> pd.DataFrame:
    """gdidata's annual 1 July totals (ISO3 codes, persons) for the years popAge5dt lacks.

    popAge5dt gives the 5-yearly years by sex; gdidata fills the years in between, so
    each (year, country) has one source. The two agree to a few persons in the common
    years (Germany 2020: 83,628,708 vs 83,628,712).
    """
    name = "gdidata_wdi.rda"
    wdi = _rda(files, name, "wdi", ["geo", "var", "t", "v"])
    pop = wdi[wdi["var"] == "pop"]
    if pop.empty:
        raise SchemaError(f"{name}, object wdi: no rows with var == 'pop'")
    bad = pop["v"].isna() | (pop["v"] < 0)
    if bad.any():
        raise SchemaError(f"{name}, object wdi: row {pop.loc[bad, '_row'].iloc[0]}: "
                          f"population {pop.loc[bad, 'v'].iloc[0]} is missing or negative")
    check_numbers(pop, ["v"], f"{name}, object wdi (var 'pop')", row=pop["_row"],
                  measures={"v": POPULATION})
    pop = pop[~pop["t"].astype(int).isin(set(by_age["year"]))]
    return pd.DataFrame({"year": pop["t"].astype(int).to_numpy(),
                         "country": pop["geo"].astype(str).to_numpy(), "sex": "total",
                         "population": pop["v"].round().astype("int64").to_numpy(),
                         "src_file": name, "src_sheet": "wdi",
                         "src_row": pop["_row"].astype(str).to_numpy()})


def _events(misc: pd.DataFrame, mig: pd.DataFrame, names: tuple[str, str], period: int
            ) -> pd.DataFrame:
    both = misc.merge(mig, on=["country_code", "year"], how="outer", suffixes=("", "_mig"))
    return pd.DataFrame({
        "year": both["year"].astype(int), "period_years": period,
        "country": both["country_code"].astype(int).astype(str),
        "births": persons(both["births"]), "deaths": persons(both["deaths"]),
        "net_migration": persons(both["mig"]),
        "src_file": f"{names[0]}.rda+{names[1]}.rda", "src_sheet": f"{names[0]}+{names[1]}",
        "src_row": [f"{row_number(a)}+{row_number(b)}"
                    for a, b in zip(both["_row"], both["_row_mig"], strict=True)]})


def _projection(frame: pd.DataFrame, revision: str) -> pd.DataFrame:
    series = {("medium", "male"): frame["popM"], ("medium", "female"): frame["popF"],
              ("medium", "total"): frame["popM"] + frame["popF"]}
    for variant in ("low", "high", "80l", "80u", "95l", "95u"):
        series[(variant, "total")] = frame[f"pop_{variant}"]
    parts = [pd.DataFrame({
        "year": frame["year"].astype(int), "date": "12-31",
        "country": frame["country_code"].astype(int).astype(str), "variant": variant,
        "sex": sex, "population": persons(values), "src_file": "popproj1dt.rda",
        "src_sheet": "popproj1dt", "src_row": frame["_row"].astype(str)})
        for (variant, sex), values in series.items()]
    return with_source(pd.concat(parts, ignore_index=True), revision)


def read_wpp2024_rpackage(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """wpp2024 R package + gdidata annual population -> population, population_by_age,
    vital_events, population_projection."""
    rev = source.revision
    locations = read_locations(files["UNlocations.txt"])
    age = _rda(files, "popAge5dt.rda", "popAge5dt",
               ["country_code", "year", "age", "popM", "popF", "pop"],
               nonneg=("popM", "popF", "pop"), locations=locations,
               required=("country_code", "year", "popM", "popF", "pop"))  # summed over ages
    groups = _age_groups(age, "popAge5dt.rda", "popAge5dt")  # checks the age labels
    by_age = _population_by_age(age, "popAge5dt.rda", "popAge5dt")
    annual = _annual_population(files, by_age)
    out = Ingested(aggregates=aggregates(locations))
    out.add("population", with_source(by_age, rev), GEO, CODE)
    out.add("population_by_age", with_source(groups, rev), GEO, CODE)
    out.add("population", with_source(annual, rev), {"country": "iso3"}, {"country": "geo"})
    ev = ["country_code", "year", "births", "deaths"]
    for misc_obj, mig_obj in (("misc1dt", "mig1dt"), ("miscproj1dt", "migproj1dt")):
        misc = _rda(files, f"{misc_obj}.rda", misc_obj, ev, nonneg=("births", "deaths"),
                    locations=locations)
        mig = _rda(files, f"{mig_obj}.rda", mig_obj, ["country_code", "year", "mig"],
                   locations=locations)
        events = _events(misc[[*ev, "_row"]], mig[["country_code", "year", "mig", "_row"]],
                         (misc_obj, mig_obj), 1)
        out.add("vital_events", with_source(events, rev), GEO, CODE)
    proj = _rda(files, "popproj1dt.rda", "popproj1dt",
                ["country_code", "year", "popM", "popF", "pop_80l", "pop_80u", "pop_95l",
                 "pop_95u", "pop_low", "pop_high"],
                nonneg=("popM", "popF", "pop_80l", "pop_80u", "pop_95l", "pop_95u",
                        "pop_low", "pop_high"), locations=locations, measures=PROJECTED)
    out.add("population_projection", _projection(proj, rev), GEO, CODE)
    return out
