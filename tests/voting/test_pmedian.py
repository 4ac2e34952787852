"""p-median: exact and heuristic against brute force on random small cases (hypothesis),
capacities, required sites, the LP bound and gap, haversine, input errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.errors import InputError
from tmo.voting.pmedian import (
    brute_force,
    haversine_km,
    lp_bound,
    model,
    solve,
    solve_exact,
    solve_heuristic,
)

PROPERTY = settings(max_examples=60, deadline=None)


@st.composite
def instances(draw, capacitated=False):
    """Random points in the plane; candidates are a subset of the demand points."""
    n = draw(st.integers(2, 9))
    m = draw(st.integers(2, min(n, 7)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, size=(n, 2))
    weights = rng.integers(1, 50, size=n).astype(float)
    cand = rng.choice(n, size=m, replace=False)
    distance = np.linalg.norm(xy[:, None, :] - xy[None, cand, :], axis=2)
    p = draw(st.integers(1, m))
    caps = None
    if capacitated:
        share = draw(st.floats(1.05, 2.0))
        caps = np.full(m, weights.sum() * share / p)
    return distance, weights, p, caps


@PROPERTY
@given(instances())
def test_exact_equals_brute_force(case):
    distance, weights, p, _ = case
    exact = solve(distance, weights, p, method="exact")
    best = brute_force(distance, weights, p)
    assert exact.cost == pytest.approx(best.cost, rel=1e-9, abs=1e-9)
    assert exact.optimal
    assert len(exact.sites) == p


@PROPERTY
@given(instances())
def test_heuristic_is_bounded_and_its_gap_is_honest(case):
    distance, weights, p, _ = case
    best = brute_force(distance, weights, p)
    heuristic = solve(distance, weights, p, method="heuristic")
    assert heuristic.cost >= best.cost - 1e-9
    assert heuristic.lower_bound is not None
    assert heuristic.lower_bound <= best.cost + 1e-6
    assert heuristic.gap is not None
    assert heuristic.gap >= 0
    assert heuristic.cost - heuristic.gap * heuristic.cost == pytest.approx(
        heuristic.lower_bound, rel=1e-6, abs=1e-6)


@PROPERTY
@given(instances(capacitated=True))
def test_capacitated_exact_equals_brute_force(case):
    distance, weights, p, caps = case
    exact = solve(distance, weights, p, capacities=caps, method="exact")
    best = brute_force(distance, weights, p, capacities=caps)
    assert exact.cost == pytest.approx(best.cost, rel=1e-7, abs=1e-6)
    served = exact.served(weights)
    assert (served <= caps + 1e-6).all()
    np.testing.assert_allclose(exact.assignment.sum(axis=1), 1.0, atol=1e-9)


@PROPERTY
@given(instances(), st.data())
def test_required_sites_are_open(case, data):
    distance, weights, p, _ = case
    m = distance.shape[1]
    required = data.draw(st.lists(st.integers(0, m - 1), max_size=p, unique=True))
    exact = solve(distance, weights, p, required=required, method="exact")
    heuristic = solve(distance, weights, p, required=required, method="heuristic")
    best = brute_force(distance, weights, p, required=required)
    assert set(required) <= set(exact.sites)
    assert set(required) <= set(heuristic.sites)
    assert exact.cost == pytest.approx(best.cost, rel=1e-9, abs=1e-9)


def test_capacity_splits_a_city_between_two_sites():
    """Two cities of 60 voters, capacity 70 per site: one site cannot take both."""
    distance = np.array([[0.0, 10.0], [1.0, 10.0]])
    solution = solve(distance, [60, 60], 2, capacities=[70, 70])
    assert solution.sites == (0, 1)
    np.testing.assert_allclose(solution.served([60, 60]), [70, 50])
    assert solution.cost == pytest.approx(60 * 0 + 10 * 1 + 50 * 10)


def test_opening_costs_prefer_missions():
    """Same distances; opening the non-mission site costs more, so the mission wins."""
    distance = np.array([[5.0, 5.0]])
    assert solve(distance, [1], 1, open_cost=[0, 0.5]).sites == (0,)
    assert solve(distance, [1], 1, open_cost=[0.5, 0]).sites == (1,)


def test_the_heuristic_reports_a_gap_when_it_is_not_optimal():
    """A case where greedy + interchange stops in a local optimum would show gap > 0; on
    any case the bound is below the optimum and the gap is (cost - bound) / cost."""
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 100, size=(60, 2))
    distance = np.linalg.norm(xy[:, None] - xy[None, :], axis=2)
    weights = rng.integers(1, 100, size=60)
    mdl = model(distance, weights, 6)
    heuristic = solve_heuristic(mdl)
    exact = solve_exact(mdl)
    bound = lp_bound(mdl)
    assert bound <= exact.cost + 1e-6
    assert heuristic.cost >= exact.cost - 1e-6
    assert heuristic.gap == pytest.approx((heuristic.cost - bound) / heuristic.cost)
    assert heuristic.gap is not None
    assert heuristic.gap < 0.05  # the interchange lands close on this instance


def test_auto_switches_to_the_heuristic_beyond_the_exact_limit():
    rng = np.random.default_rng(0)
    distance = rng.uniform(0, 10, size=(30, 20))
    assert solve(distance, np.ones(30), 3).method == "milp"
    big = solve(distance, np.ones(30), 3, exact_limit=100)
    assert big.method == "heuristic"
    assert big.gap is not None


def test_every_candidate_open_needs_no_search():
    solution = solve(np.array([[1.0, 2.0], [3.0, 0.5]]), [1, 2], 2)
    assert solution.sites == (0, 1)
    assert solution.cost == pytest.approx(1 + 1)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"distance": [[1.0, -1.0]]}, "finite and non-negative"),
    ({"distance": [[1.0, float("nan")]]}, "finite and non-negative"),
    ({"weights": [1, 2]}, "weights must have 1 entries"),
    ({"p": 3}, "p must be a whole number from 1 to 2"),
    ({"p": 0}, "p must be a whole number from 1 to 2"),
    ({"required": [5]}, "not all candidate indices"),
    ({"capacities": [0.5, 0.1]}, "cannot serve the demand"),
])
def test_bad_inputs(kwargs, message):
    args = {"distance": [[1.0, 2.0]], "weights": [1.0], "p": 1, **kwargs}
    with pytest.raises(InputError, match=message):
        solve(args.pop("distance"), args.pop("weights"), args.pop("p"), **args)


def test_haversine():
    # Paris (48.8566 N, 2.3522 E) -> London (51.5074 N, 0.1278 W): the textbook 343.5 km
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=0.5)
    assert haversine_km(10, 20, 10, 20) == 0
    quarter = haversine_km(0, 0, 0, 90)
    assert quarter == pytest.approx(np.pi * 6371.0088 / 2)
    matrix = haversine_km(np.array([[0.0], [1.0]]), np.array([[0.0], [0.0]]),
                          np.array([[0.0, 2.0]]), np.array([[0.0, 0.0]]))
    assert matrix.shape == (2, 2)


@PROPERTY
@given(instances(), st.data())
def test_vectorised_swap_prices_every_swap_exactly(case, data):
    """The interchange's priced swap equals the best of every swap evaluated one by one."""
    from tmo.voting.pmedian import _best_swap, evaluate

    distance, weights, p, _ = case
    m = distance.shape[1]
    current = sorted(data.draw(st.lists(st.integers(0, m - 1), min_size=p, max_size=p,
                                        unique=True)))
    cost = data.draw(st.lists(st.floats(0, 5), min_size=m, max_size=m))
    mdl = model(distance, weights, p, open_cost=cost)
    found = _best_swap(mdl, current)
    trials = [evaluate(mdl, sorted([*(j for j in current if j != out), into]))[0]
              for out in current for into in range(m) if into not in current]
    if not trials:
        assert found is None
    else:
        assert found is not None
        assert found[0] == pytest.approx(min(trials), rel=1e-9, abs=1e-9)
