"""The formulas of the indicators, written once and used both for one country (the
profile's figures) and for every country at once (the map tables), so the two agree by
construction (`tests/indicators/test_maps.py` checks it on the real store)."""

from __future__ import annotations

import math


def percent(num: float | None, den: float | None) -> float | None:
    """100 * num / den; None when either is missing or the denominator is zero."""
    if num is None or den is None or _missing(num) or _missing(den) or den == 0:
        return None
    return 100.0 * float(num) / float(den)


def change(now: float | None, then: float | None) -> float | None:
    """Relative change in percent from `then` to `now`."""
    if now is None or then is None:
        return None
    return percent(float(now) - float(then), then)


def _missing(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)
