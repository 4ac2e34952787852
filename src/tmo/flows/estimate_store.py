"""Glue between the store and the flow kernels: bilateral stock tables of an IMS
revision, WPP births, deaths and net migration over the same periods, and a
`migration_flows` table, under named conventions (`tmo.flows.conventions`).

Stock tables (rows = place of birth, columns = place of residence, 1 July):
- off-diagonal cells are `migrant_stock` of the revision;
- the diagonal (native-born) is the population of the same revision (IMS Table 2)
  minus the immigrants of the destination, floored at zero (a finding when floored);
- immigrants of unknown origin (OOO) are left in the native-born (published) or shared
  out over the destination's known origins (`unknown_origin="share"`);
- a successor state without stocks of its own at the start or end of a period is merged
  with its predecessor for that period (`merge_states`).
Births, deaths and net migration come from the WPP published with the revision (IMS 2024
with WPP 2024, IMS 2020 with WPP 2019), matched to the 1 July interval by
`tmo.flows.calendar`. For the female and male tables they are split by each sex's share
of the population at the start of the period (WPP events by sex are not among the
inputs). Everything is read once; `estimate_methods` estimates every requested method
and sex in one pass.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from tmo.errors import ConvergenceError, InputError, NotFound
from tmo.findings import Finding
from tmo.flows.calendar import covered, period_weights
from tmo.flows.conventions import PERIOD_OFFSET, PUBLISHED, SUCCESSORS, Conventions
from tmo.flows.methods import METHOD_OPTIONS, METHODS, estimate_many
from tmo.flows.result import FlowResult
from tmo.store import facts
from tmo.store.writer import replace_findings, replace_rows
from tmo.vocabulary import SEXES, UNKNOWN_ORIGIN

WPP_FOR_IMS = {"2024": "2024", "2020": "2019"}
WPP_UNITS = 1.0  # the store keeps WPP counts in persons
COLUMNS = ["revision", "method", "sex", "period_start", "period_end", "origin",
           "destination", "flow"]
DA_METHODS = ("da_min_open", "da_min_closed", "da_ind_closed", "da_pb_closed")


@dataclass
class StockTables:
    """The inputs of every method for one revision, read once.

    `stocks` (sex, year, n, n) are the tables of each stock year; `start` and `end`
    (sex, period, n, n) the tables each period is estimated from (successor states merged
    where `merge_states` applies); `births`, `deaths`, `net` (sex, period, n) the WPP
    events of each period (merged alike)."""

    revision: str
    sexes: tuple[str, ...]
    years: list[int]
    labels: list[str]
    stocks: np.ndarray
    start: np.ndarray
    end: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    net: np.ndarray
    conventions: Conventions = PUBLISHED
    merged: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
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


def fill_native_born(known: np.ndarray, unknown: np.ndarray, population: np.ndarray,
                     unknown_origin: str) -> tuple[np.ndarray, np.ndarray]:
    """Stock tables with their diagonal (pure): `known` (..., n, n) foreign-born of known
    origin with a zero diagonal, `unknown` (..., n) of unknown origin, `population`
    (..., n). Returns the tables and the unfloored native-born.

    `"native-born"`: the unknown-origin immigrants stay out of the foreign-born, so the
    native-born = population − known immigrants counts them; `"share"`: they are shared
    over known origins (`spread_unknown`) and the native-born = population − all
    immigrants. Either way a column sums to the population unless the native-born had to
    be floored at zero."""
    stocks = spread_unknown(known, unknown) if unknown_origin == "share" else known.copy()
    native = population - stocks.sum(axis=-2)
    n = stocks.shape[-1]
    stocks[..., np.arange(n), np.arange(n)] = np.maximum(native, 0.0)
    return stocks, native


def merge_successors(tables: np.ndarray, vectors: Sequence[np.ndarray], pairs: Sequence[
        tuple[int, int]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Merge each successor region into its predecessor (pure): `pairs` of indices
    (successor, predecessor); `tables` (..., n, n) get the successor's row and column
    added to the predecessor's and then zero; `vectors` (..., n) likewise."""
    tables = tables.copy()
    vectors = [v.copy() for v in vectors]
    for s, p in pairs:
        tables[..., p, :] += tables[..., s, :]
        tables[..., s, :] = 0.0
        tables[..., :, p] += tables[..., :, s]
        tables[..., :, s] = 0.0
        for v in vectors:
            v[..., p] += v[..., s]
            v[..., s] = 0.0
    return tables, vectors


