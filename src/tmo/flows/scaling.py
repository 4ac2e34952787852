"""Biproportional scaling by Newton's method: the table IPF converges to, in a few steps.

IPF looks for row and column factors `r`, `c` with `fitted = diag(r) · seed · diag(c)`
meeting row totals `R` and column totals `C`. The same factors minimise the convex
function

    f(x, y) = Σ_ij seed_ij · exp(x_i + y_j) − Σ_i R_i x_i − Σ_j C_j y_j

(x = log r, y = log c), whose gradient is the margin errors `(rowsum − R, colsum − C)`
and whose Hessian is `[[diag(rowsum), F], [Fᵀ, diag(colsum)]]` with `F` the fitted
table (Idel 2016, "A review of matrix scaling and Sinkhorn's normal form for matrices
and positive maps", arXiv:1609.06349, section 3.5; the scaled table is unique where it
exists). Newton's method on it (as in Brauer, Clason, Lorenz & Wirth 2017, "A
Sinkhorn-Newton method for entropic optimal transport"), with a backtracking line search
on `f`, reaches the fit IPF tends to in a handful of steps where IPF creeps for
thousands of iterations (the store's closed rescale: 2,000-10,000 IPF iterations, or
200 and then 5-8 Newton steps: `tmo.flows.ipf` tries IPF first). Rows and columns with
a zero target keep a zero factor, as in IPF.

Newton's system has `rows + columns` unknowns and is solved densely, and every batch
element's table is held, so the method is used up to `MAX_SIZE` unknowns and `MAX_CELLS`
cells in the batch (a shared seed fitted for many birthplaces at once, as the
independence fit with a distance seed does, is otherwise never expanded). A batch element
that has not met its margins after `MAX_STEPS` steps, or whose smallest error has not
halved in `STALL_STEPS` (its margins cannot be met, or only in the limit), is left to
IPF, which fits it from the start exactly as it would have without this step
(`tmo.flows.ipf`; starting IPF from Newton's last point instead saves little: IMS 2020's
fits that cannot meet their margins stall after 2,000 iterations instead of 2,600, at a
different point).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_SIZE = 1200  # rows + columns: a dense solve of this size costs about one IPF run
MAX_CELLS = 20_000_000  # batch x rows x columns: a few working tables of 160 MB each
MAX_STEPS = 30
STALL_STEPS = 5
MAX_HALVINGS = 40
ARMIJO = 1e-4


@dataclass(frozen=True)
class NewtonFit:
    """Factors `r`, `c` and largest margin error `error` of every element at the last
    point Newton's method reached; `done` (B,) marks the elements that met their margins
    (the others are left to IPF)."""

    r: np.ndarray
    c: np.ndarray
    error: np.ndarray
    done: np.ndarray
    steps: int


def applies(seed: np.ndarray, batch: int = 1) -> bool:
    """Whether the dense Newton system of this table is small enough to solve, and the
    batch's working tables (`batch` of them, a shared seed included) small enough to hold."""
    n, m = seed.shape[-2], seed.shape[-1]
    return n + m <= MAX_SIZE and batch * n * m <= MAX_CELLS


