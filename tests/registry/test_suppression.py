"""Small-cell and complementary suppression: no hidden figure can be worked back from
the published ones. Checked by linear programming: over all non-negative tables that
agree with every published figure (cells, margins, and every other table sharing the
row totals), each hidden figure can take more than one value."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog  # type: ignore[import-untyped]

from tmo.registry.suppression import Protected, augmented, protect, protect_tables

VALUES = st.sampled_from([0, 0, 1, 2, 3, 4, 7, 9, 10, 11, 15, 40, 250])
TABLES = st.integers(1, 6).flatmap(lambda r: st.integers(1, 5).flatmap(
    lambda c: st.lists(st.lists(VALUES, min_size=c, max_size=c), min_size=r, max_size=r)))


def shown(p: Protected) -> list[list[int | None]]:
    return [[*row, t] for row, t in zip(p.cells, p.row_totals, strict=True)] + \
        [[*p.column_totals, p.total]]


Equations = list[tuple[dict[int, float], float]]


def equations(tables: Sequence[Sequence[Sequence[int]]], published: list[Protected]
              ) -> tuple[Equations, dict[int, int]]:
    """The additive relations of every line of every table over its hidden figures (the
    published ones moved to the right-hand side), and each hidden figure's true value.
    The row totals and the grand total, shared by the tables, are one variable each."""
    names: dict[tuple, int] = {}
    truth: dict[int, int] = {}
    out: Equations = []
    for t, (table, p) in enumerate(zip(tables, published, strict=True)):
        a, s = augmented(table), shown(p)
        rows, cols = len(a) - 1, len(a[0]) - 1
        lines = [[(i, j) for j in range(cols + 1)] for i in range(rows + 1)] + \
            [[(i, j) for i in range(rows + 1)] for j in range(cols + 1)]
        for line in lines:
            coef: dict[int, float] = {}
            rhs = 0.0
            for i, j in line:
                sign = -1.0 if (i, j) == line[-1] else 1.0
                if s[i][j] is None:
                    n = names.setdefault(("row", i) if j == cols else (t, i, j), len(names))
                    truth[n] = a[i][j]
                    coef[n] = coef.get(n, 0.0) + sign
                else:
                    rhs -= sign * a[i][j]
            out.append((coef, rhs))
    return out, truth


def ranges(tables: Sequence[Sequence[Sequence[int]]], published: list[Protected]
           ) -> list[tuple[float, float, int]]:
    """(lowest, highest, true value) of every hidden figure given everything published."""
    found, truth = equations(tables, published)
    if not truth:
        return []
    a_eq = np.zeros((len(found), len(truth)))
    for k, (coef, _rhs) in enumerate(found):
        for n, c in coef.items():
            a_eq[k, n] = c
    b_eq = np.array([rhs for _coef, rhs in found])
    out = []
    for n in range(len(truth)):
        e = np.zeros(len(truth))
        e[n] = 1
        low = linprog(e, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-e, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, low.message  # the true table is feasible
        out.append((low.fun, np.inf if high.status == 3 else -high.fun, truth[n]))
    return out


def test_a_single_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    p = protect([[3, 20, 30], [40, 50, 60]], k=10)
    assert p.cells[0][0] is None
    assert sum(v is None for v in p.cells[0]) >= 2
    assert sum(row[0] is None for row in p.cells) >= 2
    assert p.total == 203  # the grand total and untouched figures stay published
    for low, high, true in ranges([[[3, 20, 30], [40, 50, 60]]], [p]):
        assert low <= true <= high
        assert high - low >= 1


def test_small_margins_are_hidden_too() -> None:
    p = protect([[1, 2], [30, 40]], k=10)
    assert p.row_totals[0] is None


def test_nothing_is_hidden_when_every_figure_is_large_or_zero() -> None:
    p = protect([[0, 20], [30, 0]], k=10)
    assert p.hidden() == 0


def test_the_threshold_is_configurable() -> None:
    assert protect([[5, 50], [50, 50]], k=5).hidden() == 0
    assert protect([[5, 50], [50, 50]], k=6).cells[0][0] is None
    with pytest.raises(ValueError, match="at least 1"):
        protect([[1]], k=0)


@settings(max_examples=40, deadline=None)
@given(TABLES, st.sampled_from([3, 5, 10]))
def test_no_hidden_figure_can_be_derived_from_the_margins(table: list[list[int]],
                                                          k: int) -> None:
    p = protect(table, k)
    for row, cells in zip(augmented(table), shown(p), strict=True):
        for true, published in zip(row, cells, strict=True):
            assert published is None or published == true  # published figures are true
            assert published is None or not 0 < published < k  # no small figure shown
    for low, high, true in ranges([table], [p]):
        assert low - 1e-6 <= true <= high + 1e-6
        assert high - low >= 1 - 1e-6, (table, p)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 5).flatmap(lambda r: st.tuples(*[
    st.lists(st.lists(VALUES, min_size=c, max_size=c), min_size=r, max_size=r)
    for c in (2, 3, 4)])))
def test_two_tables_of_the_same_rows_cannot_be_combined_to_undo_each_other(
        tables: tuple[list[list[int]], ...]) -> None:
    # the same people by sex and by age band: the row totals must agree (scale columns)
    first = tables[0]
    others = []
    for t in tables[1:]:
        rebuilt = []
        for want, row in zip(first, t, strict=True):
            gap = sum(want) - sum(row)
            fixed = [*row[:-1], row[-1] + gap] if gap >= -row[-1] else \
                [*[0] * (len(row) - 1), sum(want)]
            rebuilt.append(fixed)
        others.append(rebuilt)
    tables_ = [first, *others]
    published = protect_tables(tables_, 10)
    for p in published[1:]:  # a row total hidden in one table is hidden in all
        assert [v is None for v in p.row_totals] == \
            [v is None for v in published[0].row_totals]
    for low, high, _true in ranges(tables_, published):
        assert high - low >= 1 - 1e-6
