"""Backtest of the projected flows' intervals (issue #14; docs/projections.md, "Backtest of
the flows' intervals"): the stock model is fitted on the estimates up to a jump-off year
(`backtest.split`, as the stock backtest), K simulated futures of the later estimate years
are drawn (`projection.draw_stocks`, no ceiling, as the stock backtest), and in each
future the flows of the periods from the jump-off are estimated as `tmo projections flows
run --scenario draws` estimates them (`da_pb_closed`, total of both sexes); the truth is
what `tmo flows` estimates, by the same method, from the stocks published for those years.

The flow estimation is given from outside (`Estimate`: the glue that reads the published
stocks, population, births and deaths, `tmo.flows.estimate_store.flows_of`), so this
module holds the kernels: stock tables of a draw, per-cell scores, size bands, the world
total and the baseline (the last period before the jump-off carried forward, annualised).
Scored cells: every origin-destination pair (origin and destination different) whose flow
is positive in the truth, in a draw or in the baseline. Size band: the cell's flow in the
last period before the jump-off (known then, like the stock backtest's jump-off stock).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from tmo.findings import Finding
from tmo.flows.validation import reported_periods
from tmo.projections import scores
from tmo.projections.backtest import BAND_NAMES, split
from tmo.projections.projection import SEX_ORDER, Inputs, Settings, draw_stocks
from tmo.vocabulary import UNKNOWN_ORIGIN

# (first, last: positions of the years in `Published.years`, known (Y, n, n) and unknown
# (Y, n) stocks of those years) -> the flows (Y - 1, n, n) between them and the findings
Estimate = Callable[[int, int, np.ndarray, np.ndarray], tuple[np.ndarray, list[Finding]]]
BASELINE = "previous_period"
MODEL = "draws"
EDGES = np.array([100, 1_000, 10_000, 100_000])
PARENS = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)")  # "FLK (batch index (0, 1))" -> "FLK"


@dataclass(frozen=True)
class Published:
    """The published stock tables of the total of both sexes, as `tmo flows` reads them:
    foreign-born of known origin (year, n, n) with a zero diagonal and of unknown origin
    (year, n), at `years`, between `places`."""

    years: list[int]
    places: list[str]
    known: np.ndarray
    unknown: np.ndarray


@dataclass
class Backtest:
    """The scores (`rows`), the world's totals per period (`world`), the truth, the
    baseline and the draws' flows (draw, period, n, n), and the findings of the fits."""

    jump_off: int
    periods: list[tuple[int, int]]
    rows: list[dict[str, Any]]
    world: list[dict[str, Any]]
    truth: np.ndarray
    baseline: np.ndarray
    draws: np.ndarray
    dropped: int
    findings: list[Finding] = field(default_factory=list)


def draw_grids(inputs: Inputs, stocks: np.ndarray, places: list[str]
               ) -> tuple[np.ndarray, np.ndarray, int]:
    """Known (K, H, n, n) and unknown-origin (K, H, n) stock tables of the drawn corridors
    `stocks` (corridors, K, H) of `inputs` (pure); corridors naming a place outside
    `places` are left out and counted."""
    at = {p: i for i, p in enumerate(places)}
    n = len(places)
    k, h = stocks.shape[1], stocks.shape[2]
    dest = np.array([at.get(d, -1) for d in inputs.destinations])
    orig = np.array([at.get(o, -1) for o in inputs.origins])
    unknown_origin = inputs.origins == UNKNOWN_ORIGIN
    ok_known = (dest >= 0) & (orig >= 0) & (orig != dest)
    ok_unknown = (dest >= 0) & unknown_origin
    dropped = int((~(ok_known | ok_unknown)).sum())
    known = np.zeros((k, h, n, n))
    unknown = np.zeros((k, h, n))
    values = np.moveaxis(stocks, 0, -1)  # (K, H, corridors)
    known[:, :, orig[ok_known], dest[ok_known]] = values[:, :, ok_known]
    np.add.at(unknown.transpose(2, 0, 1), dest[ok_unknown],
              np.moveaxis(values[:, :, ok_unknown], -1, 0))
    return known, unknown, dropped


def bands(previous: np.ndarray) -> np.ndarray:
    """Size band (index in `BAND_NAMES`) of each cell by its previous flow (pure)."""
    return np.searchsorted(EDGES, previous, side="right")


