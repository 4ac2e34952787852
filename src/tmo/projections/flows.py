"""Projected flows: bilateral flows between the projected stock tables (the `projections`
view) with WPP's medium-variant population, births and deaths, estimated by the flow
method `tmo flows` publishes by default (`da_pb_closed`, the pseudo-Bayes mix of Abel and
Cohen 2019, weight 0.13), so that the flows account exactly for the change between the
projected stocks. Stored in `projected_flows` (never in `migration_flows`: every row is
`kind` = 'projected').

Stock tables (rows = place of birth, columns = place of residence, 1 July), years = the
jump-off year and the projected years:
- off-diagonal cells: the published stock at the jump-off (`jump_off_stock`), then the
  scenario's figure (the median; or the 80 % bounds, see `SCENARIOS`);
- immigrants of unknown origin (OOO) stay among the native-born, as `tmo flows` does by
  default (the published convention);
- diagonal (native-born): population − known immigrants, floored at 0 (a finding). The
  population at the jump-off is the IMS revision's own (as in `tmo flows`), later the
  latest WPP revision's medium variant on 1 July (its '07-01' figure, else the mean of the
  31 December figures of the year before and of the year);
- births and deaths: WPP's calendar-year medium-variant events matched to the 1 July
  interval (`tmo.flows.calendar`), split by sex by the population's sex shares at the
  start; deaths capped at the residents at the start. A period WPP's events do not cover
  is left out (a finding).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tmo.errors import InputError, NotFound
from tmo.findings import Finding
from tmo.flows.calendar import covered, period_weights
from tmo.flows.methods import estimate
from tmo.projections.projection import SEX_ORDER, Inputs, Settings, draw_stocks
from tmo.projections.stage import read_inputs
from tmo.store import facts, projected
from tmo.store.writer import (
    Stage,
    WriteReport,
    derive,
    ensure_table,
    replace_findings,
    replace_rows,
)
from tmo.vocabulary import UNKNOWN_ORIGIN

METHOD = "da_pb_closed"
TABLE = "projected_flows"
KIND = "projected"
SCENARIOS = projected.SCENARIOS
DRAW_SEXES = ("total", "female", "male")  # the sexes of the draws' flows, by default all
COLUMNS = ["revision", "jump_off", "scenario", "kind", "method", "wpp_revision", "sex",
           "period_start", "period_end", "origin", "destination", "flow", "draws"]


@dataclass
class Tables:
    """Everything one scenario's flows are estimated from (first axis: `sexes`)."""

    revision: str
    wpp_revision: str
    jump_off: int
    scenario: str
    sexes: tuple[str, ...]
    years: list[int]
    places: list[str]
    stocks: np.ndarray      # (sex, year, n, n), diagonal = native-born
    births: np.ndarray      # (sex, period, n)
    deaths: np.ndarray      # (sex, period, n)
    findings: list[Finding] = field(default_factory=list)


