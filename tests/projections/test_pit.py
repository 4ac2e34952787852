"""Property tests of the calibration kernels of the backtest report (issue #14): the PIT
of draws and of a normal equal their definitions, the PIT histogram is the share of values
per bin, forecasts whose observations come from their own distribution give a flat
histogram, and the PIT agrees with the interval coverage the backtests report."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import norm  # type: ignore[import-untyped]

from tmo.projections import scores

draws_st = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 40)),
                  elements=st.floats(0, 1e6, allow_nan=False, allow_infinity=False))


@settings(max_examples=25, deadline=None)
@given(draws_st, st.data())
def test_pit_of_draws_is_its_definition(draws, data) -> None:
    """Share of draws below plus half the share equal (ties: observed stocks of 0 against
    draws floored at 0), counted one by one here."""
    n, d = draws.shape
    pick = data.draw(st.lists(st.integers(0, d - 1), min_size=n, max_size=n))
    # observed: sometimes a draw itself (a tie), sometimes a value between draws
    y = np.array([draws[i, j] if j % 2 else draws[i, j] + 0.5 for i, j in enumerate(pick)])
    pit = scores.pit_draws(draws, y)
    for i in range(n):
        below = sum(1 for x in draws[i] if x < y[i])
        equal = sum(1 for x in draws[i] if x == y[i])
        assert abs(pit[i] - (below + equal / 2) / d) < 1e-12
    assert np.all((pit >= 0) & (pit <= 1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=0, max_size=60), st.integers(2, 12))
def test_the_histogram_is_the_share_of_values_per_bin(values, bins) -> None:
    # a value on a bin edge (0.6 of 5 bins) falls on either side of numpy's rounded edges
    # (0.6000000000000001): the bin of such values is a matter of floating point
    assume(all(abs(v * bins - round(v * bins)) > 1e-9 or v in {0.0, 1.0} for v in values))
    pit = np.array(values)
    shares = scores.pit_histogram(pit, bins)
    assert len(shares) == bins
    if not values:
        assert all(np.isnan(shares))
        return
    counts, _ = np.histogram(pit, bins=bins, range=(0, 1))
    assert np.allclose(shares, counts / len(values))
    assert abs(sum(shares) - 1) < 1e-12


def test_pit_of_a_normal_matches_many_draws_of_it() -> None:
    rng = np.random.default_rng(5)
    mean, sd = rng.normal(size=50), rng.uniform(0.1, 2, 50)
    y = mean + rng.normal(size=50) * sd * 1.5
    many = mean[:, None] + sd[:, None] * rng.standard_normal((50, 20_000))
    assert np.allclose(scores.pit_normal(mean, sd, y), scores.pit_draws(many, y), atol=0.02)
    assert np.allclose(scores.pit_normal(mean, sd, y), norm.cdf((y - mean) / sd))
    zero = scores.pit_normal(np.array([1.0, 1.0, 1.0]), np.zeros(3), np.array([0.0, 1.0, 2.0]))
    assert zero.tolist() == [0.0, 0.5, 1.0]


def test_observations_from_the_forecast_itself_give_a_flat_histogram() -> None:
    """Calibration's meaning: when the observed value is one more draw of the forecast's
    own distribution (here log-normal stocks of different sizes), each of ten bins holds
    about a tenth; when the forecast is too narrow, the outer bins hold more."""
    rng = np.random.default_rng(7)
    n, d = 4000, 200
    centre = rng.uniform(2, 12, n)[:, None]
    draws = np.expm1(centre + 0.3 * rng.standard_normal((n, d)))
    observed = np.expm1(centre[:, 0] + 0.3 * rng.standard_normal(n))
    flat = scores.pit_histogram(scores.pit_draws(draws, observed))
    assert max(abs(s - 0.1) for s in flat) < 0.02, flat
    narrow = np.expm1(centre + 0.15 * rng.standard_normal((n, d)))
    u_shape = scores.pit_histogram(scores.pit_draws(narrow, observed))
    assert u_shape[0] + u_shape[-1] > 0.35, u_shape


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(20, 60)),
              elements=st.floats(0, 1e4, allow_nan=False, allow_infinity=False)),
       st.lists(st.floats(0, 1e4), min_size=5, max_size=5))
def test_pit_agrees_with_the_coverage_of_the_quantile_interval(draws, ys) -> None:
    """An observation well inside the central 80 % of the PIT is inside the interval
    between the draws' 10 % and 90 % quantiles (the backtest's coverage), one well
    outside is outside: the histogram and the coverage tell the same story."""
    n, d = draws.shape
    y = np.array(ys[:n])
    pit = scores.pit_draws(draws, y)
    lo, hi = np.quantile(draws, [0.1, 0.9], axis=1)
    inside = (y >= lo) & (y <= hi)
    margin = 1.5 / d
    assert np.all(inside[(pit > 0.1 + margin) & (pit < 0.9 - margin)])
    assert not np.any(inside[(pit < 0.1 - margin) | (pit > 0.9 + margin)])
