"""Small-cell suppression of count tables with their margins (a pure kernel).

A table of counts (rows × columns) is published with its row totals, column totals and
grand total. Primary suppression hides every figure, inner cell or margin, from 1 to
k − 1 (zeros are shown: they say nobody, and no one can be singled out by them).
Complementary suppression then hides more cells until no hidden figure can be worked
back from the published ones:

1. no line (a row with its total, a column with its total, the row of column totals
   with the grand total, the column of row totals with the grand total) may hold exactly
   one hidden figure: it would be its total minus the rest; the smallest positive visible
   figure of the line, an inner cell before a margin, is hidden too;
2. every hidden figure must lie on a cycle of hidden figures in the bipartite graph of
   lines (rows and columns, the margins counted as one more row and column). A hidden
   figure that is a bridge of that graph is fixed by the others (it carries no
   circulation), so a visible positive figure joining the two sides is hidden as well.

With every hidden figure positive and on a cycle, adding and subtracting 1 alternately
round the cycle changes no published figure and keeps every count non-negative, so each
hidden figure has at least two values consistent with everything published (the tests
check this by linear programming over the published figures). This is the classical
setting of cell suppression in two-way tables (Cox 1980, "Suppression methodology and
statistical disclosure control", JASA 75(370); Hundepool et al. 2012, Statistical
Disclosure Control, Wiley); the heuristic here does not guarantee an interval wider than
that, which `docs/registry.md` says.

Several tables that share their row totals (the same countries of residence by sex, by
age, ...) are protected together by `protect_tables`: a row total hidden in one is
hidden in all, and the tables are protected again until none changes, so no two answers
of the analyst API can be combined to undo one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Mask = list[list[bool]]


@dataclass(frozen=True)
class Protected:
    """A table with its margins; None where a figure is suppressed."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    def hidden(self) -> int:
        return sum(v is None for row in self.cells for v in row) + \
            sum(v is None for v in self.row_totals) + \
            sum(v is None for v in self.column_totals) + (self.total is None)


def augmented(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals as a last column and column totals as a last row."""
    width = len(cells[0]) if cells else 0
    out = [[*row, sum(row)] for row in cells]
    out.append([sum(row[j] for row in out) for j in range(width + 1)])
    return out


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    rows = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    cols = [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return rows + cols


def _cost(a: list[list[int]], i: int, j: int) -> tuple[int, int]:
    margin = i == len(a) - 1 or j == len(a[0]) - 1
    return (1 if margin else 0, a[i][j])


def _line_rule(a: list[list[int]], hidden: Mask) -> bool:
    changed = False
    for line in _lines(len(a), len(a[0])):
        inside = [(i, j) for i, j in line if hidden[i][j]]
        if len(inside) != 1:
            continue
        candidates = [(i, j) for i, j in line if not hidden[i][j] and a[i][j] > 0]
        if candidates:
            i, j = min(candidates, key=lambda c: _cost(a, *c))
            hidden[i][j] = True
            changed = True
    return changed


Adjacency = dict[int, list[tuple[int, tuple[int, int]]]]


def _graph(hidden: Mask) -> Adjacency:
    """Rows 0..r and columns r+1.. as vertices, each hidden figure an edge."""
    n_rows = len(hidden)
    adj: Adjacency = {}
    for i, row in enumerate(hidden):
        for j, h in enumerate(row):
            if h:
                adj.setdefault(i, []).append((n_rows + j, (i, j)))
                adj.setdefault(n_rows + j, []).append((i, (i, j)))
    return adj


def _bridges(hidden: Mask) -> list[tuple[int, int]]:
    """Hidden figures that are bridges of the graph rows–columns (Tarjan's algorithm,
    without recursion)."""
    adj = _graph(hidden)
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    for root in adj:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, tuple[int, int] | None, int]] = [(root, None, 0)]
        while stack:
            node, via, k = stack.pop()
            if k < len(adj[node]):
                stack.append((node, via, k + 1))
                nxt, edge = adj[node][k]
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, edge, 0))
            elif via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
    return found


def _side(hidden: Mask, start: int, cut: tuple[int, int]) -> set[int]:
    """Vertices reachable from `start` through hidden figures other than `cut`."""
    n_rows, n_cols = len(hidden), len(hidden[0])
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node < n_rows:
            nxt = [(n_rows + j, (node, j)) for j in range(n_cols) if hidden[node][j]]
        else:
            nxt = [(i, (i, node - n_rows)) for i in range(n_rows) if hidden[i][node - n_rows]]
        for other, edge in nxt:
            if edge != cut and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _bridge_rule(a: list[list[int]], hidden: Mask) -> bool:
    n_rows = len(a)
    for i, j in _bridges(hidden):
        side = _side(hidden, i, (i, j))
        candidates = [(r, c) for r in range(n_rows) for c in range(len(a[0]))
                      if not hidden[r][c] and a[r][c] > 0
                      and ((r in side) != (n_rows + c in side))]
        if candidates:
            r, c = min(candidates, key=lambda x: _cost(a, *x))
            hidden[r][c] = True
            return True
    return False


def mask(cells: Sequence[Sequence[int]], k: int = 10, *, rows: frozenset[int] = frozenset(),
         total: bool = False) -> Mask:
    """Which figures of the augmented table (`augmented(cells)`) to hide; `rows`: row
    totals to hide whatever their value, `total`: hide the grand total too."""
    if k < 1:
        raise ValueError("the suppression threshold must be at least 1")
    a = augmented(cells)
    last = len(a[0]) - 1
    hidden = [[0 < v < k for v in row] for row in a]
    for i in rows:
        hidden[i][last] = True
    hidden[-1][-1] = hidden[-1][-1] or total
    while _line_rule(a, hidden) or _bridge_rule(a, hidden):
        pass
    return hidden


def protect(cells: Sequence[Sequence[int]], k: int = 10, *,
            rows: frozenset[int] = frozenset(), total: bool = False) -> Protected:
    a = augmented(cells)
    hidden = mask(cells, k, rows=rows, total=total)
    shown = [[None if h else v for v, h in zip(row, hrow, strict=True)]
             for row, hrow in zip(a, hidden, strict=True)]
    return Protected(cells=[row[:-1] for row in shown[:-1]],
                     row_totals=[row[-1] for row in shown[:-1]],
                     column_totals=shown[-1][:-1], total=shown[-1][-1])


def protect_tables(tables: Sequence[Sequence[Sequence[int]]], k: int = 10
                   ) -> list[Protected]:
    """Tables with the same rows (and so the same row totals) protected together: a row
    total or grand total hidden in one is hidden in every one."""
    rows: frozenset[int] = frozenset()
    total = False
    while True:
        done = [protect(t, k, rows=rows, total=total) for t in tables]
        now_rows = frozenset(i for p in done for i, v in enumerate(p.row_totals) if v is None)
        now_total = any(p.total is None for p in done)
        if now_rows == rows and now_total == total:
            return done
        rows, total = now_rows | rows, now_total or total
