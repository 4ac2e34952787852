"""Revision comparison as pure functions of frames: what one revision of a series says
against another on the years both publish.

Inputs are plain frames (no store, no file): the stocks of each revision by origin,
destination, sex and year, its published destination totals (countries and UN
aggregates) and its population. The outputs are long frames, one row per figure:

- `changes`: for each level (world, region, country, corridor), area, partner (the
  origin of a corridor; empty otherwise), measure, sex and common year, the old and new
  figures, the absolute revision (new - old) and the relative one (100 x (new - old) /
  old, empty when old is zero or absent). A corridor published in only one revision
  keeps the other side empty.
- `events`: what a reader of the old figures would have got wrong: rank changes among a
  country's largest origins and destinations, trends whose direction reversed between
  two consecutive common years (growth became decline, or the reverse), and corridors
  appearing (absent or zero before, positive now) or vanishing.

Measures follow the indicator definitions (docs/indicators.md): immigrants
(`destination_stock`), emigrants (sum over destinations), immigrant share and emigrant
rate (100 x stock / population of the same revision) and the female shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

TOP = 10  # ranks compared among a country's largest origins and destinations
CHANGE_COLUMNS = ("level", "area", "partner", "measure", "sex", "year", "old_value",
                  "new_value", "change", "relative")
EVENT_COLUMNS = ("kind", "area", "partner", "measure", "sex", "year", "period_start",
                 "old_value", "new_value", "old_rank", "new_rank")
WORLD = "UN:900"


@dataclass(frozen=True)
class Release:
    """One revision of the migrant-stock series, as frames.

    `od`: year, origin, destination, sex, stock (country pairs). `totals`: year,
    destination, sex, stock (published totals, countries and UN aggregates, the world
    `UN:900` included). `population`: year, country, population (both sexes, persons,
    published with the revision; may be empty)."""

    revision: str
    od: pd.DataFrame
    totals: pd.DataFrame
    population: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["year", "country", "population"]))


def common_years(old: Release, new: Release) -> list[int]:
    """Years both revisions publish, ascending."""
    return sorted(set(old.totals["year"].astype(int)) & set(new.totals["year"].astype(int)))


def relative(old: pd.Series, new: pd.Series) -> pd.Series:
    """100 x (new - old) / old; NaN where old is zero or absent."""
    old_f = old.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 100.0 * (new.astype(float) - old_f) / old_f
    return out.where(old_f.notna() & (old_f != 0))


def paired(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], value: str,
           how: str = "outer") -> pd.DataFrame:
    """Old and new `value` side by side on `keys`, with the absolute and relative
    revision (`how="inner"`: only what both publish)."""
    both = old[[*keys, value]].merge(new[[*keys, value]], on=keys, how=how,  # type: ignore[arg-type]
                                     suffixes=("_old", "_new"))
    both = both.rename(columns={f"{value}_old": "old_value", f"{value}_new": "new_value"})
    both["old_value"] = both["old_value"].astype(float)
    both["new_value"] = both["new_value"].astype(float)
    both["change"] = both["new_value"] - both["old_value"]
    both["relative"] = relative(both["old_value"], both["new_value"])
    return both


def _in_years(frame: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    return frame[frame["year"].astype(int).isin(list(years))]


def female_share(frame: pd.DataFrame) -> pd.DataFrame:
    """area, sex ("total"), year, value = 100 x female / total, where total > 0."""
    keys = ["area", "year"]
    total = frame.loc[frame["sex"] == "total", [*keys, "value"]]
    female = frame.loc[frame["sex"] == "female", [*keys, "value"]]
    both = total.merge(female, on=keys, suffixes=("_t", "_f"))
    both = both[both["value_t"] > 0]
    return pd.DataFrame({"area": both["area"], "sex": "total", "year": both["year"],
                         "value": 100.0 * both["value_f"] / both["value_t"]})


def country_measures(rel: Release, years: list[int], countries: frozenset[str]
                      ) -> pd.DataFrame:
    """area, measure, sex, year, value: the country measures of one revision."""
    totals = _in_years(rel.totals, years)
    imm = totals[totals["destination"].isin(countries)].rename(
        columns={"destination": "area", "stock": "value"})[["area", "sex", "year", "value"]]
    od = _in_years(rel.od, years)
    emi = (od[od["origin"].isin(countries)].groupby(["origin", "sex", "year"])["stock"]
           .sum().reset_index().rename(columns={"origin": "area", "stock": "value"}))
    frames = [imm.assign(measure="immigrants"), emi.assign(measure="emigrants")]
    pop = _in_years(rel.population, years).rename(columns={"country": "area"})
    for source, measure in ((imm, "immigrant_share"), (emi, "emigrant_rate")):
        tot = source[source["sex"] == "total"].merge(pop, on=["area", "year"])
        tot = tot[tot["population"] > 0]
        frames.append(tot.assign(value=100.0 * tot["value"] / tot["population"],
                                 measure=measure)[["area", "sex", "year", "value", "measure"]])
    frames += [female_share(imm).assign(measure="immigrant_female_share"),
               female_share(emi).assign(measure="emigrant_female_share")]
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def _aggregate_measures(rel: Release, years: list[int], codes: frozenset[str]
                        ) -> pd.DataFrame:
    """area, measure, sex, year, value for the world and regions (published totals)."""
    totals = _in_years(rel.totals, years)
    agg = totals[totals["destination"].isin(codes)].rename(
        columns={"destination": "area", "stock": "value"})[["area", "sex", "year", "value"]]
    frames = [agg.assign(measure="immigrants")]
    frames.append(female_share(agg).assign(measure="immigrant_female_share"))
    pop = _in_years(rel.population, years).rename(columns={"country": "area"})
    tot = agg[agg["sex"] == "total"].merge(pop, on=["area", "year"])
    tot = tot[tot["population"] > 0]
    frames.append(tot.assign(value=100.0 * tot["value"] / tot["population"],
                             measure="immigrant_share")[["area", "sex", "year", "value",
                                                          "measure"]])
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def changes(old: Release, new: Release, *, countries: Iterable[str],
            regions: Iterable[str] = ()) -> pd.DataFrame:
    """Every figure of both revisions on their common years, side by side (see module)."""
    years = common_years(old, new)
    country_set = frozenset(countries)
    region_set = frozenset(regions) - {WORLD}
    keys = ["area", "measure", "sex", "year"]
    parts = []
    for level, codes in (("world", frozenset({WORLD})), ("region", region_set)):
        pair = paired(_aggregate_measures(old, years, codes),
                      _aggregate_measures(new, years, codes), keys, "value", how="inner")
        parts.append(pair.assign(level=level, partner=""))
    pair = paired(country_measures(old, years, country_set),
                  country_measures(new, years, country_set), keys, "value", how="outer")
    parts.append(pair.assign(level="country", partner=""))
    parts.append(corridors(old, new, years))
    out = pd.concat(parts, ignore_index=True)
    return out[list(CHANGE_COLUMNS)].sort_values(
        ["level", "area", "partner", "measure", "sex", "year"], ignore_index=True)


def corridors(old: Release, new: Release, years: list[int] | None = None) -> pd.DataFrame:
    """Every corridor (origin -> destination), sex and common year of either revision."""
    years = years if years is not None else common_years(old, new)
    keys = ["origin", "destination", "sex", "year"]
    pair = paired(_in_years(old.od, years), _in_years(new.od, years), keys, "stock")
    pair["year"] = pair["year"].astype(int)
    return pair.rename(columns={"destination": "area", "origin": "partner"}).assign(
        level="corridor", measure="stock")[list(CHANGE_COLUMNS)]


def ranks(stocks: pd.DataFrame, by: str, other: str) -> pd.DataFrame:
    """Rank (1 = largest) of each `other` within each (`by`, year): ties by code."""
    ordered = stocks.sort_values([by, "year", "stock", other], ascending=[True, True, False, True])
    ordered = ordered.assign(rank=ordered.groupby([by, "year"]).cumcount() + 1)
    return ordered[[by, other, "year", "stock", "rank"]]


def rank_changes(old_od: pd.DataFrame, new_od: pd.DataFrame, *, by: str, top: int = TOP
                 ) -> pd.DataFrame:
    """For each country `by` ("destination": its origins; "origin": its destinations) and
    year both publish, the partners in the top `top` of either revision whose rank
    differs (both sexes; the unknown origin `OOO` is not a partner). A partner outside
    the top of one revision keeps its rank there (it may be beyond `top`), or none if
    that revision does not publish the corridor."""
    other = "origin" if by == "destination" else "destination"
    keep = ["origin", "destination", "year", "stock"]

    def prepared(od: pd.DataFrame) -> pd.DataFrame:
        tot = od[(od["sex"] == "total") & (od[other] != "OOO") & (od["stock"] > 0)][keep]
        return ranks(tot, by, other)

    years = sorted(set(old_od["year"]) & set(new_od["year"]))
    a = prepared(_in_years(old_od, years))
    b = prepared(_in_years(new_od, years))
    both = a.merge(b, on=[by, other, "year"], how="outer", suffixes=("_old", "_new"))
    both = both[(both["rank_old"] <= top) | (both["rank_new"] <= top)]
    moved = both[both["rank_old"].ne(both["rank_new"])]
    return pd.DataFrame({
        "kind": "destination_rank" if by == "origin" else "origin_rank",
        "area": moved[by], "partner": moved[other], "measure": "stock", "sex": "total",
        "year": moved["year"].astype(int), "period_start": moved["year"].astype(int),
        "old_value": moved["stock_old"].astype(float),
        "new_value": moved["stock_new"].astype(float),
        "old_rank": moved["rank_old"], "new_rank": moved["rank_new"],
    })[list(EVENT_COLUMNS)]


def trend_reversals(series: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Periods between consecutive years where the old and new series move in opposite
    directions (one grows, the other declines). `series`: keys + year, old_value,
    new_value (rows of `changes`); returns keys, period_start, year (its end), and the
    change of each series over the period as old_value and new_value."""
    s = series.dropna(subset=["old_value", "new_value"]).sort_values([*keys, "year"])
    grouped = s.groupby(keys, sort=False)
    start = grouped["year"].shift(1)
    d_old = s["old_value"] - grouped["old_value"].shift(1)
    d_new = s["new_value"] - grouped["new_value"].shift(1)
    flip = start.notna() & (np.sign(d_old) * np.sign(d_new) < 0)
    out = s.loc[flip, [*keys, "year"]].copy()
    out["period_start"] = start[flip].astype(int)
    out["old_value"] = d_old[flip].astype(float)
    out["new_value"] = d_new[flip].astype(float)
    return out


