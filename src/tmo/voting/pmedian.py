"""Where to open p stations: the p-median problem, exact for the sizes that occur and a fast
heuristic with a stated optimality gap beyond.

    from tmo.voting.pmedian import solve
    sol = solve(distance, weights, p=2)     # distance: demand x candidate sites
    sol.sites, sol.cost, sol.gap, sol.method

Minimise sum_i w_i sum_j d_ij x_ij (+ sum_j f_j y_j, opening costs) subject to
sum_j x_ij = 1, x_ij <= y_j, sum_j y_j = p, y_j in {0, 1}, 0 <= x_ij <= 1, and optional
capacities sum_i w_i x_ij <= C_j y_j. Demand may be split between sites when capacities
bind (a city's voters can be sent to two stations); without capacities every demand point
goes whole to its nearest open site. `required` sites are always open (they count in p).

- `solve_exact`: the mixed-integer programme above with scipy.optimize.milp (HiGHS), the
  strong formulation (x_ij <= y_j per pair). Its optimality gap is HiGHS's (0 when proved).
- `solve_heuristic`: greedy addition, then Teitz-Bart vertex substitution (swap an open
  site for a closed one while the cost falls, best swap first), with the LP relaxation of
  the same programme as a lower bound: gap = (cost - bound) / cost.
- `solve`: exact when demand x candidates is at most `exact_limit` variables, else the
  heuristic. `brute_force` enumerates every set of p sites (for tests, small cases).

Inputs are checked first (shapes, finite non-negative numbers, 1 <= p <= candidates,
enough capacity); an infeasible model is an InputError naming the reason.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse  # type: ignore[import-untyped]
from scipy.optimize import (  # type: ignore[import-untyped]
    Bounds,
    LinearConstraint,
    linprog,
    milp,
)

from tmo.errors import InputError

EXACT_LIMIT = 40_000  # demand x candidate variables solved exactly by default
LP_LIMIT = 250_000  # above this, the heuristic reports no LP bound (gap unknown)
TOLERANCE = 1e-9

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Model:
    """A checked p-median instance."""

    distance: Array  # demand x candidates
    weights: Array  # demand
    p: int
    capacities: Array | None  # candidates, or None (uncapacitated)
    required: tuple[int, ...]
    open_cost: Array  # candidates

    @property
    def shape(self) -> tuple[int, int]:
        n, m = self.distance.shape
        return int(n), int(m)

    def assignment_cost(self) -> Array:
        return self.distance * self.weights[:, None]


@dataclass(frozen=True)
class Solution:
    """Open sites (candidate indices, ascending), each demand point's shares per site, the
    objective, a lower bound and the relative gap between them, and how it was found."""

    sites: tuple[int, ...]
    assignment: Array  # demand x candidates, rows sum to 1
    cost: float
    lower_bound: float | None
    gap: float | None  # (cost - lower_bound) / cost; 0 when proved optimal, None if unknown
    method: str  # "milp", "heuristic", "brute_force"
    optimal: bool
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def nearest(self) -> NDArray[np.int64]:
        """Per demand point, the open site serving the largest share of it."""
        return np.asarray(self.assignment.argmax(axis=1), dtype=np.int64)

    def served(self, weights: ArrayLike) -> Array:
        """Weight served by each candidate site (0 where closed)."""
        return np.asarray(np.asarray(weights, dtype=float) @ self.assignment, dtype=float)


def model(distance: ArrayLike, weights: ArrayLike, p: int, *,
          capacities: ArrayLike | None = None, required: Sequence[int] = (),
          open_cost: ArrayLike | None = None) -> Model:
    """Check and package an instance (InputError naming the first problem)."""
    d = _matrix(distance)
    n, m = d.shape
    w = _vector(weights, n, "weights")
    if isinstance(p, bool) or not isinstance(p, int | np.integer) or not 1 <= p <= m:
        raise InputError(f"p must be a whole number from 1 to {m} (the candidate sites), "
                         f"not {p!r}")
    req = tuple(sorted({int(j) for j in required}))
    if any(not 0 <= j < m for j in req):
        raise InputError(f"required sites {list(req)} are not all candidate indices 0..{m - 1}")
    if len(req) > int(p):
        raise InputError(f"{len(req)} required sites cannot fit in p = {p}",
                         hint="raise p or require fewer sites")
    cap = None if capacities is None else _vector(capacities, m, "capacities")
    if cap is not None and np.sort(cap)[::-1][:int(p)].sum() + TOLERANCE < w.sum():
        raise InputError(f"the {p} largest capacities ({np.sort(cap)[::-1][:int(p)].sum():g}) "
                         f"cannot serve the demand ({w.sum():g})",
                         hint="raise the capacities or p")
    f = np.zeros(m) if open_cost is None else _vector(open_cost, m, "open_cost")
    return Model(d, w, int(p), cap, req, f)


def _matrix(distance: ArrayLike) -> Array:
    d = np.asarray(distance, dtype=float)
    if d.ndim != 2 or 0 in d.shape:
        raise InputError(f"distance must be a non-empty demand x candidates matrix, "
                         f"not of shape {d.shape}")
    if not np.isfinite(d).all() or (d < 0).any():
        raise InputError("distances must be finite and non-negative")
    return d


def _vector(values: ArrayLike, size: int, name: str) -> Array:
    v = np.asarray(values, dtype=float)
    if v.shape != (size,):
        raise InputError(f"{name} must have {size} entries, not shape {v.shape}")
    if not np.isfinite(v).all() or (v < 0).any():
        raise InputError(f"{name} must be finite and non-negative")
    return v


# --- evaluation of a set of open sites ----------------------------------------------------


def evaluate(mdl: Model, sites: Sequence[int]) -> tuple[float, Array]:
    """Objective and assignment of the best service from `sites` (inf when infeasible)."""
    idx = np.asarray(sorted(sites), dtype=np.int64)
    n, m = mdl.shape
    fixed = float(mdl.open_cost[idx].sum())
    if mdl.capacities is None:
        sub = mdl.distance[:, idx]
        choice = idx[sub.argmin(axis=1)]
        x = np.zeros((n, m))
        x[np.arange(n), choice] = 1.0
        return float((mdl.weights * mdl.distance[np.arange(n), choice]).sum()) + fixed, x
    return _transport(mdl, idx, fixed)


def _transport(mdl: Model, idx: NDArray[np.int64], fixed: float) -> tuple[float, Array]:
    """Capacitated service from the open sites `idx`: a transportation LP."""
    n, m = mdl.shape
    k = len(idx)
    assert mdl.capacities is not None
    cost = mdl.assignment_cost()[:, idx].ravel()
    rows = sparse.kron(sparse.eye(n), np.ones((1, k)))  # each demand point served once
    caps = sparse.kron(np.ones((1, n)), sparse.eye(k)).multiply(
        np.repeat(mdl.weights, k)[None, :])
    res = linprog(cost, A_ub=caps.tocsr(), b_ub=mdl.capacities[idx], A_eq=rows.tocsr(),
                  b_eq=np.ones(n), bounds=(0, 1), method="highs")
    if res.status != 0:
        return float("inf"), np.zeros((n, m))
    x = np.zeros((n, m))
    x[:, idx] = np.asarray(res.x).reshape(n, k)
    return float(res.fun) + fixed, x


# --- exact --------------------------------------------------------------------------------


def _programme(mdl: Model) -> tuple[Array, list[LinearConstraint], Bounds]:
    n, m = mdl.shape
    nx = n * m
    c = np.concatenate([mdl.assignment_cost().ravel(), mdl.open_cost])
    assign = sparse.hstack([sparse.kron(sparse.eye(n), np.ones((1, m))),
                            sparse.csr_matrix((n, m))])
    link = sparse.hstack([sparse.eye(nx), -sparse.kron(np.ones((n, 1)), sparse.eye(m))])
    count = sparse.hstack([sparse.csr_matrix((1, nx)), np.ones((1, m))])
    cons = [LinearConstraint(assign.tocsr(), 1, 1),
            LinearConstraint(link.tocsr(), -np.inf, 0),
            LinearConstraint(count.tocsr(), mdl.p, mdl.p)]
    if mdl.capacities is not None:
        load = sparse.kron(mdl.weights[None, :], sparse.eye(m))
        cap = sparse.hstack([load, -sparse.diags(mdl.capacities)])
        cons.append(LinearConstraint(cap.tocsr(), -np.inf, 0))
    lower = np.zeros(nx + m)
    lower[nx + np.asarray(mdl.required, dtype=np.int64)] = 1
    return c, cons, Bounds(lower, np.ones(nx + m))


def solve_exact(mdl: Model, *, time_limit: float = 30.0) -> Solution:
    """The MILP with HiGHS; `optimal` unless the time limit stopped it (gap reported)."""
    n, m = mdl.shape
    c, cons, bounds = _programme(mdl)
    integrality = np.concatenate([np.zeros(n * m), np.ones(m)])
    started = time.perf_counter()
    res = milp(c, constraints=cons, integrality=integrality, bounds=bounds,
               options={"time_limit": time_limit, "mip_rel_gap": 1e-9})
    seconds = time.perf_counter() - started
    if res.x is None:
        raise InputError(f"no feasible set of {mdl.p} sites ({res.message})",
                         hint="raise the capacities or p, or require fewer sites")
    y = np.asarray(res.x[n * m:])
    sites = tuple(int(j) for j in np.flatnonzero(y > 0.5))
    cost, x = evaluate(mdl, sites)  # clean assignment (integral where uncapacitated)
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(bound) if bound is not None and np.isfinite(bound) else None
    proved = res.status == 0
    gap = 0.0 if proved else _gap(cost, bound)
    return Solution(sites, x, cost, cost if proved else bound, gap, "milp", proved,
                    {"seconds": seconds, "status": int(res.status), "message": res.message,
                     "variables": n * m + m})


def lp_bound(mdl: Model) -> float:
    """The LP relaxation's optimum: no set of p sites costs less."""
    c, cons, bounds = _programme(mdl)
    res = milp(c, constraints=cons, bounds=bounds)  # no integrality: an LP
    if res.status != 0 or res.fun is None:
        raise InputError(f"the relaxation has no solution ({res.message})")
    return float(res.fun)


