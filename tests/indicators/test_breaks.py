"""Map class breaks (tmo.indicators.breaks): properties over any values, and an example
computed by hand."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.indicators.breaks import breaks, klass, round_to

values = st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), max_size=60)


@settings(max_examples=100, deadline=None)
@given(values, st.integers(min_value=1, max_value=8))
def test_every_value_in_one_class_and_no_class_empty(data: list[float], k: int) -> None:
    bounds = breaks(data, k)
    if not data:
        assert bounds == []
        return
    assert 1 <= len(bounds) <= k
    assert all(a < b for a, b in itertools.pairwise(bounds))
    assert bounds[-1] == max(data)
    counts = [0] * len(bounds)
    for v in data:
        i = klass(v, bounds)
        assert v <= bounds[i]
        assert i == 0 or v > bounds[i - 1]
        counts[i] += 1
    assert all(counts), (bounds, counts)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_rounding_keeps_two_significant_digits(v: float) -> None:
    r = round_to(v)
    assert math.isclose(r, v, rel_tol=0.05, abs_tol=1e-300)
    assert float(f"{r:.2g}") == r  # nothing beyond two significant digits


def test_quintiles_of_ten_values() -> None:
    # sorted: the 2nd, 4th, 6th and 8th values are the quintile bounds, then the top
    data = [0.5, 1.234, 2.0, 3.87, 4.4, 6.08, 7.0, 12.6, 13.0, 40.2]
    assert breaks(data) == [1.2, 3.9, 6.1, 13.0, 40.2]
    assert [klass(v, breaks(data)) for v in data] == [0, 1, 1, 1, 2, 2, 3, 3, 3, 4]
