"""Iterative proportional fitting (IPF) of two-way tables, batched over leading axes.

`ipf2` scales a seed `(..., r, c)` in turn to row totals `(..., r)` and column totals
`(..., c)`; `ipf3` fits a three-way array `(..., i, j, k)` to the margins `(i, k)` and
`(j, k)`, which is a separate two-way fit for every `k`.

Rules, as in the method specification (docs/flows.md):
- a scaling factor with a zero target or a zero current sum is 0;
- margin totals are checked before fitting: row and column totals that disagree,
  or a positive target on a row/column whose seed is all zero, raise
  `ConvergenceError` (migest switches silently to proportions instead);
- the loop stops when the largest margin error, relative to the table total, is
  at most `tol`; at the iteration limit, or when an element's error has stalled
  (fallen by less than 0.1 % over 200 iterations), it stops with `converged=False`. It never
  raises for that: the caller decides (`tmo.flows.estimate` raises unless
  `allow_nonconvergence=True`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tmo.errors import ConvergenceError, InputError
from tmo.flows import scaling

TOTALS_RTOL = 1e-8
# A fit that cannot meet its margins creeps towards a floor it never passes; it is stopped
# when its largest margin error falls by less than STALL_GAIN (relative) over
# STALL_WINDOW iterations, and reported as not converged.
STALL_WINDOW = 200
STALL_GAIN = 1e-3
# IPF iterations before the elements still short of their margins go to Newton's method
NEWTON_AFTER = 200


@dataclass(frozen=True)
class IpfResult:
    """The fitted table and how the fit went.

    `max_margin_error` is the largest absolute difference between a fitted margin and
    its target, over all margins and batch elements, in the units of the table.
    """

    fitted: np.ndarray
    converged: bool
    iterations: int
    max_margin_error: float


def _factor(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    """target / current, 0 where either is 0."""
    out = np.zeros(np.broadcast_shapes(target.shape, current.shape))
    np.divide(target, current, out=out, where=(current > 0) & (target > 0))
    return out


def _check_totals(name: str, totals: np.ndarray) -> None:
    if not np.isfinite(totals).all():
        raise InputError(f"IPF {name} have NaN or infinite values")
    if (totals < 0).any():
        raise InputError(f"IPF {name} are negative at index {np.argwhere(totals < 0)[0].tolist()}")


def _check_consistent(rows: np.ndarray, cols: np.ndarray) -> None:
    row_sum, col_sum = rows.sum(-1), cols.sum(-1)
    scale = np.maximum(np.maximum(np.abs(row_sum), np.abs(col_sum)), 1.0)
    bad = np.abs(row_sum - col_sum) > TOTALS_RTOL * scale
    if np.any(bad):
        where = np.argwhere(np.atleast_1d(bad))[0].tolist()
        r = float(np.atleast_1d(row_sum)[tuple(where)])
        c = float(np.atleast_1d(col_sum)[tuple(where)])
        raise ConvergenceError(
            f"margins cannot be met: row totals sum to {r!r} but column totals to {c!r}"
            + (f" (batch index {where})" if np.ndim(bad) else ""),
            hint="the two margins of an IPF must have the same grand total",
        )


def _check_reachable(name: str, target: np.ndarray, seed_sum: np.ndarray) -> None:
    bad = (target > 0) & (seed_sum <= 0)
    if bad.any():
        where = np.argwhere(bad)[0].tolist()
        raise ConvergenceError(
            f"margins cannot be met: {name} at index {where} has target "
            f"{float(target[tuple(where)])!r} but its seed is all zero"
        )


def _check_seed(seed: np.ndarray) -> None:
    if not np.isfinite(seed).all():
        raise InputError("IPF seed has NaN or infinite values")
    if (seed < 0).any():
        raise InputError(f"IPF seed is negative at index {np.argwhere(seed < 0)[0].tolist()}")


def _matvec(seed: np.ndarray, v: np.ndarray, *, transpose: bool = False) -> np.ndarray:
    """`Σ_j seed[b, i, j] v[b, j]` (or over i with `transpose`) for every batch element b.

    A shared two-way seed makes this one matrix-matrix product for the whole batch."""
    if seed.ndim == 2:
        return v @ (seed if transpose else seed.T)
    s = np.swapaxes(seed, -1, -2) if transpose else seed
    return np.matmul(s, v[..., :, None])[..., 0]


def _gap(fitted_margin: np.ndarray, target: np.ndarray | None) -> np.ndarray:
    if target is None:
        return np.zeros(fitted_margin.shape[0])
    return np.abs(fitted_margin - target).max(-1, initial=0.0)


def _iterate(
    seed: np.ndarray,
    rows: np.ndarray | None,
    cols: np.ndarray | None,
    limit: np.ndarray,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """IPF from factors 1: row and column factors `r (B, r)`, `c (B, c)` with fitted =
    r · seed · c.

    Scaling the rows of `diag(r) S diag(c)` to their targets sets `r = rows / (S c)`,
    and likewise for columns, so an iteration is two matrix-vector products and the
    table is only built at the end. Batch elements stop one by one; the working set is
    compacted as soon as one stops (converged or stalled), so finished elements cost no
    more products and a batched fit gives exactly the numbers of fitting each element
    alone.
    """
    n_batch = limit.shape[0]
    r_all = np.ones((n_batch, seed.shape[-2]))
    c_all = np.ones((n_batch, seed.shape[-1]))
    err_all = np.zeros(n_batch)
    ids = np.arange(n_batch)
    s, rows_w, cols_w, lim = seed, rows, cols, limit
    r, c = r_all[ids], c_all[ids]
    sc = _matvec(s, c)
    err = np.maximum(_gap(r * sc, rows_w), _gap(c * _matvec(s, r, transpose=True), cols_w))
    active = err > lim
    mark = err.copy()  # the errors STALL_WINDOW iterations ago
    iterations = 0
    # A fit that cannot meet its margins within tolerance (a target the seed can only
    # approach) drives some factors without bound: products overflow to inf, the next factor
    # of that element becomes 0, and so on. That outcome is judged by the margin errors
    # returned (`converged=False` and `max_margin_error`, which the callers report), so
    # numpy's overflow/invalid warnings inside the loop add nothing; the fitted table built
    # from the factors afterwards is not covered and still warns.
    with np.errstate(over="ignore", invalid="ignore"):
        while active.any() and iterations < max_iter:
            iterations += 1
            col_err = np.zeros_like(err)
            if rows_w is not None:
                r = np.where(active[:, None], _factor(rows_w, sc), r)
            if cols_w is not None:
                st = _matvec(s, r, transpose=True)
                c = np.where(active[:, None], _factor(cols_w, st), c)
                col_err = _gap(c * st, cols_w)
            sc = _matvec(s, c)
            err = np.where(active, np.maximum(_gap(r * sc, rows_w), col_err), err)
            active &= err > lim
            if iterations % STALL_WINDOW == 0:
                # an element whose largest margin error has not fallen by STALL_GAIN over
                # the window has stalled: it cannot meet its margins (converged=False)
                active &= ~(err >= (1.0 - STALL_GAIN) * mark)
                mark = err.copy()
            if not active.all():  # compact: finished elements cost nothing more
                r_all[ids], c_all[ids], err_all[ids] = r, c, err
                keep = active
                ids, r, c, sc, err, lim, active, mark = (
                    ids[keep], r[keep], c[keep], sc[keep], err[keep], lim[keep], active[keep],
                    mark[keep])
                s = s if s.ndim == 2 else s[keep]
                rows_w = None if rows_w is None else rows_w[keep]
                cols_w = None if cols_w is None else cols_w[keep]
    r_all[ids], c_all[ids], err_all[ids] = r, c, err
    return r_all, c_all, err_all, iterations




def _scale(
    seed: np.ndarray,
    rows: np.ndarray | None,
    cols: np.ndarray | None,
    limit: np.ndarray,
    max_iter: int,
    *,
    newton: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Row and column factors `r (B, r)`, `c (B, c)` with fitted = r · seed · c, and the
    iterations (IPF iterations, plus Newton steps for the elements Newton fitted).

    IPF first, for `NEWTON_AFTER` iterations: most fits converge in that, and then exactly
    as before. With both margins, the elements still short of their margins are fitted by
    Newton's method (`tmo.flows.scaling`: a few steps where IPF would take thousands);
    what Newton leaves (margins that cannot be met, or only in the limit) goes through IPF
    from the start, exactly as without it."""
    n_batch = limit.shape[0]
    if not (newton and rows is not None and cols is not None
            and scaling.applies(seed, n_batch) and max_iter > NEWTON_AFTER):
        return _iterate(seed, rows, cols, limit, max_iter)
    r, c, err, iterations = _iterate(seed, rows, cols, limit, NEWTON_AFTER)
    slow = np.nonzero(err > limit)[0]
    if not slow.size:
        return r, c, err, iterations

    def pick(index: np.ndarray) -> np.ndarray:
        return seed if seed.ndim == 2 else seed[index]

    fit = scaling.newton_scale(pick(slow), rows[slow], cols[slow], limit[slow])
    done, rest = slow[fit.done], slow[~fit.done]
    r[done], c[done], err[done] = fit.r[fit.done], fit.c[fit.done], fit.error[fit.done]
    if done.size:
        iterations = NEWTON_AFTER + fit.steps
    if rest.size:
        r[rest], c[rest], err[rest], again = _iterate(pick(rest), rows[rest], cols[rest],
                                                      limit[rest], max_iter)
        iterations = max(iterations, again)
    return r, c, err, iterations