def _gap(cost: float, bound: float | None) -> float | None:
    if bound is None or not np.isfinite(cost):
        return None
    if cost <= TOLERANCE:
        return 0.0
    return max(0.0, (cost - bound) / cost)


# --- heuristic ------------------------------------------------------------------------------


def greedy(mdl: Model) -> list[int]:
    """Required sites, then the site lowering the cost most, until p are open."""
    _, m = mdl.shape
    chosen = list(mdl.required)
    while len(chosen) < mdl.p:
        best, best_cost = -1, float("inf")
        for j in range(m):
            if j in chosen:
                continue
            cost = _partial_cost(mdl, [*chosen, j])
            if cost < best_cost - TOLERANCE:
                best, best_cost = j, cost
        chosen.append(best if best >= 0 else next(j for j in range(m) if j not in chosen))
    return sorted(chosen)


def _partial_cost(mdl: Model, sites: list[int]) -> float:
    """Cost of a partial set while building greedily (capacities relaxed until p are open)."""
    idx = np.asarray(sites, dtype=np.int64)
    served = mdl.distance[:, idx].min(axis=1)
    return float((mdl.weights * served).sum() + mdl.open_cost[idx].sum())


def interchange(mdl: Model, sites: list[int], *, max_passes: int = 100
                ) -> tuple[list[int], float, int]:
    """Teitz-Bart vertex substitution: best improving swap per pass until none improves.
    Uncapacitated swaps are priced all at once from each point's nearest and second
    nearest open site; capacitated ones by solving the assignment of each trial set."""
    current = sorted(sites)
    cost, _ = evaluate(mdl, current)
    passes = 0
    while passes < max_passes:
        passes += 1
        best = _best_swap(mdl, current) if mdl.capacities is None else _best_swap_lp(mdl, current)
        if best is None or best[0] >= cost - TOLERANCE * max(1.0, abs(cost)):
            break
        cost, current = best
    return current, cost, passes