def events(old: Release, new: Release, table: pd.DataFrame, *, top: int = TOP
           ) -> pd.DataFrame:
    """Rank changes, trend reversals and corridors appearing or vanishing (see module);
    `table` is the result of `changes(old, new, ...)`."""
    years = common_years(old, new)
    parts = [rank_changes(_in_years(old.od, years), _in_years(new.od, years),
                          by="destination", top=top),
             rank_changes(_in_years(old.od, years), _in_years(new.od, years),
                          by="origin", top=top)]
    trend_rows = table[(table["sex"] == "total") & table["measure"].isin(
        ["immigrants", "emigrants", "stock"])]
    rev = trend_reversals(trend_rows, ["level", "area", "partner", "measure", "sex"])
    parts.append(rev.assign(kind="trend_reversed", old_rank=np.nan, new_rank=np.nan)
                 [list(EVENT_COLUMNS)])
    cor = table[(table["level"] == "corridor") & (table["sex"] == "total")]
    old_v, new_v = cor["old_value"].fillna(0), cor["new_value"].fillna(0)
    for kind, mask in (("corridor_appeared", (old_v == 0) & (new_v > 0)),
                       ("corridor_vanished", (old_v > 0) & (new_v == 0))):
        hit = cor[mask]
        parts.append(hit.assign(kind=kind, period_start=hit["year"], old_rank=np.nan,
                                new_rank=np.nan)[list(EVENT_COLUMNS)])
    # a destination whose unknown origin (OOO) grew where corridors vanished: they may be
    # counted there now
    vanished = cor.loc[(old_v > 0) & (new_v == 0), ["area", "year"]].drop_duplicates()
    grew = cor[(cor["partner"] == "OOO") & (new_v > old_v)].merge(vanished, on=["area", "year"])
    parts.append(grew.assign(kind="unknown_origin_grew", period_start=grew["year"],
                             old_rank=np.nan, new_rank=np.nan)[list(EVENT_COLUMNS)])
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else pd.DataFrame(columns=list(EVENT_COLUMNS))
    out["year"] = out["year"].astype(int)
    out["period_start"] = out["period_start"].astype(int)
    return out.sort_values(["kind", "area", "partner", "year"], ignore_index=True)


