"""Scores of projections against what was later observed (pure numpy).

Point errors on log(1 + stock) and on levels; interval coverage; the continuous ranked
probability score (CRPS) of draws and of a normal, and the interval score, both proper
scoring rules (Gneiting and Raftery 2007, JASA 102(477) 359-378), on log(1 + stock).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr  # type: ignore[import-untyped]


def mae_log(point: np.ndarray, observed: np.ndarray) -> float:
    """Mean absolute error of log(1 + stock)."""
    return float(np.mean(np.abs(np.log1p(point) - np.log1p(observed))))


def mape(point: np.ndarray, observed: np.ndarray) -> float:
    """Mean absolute percentage error of levels over observed stocks > 0 (percent)."""
    ok = observed > 0
    return float(100 * np.mean(np.abs(point[ok] - observed[ok]) / observed[ok]))


def wape(point: np.ndarray, observed: np.ndarray) -> float:
    """Weighted absolute percentage error of levels: sum |error| / sum observed (percent)."""
    return float(100 * np.abs(point - observed).sum() / max(float(observed.sum()), 1.0))


def bias_log(point: np.ndarray, observed: np.ndarray) -> float:
    """Mean error of log(1 + stock): positive when projections are too high."""
    return float(np.mean(np.log1p(point) - np.log1p(observed)))


def coverage(lower: np.ndarray, upper: np.ndarray, observed: np.ndarray) -> float:
    """Share of observed values inside [lower, upper]."""
    return float(np.mean((observed >= lower) & (observed <= upper)))


def interval_score(lower: np.ndarray, upper: np.ndarray, observed: np.ndarray,
                   alpha: float) -> float:
    """Mean interval score of central (1 - alpha) intervals (lower is better)."""
    width = upper - lower
    below = (2 / alpha) * np.maximum(lower - observed, 0)
    above = (2 / alpha) * np.maximum(observed - upper, 0)
    return float(np.mean(width + below + above))


def crps_draws(draws: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of each row's draws (n, D) against observed (n,): E|X - y| - E|X - X'| / 2,
    with the second term from the sorted draws in O(D log D)."""
    x = np.sort(draws, axis=1)
    m = x.shape[1]
    first = np.mean(np.abs(x - observed[:, None]), axis=1)
    weights = 2 * np.arange(1, m + 1) - m - 1
    second = (x * weights).sum(axis=1) / (m * m)
    return first - second


def crps_normal(mean: np.ndarray, sd: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of normal predictive distributions (closed form); sd 0 gives |mean - y|."""
    sd = np.asarray(sd, dtype=float)
    out = np.abs(mean - observed).astype(float)
    ok = sd > 0
    z = (observed[ok] - mean[ok]) / sd[ok]
    cdf = ndtr(z)
    pdf = np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    out[ok] = sd[ok] * (z * (2 * cdf - 1) + 2 * pdf - 1 / math.sqrt(math.pi))
    return out


def naive_scale(history: np.ndarray) -> np.ndarray:
    """Per series (n, T): the in-sample mean absolute error of the naive forecast (the
    previous estimate) on log(1 + stock), the denominator of MASE (Hyndman and Koehler
    2006)."""
    y = np.log1p(np.asarray(history, dtype=float))
    return np.mean(np.abs(np.diff(y, axis=1)), axis=1)


def mase(point: np.ndarray, observed: np.ndarray, scale: np.ndarray) -> float:
    """Mean absolute scaled error on log(1 + stock): each series' absolute error divided
    by its `naive_scale`, averaged over the series whose scale is positive (NaN if none)."""
    ok = np.asarray(scale) > 0
    if not ok.any():
        return float("nan")
    err = np.abs(np.log1p(np.asarray(point, dtype=float)) - np.log1p(observed))
    return float(np.mean(err[ok] / np.asarray(scale)[ok]))


def pit_draws(draws: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Probability integral transform of observed (n,) under each row's draws (n, D): the
    share of draws below it plus half the share equal to it (the mid-point of the jump,
    so that a corridor projected at exactly 0 and observed at 0 gets 0.5, not 0 or 1).
    Calibrated draws give values uniform on [0, 1] (Gneiting, Balabdaoui and Raftery 2007,
    JRSS B 69(2) 243-268)."""
    below = np.mean(draws < observed[:, None], axis=1)
    equal = np.mean(draws == observed[:, None], axis=1)
    return below + equal / 2


def pit_normal(mean: np.ndarray, sd: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """PIT of observed under normal predictive distributions; sd 0: 0, 0.5 or 1."""
    sd = np.asarray(sd, dtype=float)
    diff = np.asarray(observed, dtype=float) - mean
    out = np.where(diff > 0, 1.0, np.where(diff < 0, 0.0, 0.5))
    ok = sd > 0
    out[ok] = ndtr(diff[ok] / sd[ok])
    return out


PIT_BINS = 10


def pit_histogram(pit: np.ndarray, bins: int = PIT_BINS) -> list[float]:
    """Shares of PIT values in `bins` equal bins of [0, 1] (the last bin closed): each is
    1 / bins when the intervals are calibrated; a U shape means intervals too narrow, a
    hump too wide, a slope a biased median. Empty input: every share NaN."""
    pit = np.asarray(pit, dtype=float)
    if pit.size == 0:
        return [float("nan")] * bins
    counts = np.bincount(np.minimum((pit * bins).astype(int), bins - 1), minlength=bins)
    return [float(c) / pit.size for c in counts]