def _best_swap(mdl: Model, current: list[int]) -> tuple[float, list[int]] | None:
    """The cheapest set reachable by one swap (uncapacitated), vectorised over the closed
    sites: moving out r leaves each point its nearest other open site, and the site
    coming in serves the points it is nearer to."""
    _, m = mdl.shape
    d, w, f = mdl.distance, mdl.weights, mdl.open_cost
    idx = np.asarray(current, dtype=np.int64)
    if len(idx) == 1:
        first, second = d[:, idx[0]], np.full(d.shape[0], np.inf)
        nearest = np.zeros(d.shape[0], dtype=np.int64)
    else:
        order = np.argsort(d[:, idx], axis=1)[:, :2]
        rows = np.arange(d.shape[0])
        first, second = d[rows, idx[order[:, 0]]], d[rows, idx[order[:, 1]]]
        nearest = order[:, 0]
    closed = np.setdiff1d(np.arange(m), idx)
    if closed.size == 0:
        return None
    fixed_cost = float(f[idx].sum())
    best: tuple[float, list[int]] | None = None
    for pos, out in enumerate(idx):
        if int(out) in mdl.required:
            continue
        base = np.where(nearest == pos, second, first)  # without `out`
        trial = (w[:, None] * np.minimum(d[:, closed], base[:, None])).sum(axis=0)
        trial += fixed_cost - f[out] + f[closed]
        k = int(np.argmin(trial))
        if best is None or trial[k] < best[0]:
            swapped = sorted([*(int(j) for j in idx if j != out), int(closed[k])])
            best = (float(trial[k]), swapped)
    return best


