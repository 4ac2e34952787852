"""Matching the events of publication periods to the 1 July dates of migrant stocks (pure).

Stocks refer to 1 July. WPP 2024 publishes births, deaths and net migration by calendar
year (1 January - 31 December); WPP 2019 by five-year periods that run from 1 July of the
first year to 30 June five years later ("1990-1995" is 1 July 1990 - 30 June 1995), the
dates of its 1 July population estimates (docs/flows.md, "The WPP calendar"). A period
is given by its first year and an `offset` in years from 1 January of that year (0 for
calendar years, 0.5 for WPP 2019's periods). The events of the interval
[1 July t0, 1 July t1) are the sum over periods of the period's events times the share of
the period inside the interval, assuming events spread evenly within a period. So
1 July 2020 - 1 July 2024 takes half of 2020, all of 2021-2023 and half of 2024, and
1 July 1990 - 1 July 1995 is exactly WPP 2019's 1990-1995.
"""

from __future__ import annotations

from collections.abc import Iterable

MID_YEAR = 0.5


def period_weights(t0: int, t1: int, starts: Iterable[int], length: int,
                   offset: float = 0.0) -> dict[int, float]:
    """Weight of each period (first year, `length` years, beginning `offset` years after
    1 January of its first year) in [1 July t0, 1 July t1)."""
    if t1 <= t0:
        raise ValueError(f"interval must move forward in time: {t0} -> {t1}")
    lo, hi = t0 + MID_YEAR, t1 + MID_YEAR
    weights = {}
    for s in starts:
        overlap = min(hi, s + offset + length) - max(lo, s + offset)
        if overlap > 1e-12:
            weights[s] = overlap / length
    return weights


def covered(t0: int, t1: int, weights: dict[int, float], length: int) -> bool:
    """Whether the periods with weights cover the whole interval."""
    years = sum(w * length for w in weights.values())
    return abs(years - (t1 - t0)) < 1e-9