def _rows_for(frame: pd.DataFrame, places: list[str], sexes: Sequence[str],
              years: list[int]) -> pd.DataFrame:
    return frame[frame["destination"].isin(places) & frame["sex"].isin(sexes)
                 & frame["year"].isin(years)]


def _wpp_population(con: duckdb.DuckDBPyConnection, revision: str, places: list[str],
                    years: list[int], index: dict) -> np.ndarray:
    """WPP population (sex = total, female, male; year; place): the revision paired with
    the IMS revision, gaps filled from the other WPP revision in the store."""
    shape = (len(SEXES), len(years), len(places))
    index = {**index, "sex": {s: i for i, s in enumerate(SEXES)}}
    paired = WPP_FOR_IMS.get(revision, revision)
    out = np.zeros(shape)
    for wpp in [paired, *sorted(set(WPP_FOR_IMS.values()) - {paired})]:
        rows = _rows_for(facts.population_rows(con, "UN WPP", wpp), places, SEXES, years)
        got = _grid(rows, index, ["sex", "year", "destination"], "population", shape)
        out = np.where(out > 0, out, got)
    return out


def population_by_sex(ims: np.ndarray, wpp: np.ndarray, immigrants: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Female and male population where IMS gives only the total (pure).

    `ims` and `wpp` (3 = total, female, male; year; place), `immigrants` (3, year,
    place). Where IMS has a total but no figure by sex, the total is split by the WPP
    sex ratio of the same year and place; without a WPP figure, by the sex shares of the
    area's immigrants. Returns the completed table and a code per place (0 complete,
    1 WPP sex ratio, 2 immigrants' sex shares)."""
    out = ims.copy()
    missing = (ims[0] > 0) & (ims[1] + ims[2] == 0)  # (year, place)
    how = np.zeros(ims.shape[-1], dtype=int)
    for k in (1, 2):
        wpp_share = np.divide(wpp[k], wpp[1] + wpp[2], out=np.zeros_like(wpp[k]),
                              where=wpp[1] + wpp[2] > 0)
        imm_share = np.divide(immigrants[k], immigrants[1] + immigrants[2],
                              out=np.full_like(wpp[k], 0.5),
                              where=immigrants[1] + immigrants[2] > 0)
        has_wpp = (wpp[1] + wpp[2]) > 0
        share = np.where(has_wpp, wpp_share, imm_share)
        out[k] = np.where(missing, ims[0] * share, ims[k])
    has_wpp_all = ((wpp[1] + wpp[2]) > 0)
    how[(missing & has_wpp_all).any(axis=0)] = 1
    how[(missing & ~has_wpp_all).any(axis=0)] = 2
    return out, how


def _population(con: duckdb.DuckDBPyConnection, revision: str, *, places: list[str],
                years: list[int], index: dict, immigrants: np.ndarray, sexes: Sequence[str],
                findings: list[Finding]) -> np.ndarray:
    """Population (sex = total, female, male; year; place) of the IMS revision, completed
    from WPP where the workbook has no figure (by sex, or at all), each case a finding."""
    source = f"IMS {revision}"
    all_sexes = tuple(SEXES)
    pop = facts.population_rows(con, "UN DESA IMS", revision)
    ims_pop = _grid(_rows_for(pop, places, all_sexes, years), index,
                    ["sex", "year", "destination"], "population",
                    (len(all_sexes), len(years), len(places)))
    wpp = _wpp_population(con, revision, places, years, index)
    ims_pop, how = population_by_sex(ims_pop, wpp, immigrants)
    for code, text in ((1, "split by the WPP sex ratio of the same year"),
                       (2, "split by the sex shares of its immigrants (no WPP figure)")):
        where = [places[i] for i in np.nonzero(how == code)[0]]
        if where and set(sexes) - {"total"}:
            findings.append(Finding("flows_population_by_sex", "info", source, ", ".join(where),
                                    "no population by sex in the IMS workbook: the total "
                                    f"population is {text}"))
    gap = (ims_pop == 0) & (wpp > 0)
    if gap.any():
        where = sorted({places[i] for i in np.nonzero(gap.any(axis=(0, 1)))[0]})
        findings.append(Finding("flows_population", "info", source, ", ".join(where),
                                "no population in the IMS workbook for some years: the WPP "
                                "population of the same date is used there"))
    population = np.where(gap, wpp, ims_pop)
    missing = [places[i] for i in np.nonzero((population == 0).all(axis=(0, 1)))[0]]
    if missing:
        findings.append(Finding("flows_population", "warning", source, ", ".join(missing),
                                "no population: native-born taken as 0"))
    return population


def stock_tables(con: duckdb.DuckDBPyConnection, revision: str,
                 sexes: tuple[str, ...] = SEXES, conventions: Conventions = PUBLISHED
                 ) -> StockTables:
    """Read a revision's stocks, populations and WPP events once and build the tables."""
    inputs, findings = store_inputs(con, revision, sexes, conventions)
    return assemble(inputs, conventions, findings)


def store_inputs(con: duckdb.DuckDBPyConnection, revision: str,
                 sexes: tuple[str, ...] = SEXES, conventions: Conventions = PUBLISHED
                 ) -> tuple[Inputs, list[Finding]]:
    """A revision's stocks, populations and WPP events as `stock_tables` reads them,
    before the tables are assembled, with the findings of the reading."""
    all_sexes = tuple(SEXES)
    # the total table alone needs no stocks by sex (the store keeps the total too)
    ms = facts.stock_rows(con, revision, ("total",) if tuple(sexes) == ("total",)
                          else all_sexes)
    if ms.empty:
        raise NotFound(f"no migrant_stock rows for revision {revision!r}",
                       hint="build the store first; `tmo sql \"SELECT DISTINCT revision FROM "
                       "migrant_stock\"` lists the revisions")
    places = sorted((set(ms["origin"]) | set(ms["destination"])) - {UNKNOWN_ORIGIN})
    years = sorted(ms["year"].unique().tolist())
    at = {p: i for i, p in enumerate(places)}
    index = {"sex": {s: i for i, s in enumerate(all_sexes)},
             "year": {y: i for i, y in enumerate(years)}, "origin": at, "destination": at}
    shape = (len(all_sexes), len(years), len(places), len(places))
    findings: list[Finding] = []
    known = _grid(ms[ms["origin"] != UNKNOWN_ORIGIN], index,
                  ["sex", "year", "origin", "destination"], "stock", shape)
    unknown = _grid(ms[ms["origin"] == UNKNOWN_ORIGIN], index, ["sex", "year", "destination"],
                    "stock", shape[:-1])
    if not (ms["sex"] == "total").any():  # the store keeps female and male; total = sum
        known[0], unknown[0] = known[1] + known[2], unknown[1] + unknown[2]
    immigrants = known.sum(axis=-2) + unknown
    population = _population(con, revision, places=places, years=years, index=index,
                             immigrants=immigrants, sexes=sexes, findings=findings)
    births, deaths, net, found = events(con, revision, years=years, places=places,
                                        sexes=all_sexes, population=population,
                                        conventions=conventions)
    pick = [all_sexes.index(s) for s in sexes]
    return (Inputs(revision, tuple(sexes), years, places, known[pick], unknown[pick],
                   population[pick], births[pick], deaths[pick], net[pick]),
            findings + found)


@dataclass(frozen=True)
class Inputs:
    """What the store gives for one revision (first axis: `sexes`): foreign-born stocks of
    known origin `known` (sex, year, n, n) with a zero diagonal, of unknown origin
    `unknown` (sex, year, n), the population (sex, year, n), and births, deaths and net
    migration (sex, period, n) of the intervals between the years."""

    revision: str
    sexes: tuple[str, ...]
    years: list[int]
    places: list[str]
    known: np.ndarray
    unknown: np.ndarray
    population: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    net: np.ndarray


def assemble(inputs: Inputs, conventions: Conventions = PUBLISHED,
             findings: list[Finding] | None = None) -> StockTables:
    """The tables every method is estimated from, under `conventions` (pure): native-born
    and unknown origins, successor states merged, deaths and births kept possible."""
    i = inputs
    findings = list(findings or [])
    places, years, source = i.places, i.years, f"IMS {i.revision}"
    stocks, native = fill_native_born(i.known, i.unknown, i.population,
                                      conventions.unknown_origin)
    if (native < 0).any():
        bad = sorted({places[k] for k in np.nonzero((native < 0).any(axis=(0, 1)))[0]})
        findings.append(Finding("flows_native_born", "warning", source, ", ".join(bad),
                                "immigrants exceed the population: native-born floored at 0"))
    if conventions.unknown_origin == "native-born" and i.unknown.any():
        findings.append(Finding("flows_unknown_origin", "info", source, "all periods",
                                f"{i.unknown[0].sum(-1).max():,.0f} immigrants of unknown "
                                "origin (largest year) counted among the native-born, as the "
                                "published estimates do"))
    start, end = stocks[:, :-1], stocks[:, 1:]
    births, deaths, net = i.births, i.deaths, i.net
    merged: dict[int, list[tuple[str, str]]] = {}
    if conventions.merge_states:
        immigrants = (i.known.sum(axis=-2) + i.unknown).sum(axis=0)  # (year, n), all sexes
        start, end, births, deaths, net, merged = _merge(
            (start, end, births, deaths, net), immigrants, places, years)
        for p, pairs in merged.items():
            findings.append(Finding(
                "flows_merged_states", "info", source,
                f"{years[p]}-{years[p + 1]}",
                "; ".join(f"{s} merged with {t}" for s, t in pairs) + ": the successor "
                "has no stocks of its own at the start or end of the period, so its flows "
                "are those of the merged state"))
    deaths, births = _cap_events(start, end, births, deaths, places=places, source=source,
                                 findings=findings)
    return StockTables(i.revision, i.sexes, years, places, stocks, start, end, births,
                       deaths, net, conventions, merged, findings)


def _cap_events(start: np.ndarray, end: np.ndarray, births: np.ndarray, deaths: np.ndarray,
                *, places: list[str], source: str, findings: list[Finding]
                ) -> tuple[np.ndarray, np.ndarray]:
    """Deaths capped at the residents at the start, births dropped where nobody lives at
    the end (areas without a published population), each a finding."""
    residents = start.sum(axis=-2)
    over = deaths > residents
    if over.any():
        where = sorted({places[i] for i in np.nonzero(over.any(axis=(0, 1)))[0]})
        findings.append(Finding("flows_deaths", "warning", source, ", ".join(where),
                                "WPP deaths exceed the residents of the stock table at the "
                                "start of a period (no published population): deaths capped "
                                "there"))
        deaths = np.minimum(deaths, residents)
    empty_end = end.sum(axis=-2) == 0
    if (empty_end & (births > 0)).any():
        where = sorted({places[i] for i in np.nonzero((empty_end & (births > 0))
                                                      .any(axis=(0, 1)))[0]})
        findings.append(Finding("flows_births", "warning", source, ", ".join(where),
                                "births where the stock table has no residents at the end of "
                                "a period (no published population): births set to 0 there"))
        births = np.where(empty_end, 0.0, births)
    return deaths, births


def _merge(arrays: tuple[np.ndarray, ...], immigrants: np.ndarray, places: list[str],
           years: list[int]):
    """Merge successors into predecessors (`arrays`: start, end, births, deaths, net) in
    the periods where a successor of the group has no immigrants at the start or end."""
    start, end, births, deaths, net = arrays
    at = {p: i for i, p in enumerate(places)}
    pairs = [(at[s], at[t]) for s, t in SUCCESSORS.items() if s in at and t in at]
    merged: dict[int, list[tuple[str, str]]] = {}
    start, end = start.copy(), end.copy()
    births, deaths, net = births.copy(), deaths.copy(), net.copy()
    groups: dict[int, list[tuple[int, int]]] = {}
    for s, t in pairs:
        groups.setdefault(t, []).append((s, t))
    for p in range(len(years) - 1):
        # a group is merged whole when one of its successors has no stocks of its own
        active = [pair for t, group in groups.items()
                  if any(immigrants[p, s] == 0 or immigrants[p + 1, s] == 0
                         for s, _ in group) for pair in group]
        if not active:
            continue
        start[:, p], _ = merge_successors(start[:, p], [], active)
        end[:, p], vec = merge_successors(end[:, p], [births[:, p], deaths[:, p], net[:, p]],
                                          active)
        births[:, p], deaths[:, p], net[:, p] = vec
        merged[p] = [(places[s], places[t]) for s, t in active]
    return start, end, births, deaths, net, merged


def _period_events(con: duckdb.DuckDBPyConnection, wpp: str, years: list[int],
                   pidx: dict[str, int], offset: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, set[str]]:
    """Births, deaths and net migration (period, place) of one WPP revision, in persons,
    and the places it covers."""
    ev = facts.vital_event_rows(con, "UN WPP", wpp)
    if ev.empty:
        raise NotFound(f"no WPP {wpp} births and deaths in the store")
    length = int(ev["period_years"].min())
    ev = ev[(ev["period_years"] == length) & ev["country"].isin(pidx)]
    starts = sorted(ev["year"].unique().tolist())
    out = np.zeros((3, len(years) - 1, len(pidx)))
    for k, (t0, t1) in enumerate(itertools.pairwise(years)):
        weights = period_weights(t0, t1, starts, length, offset if length > 1 else 0.0)
        if not covered(t0, t1, weights, length):
            raise InputError(f"WPP {wpp} events do not cover 1 July {t0} - 1 July {t1}")
        sel = ev[ev["year"].isin(weights)]
        w = sel["year"].map(weights).to_numpy()
        pos = sel["country"].map(pidx).to_numpy()
        for j, col in enumerate(("births", "deaths", "net_migration")):
            np.add.at(out[j, k], pos, w * sel[col].fillna(0).to_numpy() * WPP_UNITS)
    return out[0], out[1], out[2], set(ev["country"])


def events(con: duckdb.DuckDBPyConnection, revision: str, *, years: list[int],
           places: list[str], sexes: tuple[str, ...], population: np.ndarray,
           conventions: Conventions = PUBLISHED):
    """Births, deaths and net migration (sex, period, place) for the intervals between
    stock years, in persons.

    From the WPP revision paired with the IMS revision; places it does not publish
    (WPP 2019's country files leave out about 30 small areas) take the events of the
    other WPP revision in the store for the same periods, with a finding. WPP 2019's
    five-year periods start on 1 July (`conventions.wpp2019_periods`).
    """
    wpp = WPP_FOR_IMS.get(revision)
    if wpp is None:
        raise NotFound(f"no WPP revision is paired with IMS {revision}; known: {WPP_FOR_IMS}")
    offset = PERIOD_OFFSET[conventions.wpp2019_periods]
    pidx = {p: i for i, p in enumerate(places)}
    births, deaths, net, covered_places = _period_events(con, wpp, years, pidx, offset)
    findings = []
    absent = set(places) - covered_places
    for other in sorted(set(WPP_FOR_IMS.values()) - {wpp}):
        if not absent:
            break
        b2, d2, n2, found = _period_events(con, other, years, pidx, offset)
        filled = sorted(absent & found)
        if filled:
            cols = [pidx[p] for p in filled]
            births[:, cols], deaths[:, cols], net[:, cols] = (
                b2[:, cols], d2[:, cols], n2[:, cols])
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
    return share * births, share * deaths, share * net, findings


def method_options(tables: StockTables, methods: Sequence[str],
                   options: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Each method's options under the tables' conventions; `options` (e.g. a weight the
    user set) win, and apply to the methods that take them."""
    c = tables.conventions
    out: dict[str, dict[str, Any]] = {m: {} for m in methods}
    for m in methods:
        if m in DA_METHODS:
            out[m]["allow_nonconvergence"] = True
        if m == "da_min_open":
            out[m]["open_method"] = c.open_method
        if m == "da_pb_closed":
            out[m]["weight"] = c.pb_weight
        if m == "mig_rate":
            if c.mig_rate_total == "wpp-net":
                out[m]["total"] = np.abs(tables.net).sum(-1)
            else:
                out[m]["allow_nonconvergence"] = True
    for key, value in (options or {}).items():
        takers = [m for m in methods if key in _known_options(m)]
        if not takers:
            raise InputError(f"option {key!r} applies to none of {', '.join(methods)}")
        for m in takers:
            out[m][key] = value
    return out


def _known_options(method: str) -> dict:
    return METHOD_OPTIONS[method]


def flows_of(inputs: Inputs, first: int, last: int, known: np.ndarray, unknown: np.ndarray,
             *, method: str = "da_pb_closed", conventions: Conventions = PUBLISHED
             ) -> tuple[np.ndarray, list[Finding]]:
    """The flows (sex, period, n, n) of the periods between `inputs.years[first]` and
    `inputs.years[last]` by one method, with the stocks of those years replaced by `known`
    (sex, year, n, n) and `unknown` (sex, year, n) and everything else (population,
    births, deaths, conventions) as published: what `tmo flows` would estimate had those
    stocks been published (the flows' backtest, `tmo.projections.flow_backtest`)."""
    i = inputs
    window = replace(i, years=i.years[first:last + 1], known=known, unknown=unknown,
                     population=i.population[:, first:last + 1],
                     births=i.births[:, first:last], deaths=i.deaths[:, first:last],
                     net=i.net[:, first:last])
    tables = assemble(window, conventions)
    results, found = estimate_tables(tables, (method,))
    od = results[method].od.reshape(len(i.sexes), last - first, len(i.places), len(i.places))
    return od, tables.findings + found


def estimate_tables(tables: StockTables, methods: Sequence[str] = METHODS,
                    options: dict[str, Any] | None = None
                    ) -> tuple[dict[str, FlowResult], list[Finding]]:
    """Every requested method on the tables in one pass, with the findings of the fit:
    numpy's floating-point warnings become one summarised finding, a fit that does not
    converge is kept (as migest keeps it) and reported as an error finding."""
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise InputError(f"unknown method {unknown[0]!r}; choose among {', '.join(METHODS)}")
    source = f"IMS {tables.revision}"
    opts = method_options(tables, methods, options)
    findings: list[Finding] = []
    # one BLAS thread: the products here are small, and OpenBLAS threads spinning on a
    # loaded 2-core machine cost half as much CPU again (docs/flows.md, Benchmarks)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"), \
            threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("always")
        try:
            results = estimate_many(tables.start, tables.end, tables.births, tables.deaths,
                                    methods, labels=tables.labels, options=opts)
        except ConvergenceError as exc:
            raise ConvergenceError(f"IMS {tables.revision}: {exc}", hint=exc.hint) from None
    numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        findings.append(Finding("flows_numeric", "info", source, ", ".join(methods),
                                f"{len(numeric)} floating-point warnings (overflow or "
                                "invalid values) inside the IPF of fits that do not converge; "
                                "judged by the margin errors reported, flows checked finite"))
    for m, result in results.items():
        d = result.diagnostics
        if not np.isfinite(result.od).all():
            raise ConvergenceError(f"IMS {tables.revision} {m}: the fit gave non-finite flows")
        if not d.converged:
            findings.append(Finding(
                "flows_not_converged", "error", f"{source} {m}", "all periods",
                f"{m}: IPF did not converge (stopped after {d.iterations:,} iterations); "
                f"flows kept with a largest margin error of {d.max_margin_error:,.0f} persons "
                "(the stocks and the WPP events disagree by more than migration can "
                "explain)"))
        findings += list(d.findings)
    return results, findings


def flow_frame(tables: StockTables, method: str, result: FlowResult) -> pd.DataFrame:
    """A method's flows as rows of `migration_flows` (zero flows left out). Labels are
    categorical columns built from integer codes: millions of rows in well under a
    second, stored as text."""
    od = result.od.reshape(len(tables.sexes), len(tables.years) - 1, *result.od.shape[-2:])
    sex, period, orig, dest = np.nonzero(od)
    starts, ends = np.asarray(tables.years[:-1]), np.asarray(tables.years[1:])

    def cat(codes: np.ndarray, names: Sequence[str]) -> pd.Categorical[str]:
        return pd.Categorical.from_codes(codes.astype(np.int32), categories=pd.Index(names))

    zeros = np.zeros(len(sex), dtype=np.int8)
    return pd.DataFrame({
        "revision": cat(zeros, [tables.revision]),
        "method": cat(np.full(len(sex), METHODS.index(method), dtype=np.int8), METHODS),
        "sex": cat(sex, tables.sexes),
        "period_start": starts[period],
        "period_end": ends[period],
        "origin": cat(orig, tables.labels),
        "destination": cat(dest, tables.labels),
        "flow": od[sex, period, orig, dest],
    })[COLUMNS]


def estimate_methods(con: duckdb.DuckDBPyConnection, revision: str,
                     methods: Sequence[str] = METHODS, sexes: tuple[str, ...] = SEXES,
                     conventions: Conventions = PUBLISHED, **options: Any
                     ) -> tuple[pd.DataFrame, list[Finding], dict[str, dict]]:
    """Flows of every period of a revision by every method: one long frame with the
    `migration_flows` columns, the findings, and each method's diagnostics."""
    tables = stock_tables(con, revision, sexes, conventions)
    results, found = estimate_tables(tables, methods, options)
    frame = pd.concat([flow_frame(tables, m, r) for m, r in results.items()],
                      ignore_index=True)
    diags = {m: r.diagnostics.as_dict() for m, r in results.items()}
    return frame, tables.findings + found, diags


def estimate_revision(con: duckdb.DuckDBPyConnection, revision: str, method: str,
                      sexes: tuple[str, ...] = SEXES, conventions: Conventions = PUBLISHED,
                      **options: Any) -> tuple[pd.DataFrame, list[Finding], dict]:
    """Flows of every period of a revision by one method (see `estimate_methods`)."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    frame, findings, diags = estimate_methods(con, revision, (method,), sexes, conventions,
                                              **options)
    return frame, findings, diags[method]


def write_flows(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame,
                findings: list[Finding] | None = None) -> int:
    """Replace the flows of the frame's (revision, method, sex) in a store being written
    (a copy about to be swapped in, see `tmo.store.writer.derive`), with their findings."""
    n = replace_rows(con, "migration_flows", frame[COLUMNS], ["revision", "method", "sex"],
                     ordered=False)  # millions of rows, read only by key or ORDER BY
    replace_findings(con, "flows", findings or [])
    return n
