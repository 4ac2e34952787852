"""Glue between the store and the flow kernels: bilateral stock tables of an IMS
revision, WPP births and deaths over the same periods, and a `migration_flows` table.

Stock tables (rows = place of birth, columns = place of residence, 1 July):
- off-diagonal cells are `migrant_stock` of the revision;
- the diagonal (native-born) is the population of the same revision (IMS Table 2)
  minus all immigrants of the destination, floored at zero (a finding when floored);
- immigrants of unknown origin (OOO) are shared out over the destination's known
  origins in proportion to their stocks (over all migrants' origins worldwide where a
  destination reports no known origin), so destination totals are kept.
Births and deaths come from the WPP published with the revision (IMS 2024 with
WPP 2024, IMS 2020 with WPP 2019), matched to the 1 July interval by
`tmo.flows.calendar`. For the female and male tables, births and deaths are split
by each sex's share of the population at the start of the period (WPP births and
deaths by sex are not among the inputs); the documentation says so.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from tmo.errors import ConvergenceError, InputError, NotFound
from tmo.findings import Finding
from tmo.flows.calendar import covered, period_weights
from tmo.flows.methods import METHODS, estimate
from tmo.store import facts
from tmo.store.writer import replace_findings, replace_rows
from tmo.vocabulary import SEXES, UNKNOWN_ORIGIN

WPP_FOR_IMS = {"2024": "2024", "2020": "2019"}
# Pseudo-Bayes weight for the global tables: the fixed weight that correlates best with
# Eurostat's reported flows 2000-2024 (docs/flows.md, "Validation against reported
# flows"); the BFH weight stays available with weight="bfh".
STORE_PB_WEIGHT = 0.1
COLUMNS = ["revision", "method", "sex", "period_start", "period_end", "origin",
           "destination", "flow"]


@dataclass
class StockTables:
    revision: str
    sexes: tuple[str, ...]
    years: list[int]
    labels: list[str]
    stocks: np.ndarray  # (sex, year, n, n)
    births: np.ndarray  # (sex, period, n)
    deaths: np.ndarray  # (sex, period, n)
    findings: list[Finding] = field(default_factory=list)


def _grid(frame: pd.DataFrame, index: dict, cols: list[str], value: str, shape) -> np.ndarray:
    out = np.zeros(shape)
    pos = tuple(frame[c].map(index[c]).to_numpy() for c in cols)
    np.add.at(out, pos, frame[value].to_numpy(dtype=float))
    return out


def spread_unknown(stocks: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Share each destination's unknown-origin immigrants over known origins (pure).

    `stocks` (..., n, n) without the diagonal; `unknown` (..., n) by destination. A
    destination with known origins shares its unknown in proportion to them; one with
    none (all its immigrants are of unknown origin, e.g. Bonaire in IMS 2024) shares it
    in proportion to all migrants' origins worldwide, less its own native-born.
    """
    col = stocks.sum(axis=-2, keepdims=True)
    share = np.divide(stocks, col, out=np.zeros_like(stocks), where=col > 0)
    world = np.repeat(stocks.sum(axis=-1)[..., :, None], stocks.shape[-1], axis=-1)
    n = stocks.shape[-1]
    world[..., np.arange(n), np.arange(n)] = 0
    wcol = world.sum(axis=-2, keepdims=True)
    world = np.divide(world, wcol, out=np.zeros_like(world), where=wcol > 0)
    share = np.where(col > 0, share, world)
    return stocks + share * unknown[..., None, :]


def _rows_for(frame: pd.DataFrame, places: list[str], sexes: tuple[str, ...],
              years: list[int]) -> pd.DataFrame:
    return frame[frame["destination"].isin(places) & frame["sex"].isin(sexes)
                 & frame["year"].isin(years)]


