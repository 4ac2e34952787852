"""Backtests: fit on the estimates up to a jump-off year, project the later estimate years,
score against what was published for them (pure numpy over `projection.Inputs`).

Scored series: every corridor and sex whose stock at the jump-off is positive (the model
does not project new corridors); the total is female plus male. Country totals:
immigrants per destination, against the sum of every published corridor of the target
year (new corridors included). Baselines are scored on the same series
(`tmo.projections.baselines`). `calibrate` chooses the damping and the interval scale on
an earlier jump-off whose targets are all at or before the later backtest's jump-off, so
that the later backtest is out of sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from tmo.projections import baselines, scores
from tmo.projections.projection import (
    SEX_ORDER,
    Combined,
    Inputs,
    Runner,
    Settings,
    combine,
    in_process,
    plan,
)

Z80, Z95 = 1.2815515655446004, 1.959963984540054
BAND_NAMES = ("under 100", "100-999", "1,000-9,999", "10,000-99,999", "100,000 and more")


def split(inputs: Inputs, jump_off: int) -> tuple[Inputs, np.ndarray, tuple[int, ...]]:
    """(inputs up to the jump-off year, observed (n, 3, H) stocks after it, target years)."""
    years = np.asarray(inputs.years)
    if jump_off not in years.astype(int):
        raise ValueError(f"{jump_off} is not an estimate year")
    k = int(np.flatnonzero(years.astype(int) == jump_off)[0]) + 1
    if k < 3 or k == len(years):
        raise ValueError(f"a backtest from {jump_off} needs three years before it and one after")
    train = Inputs(inputs.origins, inputs.destinations, inputs.stocks[:, :, :k], years[:k])
    later = inputs.stocks[:, :, k:]
    observed = np.concatenate([later, later.sum(axis=1, keepdims=True)], axis=1)
    return train, observed, tuple(int(y) for y in years[k:])


def _row(jump_off: int, target: int, level: str, sex: str,  # noqa: PLR0917
         method: str, band: str, n: int, **measures: Any) -> dict[str, Any]:
    return {"jump_off": jump_off, "target": target, "level": level, "sex": sex,
            "method": method, "band": band, "n": n, **measures}


def _point_measures(point: np.ndarray, obs: np.ndarray, scale: np.ndarray
                    ) -> dict[str, float]:
    return {"mae_log": scores.mae_log(point, obs), "mape": scores.mape(point, obs),
            "wape": scores.wape(point, obs), "bias_log": scores.bias_log(point, obs),
            "mase": scores.mase(point, obs, scale)}


def _interval_measures(lo80: np.ndarray, hi80: np.ndarray, lo95: np.ndarray,
                       hi95: np.ndarray, obs: np.ndarray) -> dict[str, float]:
    y = np.log1p(obs)
    return {"coverage80": scores.coverage(lo80, hi80, y),
            "coverage95": scores.coverage(lo95, hi95, y),
            "interval_score80": scores.interval_score(lo80, hi80, y, 0.2),
            "interval_score95": scores.interval_score(lo95, hi95, y, 0.05)}


def vintage(old: Inputs, new: Inputs, targets: tuple[int, ...] | None = None
            ) -> tuple[Inputs, np.ndarray, tuple[int, ...]]:
    """(the old revision's inputs, what the new revision publishes for the same corridors
    at its later years (n, 3, H), those years): a fit on what was known then, scored on
    what is published now. Only the corridors both revisions publish: a corridor the new
    revision no longer lists is not an estimate of zero (docs/monitoring.md: many moved
    to the unknown origin)."""
    last = int(np.asarray(old.years)[-1])
    years = np.asarray(new.years).astype(int)
    targets = targets or tuple(int(y) for y in years if y > last)
    if not targets or any(t not in years for t in targets):
        raise ValueError(f"the newer revision publishes no year after {last}")
    index = {(o, d): i for i, (o, d) in enumerate(zip(new.origins, new.destinations,
                                                       strict=True))}
    found = [(k, index[(o, d)]) for k, (o, d) in enumerate(zip(old.origins, old.destinations,
                                                               strict=True))
             if (o, d) in index]
    keep = np.array([k for k, _ in found], dtype=int)
    rows = np.array([i for _, i in found], dtype=int)
    cols = [int(np.flatnonzero(years == t)[0]) for t in targets]
    later = new.stocks[rows][:, :, cols]
    observed = np.concatenate([later, later.sum(axis=1, keepdims=True)], axis=1)
    train = Inputs(old.origins[keep], old.destinations[keep], old.stocks[keep], old.years)
    return train, observed, targets


# Another model scored beside the closed form (`tmo.projections.bayes`): from the training
# inputs, the settings and the observed stocks, its run in the closed form's shape.
Other = Callable[[Inputs, Settings, np.ndarray], Combined]


def run(inputs: Inputs, jump_off: int, settings: Settings, runner: Runner = in_process,
        others: Mapping[str, Other] | None = None) -> list[dict[str, Any]]:
    """Every measure of the model and the baselines, from `jump_off`, by target year, sex
    (and size band for the total), and for the destinations' totals."""
    return score(*split(inputs, jump_off), settings, runner, others)


