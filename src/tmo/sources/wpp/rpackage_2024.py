"""UN World Population Prospects: R data packages (wpp2024, wpp2019) and official CSVs.

Units: every WPP file publishes THOUSANDS; the adapters emit persons (population as
round(x * 1000), events as x * 1000 rounded to whole persons). Timing and the other
quirks are documented in docs/sources/wpp.md. Locations are M49 codes (aggregates
included); IOM gdidata's annual population uses ISO3 and comes as its own part (see
`_annual_population`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.rda import read_frame

SOURCE = "UN WPP"
GEO = {"country": "m49"}
ESTIMATES_END = {"2024": 2023, "2019": 2020}  # last year of estimates; projections follow
SEXES = {"total": "pop", "male": "popM", "female": "popF"}


def persons(thousands: pd.Series) -> pd.Series:
    """Thousands (3 decimals = whole persons) -> persons, rounded to the person."""
    return (thousands.astype("float64") * 1000).round()


def rows_label(rows: pd.Series) -> str:
    """Provenance of a figure summed over source rows: "5-25" if contiguous, else "5+9"."""
    lo, hi = int(rows.min()), int(rows.max())
    return f"{lo}-{hi}" if hi - lo + 1 == len(rows) else "+".join(str(int(r)) for r in rows)


def check_numbers(frame: pd.DataFrame, columns: list[str], where: str, *,
                  nonneg: tuple[str, ...] = (), row: pd.Series | None = None) -> None:
    """SchemaError if a column is not numeric or a count that cannot be negative is < 0."""
    row = frame.index.to_series() + 1 if row is None else row
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            i = bad.idxmax()
            raise SchemaError(f"{where}: column {col!r} row {row[i]}: "
                              f"{frame[col][i]!r} is not a number")
        if col in nonneg and (values < 0).any():
            i = (values < 0).idxmax()
            raise SchemaError(f"{where}: column {col!r} row {row[i]}: negative count {values[i]}")


def read_locations(path: Path) -> pd.DataFrame:
    """UNlocations.txt (tab-separated): name, country_code, location_type (4 = country)."""
    frame = _read_text(path, sep="\t")
    missing = {"name", "country_code", "location_type"} - set(frame.columns)
    if missing:
        raise SchemaError(f"{path.name}: missing columns {sorted(missing)}")
    check_numbers(frame, ["country_code"], path.name, row=frame.index.to_series() + 2)
    return frame


def _read_text(path: Path, **kw: object) -> pd.DataFrame:
    try:
        return pd.read_csv(path, encoding="utf-8-sig", **kw)
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, OSError) as exc:
        raise SourceError(f"{path.name}: unreadable ({exc})",
                          hint="the file is truncated or damaged; download it again") from exc


def unknown_codes(codes: pd.Series, locations: pd.DataFrame, key: str, where: str) -> list[Finding]:
    unknown = sorted(set(codes.astype(int)) - set(locations["country_code"].astype(int)))
    return [Finding("unknown_location", "warning", key, where,
                    f"location codes {unknown} are not in UNlocations.txt")] if unknown else []


def _frame(table: str, frame: pd.DataFrame, revision: str) -> pd.DataFrame:
    frame.insert(0, "revision", revision)
    frame.insert(0, "source", SOURCE)
    return frame


# ---------------------------------------------------------------- wpp2024 R package

def _rda(files: dict[str, Path], name: str, obj: str, columns: list[str], *,
         nonneg: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = read_frame(files[name], obj, columns)
    check_numbers(frame, [c for c in columns if c not in ("age", "geo", "var")],
                  f"{name}, object {obj}", nonneg=nonneg)
    frame = frame.copy()
    frame["_row"] = np.arange(1, len(frame) + 1)
    return frame


def _population_by_age(frame: pd.DataFrame, name: str, obj: str) -> pd.DataFrame:
    """Sum age groups per (country_code, year); one row per sex, persons."""
    groups = frame.groupby(["country_code", "year"], sort=True)
    n_ages = frame["age"].nunique()
    sizes = groups.size()
    if (sizes != n_ages).any():
        (code, year) = sizes.index[(sizes != n_ages).argmax()]
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
        "src_row": [f"{_n(a)}+{_n(b)}" for a, b in zip(both["_row"], both["_row_mig"],
                                                        strict=True)]})


def _n(row: float) -> str:
    return "-" if pd.isna(row) else str(int(row))


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
    return _frame("population_projection", pd.concat(parts, ignore_index=True), revision)


def read_wpp2024_rpackage(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """wpp2024 R package + gdidata annual population -> population, vital_events,
    population_projection."""
    rev, key = source.revision, source.key
    locations = read_locations(files["UNlocations.txt"])
    age = _rda(files, "popAge5dt.rda", "popAge5dt",
               ["country_code", "year", "age", "popM", "popF", "pop"],
               nonneg=("popM", "popF", "pop"))
    by_age = _population_by_age(age, "popAge5dt.rda", "popAge5dt")
    annual = _annual_population(files, by_age)
    out = Ingested(findings=unknown_codes(age["country_code"], locations, key, "popAge5dt.rda"))
    out.add("population", _frame("population", by_age, rev), GEO)
    out.add("population", _frame("population", annual, rev), {"country": "iso3"})
    ev = ["country_code", "year", "births", "deaths"]
    for misc_obj, mig_obj in (("misc1dt", "mig1dt"), ("miscproj1dt", "migproj1dt")):
        misc = _rda(files, f"{misc_obj}.rda", misc_obj, ev, nonneg=("births", "deaths"))
        mig = _rda(files, f"{mig_obj}.rda", mig_obj, ["country_code", "year", "mig"])
        events = _events(misc[[*ev, "_row"]], mig[["country_code", "year", "mig", "_row"]],
                         (misc_obj, mig_obj), 1)
        out.add("vital_events", _frame("vital_events", events, rev), GEO)
    proj = _rda(files, "popproj1dt.rda", "popproj1dt",
                ["country_code", "year", "popM", "popF", "pop_80l", "pop_80u", "pop_95l",
                 "pop_95u", "pop_low", "pop_high"],
                nonneg=("popM", "popF", "pop_80l", "pop_80u", "pop_95l", "pop_95u",
                        "pop_low", "pop_high"))
    out.add("population_projection", _projection(proj, rev), GEO)
    return out


# ---------------------------------------------------------------- wpp2019 R package

BIRTHS_2019 = "ddf--datapoints--births--by--country--time--freq.csv"
DEATHS_2019 = "ddf--datapoints--deaths--by--country--time--freq.csv"


def _table(path: Path, columns: list[str], *, sep: str = "\t") -> pd.DataFrame:
    frame = _read_text(path, sep=sep)
    frame.columns = [str(c) for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{path.name}: missing columns {missing} (header found: "
                          f"{list(frame.columns)[:8]}...)")
    frame["_row"] = np.arange(2, len(frame) + 2)  # line 1 is the header
    return frame


def _wide_years(frame: pd.DataFrame, name: str, ids: list[str]) -> pd.DataFrame:
    """Melt year (or 'YYYY-YYYY' period) columns; `year` = first year of the label."""
    cols = [c for c in frame.columns if c[:4].isdigit()]
    if not cols:
        raise SchemaError(f"{name}: no year columns in header {list(frame.columns)}")
    check_numbers(frame, cols, name, row=frame["_row"])
    long = frame.melt(id_vars=[*ids, "_row"], value_vars=cols, var_name="label")
    long["year"] = long["label"].str[:4].astype(int)
    return long.dropna(subset=["value"])


def _sex_sums(path: Path) -> pd.DataFrame:
    frame = _table(path, ["country_code", "age"])
    long = _wide_years(frame, path.name, ["country_code", "age"])
    if (long["value"] < 0).any():
        bad = long[long["value"] < 0].iloc[0]
        raise SchemaError(f"{path.name}: line {bad['_row']} column {bad['label']}: "
                          f"negative population {bad['value']}")
    groups = long.groupby(["country_code", "year"])
    return pd.DataFrame({"value": groups["value"].sum(),
                         "rows": groups["_row"].agg(rows_label)}).reset_index()


def _ddf(path: Path, measure: str) -> pd.DataFrame:
    frame = _table(path, ["country", "time", "freq", measure], sep=",")
    check_numbers(frame, ["country", "time", measure], path.name, nonneg=(measure,),
                  row=frame["_row"])
    if (frame["freq"] != "5yr").any():
        bad = frame[frame["freq"] != "5yr"].iloc[0]
        raise SchemaError(f"{path.name}: line {bad['_row']}: freq {bad['freq']!r}, expected '5yr'")
    return frame.rename(columns={"country": "country_code", "time": "year"})


def read_wpp2019_rpackage(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """wpp2019 R package text files + DDF births/deaths -> population, vital_events."""
    rev, key = source.revision, source.key
    locations = read_locations(files["UNlocations.txt"])
    male, female = _sex_sums(files["popM.txt"]), _sex_sums(files["popF.txt"])
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
    out = Ingested(findings=unknown_codes(male["country_code"], locations, key, "popM.txt"))
    out.add("population", _frame("population", pd.concat(parts, ignore_index=True), rev), GEO)
    mig = _wide_years(_table(files["migration.txt"], ["country_code"]), "migration.txt",
                      ["country_code"])
    births = _ddf(files[BIRTHS_2019], "births")
    deaths = _ddf(files[DEATHS_2019], "deaths")
    ev = births.merge(deaths, on=["country_code", "year"], how="outer",
                      suffixes=("_b", "_d"))
    ev = ev.merge(mig.rename(columns={"value": "mig", "_row": "_row_m"}),
                  on=["country_code", "year"], how="outer")
    events = pd.DataFrame({
        "year": ev["year"].astype(int), "period_years": 5,
        "country": ev["country_code"].astype(int).astype(str),
        "births": persons(ev["births"]), "deaths": persons(ev["deaths"]),
        "net_migration": persons(ev["mig"]),
        "src_file": f"{BIRTHS_2019}+{DEATHS_2019}+migration.txt",
        "src_sheet": "",
        "src_row": [f"{_n(b)}+{_n(d)}+{_n(m)}" for b, d, m in
                    zip(ev["_row_b"], ev["_row_d"], ev["_row_m"], strict=True)]})
    out.add("vital_events", _frame("vital_events", events, rev), GEO)
    return out


# ---------------------------------------------------------------- official CSV downloads

CSV_2024 = "WPP2024_Demographic_Indicators_Medium.csv.gz"
CSV_2019_PERIOD = "WPP2019_Period_Indicators_Medium.csv"
CSV_2019_POP = "WPP2019_TotalPopulationBySex.csv"


def _official(path: Path, columns: list[str]) -> pd.DataFrame:
    frame = _table(path, columns, sep=",")
    frame = frame[frame["Variant"] == "Medium"]
    count_cols = [c for c in columns if c not in ("LocID", "Variant", "Time", "NetMigrations")]
    check_numbers(frame, ["LocID", *count_cols, *(["NetMigrations"] if "NetMigrations" in
                  columns else [])], path.name, nonneg=tuple(count_cols), row=frame["_row"])
    return frame


def _csv_rows(frame: pd.DataFrame, name: str, values: dict[tuple[str, str], str],
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
    pop = _csv_rows(est, name, {("medium", s): c for s, c in cols.items()},
                    est["Time"].astype(int))
    pop["population"] = pop["population"].astype("int64")
    out.add("population", _frame("population", pop, rev), GEO)
    july = _csv_rows(proj, name, {("medium", s): c for s, c in cols.items()},
                     proj["Time"].astype(int), date="07-01")
    out.add("population_projection", _frame("population_projection", july, rev), GEO)


def _csv_events(frame: pd.DataFrame, name: str, rev: str, period: int) -> pd.DataFrame:
    return _frame("vital_events", pd.DataFrame({
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
        _split_population(frame, CSV_2024, rev, {"total": "TPopulation1July",
                          "male": "TPopulationMale1July", "female": "TPopulationFemale1July"},
                          out)
        jan = frame[frame["Time"].astype(int) > ESTIMATES_END[rev] + 1]
        dec = _csv_rows(jan, CSV_2024, {("medium", "total"): "TPopulation1Jan"},
                        jan["Time"].astype(int) - 1, date="12-31")  # 1 Jan t+1 = 31 Dec t
        out.add("population_projection", _frame("population_projection", dec, rev), GEO)
        out.add("vital_events", _csv_events(frame, CSV_2024, rev, 1), GEO)
        return out
    if CSV_2019_POP not in files or CSV_2019_PERIOD not in files:
        raise SourceError(f"read_wpp_csv: expected {CSV_2024}, or {CSV_2019_PERIOD} and "
                          f"{CSV_2019_POP}; got {sorted(files)}")
    pop = _official(files[CSV_2019_POP], ["LocID", "Variant", "Time", "PopMale", "PopFemale",
                                           "PopTotal"])
    _split_population(pop, CSV_2019_POP, rev, {"total": "PopTotal", "male": "PopMale",
                                               "female": "PopFemale"}, out)
    period = _official(files[CSV_2019_PERIOD], ["LocID", "Variant", "Time", "Births",
                                                 "Deaths", "NetMigrations"])
    bad = ~period["Time"].astype(str).str.fullmatch(r"\d{4}-\d{4}")
    if bad.any():
        raise SchemaError(f"{CSV_2019_PERIOD}: line {period.loc[bad, '_row'].iloc[0]}: Time "
                          f"{period.loc[bad, 'Time'].iloc[0]!r} is not a period like 1950-1955")
    out.add("vital_events", _csv_events(period, CSV_2019_PERIOD, rev, 5), GEO)
    return out