def stock_tables(con: duckdb.DuckDBPyConnection, revision: str,
                 sexes: tuple[str, ...] = SEXES) -> StockTables:
    ms = facts.stock_rows(con, revision, sexes)
    if ms.empty:
        raise NotFound(f"no migrant_stock rows for revision {revision!r}",
                       hint="build the store first; `tmo sql \"SELECT DISTINCT revision FROM "
                       "migrant_stock\"` lists the revisions")
    pop = facts.population_rows(con, "UN DESA IMS", revision)
    places = sorted((set(ms["origin"]) | set(ms["destination"])) - {UNKNOWN_ORIGIN})
    years = sorted(ms["year"].unique().tolist())
    at = {p: i for i, p in enumerate(places)}
    index = {"sex": {s: i for i, s in enumerate(sexes)},
             "year": {y: i for i, y in enumerate(years)}, "origin": at, "destination": at}
    n, shape = len(places), (len(sexes), len(years), len(places), len(places))
    findings: list[Finding] = []
    known = ms[ms["origin"] != UNKNOWN_ORIGIN]
    stocks = _grid(known, index, ["sex", "year", "origin", "destination"], "stock", shape)
    unknown = _grid(ms[ms["origin"] == UNKNOWN_ORIGIN], index, ["sex", "year", "destination"],
                    "stock", shape[:-1])
    immigrants = stocks.sum(axis=-2) + unknown
    stocks = spread_unknown(stocks, unknown)
    population = _grid(_rows_for(pop, places, sexes, years), index,
                       ["sex", "year", "destination"], "population", shape[:-1])
    wpp = facts.population_rows(con, "UN WPP", WPP_FOR_IMS.get(revision, revision))
    fallback = _grid(_rows_for(wpp, places, sexes, years), index,
                     ["sex", "year", "destination"], "population", shape[:-1])
    gap = (population == 0) & (fallback > 0)
    if gap.any():
        where = sorted({places[i] for i in np.nonzero(gap.any(axis=(0, 1)))[0]})
        findings.append(Finding("flows_population", "info", f"IMS {revision}", ", ".join(where),
                                "no population in the IMS workbook for some years: the WPP "
                                "population of the same date is used there"))
        population = np.where(gap, fallback, population)
    missing = [places[i] for i in np.nonzero((population == 0).all(axis=(0, 1)))[0]]
    if missing:
        findings.append(Finding("flows_population", "warning", f"IMS {revision}",
                                ", ".join(missing), "no population: native-born taken as 0"))
    native = population - immigrants
    if (native < 0).any():
        bad = sorted({places[i] for i in np.nonzero((native < 0).any(axis=(0, 1)))[0]})
        findings.append(Finding("flows_native_born", "warning", f"IMS {revision}",
                                ", ".join(bad), "immigrants exceed the population: native-born "
                                "floored at 0"))
    idx = np.arange(n)
    stocks[..., idx, idx] = np.maximum(native, 0)
    births, deaths, found = events(con, revision, years=years, places=places, sexes=sexes,
                                   population=population)
    residents = stocks[:, :-1].sum(axis=-2)  # (sex, period, place) at the period start
    over = deaths > residents
    if over.any():
        where = sorted({places[i] for i in np.nonzero(over.any(axis=(0, 1)))[0]})
        found.append(Finding("flows_deaths", "warning", f"IMS {revision}", ", ".join(where),
                             "WPP deaths exceed the residents of the stock table at the start "
                             "of a period (no published population): deaths capped there"))
        deaths = np.minimum(deaths, residents)
    empty_end = stocks[:, 1:].sum(axis=-2) == 0
    if (empty_end & (births > 0)).any():
        where = sorted({places[i] for i in np.nonzero((empty_end & (births > 0))
                                                      .any(axis=(0, 1)))[0]})
        found.append(Finding("flows_births", "warning", f"IMS {revision}", ", ".join(where),
                             "births where the stock table has no residents at the end of a "
                             "period (no published population): births set to 0 there"))
        births = np.where(empty_end, 0.0, births)
    return StockTables(revision, sexes, years, places, stocks, births, deaths,
                       findings + found)


def _period_events(con: duckdb.DuckDBPyConnection, wpp: str, years: list[int],
                   pidx: dict[str, int]) -> tuple[np.ndarray, np.ndarray, set[str]]:
    """Births and deaths (period, place) of one WPP revision, and the places it covers."""
    ev = facts.vital_event_rows(con, "UN WPP", wpp)
    if ev.empty:
        raise NotFound(f"no WPP {wpp} births and deaths in the store")
    length = int(ev["period_years"].min())
    ev = ev[(ev["period_years"] == length) & ev["country"].isin(pidx)]
    starts = sorted(ev["year"].unique().tolist())
    births = np.zeros((len(years) - 1, len(pidx)))
    deaths = np.zeros_like(births)
    for k, (t0, t1) in enumerate(itertools.pairwise(years)):
        weights = period_weights(t0, t1, starts, length)
        if not covered(t0, t1, weights, length):
            raise InputError(f"WPP {wpp} events do not cover 1 July {t0} - 1 July {t1}")
        sel = ev[ev["year"].isin(weights)]
        w = sel["year"].map(weights).to_numpy()
        pos = sel["country"].map(pidx).to_numpy()
        np.add.at(births[k], pos, w * sel["births"].fillna(0).to_numpy())
        np.add.at(deaths[k], pos, w * sel["deaths"].fillna(0).to_numpy())
    return births, deaths, set(ev["country"])


