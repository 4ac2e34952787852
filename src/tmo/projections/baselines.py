"""Baselines computed beside the model (pure numpy): what a simple method would say.

All work on stocks (n, T) at estimate years (T,) and return the projected stock
(n, H) at target years, never negative:
- `constant`: the last value carried forward;
- `linear`: the straight line through the last two estimates, in persons;
- `loglinear`: the least-squares line through log(1 + stock) over all the years;
- `drift`: random walk with drift on log(1 + stock): the mean annual growth carried
  forward, with a normal predictive distribution whose variance grows with the horizon
  (the per-corridor variance of growth per year), used for interval comparisons.
"""

from __future__ import annotations

import numpy as np

from tmo.projections.model import growth, to_stock

NAMES = ("constant", "linear", "loglinear", "drift")


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


def points(stocks: np.ndarray, years: np.ndarray, targets: np.ndarray
           ) -> dict[str, np.ndarray]:
    """Every baseline's point projection (stocks, n x H)."""
    return {"constant": constant(stocks, years, targets),
            "linear": linear(stocks, years, targets),
            "loglinear": loglinear(stocks, years, targets),
            "drift": to_stock(drift(stocks, years, targets)[0])}