def expected_coverage(level: float, draws: int) -> float:
    """The coverage a central `level` interval between the draws' quantiles (numpy's
    linear interpolation) has when the truth is one more draw of the same distribution
    (pure): level (K - 1) / (K + 1), because the truth falls below the draws' order
    statistic i (1-based) with probability i / (K + 1), and the interpolated quantile p
    sits at 1-based position 1 + p (K - 1); exact for a uniform distribution."""
    return level * (draws - 1) / (draws + 1)


def cell_scores(draws: np.ndarray, truth: np.ndarray) -> dict[str, Any]:
    """Scores of the draws (cells, K) against the truth (cells,) (pure): the median's
    point errors (MAE and bias on log(1 + flow), WAPE on levels), coverage of the central
    80 % and 95 % intervals of the draws, CRPS of log(1 + flow), PIT histogram."""
    q = np.quantile(draws, [0.5, 0.1, 0.9, 0.025, 0.975], axis=1)
    return {"mae_log": scores.mae_log(q[0], truth), "wape": scores.wape(q[0], truth),
            "bias_log": scores.bias_log(q[0], truth),
            "coverage80": scores.coverage(q[1], q[2], truth),
            "coverage95": scores.coverage(q[3], q[4], truth),
            "crps": float(np.mean(scores.crps_draws(np.log1p(draws), np.log1p(truth)))),
            "pit": scores.pit_histogram(scores.pit_draws(draws, truth))}


def point_scores(point: np.ndarray, truth: np.ndarray) -> dict[str, Any]:
    """Scores of a point forecast (pure); its CRPS is its absolute error on log(1 + flow)
    (the CRPS of a forecast that puts all its probability on one value)."""
    mae = scores.mae_log(point, truth)
    return {"mae_log": mae, "wape": scores.wape(point, truth),
            "bias_log": scores.bias_log(point, truth), "crps": mae}


def baseline_flows(previous: np.ndarray, previous_years: int,
                   periods: list[tuple[int, int]]) -> np.ndarray:
    """The previous period's flows (n, n) carried forward to each period, annualised to
    its length (pure): (period, n, n)."""
    return np.stack([previous * (t1 - t0) / previous_years for t0, t1 in periods])