def events(con: duckdb.DuckDBPyConnection, revision: str, *, years: list[int],
           places: list[str], sexes: tuple[str, ...], population: np.ndarray):
    """Births and deaths (sex, period, place) for the intervals between stock years.

    From the WPP revision paired with the IMS revision; places it does not publish
    (WPP 2019's country files leave out about 30 small areas) take the events of the
    other WPP revision in the store for the same periods, with a finding.
    """
    wpp = WPP_FOR_IMS.get(revision)
    if wpp is None:
        raise NotFound(f"no WPP revision is paired with IMS {revision}; known: {WPP_FOR_IMS}")
    pidx = {p: i for i, p in enumerate(places)}
    births, deaths, covered_places = _period_events(con, wpp, years, pidx)
    findings = []
    absent = set(places) - covered_places
    for other in sorted(set(WPP_FOR_IMS.values()) - {wpp}):
        if not absent:
            break
        b2, d2, found = _period_events(con, other, years, pidx)
        filled = sorted(absent & found)
        if filled:
            cols = [pidx[p] for p in filled]
            births[:, cols], deaths[:, cols] = b2[:, cols], d2[:, cols]
            findings.append(Finding("flows_vital_events", "info", f"WPP {wpp}",
                                    ", ".join(filled), f"no births or deaths in WPP {wpp}: "
                                    f"those of WPP {other} for the same periods are used"))
            absent -= set(filled)
    if absent:
        findings.append(Finding("flows_vital_events", "warning", f"WPP {wpp}",
                                ", ".join(sorted(absent)),
                                "no births or deaths published: taken as 0"))
    # split by sex in proportion to the population at the start of each period
    start_pop = population[:, :-1, :]  # (sex, period, n)
    total = start_pop[list(sexes).index("total")] if "total" in sexes else start_pop.sum(0)
    share = np.divide(start_pop, total, out=np.zeros_like(start_pop), where=total > 0)
    return share * births, share * deaths, findings


def estimate_revision(con: duckdb.DuckDBPyConnection, revision: str, method: str,
                      sexes: tuple[str, ...] = SEXES, **options: Any
                      ) -> tuple[pd.DataFrame, list[Finding], dict]:
    """Flows of every period of a revision: long frame with the `migration_flows` columns."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    tables = stock_tables(con, revision, sexes)
    if method == "da_pb_closed":
        options = {"weight": STORE_PB_WEIGHT, **options}
    args = (tables.stocks[:, :-1], tables.stocks[:, 1:], tables.births, tables.deaths, method)
    try:
        result = estimate(*args, labels=tables.labels, **options)
    except ConvergenceError as exc:
        if "allow_nonconvergence" in options or not method.startswith("da_"):
            raise
        # as migest does, keep the fit where the closed rescale cannot meet its margins, and
        # say so loudly: an error finding, the margin error in the diagnostics
        result = estimate(*args, labels=tables.labels, allow_nonconvergence=True, **options)
        tables.findings.append(Finding(
            "flows_not_converged", "error", f"IMS {revision} {method}", "all periods",
            f"{exc}; flows kept with a largest margin error of "
            f"{result.diagnostics.max_margin_error:,.0f} persons (the stocks and the WPP "
            "events disagree by more than migration can explain)"))
    result = dataclasses.replace(result, batch_names=("sex", "period_start"),
                                 batch_labels=(tables.sexes, tuple(tables.years[:-1])))
    frame = result.to_frame(include_zero=False)
    end_of = dict(zip(tables.years[:-1], tables.years[1:], strict=True))
    frame["period_end"] = frame["period_start"].map(end_of)
    frame["revision"], frame["method"] = revision, method
    return frame[COLUMNS], tables.findings + list(result.diagnostics.findings), \
        result.diagnostics.as_dict()


def write_flows(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame,
                findings: list[Finding] | None = None) -> int:
    """Replace the flows of the frame's (revision, method, sex) in a store being written
    (a copy about to be swapped in, see `tmo.store.writer.derive`), with their findings."""
    n = replace_rows(con, "migration_flows", frame[COLUMNS], ["revision", "method", "sex"])
    replace_findings(con, "flows", findings or [])
    return n