def series_changes(old: pd.DataFrame, new: pd.DataFrame, *, area: str, value: str,
                   measure: str) -> pd.DataFrame:
    """A plain series (area column, sex, year, value) of two revisions on their common
    years, as rows of `changes` at the country level (e.g. WPP population)."""
    years = sorted(set(old["year"]) & set(new["year"]))
    a = _in_years(old, years).rename(columns={area: "area", value: "value"})
    b = _in_years(new, years).rename(columns={area: "area", value: "value"})
    pair = paired(a, b, ["area", "sex", "year"], "value", how="inner")
    pair["year"] = pair["year"].astype(int)
    return pair.assign(level="country", partner="", measure=measure)[list(CHANGE_COLUMNS)]


def mid_year_periods(annual: pd.DataFrame, starts: Iterable[int], length: int = 5
                     ) -> pd.DataFrame:
    """Calendar-year values (area, year, value) summed over periods that run from 1 July
    of each start year to 30 June `length` years later, as WPP's five-year periods do:
    half of the first and of the last calendar year and all the years between (each
    year's events taken as spread evenly over it: an approximation). A period lacking one
    of its calendar years is left out. Returns area, year (the start), value."""
    frame = annual[["area", "year", "value"]].astype({"year": int, "value": float})
    parts = []
    for start in starts:
        weights = {start: 0.5, start + length: 0.5} | {start + k: 1.0 for k in range(1, length)}
        sub = frame[frame["year"].isin(list(weights))]
        counts = sub.groupby("area")["year"].nunique()
        whole = counts[counts == length + 1].index
        sub = sub[sub["area"].isin(whole)]
        total = (sub["value"] * sub["year"].map(weights)).groupby(sub["area"]).sum()
        parts.append(pd.DataFrame({"area": total.index, "year": int(start),
                                   "value": total.to_numpy()}))
    return (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame(columns=["area", "year", "value"]))