def _margins(row_totals: np.ndarray | None, col_totals: np.ndarray | None
             ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """ipf2's margins as float arrays, checked; at least one must be given."""
    if row_totals is None and col_totals is None:
        raise InputError("ipf2 needs row_totals, col_totals or both")
    rows = None if row_totals is None else np.asarray(row_totals, dtype=float)
    cols = None if col_totals is None else np.asarray(col_totals, dtype=float)
    for name, totals in (("row totals", rows), ("column totals", cols)):
        if totals is not None:
            _check_totals(name, totals)
    return rows, cols


def _seed2(seed: np.ndarray | None, rows: np.ndarray | None, cols: np.ndarray | None
           ) -> np.ndarray:
    """ipf2's seed as a checked float array; 1 everywhere when not given (both margins
    are needed then, for its shape)."""
    if seed is None:
        if rows is None or cols is None:
            raise InputError("ipf2 with one margin needs a seed for the shape of the other axis")
        seed = np.ones((rows.shape[-1], cols.shape[-1]))
    seed = np.asarray(seed, dtype=float)
    _check_seed(seed)
    return seed


def _broadcast_margins(rows: np.ndarray | None, cols: np.ndarray | None, seed: np.ndarray
                       ) -> tuple[np.ndarray | None, np.ndarray | None,
                                  tuple[int, ...], tuple[int, ...]]:
    """The margins broadcast to the common batch shape, each checked reachable from the
    seed and, both given, consistent; with the batch shape and the seed's (r, c)."""
    batch = seed.shape[:-2]
    if rows is not None:
        batch = np.broadcast_shapes(batch, rows.shape[:-1])
    if cols is not None:
        batch = np.broadcast_shapes(batch, cols.shape[:-1])
    shape = seed.shape[-2:]
    if rows is not None:
        rows = np.broadcast_to(rows, batch + shape[:1])
        _check_reachable("row", rows, np.broadcast_to(seed.sum(-1), batch + shape[:1]))
    if cols is not None:
        cols = np.broadcast_to(cols, batch + shape[1:])
        _check_reachable("column", cols, np.broadcast_to(seed.sum(-2), batch + shape[1:]))
    if rows is not None and cols is not None:
        _check_consistent(rows, cols)
    return rows, cols, batch, shape


def ipf2(
    row_totals: np.ndarray | None = None,
    col_totals: np.ndarray | None = None,
    seed: np.ndarray | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    newton: bool = True,
) -> IpfResult:
    """Fit `seed` (default 1 everywhere) to row and/or column totals.

    Shapes: `row_totals (..., r)`, `col_totals (..., c)`, `seed (..., r, c)`; leading
    axes broadcast. Converged means the largest margin error of every batch element
    is at most `tol` times that element's total (or `tol` when the total is below 1).
    With both margins, elements IPF has not fitted in `NEWTON_AFTER` iterations are fitted
    by Newton's method (`tmo.flows.scaling`; `newton=False`: IPF iterations only);
    `iterations` then counts those IPF iterations plus the Newton steps.
    """
    rows, cols = _margins(row_totals, col_totals)
    seed = _seed2(seed, rows, cols)
    rows, cols, batch, shape = _broadcast_margins(rows, cols, seed)
    given = rows if rows is not None else cols
    assert given is not None  # _margins refuses a call without either margin
    limit = tol * np.maximum(given.sum(-1), 1.0)

    n_batch = int(np.prod(batch, dtype=int))
    flat_seed = seed if seed.ndim == 2 else np.broadcast_to(seed, batch + shape).reshape(
        (n_batch, *shape))
    r, c, err, iterations = _scale(
        flat_seed,
        None if rows is None else rows.reshape(n_batch, -1),
        None if cols is None else cols.reshape(n_batch, -1),
        limit.reshape(n_batch),
        max_iter,
        newton=newton,
    )
    fitted = r[:, :, None] * flat_seed * c[:, None, :]
    converged = bool(np.all(err <= limit.reshape(n_batch)))
    return IpfResult(fitted.reshape(batch + shape), converged, iterations,
                     float(np.max(err, initial=0.0)))


def ipf3(
    row_totals: np.ndarray,
    col_totals: np.ndarray,
    seed: np.ndarray | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    newton: bool = True,
) -> IpfResult:
    """Fit a three-way array `(..., i, j, k)` to margins `(..., i, k)` and `(..., j, k)`.

    `seed` is `(..., i, j, k)` or a two-way `(i, j)` seed used for every `k`
    (e.g. inverse distances); default 1 everywhere.
    """
    rows = np.swapaxes(np.asarray(row_totals, dtype=float), -1, -2)  # (..., k, i)
    cols = np.swapaxes(np.asarray(col_totals, dtype=float), -1, -2)  # (..., k, j)
    if seed is None:
        seed2 = np.ones(rows.shape[-1:] + cols.shape[-1:])
    else:
        seed = np.asarray(seed, dtype=float)
        seed2 = seed if seed.ndim == 2 else np.moveaxis(seed, -1, -3)  # (..., k, i, j)
    result = ipf2(rows, cols, seed2, tol=tol, max_iter=max_iter, newton=newton)
    fitted = np.moveaxis(result.fitted, -3, -1)
    return IpfResult(fitted, result.converged, result.iterations, result.max_margin_error)