def native_born(known: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stock tables with their diagonal (pure): `known` (..., n, n) with a zero diagonal,
    `population` (..., n); returns the tables and the unfloored native-born."""
    native = population - known.sum(axis=-2)
    out = known.copy()
    n = out.shape[-1]
    out[..., np.arange(n), np.arange(n)] = np.maximum(native, 0.0)
    return out, native


def split_events(events: np.ndarray, start_population: np.ndarray,
                 sexes: Sequence[str]) -> np.ndarray:
    """Events (period, n) of both sexes split by each sex's share of the population at
    the start (sex, period, n) (pure); 'total' keeps them whole."""
    if "total" in sexes:
        total = start_population[list(sexes).index("total")]
    else:
        total = start_population.sum(axis=0)
    share = np.divide(start_population, total, out=np.zeros_like(start_population),
                      where=total > 0)
    if "total" in sexes:
        share[list(sexes).index("total")] = 1.0
    return share * events[None]


def cap_deaths(start: np.ndarray, deaths: np.ndarray) -> tuple[np.ndarray, bool]:
    """Deaths capped at the residents of the table at the start (pure)."""
    residents = start.sum(axis=-2)
    return np.minimum(deaths, residents), bool((deaths > residents).any())


def _events(con: duckdb.DuckDBPyConnection, wpp: str, years: list[int],
            at: dict[str, int]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Births and deaths (period, n) of the intervals between `years` that WPP's annual
    events cover, and the indices of those periods."""
    ev = facts.vital_event_rows(con, "UN WPP", wpp)
    ev = ev[(ev["period_years"] == 1) & ev["country"].isin(at)]
    starts = sorted(ev["year"].unique().tolist())
    births = np.zeros((len(years) - 1, len(at)))
    deaths = np.zeros_like(births)
    kept = []
    for k, (t0, t1) in enumerate(itertools.pairwise(years)):
        weights = period_weights(t0, t1, starts, 1)
        if not covered(t0, t1, weights, 1):
            continue
        kept.append(k)
        sel = ev[ev["year"].isin(weights)]
        w = sel["year"].map(weights).to_numpy()
        pos = sel["country"].map(at).to_numpy()
        np.add.at(births[k], pos, w * sel["births"].fillna(0).to_numpy())
        np.add.at(deaths[k], pos, w * sel["deaths"].fillna(0).to_numpy())
    return births, deaths, kept


def _known(rows: pd.DataFrame, sexes: tuple[str, ...], years: list[int],
           at: dict[str, int]) -> np.ndarray:
    """Foreign-born of known origin (sex, year, n, n): the published stock at the
    jump-off, then the scenario's figure."""
    n = len(at)
    known = np.zeros((len(sexes), len(years), n, n))
    rows = rows[rows["origin"] != UNKNOWN_ORIGIN]
    for s, sex in enumerate(sexes):
        r = rows[rows["sex"] == sex]
        o, d = r["origin"].map(at).to_numpy(), r["destination"].map(at).to_numpy()
        first = (r["year"] == r["year"].min()).to_numpy()
        known[s, 0, o[first], d[first]] = r["jump_off_stock"].to_numpy()[first]
        for t, year in enumerate(years[1:], start=1):
            here = (r["year"] == year).to_numpy()
            known[s, t, o[here], d[here]] = r["value"].to_numpy()[here]
    return known


def _population(con: duckdb.DuckDBPyConnection, revision: str, wpp: str, *,
                sexes: tuple[str, ...], years: list[int], places: list[str]
                ) -> np.ndarray:
    """Population (sex, year, n): the IMS revision's at the jump-off (WPP's where it has
    none), WPP's medium variant on 1 July later."""
    pop = projected.projected_population(con, wpp)
    ims = facts.population_rows(con, "UN DESA IMS", revision)
    ims = ims[ims["year"] == years[0]]
    out = np.zeros((len(sexes), len(years), len(places)))
    for s, sex in enumerate(sexes):
        base = ims[ims["sex"] == sex].set_index("destination")["population"].astype(float)
        wpp_base = projected.population_on_1_july(pop, years[0], sex)
        base = pd.concat([base, wpp_base[~wpp_base.index.isin(base.index)]])
        out[s, 0] = base.reindex(places).fillna(0.0).to_numpy()
        for t, year in enumerate(years[1:], start=1):
            out[s, t] = projected.population_on_1_july(pop, year, sex).reindex(places).fillna(0.0)
    return out


def latest_wpp(con: duckdb.DuckDBPyConnection) -> str:
    """The latest WPP revision with a medium-variant population projection."""
    revs = projected.projection_revisions(con)
    if not revs:
        raise NotFound("no WPP medium-variant population projection in the store",
                       hint="build the store with the WPP files (`tmo build`)")
    return revs[-1]


@dataclass
class Fixed:
    """What every stock table of a revision shares: WPP's births, deaths and population
    on the places and years of the projection (read once for all the draws)."""

    revision: str
    wpp_revision: str
    jump_off: int
    sexes: tuple[str, ...]
    years: list[int]
    places: list[str]
    births: np.ndarray      # (period, n), both sexes
    deaths: np.ndarray
    population: np.ndarray  # (sex, year, n)
    findings: list[Finding]


def read_tables(con: duckdb.DuckDBPyConnection, revision: str, scenario: str) -> Tables:
    """Read a revision's stored projections, WPP's projected population and events, and
    build one scenario's stock tables."""
    rows = projected.projected_corridors(con, revision, scenario)
    if rows.empty:
        raise NotFound(f"no projections of IMS {revision} in the store",
                       hint="run `tmo projections run` first")
    return tables_of(read_fixed(con, revision, rows, scenario), rows, scenario)


def read_fixed(con: duckdb.DuckDBPyConnection, revision: str, rows: pd.DataFrame,
               scenario: str) -> Fixed:
    """WPP's events and population for the places, sexes and years of `rows` (corridor
    projections as `store.projected.projected_corridors` gives them)."""
    source = f"projections IMS {revision} {scenario}"
    findings: list[Finding] = []
    wpp = latest_wpp(con)
    jump_off = int(rows["jump_off"].iloc[0])
    sexes = tuple(s for s in ("total", "female", "male") if s in set(rows["sex"]))
    years = [jump_off, *sorted(int(y) for y in rows["year"].unique())]
    places = sorted((set(rows["origin"]) | set(rows["destination"])) - {UNKNOWN_ORIGIN})
    at = {p: i for i, p in enumerate(places)}
    births, deaths, kept = _events(con, wpp, years, at)
    if not kept:
        raise NotFound(f"WPP {wpp} births and deaths cover none of the projected periods",
                       hint="the store's WPP events end before the first projected year")
    dropped = [f"{years[k]}-{years[k + 1]}" for k in range(len(years) - 1) if k not in kept]
    if dropped:
        findings.append(Finding("projected_flows_periods", "info", source, ", ".join(dropped),
                                f"WPP {wpp} births and deaths do not cover these periods: no "
                                "projected flows for them"))
    last = kept[-1] + 1
    years, births, deaths = years[:last + 1], births[:last], deaths[:last]
    population = _population(con, revision, wpp, sexes=sexes, years=years, places=places)
    missing = [places[i] for i in np.nonzero((population == 0).any(axis=(0, 1)))[0]]
    if missing:
        findings.append(Finding("projected_flows_population", "warning", source,
                                ", ".join(missing), "no population for some years (IMS at "
                                f"the jump-off, WPP {wpp} medium variant later): native-born "
                                "taken as 0 there"))
    return Fixed(revision, wpp, jump_off, sexes, years, places, births, deaths, population,
                 findings)


def tables_of(fixed: Fixed, rows: pd.DataFrame, scenario: str) -> Tables:
    """One scenario's (or one draw's) stock tables: its corridors' stocks in `rows` (the
    `value` column) with the shared WPP figures."""
    f = fixed
    source = f"projections IMS {f.revision} {scenario}"
    findings = list(f.findings)
    sexes, years, places, population = f.sexes, f.years, f.places, f.population
    at = {p: i for i, p in enumerate(places)}
    births, deaths = f.births, f.deaths
    wpp, jump_off, revision = f.wpp_revision, f.jump_off, f.revision
    stocks, native = native_born(_known(rows, sexes, years, at), population)
    if (native < 0).any():
        bad = sorted({places[i] for i in np.nonzero((native < 0).any(axis=(0, 1)))[0]})
        findings.append(Finding("projected_flows_native_born", "warning", source,
                                ", ".join(bad), "projected immigrants exceed WPP's projected "
                                "population: native-born floored at 0"))
    births = split_events(births, population[:, :-1], sexes)
    empty = stocks[:, 1:].sum(axis=-2) == 0
    if (empty & (births > 0)).any():
        where = sorted({places[i] for i in np.nonzero((empty & (births > 0))
                                                      .any(axis=(0, 1)))[0]})
        findings.append(Finding("projected_flows_births", "warning", source, ", ".join(where),
                                "births where the projected table has no residents at the end "
                                "of a period (no population): births set to 0 there"))
        births = np.where(empty, 0.0, births)
    deaths, capped = cap_deaths(stocks[:, :-1], split_events(deaths, population[:, :-1], sexes))
    if capped:
        findings.append(Finding("projected_flows_deaths", "warning", source, "some places",
                                "WPP deaths exceed the residents of the projected table at the "
                                "start of a period: deaths capped there"))
    return Tables(revision, wpp, jump_off, scenario, sexes, years, places, stocks, births,
                  deaths, findings)


def flows(tables: Tables) -> tuple[np.ndarray, list[Finding]]:
    """Origin-destination flows (sex, period, n, n) of the tables by `METHOD` (pure glue
    over the flow kernels)."""
    t = tables
    findings = list(t.findings)
    with np.errstate(all="ignore"):
        result = estimate(t.stocks[:, :-1], t.stocks[:, 1:], t.births, t.deaths, METHOD,
                          labels=t.places, allow_nonconvergence=True)
    d = result.diagnostics
    if not np.isfinite(result.od).all():
        raise InputError(f"projected flows of IMS {t.revision} ({t.scenario}): the fit gave "
                         "non-finite flows")
    if not d.converged:
        findings.append(Finding("projected_flows_not_converged", "error",
                                f"projections IMS {t.revision} {t.scenario}", "all periods",
                                f"{METHOD}: IPF did not converge; largest margin error "
                                f"{d.max_margin_error:,.0f} persons"))
    return result.od, findings + list(d.findings)


def frame(tables: Tables, od: np.ndarray, draws: int | None = None) -> pd.DataFrame:
    """Rows of `projected_flows` (zero flows left out); `draws`: how many simulated
    futures quantiles come from (None for a scenario's own flows)."""
    sex, period, orig, dest = np.nonzero(od > 0)
    years = np.asarray(tables.years)
    return pd.DataFrame({
        "revision": tables.revision, "jump_off": tables.jump_off, "scenario": tables.scenario,
        "kind": KIND, "method": METHOD, "wpp_revision": tables.wpp_revision,
        "sex": np.asarray(tables.sexes, dtype=object)[sex],
        "period_start": years[:-1][period], "period_end": years[1:][period],
        "origin": np.asarray(tables.places, dtype=object)[orig],
        "destination": np.asarray(tables.places, dtype=object)[dest],
        "flow": od[sex, period, orig, dest],
        "draws": pd.array([draws] * len(sex), dtype="Int64"),
    })[COLUMNS]


def store_projected_flows(db: Path, *, revision: str | None = None,
                          scenarios: Sequence[str] = ("median",), wait: float = 0,
                          flow_draws: int = 100,
                          flow_sexes: Sequence[str] = DRAW_SEXES,
                          then: Sequence[Stage] = ()
                          ) -> tuple[WriteReport, pd.DataFrame, list[str]]:
    """`tmo projections flows run`: estimate the flows of every scenario between a
    revision's projected stocks (default: the latest projected) and replace that
    revision's projected flows, in a new store file swapped in. Scenario `draws`: the
    flows of each of the first `flow_draws` simulated futures and their quantiles
    (`draw_flows`), for `flow_sexes`; the lines returned say the world's total of those
    flows per period and sex. `then`: the stages that read them (the profiles'
    projections section).
    """
    unknown = sorted(set(scenarios) - {*SCENARIOS, "draws"})
    if unknown:
        raise InputError(f"unknown scenario {unknown[0]!r}; choose among {', '.join(SCENARIOS)}")
    con = duckdb.connect(str(db), read_only=True)
    try:
        revs = projected.projected_revisions(con)
        if not revs:
            raise NotFound("the store holds no projections", hint="run `tmo projections run` "
                           "first")
        rev = revision or revs[-1]
        parts, findings, lines = [], [], []
        for scenario in scenarios:
            if scenario == "draws":
                drawn = draw_flows(con, rev, flow_draws, flow_sexes)
                parts.append(draw_frame(drawn))
                findings += drawn.findings
                lines += world_lines(drawn)
                continue
            tables = read_tables(con, rev, scenario)
            od, found = flows(tables)
            parts.append(frame(tables, od))
            findings += found
    finally:
        con.close()
    rows = pd.concat(parts, ignore_index=True)

    def write(c: duckdb.DuckDBPyConnection) -> None:
        ensure_table(c, TABLE)
        replace_rows(c, TABLE, rows, ["revision"])
        replace_findings(c, TABLE, findings)

    report = derive(db, TABLE, write, then=then, command="tmo projections flows run",
                    wait=wait)
    return report, rows, lines


def world_lines(result: DrawFlows) -> list[str]:
    """The world's total flows per sex and period over the draws: median and 80 % and
    95 % intervals (quantiles of the totals, not sums of the cells' quantiles)."""
    years = result.fixed.years
    out = []
    for s, sex in enumerate(result.fixed.sexes):
        label = "world" if sex == "total" else f"world {sex}"
        for t in range(result.world.shape[2]):
            q = np.quantile(result.world[:, s, t], [0.5, 0.1, 0.9, 0.025, 0.975])
            out.append(f"{label} {years[t]}-{years[t + 1]}: {q[0]:,.0f} (80 %: {q[1]:,.0f}-"
                       f"{q[2]:,.0f}; 95 %: {q[3]:,.0f}-{q[4]:,.0f}) over "
                       f"{result.world.shape[0]} draws")
    return out


DRAW_SCENARIOS = projected.DRAW_SCENARIOS
DRAW_PROBS = (0.5, 0.1, 0.9, 0.025, 0.975)


@dataclass
class DrawFlows:
    """Flows estimated in each of the first draws of the stored projection, per sex
    (`fixed.sexes`): their quantiles per cell (scenario, sex, period, n, n) in
    `DRAW_SCENARIOS` order, the world's total per draw (draw, sex, period), each place's
    inflows less outflows per draw (draw, sex, period, n), the smallest flow of any draw,
    the tables' places and years."""

    quantiles: np.ndarray
    world: np.ndarray
    net: np.ndarray
    smallest: float
    fixed: Fixed
    findings: list[Finding]


def _draw_rows(inputs: Inputs, stocks: np.ndarray, jump_off: int,
               targets: tuple[int, ...], sexes: Sequence[str]) -> pd.DataFrame:
    """`projected_corridors`-like rows of one draw's stocks (n, 3 sexes as `SEX_ORDER`,
    H) for `sexes`: the same female and male draw, the total their sum."""
    n, h = stocks.shape[0], stocks.shape[-1]
    jump = inputs.stocks[:, :, -1]
    parts = []
    for sex in sexes:
        s = SEX_ORDER.index(sex)
        parts.append(pd.DataFrame({
            "jump_off": jump_off, "year": np.tile(np.asarray(targets), n),
            "origin": np.repeat(inputs.origins, h),
            "destination": np.repeat(inputs.destinations, h), "sex": sex,
            "jump_off_stock": np.repeat(jump.sum(axis=1) if s == 2 else jump[:, s], h),
            "value": stocks[:, s].ravel()}))
    return pd.concat(parts, ignore_index=True)


def draw_flows(con: duckdb.DuckDBPyConnection, revision: str, draws: int,
               sexes: Sequence[str] = DRAW_SEXES) -> DrawFlows:
    """The flows between the projected stocks of each of the first `draws` simulated
    futures of the stored projection of `revision` (simulated again with its seed and
    number of draws: the same futures), for `sexes` (female and male of a draw are the
    same draw k, the total their sum, each sex's flows estimated on its own tables as for
    the median), and their quantiles per cell: an interval of each projected flow that
    carries the stocks' uncertainty. A finding of a draw is kept once, with the number of
    draws it occurred in."""
    unknown = sorted(set(sexes) - set(DRAW_SEXES))
    if unknown or not sexes:
        raise InputError(f"unknown sex {unknown[0] if unknown else ''!r} for the flows' "
                         "draws", hint=f"choose among {', '.join(DRAW_SEXES)}")
    settings = projected.projection_settings(con, revision)
    if settings is None:
        raise NotFound(f"no projections of IMS {revision} in the store",
                       hint="run `tmo projections run` first")
    stored_draws, seed = settings
    if not 2 <= draws <= stored_draws:
        raise InputError(f"--flow-draws {draws}: expected 2 to {stored_draws} (the draws of "
                         "the stored projection)")
    inputs = read_inputs(con, revision)
    run = Settings(draws=stored_draws, seed=seed)
    stocks = draw_stocks(inputs, run, draws)  # (n, 3 sexes, draws, H)
    jump_off = int(inputs.years[-1])
    first = _draw_rows(inputs, stocks[:, :, 0], jump_off, run.targets, sexes)
    fixed = read_fixed(con, revision, first, "draws")
    n_sex, periods, m = len(fixed.sexes), len(fixed.years) - 1, len(fixed.places)
    od = np.empty((draws, n_sex, periods, m, m), dtype=np.float32)
    net = np.empty((draws, n_sex, periods, m))
    smallest = np.inf
    seen: dict[tuple[str, str], tuple[Finding, int]] = {}
    for k in range(draws):
        rows = first if k == 0 else _draw_rows(inputs, stocks[:, :, k], jump_off,
                                               run.targets, sexes)
        found_od, found = flows(tables_of(fixed, rows, f"draw {k + 1}"))
        od[k] = found_od
        net[k] = found_od.sum(axis=-2) - found_od.sum(axis=-1)
        smallest = min(smallest, float(found_od.min()))
        for f in found:
            key = (f.check, f.where)
            seen[key] = (seen[key][0], seen[key][1] + 1) if key in seen else (f, 1)
    findings = [replace(f, source=f"projections IMS {revision} draws",
                        message=f"{f.message} (in {c} of {draws} draws)")
                for f, c in seen.values()]
    quantiles = np.empty((len(DRAW_PROBS), n_sex, periods, m, m))
    for s in range(n_sex):  # one sex and period at a time: its draws in memory once
        for t in range(periods):
            quantiles[:, s, t] = np.quantile(od[:, s, t].astype(float), DRAW_PROBS, axis=0)
    return DrawFlows(quantiles, od.sum(axis=(3, 4), dtype=float), net, smallest, fixed,
                     findings)


def draw_frame(result: DrawFlows) -> pd.DataFrame:
    """Rows of `projected_flows` for the draws' quantiles: scenario `draws_median`,
    `draws_lower80`, ... (zero flows left out, as for the other scenarios)."""
    f = result.fixed
    parts = []
    for q, scenario in enumerate(DRAW_SCENARIOS):
        t = Tables(f.revision, f.wpp_revision, f.jump_off, scenario, f.sexes, f.years,
                   f.places, np.empty(0), np.empty(0), np.empty(0))
        parts.append(frame(t, result.quantiles[q], draws=result.world.shape[0]))
    return pd.concat(parts, ignore_index=True)
