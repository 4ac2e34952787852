"""Pure pieces of the store glue: calendar matching of events, unknown origins."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tmo.flows.calendar import covered, period_weights
from tmo.flows.estimate_store import spread_unknown


def test_annual_events_between_mid_years() -> None:
    w = period_weights(2020, 2024, range(2015, 2030), 1)
    assert w == {2020: 0.5, 2021: 1.0, 2022: 1.0, 2023: 1.0, 2024: 0.5}
    assert covered(2020, 2024, w, 1)


def test_five_year_periods_between_mid_years() -> None:
    w = period_weights(1990, 1995, range(1950, 2100, 5), 5)
    assert w == pytest.approx({1990: 0.9, 1995: 0.1})
    assert covered(1990, 1995, w, 5)


def test_missing_periods_are_not_covered() -> None:
    w = period_weights(2020, 2024, range(2000, 2023), 1)
    assert not covered(2020, 2024, w, 1)


@given(st.integers(1950, 2090), st.integers(1, 10), st.sampled_from([1, 5]))
def test_weights_add_up_to_the_interval(t0: int, years: int, length: int) -> None:
    w = period_weights(t0, t0 + years, range(1900, 2200, length), length)
    assert sum(v * length for v in w.values()) == pytest.approx(years)
    assert all(0 < v <= 1 for v in w.values())


def test_time_must_move_forward() -> None:
    with pytest.raises(ValueError, match="forward"):
        period_weights(2020, 2020, [2020], 1)


@given(arrays(float, (4, 4), elements=st.floats(0, 1e6)),
       arrays(float, (4,), elements=st.floats(0, 1e5)))
def test_unknown_origins_keep_destination_totals(stocks: np.ndarray, unknown: np.ndarray) -> None:
    np.fill_diagonal(stocks, 0)
    out = spread_unknown(stocks, unknown)
    somewhere = (stocks.sum() - np.diag(stocks).sum()) > 0
    if somewhere and (stocks.sum(axis=1) > 0).sum() > 1:
        np.testing.assert_allclose(out.sum(axis=0), stocks.sum(axis=0) + unknown, rtol=1e-9,
                                   atol=1e-6)
    assert (out >= stocks).all()
    assert (out[np.eye(4, dtype=bool)] == 0).all()