def _best_swap_lp(mdl: Model, current: list[int]) -> tuple[float, list[int]] | None:
    _, m = mdl.shape
    best: tuple[float, list[int]] | None = None
    closed = [j for j in range(m) if j not in current]
    for out in (j for j in current if j not in mdl.required):
        for into in closed:
            trial = sorted([*(j for j in current if j != out), into])
            trial_cost, _ = evaluate(mdl, trial)
            if best is None or trial_cost < best[0]:
                best = (trial_cost, trial)
    return best


def solve_heuristic(mdl: Model, *, bound: bool = True) -> Solution:
    """Greedy + interchange, with the LP bound and gap (unless too large or `bound=False`)."""
    n, m = mdl.shape
    started = time.perf_counter()
    start = greedy(mdl)
    sites, cost, passes = interchange(mdl, start)
    if not np.isfinite(cost):
        raise InputError(f"the heuristic found no feasible set of {mdl.p} sites",
                         hint="raise the capacities or p")
    _, x = evaluate(mdl, sites)
    seconds = time.perf_counter() - started
    lower = lp_bound(mdl) if bound and n * m <= LP_LIMIT else None
    gap = _gap(cost, lower)
    proved = gap is not None and gap <= 1e-9
    return Solution(tuple(sites), x, cost, lower, gap, "heuristic", proved,
                    {"seconds": seconds, "greedy": start, "passes": passes,
                     "variables": n * m + m})


def solve(distance: ArrayLike, weights: ArrayLike, p: int, *,
          capacities: ArrayLike | None = None, required: Sequence[int] = (),
          open_cost: ArrayLike | None = None, method: str = "auto",
          exact_limit: int = EXACT_LIMIT, time_limit: float = 30.0) -> Solution:
    """Open p of the candidate sites (columns of `distance`) to serve the weighted demand
    points (rows) at the least weighted distance. `method`: auto, exact or heuristic."""
    mdl = model(distance, weights, p, capacities=capacities, required=required,
                open_cost=open_cost)
    if method not in ("auto", "exact", "heuristic"):
        raise InputError(f"unknown method {method!r}", hint="auto, exact or heuristic")
    n, m = mdl.shape
    if mdl.p == m:  # every candidate open: nothing to choose
        cost, x = evaluate(mdl, range(m))
        if not np.isfinite(cost):
            raise InputError("the candidate sites cannot serve the demand within capacity")
        return Solution(tuple(range(m)), x, cost, cost, 0.0, "all_open", True)
    if method == "exact" or (method == "auto" and n * m <= exact_limit):
        return solve_exact(mdl, time_limit=time_limit)
    return solve_heuristic(mdl)


def brute_force(distance: ArrayLike, weights: ArrayLike, p: int, *,
                capacities: ArrayLike | None = None, required: Sequence[int] = (),
                open_cost: ArrayLike | None = None) -> Solution:
    """Every set of p sites tried (small cases only: tests)."""
    mdl = model(distance, weights, p, capacities=capacities, required=required,
                open_cost=open_cost)
    _, m = mdl.shape
    free = [j for j in range(m) if j not in mdl.required]
    best: tuple[float, tuple[int, ...]] | None = None
    for combo in itertools.combinations(free, mdl.p - len(mdl.required)):
        sites = tuple(sorted((*mdl.required, *combo)))
        cost, _ = evaluate(mdl, sites)
        if best is None or cost < best[0] - TOLERANCE:
            best = (cost, sites)
    assert best is not None
    cost, x = evaluate(mdl, best[1])
    return Solution(best[1], x, cost, cost, 0.0, "brute_force", True)


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> Array:
    """Great-circle distances in km (mean Earth radius 6,371.0088 km), broadcast: pass
    column and row vectors for a matrix."""
    radius = 6371.0088
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * radius * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=float)