def net_migration_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Net migration of two revisions (area, year, period_years, value), as rows of
    `changes` (measure `net_migration`, both sexes): where one revision publishes
    five-year periods from 1 July and the other calendar years, the calendar years are
    summed into the five-year periods (`mid_year_periods`); `year` is the period's start.
    Revisions with the same periods are compared as they are."""
    def periods(frame: pd.DataFrame) -> int:
        return int(frame["period_years"].max()) if len(frame) else 1

    a, b = old, new
    if periods(a) != periods(b):
        longer, shorter = (a, b) if periods(a) > periods(b) else (b, a)
        starts = sorted(set(longer["year"].astype(int)))
        summed = mid_year_periods(shorter, starts, periods(longer))
        a, b = (longer, summed) if longer is old else (summed, longer)
    pair = paired(a[["area", "year", "value"]], b[["area", "year", "value"]],
                  ["area", "year"], "value", how="inner")
    pair["year"] = pair["year"].astype(int)
    level = np.where(pair["area"] == WORLD, "world",
                     np.where(pair["area"].str.startswith("UN:"), "region", "country"))
    return pair.assign(level=level, partner="", measure="net_migration",
                       sex="total")[list(CHANGE_COLUMNS)]


FLOW_KEYS = ["method", "sex", "period_start", "origin", "destination"]


def flow_changes(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Flows estimated from two revisions (method, sex, period_start, origin,
    destination, flow; zero flows not stored), compared on the (method, sex, period) both
    hold: every corridor (`flow_<method>`, a flow absent from one side is zero there) and
    every country's inflow and outflow (sums), as rows of `changes` (year = the period's
    start)."""
    runs = ["method", "sex", "period_start"]
    both_runs = old[runs].drop_duplicates().merge(new[runs].drop_duplicates())
    a, b = old.merge(both_runs), new.merge(both_runs)
    pair = paired(a, b, FLOW_KEYS, "flow")
    pair[["old_value", "new_value"]] = pair[["old_value", "new_value"]].fillna(0.0)
    pair["change"] = pair["new_value"] - pair["old_value"]
    pair["relative"] = relative(pair["old_value"], pair["new_value"])
    parts = [pair.assign(level="corridor", area=pair["destination"], partner=pair["origin"],
                         measure="flow_" + pair["method"], year=pair["period_start"])]
    for side, measure in (("destination", "inflow_"), ("origin", "outflow_")):
        sums = pair.groupby(["method", "sex", "period_start", side], as_index=False)[
            ["old_value", "new_value"]].sum()
        sums["change"] = sums["new_value"] - sums["old_value"]
        sums["relative"] = relative(sums["old_value"], sums["new_value"])
        parts.append(sums.assign(level="country", area=sums[side], partner="",
                                 measure=measure + sums["method"], year=sums["period_start"]))
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out[list(CHANGE_COLUMNS)]