def score(truth: np.ndarray, draws: np.ndarray, baseline: np.ndarray, previous: np.ndarray,
          *, jump_off: int, periods: list[tuple[int, int]]
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of scores per period, method and size band (every cell, then each band), and
    the world's total per period (pure). `truth`, `baseline` (P, n, n), `draws`
    (K, P, n, n), `previous` (n, n): the flows of the period before the jump-off."""
    n = truth.shape[-1]
    off = ~np.eye(n, dtype=bool)
    band = bands(previous[off])
    rows: list[dict[str, Any]] = []
    world: list[dict[str, Any]] = []
    for p, (t0, t1) in enumerate(periods):
        y = truth[p][off]
        d = draws[:, p][:, off].T.astype(float)  # (cells, K)
        b = baseline[p][off]
        scored = (y > 0) | (d > 0).any(axis=1) | (b > 0)
        groups = [("all", scored)] + [(name, scored & (band == k))
                                      for k, name in enumerate(BAND_NAMES)]
        for name, g in groups:
            if not g.any():
                continue
            common = {"jump_off": jump_off, "period_start": t0, "period_end": t1,
                      "level": "cell", "band": name, "n": int(g.sum()),
                      "truth_total": float(y[g].sum())}
            rows.append({**common, "method": MODEL, **cell_scores(d[g], y[g])})
            rows.append({**common, "method": BASELINE, **point_scores(b[g], y[g])})
        totals = d.sum(axis=0)
        q = np.quantile(totals, [0.5, 0.1, 0.9, 0.025, 0.975])
        truth_total = float(y.sum())
        world.append({"jump_off": jump_off, "period_start": t0, "period_end": t1,
                      "truth": truth_total, "median": float(q[0]), "lower80": float(q[1]),
                      "upper80": float(q[2]), "lower95": float(q[3]), "upper95": float(q[4]),
                      "inside80": bool(q[1] <= truth_total <= q[2]),
                      "inside95": bool(q[3] <= truth_total <= q[4]),
                      "pit": float(scores.pit_draws(totals[None], np.array([truth_total]))[0]),
                      "baseline": float(b.sum()), "draws": len(totals)})
    return rows, world


def reported_scores(reported: pd.DataFrame, places: list[str],
                    periods: list[tuple[int, int]], truth: np.ndarray, draws: np.ndarray, *,
                    baseline: np.ndarray, jump_off: int) -> list[dict[str, Any]]:
    """Scores against the reported flows (year, origin, destination, flow: Eurostat's, as
    `tmo flows validate` reads them; a period's figure is its length times the mean of at
    least three reported years, `flows.validation.reported_periods`) of the cells that
    have them (pure): the draws, the flows estimated from the published stocks (`truth`)
    and the baseline, each as in `score`."""
    at = {p: i for i, p in enumerate(places)}
    per = reported_periods(reported, periods)
    rows: list[dict[str, Any]] = []
    if per.empty:
        return rows
    per = per[per["origin"].isin(at) & per["destination"].isin(at)
              & (per["origin"] != per["destination"])]
    for p, (t0, t1) in enumerate(periods):
        sel = per[per["period_start"] == t0]
        if sel.empty:
            continue
        o = sel["origin"].map(at).to_numpy()
        d = sel["destination"].map(at).to_numpy()
        y = sel["reported"].to_numpy(float)
        common = {"jump_off": jump_off, "period_start": t0, "period_end": t1,
                  "level": "reported", "band": "all", "n": len(y),
                  "truth_total": float(y.sum())}
        rows.append({**common, "method": MODEL,
                     **cell_scores(draws[:, p, o, d].T.astype(float), y)})
        rows.append({**common, "method": "published_stocks",
                     **point_scores(truth[p, o, d], y)})
        rows.append({**common, "method": BASELINE, **point_scores(baseline[p, o, d], y)})
    return rows


def run(published: Published, estimate: Estimate, inputs: Inputs, jump_off: int, *,
        settings: Settings, flow_draws: int, reported: pd.DataFrame | None = None,
        sex: str = "total") -> Backtest:
    """The backtest from `jump_off`: the stock model fitted on `inputs` up to it, the
    flows of `flow_draws` simulated futures of the later estimate years, scored against
    the flows estimated from the published stocks of those years (and, given `reported`,
    against the reported flows, `reported_scores`). `sex`: the published tables are that
    sex's and the futures' stocks that sex's draws (the total: women's plus men's)."""
    train, _, targets = split(inputs, jump_off)
    years = list(published.years)
    if jump_off not in years or years.index(jump_off) == 0:
        raise ValueError(f"the flows' backtest from {jump_off} needs the published stocks "
                         "of the estimate year before it")
    j = years.index(jump_off)
    last = j + len(targets)
    if tuple(years[j + 1:last + 1]) != targets:
        raise ValueError(f"the stocks' years after {jump_off} {targets} are not the flows' "
                         f"{tuple(years[j + 1:last + 1])}")
    periods = [(years[t], years[t + 1]) for t in range(j, last)]
    findings: list[Finding] = []
    truth, found = estimate(j, last, published.known[j:last + 1], published.unknown[j:last + 1])
    findings += found
    previous, found = estimate(j - 1, j, published.known[j - 1:j + 1],
                               published.unknown[j - 1:j + 1])
    findings += found
    baseline = baseline_flows(previous[0], years[j] - years[j - 1], periods)
    stocks = draw_stocks(train, replace(settings, targets=targets, draws=flow_draws),
                         flow_draws)[:, SEX_ORDER.index(sex)]  # (corridors, K, H)
    known, unknown, dropped = draw_grids(inputs, stocks, published.places)
    n = len(published.places)
    draws = np.empty((flow_draws, len(periods), n, n), dtype=np.float32)
    seen: dict[str, tuple[Finding, set[int], set[str]]] = {}
    for k in range(flow_draws):
        od, found = estimate(j, last,
                             np.concatenate([published.known[j:j + 1], known[k]]),
                             np.concatenate([published.unknown[j:j + 1], unknown[k]]))
        draws[k] = od
        for f in found:
            _, futures, where = seen.setdefault(f.check, (f, set(), set()))
            futures.add(k)
            where.update(w.strip() for w in PARENS.sub("", f.where).split(", "))
    findings += [replace(f, where=", ".join(sorted(where)),
                         message=f"{f.message} (in {len(futures)} of {flow_draws} simulated "
                         f"futures from {jump_off})")
                 for f, futures, where in seen.values()]
    rows, world = score(truth, draws, baseline, previous[0], jump_off=jump_off,
                        periods=periods)
    if reported is not None:
        rows += reported_scores(reported, published.places, periods, truth, draws,
                                baseline=baseline, jump_off=jump_off)
    rows = [{"sex": sex, **r} for r in rows]
    world = [{"sex": sex, **w} for w in world]
    return Backtest(jump_off, periods, rows, world, truth, baseline, draws, dropped, findings)
