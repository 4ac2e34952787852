"""Class breaks for maps: quantile classes with round bounds.

`breaks(values, k)` gives at most `k` upper bounds, strictly increasing, the last equal
to the largest value, so every value falls in exactly one class (`klass`). Interior bounds
are quantiles rounded to two significant digits (a reader remembers "5.3 %", not
"5.2871 %"); classes that rounding or ties would make empty are merged. Quantiles give
each class about as many areas, which suits shares and changes (near-normal, with
negatives) as well as stocks (spanning orders of magnitude).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def round_to(value: float, digits: int = 2) -> float:
    """`value` rounded to `digits` significant digits."""
    return float(f"{value:.{digits}g}")


def breaks(values: Sequence[float], k: int = 5) -> list[float]:
    """Upper bounds of at most `k` classes of `values` (finite ones; none: [])."""
    data = sorted(v for v in values if math.isfinite(v))
    if not data:
        return []
    top = data[-1]
    bounds: list[float] = []
    for i in range(1, k):
        q = data[min(len(data) - 1, math.ceil(i * len(data) / k) - 1)]
        b = round_to(q)
        if data[0] <= b < top and (not bounds or b > bounds[-1]):
            bounds.append(b)
    kept: list[float] = []
    for b in [*bounds, top]:  # rounding down may leave a class without a value: merge it
        low = kept[-1] if kept else -math.inf
        if any(low < v <= b for v in data):  # always true of the top
            kept.append(b)
    return kept


def klass(value: float, bounds: Sequence[float]) -> int:
    """The index of the class of `value`: the first bound at or above it (values above
    the last bound, which `breaks` never makes, go to the last class)."""
    for i, b in enumerate(bounds):
        if value <= b:
            return i
    return len(bounds) - 1