@dataclass(frozen=True)
class Concentration:
    """Where the revisions of one measure and year concentrate."""

    measure: str
    year: int
    total_abs: float  # sum over areas of |new - old|
    top: list[tuple[str, float, float]]  # (area, change, share of total_abs, %) largest first
    by_group: list[tuple[str, float, float]]  # (group, sum of changes, share of total_abs, %)


def concentration(table: pd.DataFrame, *, level: str, measure: str, year: int,
                  groups: dict[str, str] | None = None, top: int = TOP) -> Concentration:
    """The areas (or corridors, as "origin>destination") whose revision of `measure` in
    `year` (both sexes) is largest in absolute terms, each with its share of the sum of
    absolute revisions, and the same sum by group (e.g. each country's region)."""
    rows = table[(table["level"] == level) & (table["measure"] == measure)
                 & (table["sex"] == "total") & (table["year"] == year)]
    change = rows["change"].fillna(rows["new_value"].fillna(0) - rows["old_value"].fillna(0))
    names = rows["area"] if level != "corridor" else rows["partner"] + ">" + rows["area"]
    frame = pd.DataFrame({"name": names.to_numpy(), "area": rows["area"].to_numpy(),
                          "change": change.to_numpy()})
    total = float(frame["change"].abs().sum())

    def share(x: float) -> float:
        return 100.0 * abs(x) / total if total else 0.0

    largest = frame.reindex(frame["change"].abs().sort_values(ascending=False).index).head(top)
    out_top = [(str(n), float(c), share(float(c)))
               for n, c in zip(largest["name"], largest["change"], strict=True)]
    by_group: list[tuple[str, float, float]] = []
    if groups:
        g = frame.assign(group=frame["area"].map(groups).fillna("other"))
        g = g.assign(abs_change=g["change"].abs()).groupby("group")[["change", "abs_change"]].sum()
        g = g.sort_values("abs_change", ascending=False)
        by_group = [(str(k), float(r.change), share(r.abs_change)) for k, r in g.iterrows()]
    return Concentration(measure, year, total, out_top, by_group)