def score(train: Inputs, observed: np.ndarray, targets: tuple[int, ...],  # noqa: PLR0917
          settings: Settings, runner: Runner = in_process,
          others: Mapping[str, Other] | None = None) -> list[dict[str, Any]]:
    """The measures of `run` for a fit on `train` scored on `observed` (n, 3, H) at
    `targets` (the later years of one revision, or of a newer one: `vintage`); `others`:
    more models, scored as the closed form (method `model`) under their own names."""
    settings = replace(settings, targets=targets)
    out = runner(plan(train, settings, observed=observed))
    runs = {"model": combine(out, len(train.origins))}
    runs.update({name: other(train, settings, observed)
                 for name, other in (others or {}).items()})
    rows: list[dict[str, Any]] = []
    for name, run_ in runs.items():
        rows += _model_rows(train, observed, targets, run_, name, baselines_too=name == "model")
    return rows


def _model_rows(train: Inputs, observed: np.ndarray, targets: tuple[int, ...],  # noqa: PLR0917
                run_: Combined, method_name: str, baselines_too: bool) -> list[dict[str, Any]]:
    """The rows of one model's run (and, with `baselines_too`, of the baselines)."""
    jump_off = int(np.asarray(train.years)[-1])
    q, crps, pit = run_.quantiles, run_.crps, run_.pit
    assert crps is not None
    assert pit is not None
    last = np.concatenate([train.stocks[:, :, -1], train.stocks[:, :, -1].sum(1, keepdims=True)],
                          axis=1)
    series = np.concatenate([train.stocks, train.stocks.sum(axis=1, keepdims=True)], axis=1)
    rows: list[dict[str, Any]] = []
    band = np.searchsorted(np.array([100, 1_000, 10_000, 100_000]), last[:, 2], side="right")
    for i, sex in enumerate(SEX_ORDER):
        ok = last[:, i] > 0
        base = baselines.points(series[ok, i], train.years, np.array(targets),
                                train.destinations[ok])
        dmean, dsd = baselines.drift(series[ok, i], train.years, np.array(targets))
        scale = scores.naive_scale(series[ok, i])
        for h, target in enumerate(targets):
            obs = observed[ok, i, h]
            lq = np.log1p(q[i, :, ok, h]).T  # (P, n)
            groups = [("all", np.ones(ok.sum(), bool))]
            if sex == "total":
                groups += [(name, band[ok] == b) for b, name in enumerate(BAND_NAMES)]
            for name, g in groups:
                if not g.any():
                    continue
                rows.append(_row(
                    jump_off, target, "corridor", sex, method_name, name, int(g.sum()),
                    **_point_measures(q[i, 2, ok, h][g], obs[g], scale[g]),
                    **_interval_measures(lq[1][g], lq[3][g], lq[0][g], lq[4][g], obs[g]),
                    crps=float(np.mean(crps[i, ok, h][g])),
                    pit=scores.pit_histogram(pit[i, ok, h][g])))
                for method, point in base.items() if baselines_too else ():
                    extra: dict[str, Any] = {}
                    if method == "drift":
                        m, sd = dmean[g, h], dsd[g, h]
                        extra = {**_interval_measures(m - Z80 * sd, m + Z80 * sd, m - Z95 * sd,
                                                      m + Z95 * sd, obs[g]),
                                 "crps": float(np.mean(scores.crps_normal(m, sd,
                                                                          np.log1p(obs[g])))),
                                 "pit": scores.pit_histogram(scores.pit_normal(
                                     m, sd, np.log1p(obs[g])))}
                    rows.append(_row(jump_off, target, "corridor", sex, method, name,
                                     int(g.sum()),
                                     **_point_measures(point[g, h], obs[g], scale[g]),
                                     **extra))
        # destination totals (immigrants): every published corridor of the target year
        by_d = run_.by_destination[i]  # (m, D, H)
        dest_codes, dest = np.unique(train.destinations, return_inverse=True)
        obs_d = np.zeros((len(dest_codes), len(targets)))
        np.add.at(obs_d, dest, observed[:, i, :])
        last_d = np.zeros(len(dest_codes))
        np.add.at(last_d, dest, last[:, i])
        okd = last_d > 0
        hist_d = np.zeros((len(dest_codes), series.shape[2]))
        np.add.at(hist_d, dest, series[:, i])
        scale_d = scores.naive_scale(hist_d[okd])
        for h, target in enumerate(targets):
            lqd = np.log1p(np.quantile(by_d[okd, :, h], [0.025, 0.1, 0.5, 0.9, 0.975], axis=1))
            rows.append(_row(jump_off, target, "destination", sex, method_name, "all",
                             int(okd.sum()),
                             **_point_measures(np.expm1(lqd[2]), obs_d[okd, h], scale_d),
                             **_interval_measures(lqd[1], lqd[3], lqd[0], lqd[4], obs_d[okd, h]),
                             crps=float(np.mean(scores.crps_draws(
                                 np.log1p(by_d[okd, :, h]), np.log1p(obs_d[okd, h])))),
                             pit=scores.pit_histogram(scores.pit_draws(by_d[okd, :, h],
                                                                       obs_d[okd, h]))))
            if baselines_too:
                rows.append(_row(jump_off, target, "destination", sex, "constant", "all",
                                 int(okd.sum()),
                                 **_point_measures(last_d[okd], obs_d[okd, h], scale_d)))
    return rows


