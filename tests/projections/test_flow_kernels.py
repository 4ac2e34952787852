"""Property tests of the projected flows' pure table kernels (tmo.projections.flows)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tmo.projections.flows import cap_deaths, native_born, split_events

N = 4
values = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None)
@given(arrays(float, (2, N, N), elements=values), arrays(float, (2, N), elements=values))
def test_native_born_fills_the_diagonal(known: np.ndarray, population: np.ndarray) -> None:
    n = np.arange(N)
    known[:, n, n] = 0.0
    tables, native = native_born(known, population)
    assert (tables >= 0).all()
    off = ~np.eye(N, dtype=bool)
    assert (tables[:, off] == known[:, off]).all()
    np.testing.assert_allclose(native, population - known.sum(axis=-2))
    fits = native >= 0  # where nothing is floored a column sums to the population
    np.testing.assert_allclose(tables.sum(axis=-2)[fits], population[fits], rtol=1e-12,
                               atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(arrays(float, (3, N), elements=values), arrays(float, (2, 3, N), elements=values))
def test_events_split_by_sex_add_up(events: np.ndarray, by_sex: np.ndarray) -> None:
    start = np.concatenate([by_sex.sum(axis=0)[None], by_sex])  # total, female, male
    split = split_events(events, start, ("total", "female", "male"))
    np.testing.assert_allclose(split[0], events)
    lived = start[0] > 0
    np.testing.assert_allclose((split[1] + split[2])[lived], events[lived], rtol=1e-9,
                               atol=1e-9)  # persons
    assert (split[1:][:, ~lived] == 0).all()


@settings(max_examples=30, deadline=None)
@given(arrays(float, (2, N, N), elements=values), arrays(float, (2, N), elements=values))
def test_deaths_never_exceed_the_residents(start: np.ndarray, deaths: np.ndarray) -> None:
    capped, any_capped = cap_deaths(start, deaths)
    assert (capped <= start.sum(axis=-2)).all()
    assert (capped <= deaths).all()
    assert any_capped == bool((capped < deaths).any())
