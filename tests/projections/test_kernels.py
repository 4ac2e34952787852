"""Property tests of the projection kernels (issue #14): a constant world projects
constant, draws never negative, quantiles monotone, totals equal the sum of their corridors
draw by draw, the order of corridors changes nothing, the scores equal their definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tmo.projections import model, scores
from tmo.projections.projection import Ceiling, Inputs, Settings, combine, in_process, plan

YEARS = np.array([1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024], dtype=float)
stocks_st = arrays(np.float64, st.tuples(st.integers(3, 12), st.just(2), st.just(8)),
                   elements=st.floats(0, 2e6, allow_nan=False, allow_infinity=False))


def inputs_of(stocks: np.ndarray) -> Inputs:
    n = len(stocks)
    origins = np.array([f"O{i % 3}" for i in range(n)])
    dests = np.array([f"D{i:02d}" for i in range(n)])  # sorted as the corridors
    return Inputs(origins, dests, np.round(stocks), YEARS)


def run(inputs: Inputs, draws: int = 30, batch: int = 4):
    s = Settings(draws=draws, targets=(2030, 2050))
    return combine(in_process(plan(inputs, s, batch=batch)), len(inputs.origins))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(1, 1e6), min_size=2, max_size=8), st.floats(0.5, 2),
       st.floats(0.8, 1.0))
def test_a_constant_world_projects_constant(levels, scale, damping) -> None:
    stocks = np.repeat(np.round(np.array(levels))[:, None], len(YEARS), axis=1)
    f = model.fit(stocks, YEARS)
    lengths = model.steps(2024, [2030, 2040, 2050])
    u = np.random.default_rng(1).random((len(levels), 7, 3))
    draws = model.to_stock(model.simulate(f, lengths, u, scale=scale, damping=damping))
    np.testing.assert_allclose(draws, np.round(np.array(levels))[:, None, None] + 0 * draws,
                               rtol=1e-9)
    np.testing.assert_allclose(model.to_stock(model.median_path(f, lengths, damping)),
                               np.repeat(np.round(np.array(levels))[:, None], 3, axis=1),
                               rtol=1e-9)


@settings(max_examples=20, deadline=None)
@given(stocks_st)
def test_draws_are_never_negative_and_quantiles_monotone(stocks) -> None:
    res = run(inputs_of(stocks))
    assert np.all(res.quantiles >= 0)
    assert np.all(np.diff(res.quantiles, axis=1) >= 0)
    assert np.all(res.by_destination >= 0)
    assert np.all(res.by_origin >= 0)


@settings(max_examples=20, deadline=None)
@given(stocks_st)
def test_totals_are_the_sums_of_their_corridors_draw_by_draw(stocks) -> None:
    inp = inputs_of(stocks)
    res = run(inp)
    # total = female + male, draw by draw, for every destination and origin
    np.testing.assert_allclose(res.by_destination[2], res.by_destination[0]
                               + res.by_destination[1], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(res.by_origin[2], res.by_origin[0] + res.by_origin[1],
                               rtol=1e-12, atol=1e-6)
    # the world from the destinations' side equals the world from the origins' side, to
    # the bit: draws are multiples of 1/1024 person, so every sum under 2^43 persons is
    # exact (hypothesis makes runaway draws of 10^14 persons from made-up series)
    world = res.by_destination.sum(axis=1)
    same = np.testing.assert_array_equal if world.max() < 2**43 else np.testing.assert_allclose
    same(world, res.by_origin.sum(axis=1))
    same(res.by_destination[2], res.by_destination[0] + res.by_destination[1])
    # each destination here has one corridor: its total draws are that corridor's draws,
    # so their quantiles are the corridor's quantiles
    q = np.quantile(res.by_destination[2], [0.1, 0.5, 0.9], axis=1)
    np.testing.assert_allclose(q, res.quantiles[2][[1, 2, 3]], rtol=1e-9, atol=1e-6)
    # a series with no migrants at the jump-off stays at zero
    zero = inp.stocks[:, :, -1].sum(axis=1) == 0
    assert np.all(res.quantiles[2][:, zero] == 0)


@settings(max_examples=15, deadline=None)
@given(stocks_st, st.randoms(use_true_random=False))
def test_the_order_of_corridors_changes_nothing(stocks, rnd) -> None:
    inp = inputs_of(stocks)
    order = list(range(len(stocks)))
    rnd.shuffle(order)
    perm = np.array(order)
    shuffled = Inputs(inp.origins[perm], inp.destinations[perm], inp.stocks[perm], YEARS)
    a, b = run(inp, batch=4), run(shuffled, batch=5)
    np.testing.assert_allclose(b.quantiles, a.quantiles[:, :, perm], rtol=1e-9, atol=1e-6)
    # destinations and origins are sorted codes in both runs
    np.testing.assert_allclose(b.by_destination, a.by_destination, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(b.by_origin, a.by_origin, rtol=1e-9, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 40)),
              elements=st.floats(-50, 50)), st.floats(-50, 50))
def test_crps_of_draws_is_its_definition(draws, y) -> None:
    obs = np.full(len(draws), y)
    first = np.abs(draws - y).mean(axis=1)
    pairs = np.abs(draws[:, :, None] - draws[:, None, :]).mean(axis=(1, 2))
    np.testing.assert_allclose(scores.crps_draws(draws, obs), first - pairs / 2, atol=1e-9)


def test_crps_of_a_normal_matches_many_draws_of_it() -> None:
    rng = np.random.default_rng(3)
    mean, sd, obs = np.array([0.0, 1.0]), np.array([1.0, 0.5]), np.array([0.3, -0.4])
    draws = mean[:, None] + sd[:, None] * rng.standard_normal((2, 200_000))
    np.testing.assert_allclose(scores.crps_normal(mean, sd, obs),
                               scores.crps_draws(draws, obs), atol=3e-3)
    # sd 0: the absolute error
    assert scores.crps_normal(np.array([2.0]), np.array([0.0]), np.array([5.0]))[0] == 3.0


def test_the_pooled_mean_shrinks_toward_the_band() -> None:
    """Two corridors of one band, one growing fast and one flat: the shrunk means lie
    between each corridor's own mean growth and the band's mean (closed form)."""
    t = YEARS
    fast = 5000 * np.exp(0.05 * (t - t[0]))
    rng = np.random.default_rng(0)
    noisy = 6000 * np.exp(rng.normal(0, 0.05, len(t)))
    stocks = np.vstack([fast, noisy])
    f = model.fit(stocks, t)
    own = model.growth(np.log1p(stocks), t).mean(axis=1)
    centre = own.mean()
    assert f.shrink[f.band[0]] <= 1
    for i in range(2):
        lo, hi = sorted([own[i], centre])
        assert lo - 1e-12 <= f.mean[i] <= hi + 1e-12


def test_shared_shocks_split_the_residuals_of_a_destination() -> None:
    """Residuals = shared shock of the series' group and interval + the rest; the shock is
    the mean of the counted series, and a group with fewer than SHARED_MIN counted series
    has none."""
    rng = np.random.default_rng(5)
    resid = rng.normal(size=(7, 3))
    counted = np.ones((7, 3), bool)
    counted[5:, :] = False
    groups = np.array(["A", "A", "A", "A", "B", "B", "B"])
    rest, shocks = model._shared(resid, counted, groups)
    shock_a = resid[:4].mean(axis=0)
    np.testing.assert_allclose(rest[:4], resid[:4] - shock_a)
    np.testing.assert_allclose(rest[4:], resid[4:])  # B: one counted series, no shock
    np.testing.assert_allclose(np.sort(shocks), np.sort(shock_a))


def many_per_destination(stocks: np.ndarray) -> Inputs:
    """Corridors spread over three destinations (several corridors each)."""
    n = len(stocks)
    origins = np.array([f"O{i:02d}" for i in range(n)])
    dests = np.array([f"D{i % 3}" for i in range(n)])
    return Inputs(origins, dests, np.round(stocks), YEARS)


@settings(max_examples=15, deadline=None)
@given(stocks_st, st.floats(0.0, 1.5))
def test_immigrants_never_exceed_the_ceiling(stocks, fraction) -> None:
    """With a ceiling at a fraction of each destination's jump-off immigrants, no draw's
    immigrants of either sex exceed it; draws under it are untouched; the count of draws
    held is the count of draws that were over it without the ceiling."""
    inp = many_per_destination(stocks)
    s = Settings(draws=30, targets=(2030, 2050))
    codes, pos = np.unique(inp.destinations, return_inverse=True)
    jump = np.zeros((2, len(codes)))
    for sex in range(2):
        np.add.at(jump[sex], pos, inp.stocks[:, sex, -1])
    population = np.repeat((fraction * jump)[:, :, None], 2, axis=2)
    population[:, 0] = np.nan  # D0 has no ceiling
    ceiling = Ceiling(codes, s.targets, population)
    free = combine(in_process(plan(inp, s, batch=2)), len(inp.origins))
    held = combine(in_process(plan(inp, s, batch=2, ceiling=ceiling)), len(inp.origins))
    assert held.capped is not None
    overs = []
    for sex in range(2):
        limit = population[sex][:, None, :]
        ok = np.isnan(limit) | (held.by_destination[sex] <= limit * (1 + 1e-12) + 1e-9)
        assert ok.all()
        over = ~np.isnan(limit) & (free.by_destination[sex] > limit)
        overs.append(over)
        np.testing.assert_array_equal(held.capped[sex], over.sum(axis=1))
        np.testing.assert_allclose(np.where(over, limit, held.by_destination[sex]),
                                   np.where(over, limit, free.by_destination[sex]),
                                   rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(held.capped[2], (overs[0] | overs[1]).sum(axis=1))
    np.testing.assert_allclose(held.by_destination[:, 0], free.by_destination[:, 0],
                               rtol=1e-12, atol=1e-9)
    assert np.all(held.quantiles >= 0)
    # totals stay the sums of their corridors: the world from both sides
    np.testing.assert_allclose(held.by_destination.sum(axis=1), held.by_origin.sum(axis=1),
                               rtol=1e-12, atol=1e-6)


@settings(max_examples=15, deadline=None)
@given(stocks_st, st.integers(1, 7))
def test_a_batch_holds_whole_destinations(stocks, size) -> None:
    inp = many_per_destination(stocks)
    batches = plan(inp, Settings(draws=5, targets=(2030,)), batch=size)
    seen = np.concatenate([b.index for b in batches])
    assert sorted(seen.tolist()) == list(range(len(inp.origins)))
    owner: dict[str, int] = {}
    for k, b in enumerate(batches):
        for d in set(inp.destinations[b.index]):
            assert owner.setdefault(d, k) == k
