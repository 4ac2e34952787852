"""Property tests of the baselines added beside the model (issue #14): the damped trend
and the destination total times fixed origin shares are never negative, a flat history
stays flat, the damped trend lies between the last value and the undamped straight line,
the shares of a destination add up to its projected total whatever the order of its
corridors, and a corridor's share of its destination does not change."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tmo.projections import baselines

YEARS = np.array([1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024], dtype=float)
TARGETS = np.array([2030.0, 2050.0])
stocks_st = arrays(np.float64, st.tuples(st.integers(2, 10), st.just(8)),
                   elements=st.floats(0, 1e6, allow_nan=False, allow_infinity=False))


@settings(max_examples=40, deadline=None)
@given(stocks_st, st.randoms(use_true_random=False))
def test_shares_add_up_to_the_projected_total_in_any_order(stocks, rnd) -> None:
    dests = np.array([f"D{i % 3}" for i in range(len(stocks))])
    got = baselines.shares(stocks, YEARS, TARGETS, dests)
    assert np.all(got >= 0)
    for d in np.unique(dests):
        mine = dests == d
        total = stocks[mine].sum(axis=0, keepdims=True)
        want = baselines.points(total, YEARS, TARGETS)["drift"][0]
        if total[0, -1] > 0:
            np.testing.assert_allclose(got[mine].sum(axis=0), want, rtol=1e-9)
            share = stocks[mine][:, -1:] / total[0, -1]
            np.testing.assert_allclose(got[mine], share * want[None, :], rtol=1e-9)
        else:
            assert np.all(got[mine] == 0)
    order = list(range(len(stocks)))
    rnd.shuffle(order)
    again = baselines.shares(stocks[order], YEARS, TARGETS, dests[order])
    np.testing.assert_allclose(again, got[order], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(stocks_st, st.floats(0.5, 0.99))
def test_the_damped_trend_lies_between_the_last_value_and_the_trend(stocks, phi) -> None:
    got = baselines.damped(stocks, YEARS, TARGETS, phi)
    assert np.all(got >= 0)
    slope = (stocks[:, -1] - stocks[:, -2]) / (YEARS[-1] - YEARS[-2])
    full = np.maximum(stocks[:, -1:] + slope[:, None] * (TARGETS - YEARS[-1]), 0)
    low, high = np.minimum(stocks[:, -1:], full), np.maximum(stocks[:, -1:], full)
    assert np.all(got >= low * (1 - 1e-9) - 1e-6)
    assert np.all(got <= high * (1 + 1e-9) + 1e-6)
    flat = np.repeat(stocks[:, -1:], 8, axis=1)
    np.testing.assert_allclose(baselines.damped(flat, YEARS, TARGETS, phi),
                               np.repeat(flat[:, -1:], 2, axis=1), rtol=1e-9)
