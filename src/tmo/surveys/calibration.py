"""Weight calibration by raking (iterative proportional fitting to margins).

Raking adjusts the weights so that the weighted count of respondents in every category of
every margin (sex, age group, region) equals the population total that a census or the
UN World Population Prospects publishes. One pass multiplies the weights of each
category of the first margin by target/achieved, then of the second, and so on; passes
repeat until every margin is met within the tolerance (Deming and Stephan 1940; Deville,
Särndal and Sautory 1993 show it is the calibration estimator for the multiplicative
distance). When the margins' grand totals disagree, or a category has no respondent,
the margins cannot all be met: that is refused up front, naming the margin.

`rake` is the pure kernel over category codes; `rake_design` applies it to a `Design`'s
full-sample weights and to each replicate weight column (so replicate standard errors
carry the calibration, Valliant 1993), and raises `ConvergenceError` with its
diagnostics rather than return weights that miss a margin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tmo.errors import ConvergenceError, InputError
from tmo.surveys.design import Design, cell_text, row_number

TOLERANCE = 1e-9      # largest relative gap |achieved − target| / target accepted
MAX_ITERATIONS = 500


@dataclass(frozen=True)
class Margin:
    """Population totals of one variable's categories (compared as text) and where they
    come from (a file and its rows, or the store's rows: `Source.cite()`)."""

    column: str
    totals: Mapping[str, float]
    source: str = ""


@dataclass(frozen=True)
class RakeResult:
    """Raked weights and how the fit went (never returned silently unconverged)."""

    weights: np.ndarray
    converged: bool
    iterations: int
    max_gap: float                 # largest relative gap over every margin's categories
    factor_range: tuple[float, float]  # smallest and largest new/old weight ratio


def rake(weights: np.ndarray, codes: Sequence[np.ndarray], targets: Sequence[np.ndarray],
         *, tolerance: float = TOLERANCE, max_iterations: int = MAX_ITERATIONS,
         names: Sequence[tuple[str, Sequence[str]]] = ()) -> RakeResult:
    """Rake `weights` (n,) so that for every margin m and category k,
    Σ_{i: codes[m][i] = k} w_i = targets[m][k].

    `codes[m]` are integer category codes 0..K_m−1 per unit; `targets[m]` the K_m
    population totals. Inputs are checked: every category must have a respondent with a
    positive weight and every margin the same grand total (to 1e-6 relative). `names`
    (each margin's column and categories) make the messages name what is wrong.
    """
    w0 = np.asarray(weights, dtype=float)
    _check(w0, codes, targets, names)
    w = w0.copy()
    gap, iterations = np.inf, 0
    while iterations < max_iterations:
        iterations += 1
        for c, t in zip(codes, targets, strict=True):
            achieved = np.bincount(c, weights=w, minlength=len(t))
            w *= (t / achieved)[c]
        gap = _gap(w, codes, targets)
        if gap <= tolerance:
            break
    positive = w0 > 0
    ratios = w[positive] / w0[positive]
    return RakeResult(w, bool(gap <= tolerance), iterations, float(gap),
                      (float(ratios.min()), float(ratios.max())))


def _gap(w: np.ndarray, codes: Sequence[np.ndarray], targets: Sequence[np.ndarray]) -> float:
    worst = 0.0
    for c, t in zip(codes, targets, strict=True):
        achieved = np.bincount(c, weights=w, minlength=len(t))
        worst = max(worst, float(np.max(np.abs(achieved - t) / t)))
    return worst


def _check(w: np.ndarray, codes: Sequence[np.ndarray], targets: Sequence[np.ndarray],
           names: Sequence[tuple[str, Sequence[str]]]) -> None:
    if len(codes) != len(targets) or not codes:
        raise InputError("raking needs at least one margin, with one target per category")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise InputError("raking needs finite, non-negative weights")
    grand = None
    for m, (c, given) in enumerate(zip(codes, targets, strict=True)):
        t = np.asarray(given, dtype=float)
        if np.any(~np.isfinite(t)) or np.any(t <= 0):
            raise InputError(f"margin {m + 1}: every population total must be positive")
        if len(c) != len(w) or (len(c) and (c.min() < 0 or c.max() >= len(t))):
            raise InputError(f"margin {m + 1}: category codes do not match its totals")
        held = np.bincount(c, weights=(w > 0).astype(float), minlength=len(t))
        if np.any(held == 0):
            k = int(np.flatnonzero(held == 0)[0])
            what = (f"margin {names[m][0]!r}: category {names[m][1][k]!r}" if names
                    else f"margin {m + 1}: category {k}")
            raise InputError(f"{what} has no respondent with a positive weight, so its "
                             "total cannot be met",
                             hint="collapse it with a neighbouring category")
        if grand is not None and abs(t.sum() - grand) > 1e-6 * grand:
            raise InputError(f"margin {m + 1} adds up to {t.sum():,.0f}, margin 1 to "
                             f"{grand:,.0f}: margins of one population must agree",
                             hint="take every margin from the same source and year")
        grand = float(t.sum()) if grand is None else grand


def rake_design(design: Design, margins: Sequence[Margin], *, tolerance: float = TOLERANCE,
                max_iterations: int = MAX_ITERATIONS) -> tuple[Design, RakeResult]:
    """`design` with its weights (and each replicate column) raked to `margins`.

    Each respondent's category is read from the margin's column as text; a respondent
    whose category is empty or absent from the margin is refused, naming the file, row
    and column. Raises `ConvergenceError` if the full-sample weights do not converge.
    """
    codes, targets = [], []
    for margin in margins:
        c, t = _margin_codes(design, margin)
        codes.append(c)
        targets.append(t)
    names = [(m.column, [cell_text(k) for k in m.totals]) for m in margins]
    result = rake(design.weights, codes, targets, tolerance=tolerance,
                  max_iterations=max_iterations, names=names)
    if not result.converged:
        raise ConvergenceError(
            f"raking stopped after {result.iterations} passes with a gap of "
            f"{result.max_gap:.2e} to the margins", hint="check that the margins describe "
            "the same population; collapse categories with few respondents")
    reps = None
    if design.replicates is not None:
        columns = []
        for r in range(design.replicates.count):
            try:
                col = rake(design.replicates.weights[:, r], codes, targets,
                           tolerance=tolerance, max_iterations=max_iterations, names=names)
            except InputError as exc:
                raise InputError(f"replicate weight {r + 1}: {exc}", hint=exc.hint) from exc
            columns.append(col.weights)
        reps = np.column_stack(columns)
    return design.with_weights(result.weights, reps), result


def _margin_codes(design: Design, margin: Margin) -> tuple[np.ndarray, np.ndarray]:
    if margin.column not in design.data.columns:
        raise InputError(f"{design.source}: no column {margin.column!r} for the margin "
                         f"{margin.source or margin.column}")
    raw = design.data[margin.column]
    text = raw.map(cell_text, na_action="ignore")
    keys = [cell_text(k) for k in margin.totals]
    lookup = {k: i for i, k in enumerate(keys)}
    codes = text.map(lookup)
    unknown = np.flatnonzero(codes.isna().to_numpy())
    if len(unknown):
        i = int(unknown[0])
        shown = "empty" if pd.isna(raw.iloc[i]) else repr(text.iloc[i])
        raise InputError(f"{design.source}: row {row_number(i)}, column {margin.column!r}: "
                         f"{shown} is not a category of the margin ({', '.join(keys)})",
                         hint=f"{len(unknown)} row(s) affected; recode them or add the "
                              "category to the margin")
    return (codes.to_numpy(dtype=np.int64),
            np.array([float(margin.totals[k]) for k in margin.totals]))
