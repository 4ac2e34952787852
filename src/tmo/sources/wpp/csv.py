"""The official WPP CSV downloads (THOUSANDS) -> population, vital_events,
population_projection.

- 2024: WPP2024_Demographic_Indicators_Medium.csv.gz, one row per location and year:
  1 July population by sex (estimates to 2023 -> population; later years -> medium
  projection dated "07-01"), 1 January population (1 Jan t+1 -> projection dated
  "12-31" of t), births, deaths, net migration per calendar year;
- 2019: WPP2019_TotalPopulationBySex.csv (1 July population, estimates to 2020) and
  WPP2019_Period_Indicators_Medium.csv (events per 5-year period "1950-1955").
Only the rows of the Medium variant are read.

Numbers (tmo.sources.numbers): only an empty cell is missing; populations lie between 0
and twice the world population (the columns hold projections to 2100), births and
deaths between 0 and the world population, net migration within it either way.
Aggregates: the 2024 file types each location (LocTypeID, 4 = country or area), and the
other types are the file's own list of aggregates. The 2019 files type none: their codes
from 900 (M49's numbering for aggregates) are only assumed to be aggregates
(`Ingested.assumed_aggregates`, with the name the file gives in `Location`), and the
build confirms each against the UN annex; one the annex lacks is refused when its name
is a country's (Comoros coded 999), else kept as an aggregate with a warning
(`tmo.store.build`, docs/reliability.md "The number policy").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import check_numbers, persons
from tmo.sources.numbers import EVENTS, M49, NET_MIGRATION, PROJECTION, THOUSANDS, Measure
from tmo.sources.wpp.tables import COUNTRY, GEO, read_table, with_source

ESTIMATES_END = {"2024": 2023, "2019": 2020}  # last year of estimates; projections follow
CSV_2024 = "WPP2024_Demographic_Indicators_Medium.csv.gz"
CSV_2019_PERIOD = "WPP2019_Period_Indicators_Medium.csv"
CSV_2019_POP = "WPP2019_TotalPopulationBySex.csv"
AGGREGATES_FROM = 900  # M49: only for files that give no location type (2019)
MEASURES: dict[str, Measure] = {
    "LocID": M49, "Births": EVENTS.per(1000, THOUSANDS),
    "Deaths": EVENTS.per(1000, THOUSANDS), "NetMigrations": NET_MIGRATION.per(1000, THOUSANDS)}
POPULATION = PROJECTION.per(1000, THOUSANDS)
CODE = {"country": "LocID"}  # estimates and projections share columns


def _official(path: Path, columns: list[str]) -> pd.DataFrame:
    frame = read_table(path, columns, sep=",")
    frame = frame[frame["Variant"] == "Medium"]
    count_cols = [c for c in columns
                  if c not in ("LocID", "Location", "Variant", "Time", "NetMigrations")]
    check_numbers(frame, ["LocID", *count_cols, *(["NetMigrations"] if "NetMigrations" in
                  columns else [])], path.name, nonneg=tuple(count_cols), row=frame["_row"],
                  measures={c: MEASURES.get(c, POPULATION) for c in columns})
    return frame


def _aggregates(frames: list[tuple[str, pd.DataFrame]], out: Ingested) -> None:
    """The file's own aggregates: LocIDs whose LocTypeID is not 4. Without LocTypeID
    (2019), LocIDs from 900 are assumed aggregates, each with its first cell and the name
    the file gives it, for the build to confirm against the UN annex."""
    for name, frame in frames:
        loc = frame["LocID"].astype(int)
        if "LocTypeID" in frame.columns:
            kind = pd.to_numeric(frame["LocTypeID"], errors="coerce")
            out.aggregates |= set(loc[kind != COUNTRY])
            continue
        high = frame[loc >= AGGREGATES_FROM]
        for code, line, place in zip(high["LocID"].astype(int), high["_row"].astype(int),
                                     high["Location"].astype(str), strict=True):
            if code not in out.assumed_aggregates:
                out.assumed_aggregates[code] = f"{name} line {line}, column LocID"
                out.aggregate_names[code] = place.strip()


def _rows(frame: pd.DataFrame, name: str, values: dict[tuple[str, str], str],
          year: pd.Series, **extra: str) -> pd.DataFrame:
    parts = [pd.DataFrame({
        "year": year, **({"date": extra["date"]} if "date" in extra else {}),
        "country": frame["LocID"].astype(int).astype(str),
        **({"variant": variant} if "date" in extra else {}), "sex": sex,
        "population": persons(frame[col]), "src_file": name, "src_sheet": "",
        "src_row": frame["_row"].astype(str)}).dropna(subset=["population"])
        for (variant, sex), col in values.items()]
    return pd.concat(parts, ignore_index=True)


def _split_population(frame: pd.DataFrame, name: str, rev: str, cols: dict[str, str],
                      out: Ingested) -> None:
    """1 July population: estimates -> population, medium projection -> '07-01' rows."""
    year = frame["Time"].astype(int)
    est, proj = frame[year <= ESTIMATES_END[rev]], frame[year > ESTIMATES_END[rev]]
    pop = _rows(est, name, {("medium", s): c for s, c in cols.items()},
                est["Time"].astype(int))
    pop["population"] = pop["population"].astype("int64")
    out.add("population", with_source(pop, rev), GEO, CODE)
    july = _rows(proj, name, {("medium", s): c for s, c in cols.items()},
                 proj["Time"].astype(int), date="07-01")
    out.add("population_projection", with_source(july, rev), GEO, CODE)


def _events(frame: pd.DataFrame, name: str, rev: str, period: int) -> pd.DataFrame:
    return with_source(pd.DataFrame({
        "year": frame["Time"].astype(str).str[:4].astype(int), "period_years": period,
        "country": frame["LocID"].astype(int).astype(str),
        "births": persons(frame["Births"]), "deaths": persons(frame["Deaths"]),
        "net_migration": persons(frame["NetMigrations"]), "src_file": name,
        "src_sheet": "", "src_row": frame["_row"].astype(str)}), rev)


def read_wpp_csv(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """Official WPP CSV downloads (2024 Demographic Indicators; 2019 Period Indicators +
    TotalPopulationBySex) -> population, vital_events, population_projection."""
    rev, out = source.revision, Ingested()
    if CSV_2024 in files:
        frame = _official(files[CSV_2024], [
            "LocID", "Variant", "Time", "TPopulation1Jan", "TPopulation1July",
            "TPopulationMale1July", "TPopulationFemale1July", "Births", "Deaths",
            "NetMigrations"])
        _aggregates([(CSV_2024, frame)], out)
        _split_population(frame, CSV_2024, rev, {"total": "TPopulation1July",
                          "male": "TPopulationMale1July", "female": "TPopulationFemale1July"},
                          out)
        jan = frame[frame["Time"].astype(int) > ESTIMATES_END[rev] + 1]
        dec = _rows(jan, CSV_2024, {("medium", "total"): "TPopulation1Jan"},
                    jan["Time"].astype(int) - 1, date="12-31")  # 1 Jan t+1 = 31 Dec t
        out.add("population_projection", with_source(dec, rev), GEO, CODE)
        out.add("vital_events", _events(frame, CSV_2024, rev, 1), GEO, CODE)
        return out
    if CSV_2019_POP not in files or CSV_2019_PERIOD not in files:
        raise SourceError(f"read_wpp_csv: expected {CSV_2024}, or {CSV_2019_PERIOD} and "
                          f"{CSV_2019_POP}; got {sorted(files)}")
    pop = _official(files[CSV_2019_POP], ["LocID", "Location", "Variant", "Time", "PopMale",
                                           "PopFemale", "PopTotal"])
    _split_population(pop, CSV_2019_POP, rev, {"total": "PopTotal", "male": "PopMale",
                                               "female": "PopFemale"}, out)
    period = _official(files[CSV_2019_PERIOD], ["LocID", "Location", "Variant", "Time",
                                                 "Births", "Deaths", "NetMigrations"])
    _aggregates([(CSV_2019_POP, pop), (CSV_2019_PERIOD, period)], out)
    bad = ~period["Time"].astype(str).str.fullmatch(r"\d{4}-\d{4}")
    if bad.any():
        raise SchemaError(f"{CSV_2019_PERIOD}: line {period.loc[bad, '_row'].iloc[0]}: Time "
                          f"{period.loc[bad, 'Time'].iloc[0]!r} is not a period like 1950-1955")
    out.add("vital_events", _events(period, CSV_2019_PERIOD, rev, 5), GEO, CODE)
    return out
