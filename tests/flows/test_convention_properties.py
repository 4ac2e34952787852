"""Property-based tests of the conventions' kernels (issue #12): merging successor
states, native-born and unknown origins, pooled pseudo-Bayes weights, one pass."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.flows.test_properties import stock_inputs
from tmo.flows import METHODS, estimate, estimate_many
from tmo.flows import demographic_accounting as da
from tmo.flows.estimate_store import fill_native_born, merge_successors
from tmo.flows.pseudo_bayes import bfh_weight

SETTINGS = settings(max_examples=30, deadline=None)


@st.composite
def table_and_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    n = draw(st.integers(3, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    table = rng.integers(0, 100, (n, n)).astype(float)
    vector = rng.integers(0, 100, n).astype(float)
    successors = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n - 1,
                               unique=True))
    rest = [i for i in range(n) if i not in successors]
    pairs = [(s, draw(st.sampled_from(rest))) for s in successors]
    return table, vector, pairs


@SETTINGS
@given(table_and_pairs())
def test_merging_keeps_every_person_and_empties_successors(
        case: tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]) -> None:
    table, vector, pairs = case
    merged, (v,) = merge_successors(table, [vector], pairs)
    assert merged.sum() == table.sum()
    assert v.sum() == vector.sum()
    for s, _ in pairs:
        assert not merged[s].any()
        assert not merged[:, s].any()
        assert v[s] == 0
    # people born and living within a merged group are its native-born
    for s, t in pairs:
        inside = table[np.ix_([s, t], [s, t])].sum()
        assert merged[t, t] >= inside - 1e-9


@SETTINGS
@given(st.integers(2, 6), st.integers(0, 2**32 - 1), st.sampled_from(["native-born", "share"]))
def test_native_born_keeps_populations(n: int, seed: int, rule: str) -> None:
    rng = np.random.default_rng(seed)
    known = rng.integers(0, 50, (n, n)).astype(float)
    np.fill_diagonal(known, 0)
    unknown = rng.integers(0, 30, n).astype(float)
    population = known.sum(0) + unknown + rng.integers(0, 500, n)
    stocks, native = fill_native_born(known, unknown, population, rule)
    np.testing.assert_allclose(stocks.sum(0), population)
    assert (native >= 0).all()
    assert (stocks >= 0).all()
    if rule == "native-born":
        np.testing.assert_array_equal(stocks - np.diag(np.diag(stocks)), known)


@SETTINGS
@given(stock_inputs())
def test_pooled_weight_is_one_per_table_and_a_weight(inputs: tuple[np.ndarray, ...]) -> None:
    s1, s2, births, deaths = inputs
    adj = da.adjust_stocks(s1, s2, births, deaths, list(range(len(births))))
    w = bfh_weight(da.minimum_migration(adj.start, adj.end),
                   da.independence(adj.start, adj.end), pooled=True)
    assert np.all((w >= 0) & (w <= 1))
    assert np.all(w == w[..., :1])


@settings(max_examples=10, deadline=None)
@given(stock_inputs())
def test_one_pass_gives_the_numbers_of_each_method_alone(
        inputs: tuple[np.ndarray, ...]) -> None:
    s1, s2, births, deaths = inputs
    together = estimate_many(s1, s2, births, deaths, METHODS)
    for method in METHODS:
        np.testing.assert_array_equal(together[method].od,
                                      estimate(s1, s2, births, deaths, method).od)
