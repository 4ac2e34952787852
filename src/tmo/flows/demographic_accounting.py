"""Demographic accounting (`da_min_open`, `da_min_closed`, `da_ind_closed`).

Stocks `S[..., k, i]` (k = birthplace, i = residence), births and deaths `(..., i)`.
The steps of docs/flows.md: (1) non-negative native-born, (2) global closure
(closed variants only), (3) births and deaths by birthplace × residence, (4) equal
totals by birthplace (closed: IPF rescale; open / open-dr: movers to and from
outside), then (5) the minimum-migration fit or (6) the independence fit. Data
problems met on the way (births above the native-born stock, rescaled columns) are
returned as findings, not raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tmo.errors import InputError
from tmo.findings import Finding
from tmo.flows.flow_tables import DenseFlows, LowRankFlows
from tmo.flows.ipf import IpfResult, ipf2, ipf3

MATCH_METHODS = ("closed", "open", "open-dr")
# step 4's IPF fits (row totals, column totals, seed) -> their results, in order: one after
# the other here; on a Dask cluster side by side (tmo.flows.cluster)
Rescale = Callable[[Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], float, int],
                   Sequence[IpfResult]]
MATCH_GLOBAL = ("before", "after")
BIRTH_METHODS = ("native", "proportion")


@dataclass(frozen=True)
class AdjustedStocks:
    """Stocks after steps 1-4, with equal totals by birthplace."""

    start: np.ndarray  # S1'' (..., k, i)
    end: np.ndarray  # S2''
    births: np.ndarray  # B (..., k, i)
    deaths: np.ndarray  # D (..., k, i)
    inflow: np.ndarray  # from outside the system, by (k, residence at end)
    outflow: np.ndarray  # to outside the system, by (k, residence at start)
    closure: np.ndarray  # global gap Σ(b − d) − (ΣS2 − ΣS1) per batch element
    rescale: tuple[IpfResult, ...] = ()
    findings: tuple[Finding, ...] = field(default=())


def _where(index: tuple[int, ...], labels: Sequence) -> str:
    # plain ints: indices from np.argwhere are numpy integers, whose repr is np.int64(…)
    batch, region = tuple(int(i) for i in index[:-1]), labels[int(index[-1])]
    return f"{region}" + (f" (batch index {batch})" if batch else "")


def _finding(check: str, index: tuple[int, ...], labels: Sequence, message: str) -> Finding:
    return Finding(check, "warning", "tmo.flows", _where(index, labels), message)


def _scale_columns(x: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Columns of `x (..., k, i)` scaled to totals `targets (..., i)` (0 if a column is 0)."""
    col = x.sum(-2)
    factor = np.zeros(np.broadcast_shapes(col.shape, np.shape(targets)))
    np.divide(targets, col, out=factor, where=col > 0)
    return x * factor[..., None, :]


def _scale_rows(x: np.ndarray, targets: np.ndarray) -> np.ndarray:
    row = x.sum(-1)
    factor = np.zeros(np.broadcast_shapes(row.shape, np.shape(targets)))
    np.divide(targets, row, out=factor, where=row > 0)
    return x * factor[..., :, None]


def native_born_non_negative(
    stock: np.ndarray, labels: Sequence, name: str
) -> tuple[np.ndarray, list[Finding]]:
    """Step 1: a column with a negative native-born cell becomes its positive part
    rescaled to the column total (more foreign-born than people: conflicting sources)."""
    bad = np.diagonal(stock, axis1=-2, axis2=-1) < 0
    if not bad.any():
        return stock, []
    totals = stock.sum(-2)
    if (totals[bad] < 0).any():
        where = _where(tuple(np.argwhere(bad & (totals < 0))[0]), labels)
        raise InputError(f"{name}: the population of {where} is negative")
    fixed = _scale_columns(np.maximum(stock, 0.0), totals)
    out = np.where(bad[..., None, :], fixed, stock)
    findings = [
        _finding("negative_native_born", tuple(i), labels,
                 f"{name}: more foreign-born than people; foreign-born scaled down so that "
                 "the native-born are zero")
        for i in np.argwhere(bad)
    ]
    return out, findings