def calibrate(inputs: Inputs, jump_off: int = 2005, settings: Settings | None = None, *,
              until: int = 2015,
              dampings: tuple[float, ...] = (1.0, 0.95, 0.9),
              scales: tuple[float, ...] = (0.8, 0.9, 1.0, 1.1, 1.2),
              runner: Runner = in_process) -> tuple[float, float, list[dict[str, Any]]]:
    """(damping with the smallest mean absolute log error, scale, the runs' rows), from
    `jump_off` on the target years up to `until` (so a backtest from `until` stays out of
    sample). The scale is the one whose 80 % coverage of the total corridors, averaged over
    those years, is closest to 80 %, at the damping of `settings`: the damping is reported,
    not imposed, because backtests reach ten years at most and the damping matters most
    to 2050 (docs/projections.md)."""
    settings = settings or Settings()
    tried: list[dict[str, Any]] = []
    seen: dict[tuple[float, float], list[dict[str, Any]]] = {}

    def score(s: Settings) -> list[dict[str, Any]]:
        if (s.damping, s.scale) not in seen:
            rows = [r for r in run(inputs, jump_off, s, runner) if r["level"] == "corridor"
                    and r["sex"] == "total" and r["method"] == "model" and r["band"] == "all"
                    and r["target"] <= until]
            tried.extend({**r, "damping": s.damping, "scale": s.scale} for r in rows)
            seen[(s.damping, s.scale)] = rows
        return seen[(s.damping, s.scale)]

    best_damping = min(dampings, key=lambda d: float(np.mean(
        [r["mae_log"] for r in score(replace(settings, damping=d, scale=settings.scale))])))
    best_scale = min(scales, key=lambda c: abs(float(np.mean(
        [r["coverage80"] for r in score(replace(settings, scale=c))])) - 0.8))
    return best_damping, best_scale, tried