def _table(seed: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.exp(x)[:, :, None] * seed * np.exp(y)[:, None, :]


def _objective(table: np.ndarray, x: np.ndarray, y: np.ndarray, rows: np.ndarray,
               cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f for each element, and the size of its rounding error."""
    parts = (table.sum((-2, -1)), (rows * x).sum(-1), (cols * y).sum(-1))
    value = parts[0] - parts[1] - parts[2]
    noise = 1e-13 * (np.abs(parts[0]) + np.abs(parts[1]) + np.abs(parts[2]))
    return value, noise


def _step(table: np.ndarray, grad: np.ndarray, live: np.ndarray) -> np.ndarray | None:
    """Newton's direction for every element. The Hessian `[[Dr, F], [Fᵀ, Dc]]` is solved
    through its Schur complement on the columns, `(Dc − Fᵀ Dr⁻¹ F) dy = −h + Fᵀ Dr⁻¹ g`,
    `dx = −Dr⁻¹ (g + F dy)`; rows and columns outside the fit (`~live`) stay put. Returns
    None when a system is singular."""
    n = table.shape[-2]
    g = np.where(live[:, :n], grad[:, :n], 0.0)
    h = np.where(live[:, n:], grad[:, n:], 0.0)
    fr, fc = table.sum(-1), table.sum(-2)
    inv_r = np.zeros_like(fr)
    np.divide(1.0, fr, out=inv_r, where=fr > 0)
    scaled = table * inv_r[:, :, None]  # Dr⁻¹ F
    schur = -np.matmul(np.swapaxes(table, -1, -2), scaled)
    live_c = live[:, n:] & (fc > 0)
    idx = np.arange(fc.shape[-1])
    schur[:, idx, idx] += np.where(live_c, fc, 1.0)
    # f does not change along (r·a, c/a): the Schur matrix is singular along the live
    # columns' ones; adding their outer product fixes that direction (any step along it
    # leaves the table as it is)
    e = live_c.astype(float)
    weight = fc.max(-1, initial=0.0) / np.maximum(e.sum(-1), 1.0)
    schur += weight[:, None, None] * e[:, :, None] * e[:, None, :]
    schur[:, idx, idx] *= 1.0 + 1e-12
    rhs = np.where(live_c, -h + np.matmul(g[:, None, :], scaled)[:, 0], 0.0)
    try:
        dy = np.linalg.solve(schur, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return None
    dx = -inv_r * (g + np.matmul(table, dy[..., None])[..., 0])
    return np.concatenate([dx, dy], -1)


def _line_search(s: np.ndarray, x: np.ndarray, y: np.ndarray, direction: np.ndarray, *,
                 grad: np.ndarray, table: np.ndarray, rows: np.ndarray, cols: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backtracking (Armijo) along Newton's direction, each element on its own: the step
    is halved until f falls enough. Returns the new point, its table and which elements
    found such a step."""
    n = x.shape[-1]
    dx, dy = direction[:, :n], direction[:, n:]
    f0, noise = _objective(table, x, y, rows, cols)
    slope = (grad * direction).sum(-1)
    t = np.ones(len(x))
    ok = np.zeros(len(x), dtype=bool)
    trial = np.empty_like(table)
    for _ in range(MAX_HALVINGS):
        p = np.nonzero(~ok)[0]
        xt, yt = x[p] + t[p, None] * dx[p], y[p] + t[p, None] * dy[p]
        trial[p] = _table(s[p], xt, yt)
        f1, _ = _objective(trial[p], xt, yt, rows[p], cols[p])
        ok[p] = np.isfinite(f1) & (f1 <= f0[p] + ARMIJO * t[p] * slope[p] + noise[p])
        if ok.all():
            break
        t[p] = np.where(ok[p], t[p], t[p] / 2)
    return x + t[:, None] * dx, y + t[:, None] * dy, trial, ok


def newton_scale(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, limit: np.ndarray,
                 max_steps: int = MAX_STEPS) -> NewtonFit:
    """Factors `r (B, n)`, `c (B, m)` fitting `seed (B, n, m)` (or a shared `(n, m)`) to
    `rows (B, n)` and `cols (B, m)` within `limit (B,)` (largest absolute margin error):
    `done` where Newton's method gets there in `max_steps` steps; elsewhere the last point
    it reached."""
    batch, n, m = rows.shape[0], rows.shape[-1], cols.shape[-1]
    live_r, live_c = rows > 0, cols > 0
    s = np.broadcast_to(seed, (batch, n, m)) * live_r[:, :, None] * live_c[:, None, :]
    live = np.concatenate([live_r, live_c], -1)
    x, y = np.zeros((batch, n)), np.zeros((batch, m))
    done = np.zeros(batch, dtype=bool)
    error = np.full(batch, np.inf)
    r_out, c_out = np.ones((batch, n)) * live_r, np.ones((batch, m)) * live_c
    ids = np.arange(batch)
    steps = 0
    history = np.zeros((batch, 0))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        table = _table(s, x, y)
        for steps in range(max_steps + 1):
            grad = np.concatenate([table.sum(-1) - rows, table.sum(-2) - cols], -1)
            err = np.abs(grad).max(-1)
            finished = err <= limit
            done[ids[finished]] = True
            good = np.isfinite(err)  # the last usable point of every element is kept
            error[ids[good]] = err[good]
            r_out[ids[good]] = np.exp(x[good]) * live_r[good]
            c_out[ids[good]] = np.exp(y[good]) * live_c[good]
            # an element whose smallest error has not halved over STALL_STEPS steps cannot
            # meet its margins (or only in the limit): IPF takes it from there (the error
            # of a Newton step may rise before it falls, so the best is compared)
            history = np.concatenate([history, err[:, None]], -1)
            stalled = (history[:, -STALL_STEPS:].min(-1)
                       > 0.5 * history[:, :-STALL_STEPS].min(-1)
                       if history.shape[-1] > STALL_STEPS else np.zeros(len(err), dtype=bool))
            keep = ~finished & np.isfinite(err) & ~stalled
            if not keep.any() or steps == max_steps:
                break
            ids, s, x, y, rows, cols, live, live_r, live_c, table, grad, limit, history = (
                a[keep] for a in (ids, s, x, y, rows, cols, live, live_r, live_c, table,
                                  grad, limit, history))
            direction = _step(table, grad, live)
            if direction is None:
                break
            x, y, table, ok = _line_search(s, x, y, direction, grad=grad, table=table,
                                           rows=rows, cols=cols)
            if not ok.all():  # no step lowers f: these elements are left to IPF
                keep = ok
                ids, s, x, y, rows, cols, live, live_r, live_c, table, limit, history = (
                    a[keep] for a in (ids, s, x, y, rows, cols, live, live_r, live_c, table,
                                      limit, history))
                if not len(ids):
                    break
    return NewtonFit(r_out, c_out, error, done, steps)