def close_globally(
    start: np.ndarray, end: np.ndarray, natural_growth: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 2: move `dd = natural_growth − (ΣS2 − ΣS1)` into the native-born, half
    subtracted from the start diagonal and half added to the end diagonal, each in
    proportion to the diagonal. Deterministic (migest rounds to integers at random)."""
    dd = natural_growth - (end.sum((-2, -1)) - start.sum((-2, -1)))
    diag1 = np.diagonal(start, axis1=-2, axis2=-1)
    diag2 = np.diagonal(end, axis1=-2, axis2=-1)
    tot1, tot2 = diag1.sum(-1), diag2.sum(-1)
    if np.any((dd != 0) & ((tot1 <= 0) | (tot2 <= 0))):
        raise InputError("cannot close the global population: the native-born total is zero")
    if np.any((tot1 - dd / 2 < 0) | (tot2 + dd / 2 < 0)):
        gap = float(np.max(np.abs(dd)))
        raise InputError(
            f"stock change and births minus deaths differ by {gap:.6g}, more than twice "
            "the native-born population: check the births, deaths and stocks"
        )
    f1 = np.ones_like(tot1)
    f2 = np.ones_like(tot2)
    np.divide(tot1 - dd / 2, tot1, out=f1, where=tot1 > 0)
    np.divide(tot2 + dd / 2, tot2, out=f2, where=tot2 > 0)
    n = start.shape[-1]
    idx = np.arange(n)
    start, end = start.copy(), end.copy()
    start[..., idx, idx] = diag1 * f1[..., None]
    end[..., idx, idx] = diag2 * f2[..., None]
    return start, end, dd


def birth_matrix(
    births: np.ndarray,
    end: np.ndarray,
    labels: Sequence,
    *,
    method: str = "native",
    non_negative: bool = True,
) -> tuple[np.ndarray, list[Finding]]:
    """Step 3a: births by (birthplace, residence). `native`: all in the native-born
    cell; where the native-born stock at the end is below the births (and
    `non_negative`), that column's births are spread in proportion to `S2[:, i]`.
    `proportion`: every column spread in proportion to `S2[:, i]`."""
    n = end.shape[-1]
    native = births[..., None, :] * np.eye(n)
    spread = _scale_columns(end, births)
    if method == "proportion":
        spread_cols = np.ones(births.shape, dtype=bool)
    else:
        too_many = np.diagonal(end, axis1=-2, axis2=-1) < births
        spread_cols = too_many if non_negative else np.zeros(births.shape, dtype=bool)
    unplaced = spread_cols & (births > 0) & (end.sum(-2) <= 0)
    if unplaced.any():
        where = _where(tuple(np.argwhere(unplaced)[0]), labels)
        raise InputError(f"births in {where} but nobody lives there at the end of the period")
    findings = []
    if method == "native":
        findings = [
            _finding("births_exceed_native_born", tuple(i), labels,
                     "more births than native-born at the end of the period; births "
                     "spread over birthplaces in proportion to the end stocks")
            for i in np.argwhere(spread_cols)
        ]
    return np.where(spread_cols[..., None, :], spread, native), findings


def death_matrix(deaths: np.ndarray, start: np.ndarray, labels: Sequence) -> np.ndarray:
    """Step 3b: deaths in proportion to the start stocks of each residence column."""
    pop = start.sum(-2)
    excess = deaths > pop * (1 + 1e-12)
    if excess.any():
        index = tuple(np.argwhere(excess)[0])
        raise InputError(
            f"deaths in {_where(index, labels)} ({float(deaths[index])!r}) exceed the "
            f"population at the start of the period ({float(pop[index])!r})"
        )
    return _scale_columns(start, deaths)


def match_birthplace_totals(
    start: np.ndarray,
    end: np.ndarray,
    *,
    method: str = "closed",
    tol: float = 1e-10,
    max_iter: int = 10_000,
    rescale: Rescale | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[IpfResult, ...]]:
    """Step 4: equal totals by birthplace. Returns (S1'', S2'', inflow, outflow, fits).

    closed: IPF of S1' to rows `rowsum(S1') − dd/2` and its own columns, of S2' to
    `rowsum(S2') + dd/2`, with `dd = rowsum(S1') − rowsum(S2')`. open: movers from
    outside shaped like the start table, to outside like the end table; open-dr:
    the other way round (Abel 2013), as migest does. `rescale` runs the two closed fits
    (default: `ipf2`, one after the other).
    """
    dd = start.sum(-1) - end.sum(-1)
    zeros = np.zeros_like(start)
    if method == "closed":
        problems = [(start.sum(-1) - dd / 2, start.sum(-2), start),
                    (end.sum(-1) + dd / 2, end.sum(-2), end)]
        fit1, fit2 = (rescale or _rescale)(problems, tol, max_iter)
        return fit1.fitted, fit2.fitted, zeros, zeros, (fit1, fit2)
    inflow_shape, outflow_shape = (start, end) if method == "open" else (end, start)
    inflow = _scale_rows(inflow_shape, np.maximum(-dd, 0.0))
    outflow = _scale_rows(outflow_shape, np.maximum(dd, 0.0))
    return start - outflow, end - inflow, inflow, outflow, ()


def _rescale(problems: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], tol: float,
             max_iter: int) -> list[IpfResult]:
    return [ipf2(*problem, tol=tol, max_iter=max_iter) for problem in problems]


def adjust_stocks(
    start: np.ndarray,
    end: np.ndarray,
    births: np.ndarray,
    deaths: np.ndarray,
    labels: Sequence,
    *,
    match: str = "closed",
    match_global: str = "before",
    birth_method: str = "native",
    birth_non_negative: bool = True,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    rescale: Rescale | None = None,
) -> AdjustedStocks:
    """Steps 1-4 of demographic accounting, vectorised over leading batch axes."""
    _check_choice("match", match, MATCH_METHODS)
    _check_choice("match_global", match_global, MATCH_GLOBAL)
    _check_choice("birth_method", birth_method, BIRTH_METHODS)
    s1, f1 = native_born_non_negative(start, labels, "stock_start")
    s2, f2 = native_born_non_negative(end, labels, "stock_end")
    findings = f1 + f2
    death_matrix(deaths, s1, labels)  # deaths above the start population raise first
    closed = match == "closed"
    closure = births.sum(-1) - deaths.sum(-1) - (s2.sum((-2, -1)) - s1.sum((-2, -1)))
    if closed and match_global == "before":
        s1, s2, closure = close_globally(s1, s2, births.sum(-1) - deaths.sum(-1))
    b_mat, fb = birth_matrix(births, s2, labels, method=birth_method,
                             non_negative=birth_non_negative)
    findings += fb
    d_mat = death_matrix(deaths, s1, labels)
    s1, s2 = s1 - d_mat, s2 - b_mat
    if closed and match_global == "after":
        s1, s2, closure = close_globally(s1, s2, np.zeros(s1.shape[:-2]))
    s1, s2, inflow, outflow, fits = match_birthplace_totals(
        s1, s2, method=match, tol=tol, max_iter=max_iter, rescale=rescale)
    return AdjustedStocks(s1, s2, b_mat, d_mat, inflow, outflow, closure, fits, tuple(findings))


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InputError(f"{name} must be one of {choices}, got {value!r}")


def _balanced_end(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """End table with rows scaled to the start row totals (removes rounding gaps)."""
    return _scale_rows(end, start.sum(-1))


def minimum_migration(start: np.ndarray, end: np.ndarray) -> LowRankFlows:
    """Step 5: stayers as large as possible, movers by the closed-form IPF.

    `stay = min(S1'', S2'')`, `x0[i, k] = S1''[k, i] − stay`, `x1[j, k] = S2''[k, j] − stay`
    (rescaled to the same total `T_k`), `F[i, j, k] = x0[i, k] · x1[j, k] / T_k`."""
    stay = np.minimum(start, end)
    x0 = start - stay
    x1 = _balanced_end(x0, end - stay)
    t = x0.sum(-1)
    inv_t = np.zeros_like(t)
    np.divide(1.0, t, out=inv_t, where=t != 0)
    u = np.swapaxes(x0 * inv_t[..., :, None], -1, -2)  # (..., i, k)
    v = np.swapaxes(x1, -1, -2)  # (..., j, k)
    return LowRankFlows(((u, v),), stay)


def independence(start: np.ndarray, end: np.ndarray) -> LowRankFlows:
    """Step 6 with a unit seed: `F[i, j, k] = S1''[k, i] · S2''[k, j] / rowsum(S1'')_k`."""
    n_k = start.sum(-1)
    inv = np.zeros_like(n_k)
    np.divide(1.0, n_k, out=inv, where=n_k != 0)
    u = np.swapaxes(start * inv[..., :, None], -1, -2)
    v = np.swapaxes(_balanced_end(start, end), -1, -2)
    return LowRankFlows(((u, v),), np.zeros_like(start))


def independence_seeded(
    start: np.ndarray,
    end: np.ndarray,
    seed: np.ndarray,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
) -> tuple[DenseFlows, IpfResult]:
    """Step 6 with a user seed `(i, j)` or `(..., i, j, k)` (e.g. inverse distance): IPF."""
    fit = ipf3(np.swapaxes(start, -1, -2), np.swapaxes(_balanced_end(start, end), -1, -2),
               seed, tol=tol, max_iter=max_iter)
    return DenseFlows(fit.fitted), fit
