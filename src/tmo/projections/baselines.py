"""Baselines computed beside the model (pure numpy): what a simple method would say.

All work on stocks (n, T) at estimate years (T,) and return the projected stock
(n, H) at target years, never negative:
- `constant`: the last value carried forward;
- `linear`: the straight line through the last two estimates, in persons;
- `loglinear`: the least-squares line through log(1 + stock) over all the years;
- `drift`: random walk with drift on log(1 + stock): the mean annual growth carried
  forward, with a normal predictive distribution whose variance grows with the horizon
  (the per-corridor variance of growth per year), used for interval comparisons;
- `damped`: the straight line of `linear` damped by `PHI` a year (Gardner and McKenzie
  1985: s_T + (phi + ... + phi^h) b, b the annual change of the last interval, in
  persons; on logs a corridor that grew from a handful to thousands would explode);
- `shares` (only when the destinations are given): the destination's total (the sum of
  its corridors given) projected by the random walk with drift, times each corridor's
  share of it at the last year (fixed origin shares).
"""

from __future__ import annotations

import numpy as np

from tmo.projections.model import growth, to_stock

NAMES = ("constant", "linear", "loglinear", "drift")  # stored in `projections`
SCORED = (*NAMES, "damped", "shares")  # scored by the backtests
PHI = 0.9  # damping per year of `damped`: an assumption (docs/projections.md), not fitted


def _ahead(years: np.ndarray, targets: np.ndarray) -> np.ndarray:
    return np.asarray(targets, dtype=float) - float(years[-1])


def constant(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray) -> np.ndarray:
    return np.repeat(np.asarray(stocks, dtype=float)[:, -1:], len(targets), axis=1)


def linear(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray) -> np.ndarray:
    s = np.asarray(stocks, dtype=float)
    slope = (s[:, -1] - s[:, -2]) / float(years[-1] - years[-2])
    return np.maximum(s[:, -1:] + slope[:, None] * _ahead(years, targets)[None, :], 0.0)


def loglinear(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray) -> np.ndarray:
    y = np.log1p(np.asarray(stocks, dtype=float))
    t = np.asarray(years, dtype=float) - float(years[-1])
    tc = t - t.mean()
    slope = (y - y.mean(axis=1, keepdims=True)) @ tc / float(tc @ tc)
    intercept = y.mean(axis=1) - slope * t.mean()
    return to_stock(intercept[:, None] + slope[:, None] * _ahead(years, targets)[None, :])


def drift(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """(mean, sd) of log(1 + stock) (n, H) under a random walk with drift."""
    y = np.log1p(np.asarray(stocks, dtype=float))
    yrs = np.asarray(years, dtype=float)
    g = growth(y, yrs)
    dt = np.diff(yrs)
    rate = (y[:, -1] - y[:, 0]) / float(yrs[-1] - yrs[0])
    per_year = ((g - rate[:, None]) ** 2 * dt).sum(axis=1) / max(len(dt) - 1, 1)
    h = _ahead(years, targets)
    mean = y[:, -1:] + rate[:, None] * h[None, :]
    sd = np.sqrt(per_year[:, None] * h[None, :])
    return mean, sd


def damped(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray,
           phi: float = PHI) -> np.ndarray:
    s = np.asarray(stocks, dtype=float)
    slope = (s[:, -1] - s[:, -2]) / float(years[-1] - years[-2])
    h = _ahead(years, targets)
    weight = np.array([phi * (1 - phi ** k) / (1 - phi) if phi != 1 else k for k in h])
    return np.maximum(s[:, -1:] + slope[:, None] * weight[None, :], 0.0)


def shares(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray,
           destinations: np.ndarray) -> np.ndarray:
    s = np.asarray(stocks, dtype=float)
    codes, pos = np.unique(np.asarray(destinations), return_inverse=True)
    totals = np.zeros((len(codes), s.shape[1]))
    np.add.at(totals, pos, s)
    ahead = to_stock(drift(totals, years, targets)[0])  # (m, H)
    share = np.divide(s[:, -1], totals[pos, -1], out=np.zeros(len(s)),
                      where=totals[pos, -1] > 0)
    return ahead[pos] * share[:, None]


def points(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray,
           destinations: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every baseline's point projection (stocks, n x H); `shares` only when the
    corridors' destinations are given."""
    out = {"constant": constant(stocks, years, targets),
           "linear": linear(stocks, years, targets),
           "loglinear": loglinear(stocks, years, targets),
           "drift": to_stock(drift(stocks, years, targets)[0]),
           "damped": damped(stocks, years, targets)}
    if destinations is not None:
        out["shares"] = shares(stocks, years, targets, destinations)
    return out
