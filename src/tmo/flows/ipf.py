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
  at most `tol`; at the iteration limit it stops with `converged=False`. It never
  raises for that: the caller decides (`tmo.flows.estimate` raises unless
  `allow_nonconvergence=True`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tmo.errors import ConvergenceError, InputError

TOTALS_RTOL = 1e-8


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


def _margin_errors(x: np.ndarray, rows: np.ndarray | None, cols: np.ndarray | None) -> np.ndarray:
    """Largest absolute margin error per batch element."""
    err = np.zeros(x.shape[:-2])
    if rows is not None:
        err = np.maximum(err, np.abs(x.sum(-1) - rows).max(-1, initial=0.0))
    if cols is not None:
        err = np.maximum(err, np.abs(x.sum(-2) - cols).max(-1, initial=0.0))
    return err


def ipf2(
    row_totals: np.ndarray | None = None,
    col_totals: np.ndarray | None = None,
    seed: np.ndarray | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
) -> IpfResult:
    """Fit `seed` (default 1 everywhere) to row and/or column totals.

    Shapes: `row_totals (..., r)`, `col_totals (..., c)`, `seed (..., r, c)`; leading
    axes broadcast. Converged means the largest margin error of every batch element
    is at most `tol` times that element's total (or `tol` when the total is below 1).
    """
    if row_totals is None and col_totals is None:
        raise InputError("ipf2 needs row_totals, col_totals or both")
    rows = None if row_totals is None else np.asarray(row_totals, dtype=float)
    cols = None if col_totals is None else np.asarray(col_totals, dtype=float)
    for name, totals in (("row totals", rows), ("column totals", cols)):
        if totals is not None:
            _check_totals(name, totals)
    if seed is None:
        r = rows.shape[-1] if rows is not None else 1
        c = cols.shape[-1] if cols is not None else 1
        if rows is None or cols is None:
            raise InputError("ipf2 with one margin needs a seed for the shape of the other axis")
        seed = np.ones((r, c))
    seed = np.asarray(seed, dtype=float)
    _check_seed(seed)
    batch = seed.shape[:-2]
    if rows is not None:
        batch = np.broadcast_shapes(batch, rows.shape[:-1])
    if cols is not None:
        batch = np.broadcast_shapes(batch, cols.shape[:-1])
    x = np.array(np.broadcast_to(seed, batch + seed.shape[-2:]), dtype=float)
    if rows is not None:
        rows = np.broadcast_to(rows, batch + (x.shape[-2],))
        _check_reachable("row", rows, x.sum(-1))
    if cols is not None:
        cols = np.broadcast_to(cols, batch + (x.shape[-1],))
        _check_reachable("column", cols, x.sum(-2))
    if rows is not None and cols is not None:
        _check_consistent(rows, cols)
    total = rows.sum(-1) if rows is not None else cols.sum(-1)
    limit = tol * np.maximum(total, 1.0)

    # Batch elements stop one by one (their factors become 1), so a batched fit gives
    # exactly the numbers of fitting each element on its own.
    iterations = 0
    err = _margin_errors(x, rows, cols)
    active = err > limit
    while active.any() and iterations < max_iter:
        iterations += 1
        if rows is not None:
            x *= np.where(active[..., None], _factor(rows, x.sum(-1)), 1.0)[..., :, None]
        if cols is not None:
            x *= np.where(active[..., None], _factor(cols, x.sum(-2)), 1.0)[..., None, :]
        err = _margin_errors(x, rows, cols)
        active &= err > limit
    converged = not active.any()
    return IpfResult(x, converged, iterations, float(np.max(err, initial=0.0)))


def ipf3(
    row_totals: np.ndarray,
    col_totals: np.ndarray,
    seed: np.ndarray | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
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
    result = ipf2(rows, cols, seed2, tol=tol, max_iter=max_iter)
    fitted = np.moveaxis(result.fitted, -3, -1)
    return IpfResult(fitted, result.converged, result.iterations, result.max_margin_error)
