"""Matching calendar-period events to the 1 July dates of migrant stocks (pure).

Stocks refer to 1 July; WPP births and deaths to calendar periods (single years in
WPP 2024, five-year periods 1 Jan t - 31 Dec t+4 in WPP 2019). The events of the
interval [1 July t0, 1 July t1) are the sum over calendar periods of the period's
events times the fraction of the period that falls inside the interval, assuming
events spread evenly within each period. So 1 July 2020 - 1 July 2024 takes half
of 2020, all of 2021-2023 and half of 2024; 1 July 1990 - 1 July 1995 takes 0.9 of
WPP 2019's 1990-1995 period and 0.1 of 1995-2000.
"""

from __future__ import annotations

from collections.abc import Iterable

MID_YEAR = 0.5


def period_weights(t0: int, t1: int, starts: Iterable[int], length: int) -> dict[int, float]:
    """Weight of each calendar period (first year, `length` years) in [1 July t0, 1 July t1)."""
    if t1 <= t0:
        raise ValueError(f"interval must move forward in time: {t0} -> {t1}")
    lo, hi = t0 + MID_YEAR, t1 + MID_YEAR
    weights = {}
    for s in starts:
        overlap = min(hi, s + length) - max(lo, s)
        if overlap > 0:
            weights[s] = overlap / length
    return weights


def covered(t0: int, t1: int, weights: dict[int, float], length: int) -> bool:
    """Whether the periods with weights cover the whole interval."""
    years = sum(w * length for w in weights.values())
    return abs(years - (t1 - t0)) < 1e-9
