"""Newton's method for the IPF fit (tmo.flows.scaling): the same table IPF converges to,
in a handful of steps where IPF needs thousands; fits that cannot meet their margins are
left to IPF unchanged."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.flows import scaling
from tmo.flows.ipf import NEWTON_AFTER, ipf2


def _slow_case() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 6 x 6 table, half its corridors empty, whose rows must shift by about 15 %: the
    fit exists but lies near the edge (some cells go almost to zero), so IPF crawls
    (6,738 iterations), like the store's closed rescale."""
    rng, n = np.random.default_rng(153), 6
    seed = rng.lognormal(2, 2, (n, n)) * (rng.random((n, n)) < 0.5)
    seed[np.arange(n), np.arange(n)] = rng.lognormal(5, 1, n)
    shift = rng.normal(0, 0.15, n) * seed.sum(1)
    return seed, seed.sum(1) - (shift - shift.mean()), seed.sum(0)


def test_newton_reaches_the_ipf_fit_in_a_few_steps() -> None:
    seed, rows, cols = _slow_case()
    slow = ipf2(rows, cols, seed, newton=False, max_iter=100_000)
    fast = ipf2(rows, cols, seed)
    assert slow.converged
    assert fast.converged
    assert slow.iterations > 5_000  # what IPF alone needs
    assert fast.iterations <= NEWTON_AFTER + 15  # IPF's first iterations, then Newton
    np.testing.assert_allclose(fast.fitted, slow.fitted, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(fast.fitted.sum(1), rows, rtol=1e-9)
    np.testing.assert_allclose(fast.fitted.sum(0), cols, rtol=1e-9)


def test_margins_that_cannot_be_met_are_left_to_ipf_unchanged() -> None:
    # row 0 can only reach column 0, whose target is smaller than row 0's
    seed = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    rows, cols = np.array([5.0, 2.0, 2.0]), np.array([3.0, 3.0, 3.0])
    with np.errstate(all="ignore"):
        both = ipf2(rows, cols, seed, max_iter=3_000)
        plain = ipf2(rows, cols, seed, max_iter=3_000, newton=False)
    assert not both.converged
    np.testing.assert_array_equal(both.fitted, plain.fitted)
    assert both.max_margin_error == plain.max_margin_error


def test_a_batch_mixing_both_kinds_gives_each_element_its_own_answer() -> None:
    seed = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    cols = np.array([3.0, 3.0, 3.0])
    feasible, infeasible = np.array([2.0, 3.0, 4.0]), np.array([5.0, 2.0, 2.0])
    with np.errstate(all="ignore"):
        fit = ipf2(np.stack([feasible, infeasible]), cols, seed, max_iter=3_000)
        for b, rows in enumerate((feasible, infeasible)):
            alone = ipf2(rows, cols, seed, max_iter=3_000)
            np.testing.assert_array_equal(fit.fitted[b], alone.fitted)
    assert not fit.converged


def test_fits_ipf_meets_quickly_are_exactly_ipfs() -> None:
    rng = np.random.default_rng(7)
    seed = rng.lognormal(0, 1, (5, 5))
    rows, cols = rng.lognormal(0, 1, 5), rng.lognormal(0, 1, 5)
    rows *= cols.sum() / rows.sum()
    fit, plain = ipf2(rows, cols, seed), ipf2(rows, cols, seed, newton=False)
    assert plain.iterations < NEWTON_AFTER
    np.testing.assert_array_equal(fit.fitted, plain.fitted)


def test_newton_is_skipped_for_tables_too_large_for_a_dense_solve() -> None:
    assert scaling.applies(np.broadcast_to(1.0, (233, 233)), 21)  # the store's rescale
    assert not scaling.applies(np.broadcast_to(1.0, (3000, 3000)))
    # a distance seed shared by 233 birthplaces x 21 tables: IPF, never expanded
    assert not scaling.applies(np.broadcast_to(1.0, (233, 233)), 233 * 21)


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 7), st.integers(0, 2**31 - 1), st.floats(0.0, 0.6))
def test_newton_and_ipf_agree_where_both_converge(n: int, key: int, empty: float) -> None:
    rng = np.random.default_rng(key)
    seed = rng.lognormal(3, 2, (n, n)) * (rng.random((n, n)) >= empty)
    seed[np.arange(n), np.arange(n)] = rng.lognormal(6, 1, n)  # every row and column live
    target = seed * rng.lognormal(0, 0.3, (n, n))
    rows, cols = target.sum(1), target.sum(0)  # reachable: a table with seed's zeros meets them
    fast = ipf2(rows, cols, seed)
    slow = ipf2(rows, cols, seed, newton=False, max_iter=200_000)
    assert fast.converged
    if slow.converged:
        np.testing.assert_allclose(fast.fitted, slow.fitted, rtol=1e-6,
                                   atol=1e-8 * target.sum())
    np.testing.assert_allclose(fast.fitted.sum(1), rows, rtol=1e-8)
    np.testing.assert_allclose(fast.fitted.sum(0), cols, rtol=1e-8)
    # biproportional: log(fitted / seed) = a_i + b_j on the live cells, so with a live
    # diagonal L_ij + L_ji = L_ii + L_jj wherever both cells are live
    live = seed > 0
    log_ratio = np.log(np.where(live, fast.fitted, 1.0) / np.where(live, seed, 1.0))
    d = np.diag(log_ratio)
    both = live & live.T
    np.testing.assert_allclose((log_ratio + log_ratio.T)[both], (d[:, None] + d[None, :])[both],
                               atol=1e-7)
