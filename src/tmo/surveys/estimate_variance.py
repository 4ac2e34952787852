"""Variance kernels: Taylor linearisation over strata and PSUs, and replicate weights.

Pure functions over arrays (docs/surveys.md gives the formulas and their sources).

Taylor: for an estimator whose linearised values (influence scores) are z_i, the PSU
totals z_hi = Σ_{k in PSU hi} z_k give

    v = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)²

with n_h PSUs in stratum h, f_h = n_h/N_h when a finite population correction is
given and 0 otherwise (PSUs drawn with replacement; Wolter 2007, 6.11; Lohr 2022, 9.1).

Replicates: v = scale · Σ_r rscale_r · (θ̂_r − θ̂)².
"""

from __future__ import annotations

import numpy as np

from tmo.errors import InputError
from tmo.surveys.design import LonelyPsu


def psu_totals(scores: np.ndarray, psu: np.ndarray, n_psu: int) -> np.ndarray:
    """Σ of `scores` (n,) or (n, k) within each PSU code 0..n_psu−1."""
    if scores.ndim == 1:
        return np.bincount(psu, weights=scores, minlength=n_psu)
    return np.column_stack([np.bincount(psu, weights=scores[:, j], minlength=n_psu)
                            for j in range(scores.shape[1])])


def taylor_variance(scores: np.ndarray, strata: np.ndarray, psu: np.ndarray,
                    fpc: np.ndarray | None = None, lonely_psu: LonelyPsu = "fail") -> float:
    """The with-replacement (ultimate cluster) variance of a linearised statistic.

    `scores` are the unit-level linearised values (already weighted); `strata` and `psu`
    integer codes with PSU codes unique across strata; `fpc` N_h per unit or None.
    """
    n_psu = int(psu.max()) + 1
    totals = psu_totals(scores, psu, n_psu)
    # the stratum of each PSU (PSUs are nested, so any unit of the PSU tells)
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu] = strata
    present = np.bincount(psu, minlength=n_psu) > 0
    totals, psu_stratum = totals[present], psu_stratum[present]
    n_h = np.bincount(psu_stratum)
    lonely = np.flatnonzero(n_h == 1)
    if len(lonely) and lonely_psu == "fail":
        raise InputError(f"{len(lonely)} stratum/strata with a single PSU (stratum codes "
                         f"{', '.join(map(str, lonely[:5].tolist()))}): the variance within "
                         "them cannot be estimated",
                         hint="choose a lonely-PSU policy (adjust, remove, certainty) or "
                              "collapse strata")
    sums = np.bincount(psu_stratum, weights=totals)
    means = np.divide(sums, n_h, out=np.zeros_like(sums), where=n_h > 0)
    centre = means[psu_stratum]
    if len(lonely) and lonely_psu == "adjust":
        grand = totals.sum() / len(totals)
        centre = np.where(n_h[psu_stratum] == 1, grand, centre)
    dev2 = (totals - centre) ** 2
    per_stratum = np.bincount(psu_stratum, weights=dev2, minlength=len(n_h))
    factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 1.0)
    if lonely_psu == "remove":
        factor = np.where(n_h == 1, 0.0, factor)
    if fpc is not None:
        big_n = np.zeros(len(n_h))
        big_n[strata] = fpc
        factor = factor * (1.0 - np.divide(n_h, big_n, out=np.zeros(len(n_h)),
                                           where=big_n > 0))
    return float(np.sum(factor * per_stratum))


def certainty_psus(strata: np.ndarray, psu: np.ndarray) -> np.ndarray:
    """PSU codes where each lonely PSU's units become PSUs of their stratum (certainty)."""
    n_psu_in = np.array([len(np.unique(psu[strata == h])) for h in range(strata.max() + 1)])
    lonely_units = n_psu_in[strata] == 1
    out = psu.astype(np.int64).copy()
    next_code = int(psu.max()) + 1
    idx = np.flatnonzero(lonely_units)
    out[idx] = next_code + np.arange(len(idx))
    codes = np.unique(out, return_inverse=True)[1]
    return codes.astype(np.int64)


def replicate_variance(estimates: np.ndarray, full: float, scale: float,
                       rscales: np.ndarray) -> float:
    """scale · Σ_r rscales[r] · (estimates[r] − full)²; NaN when the full estimate or any
    replicate's is undefined (a domain that a replicate leaves empty has no variance)."""
    if not np.isfinite(full) or not np.all(np.isfinite(estimates)):
        return float("nan")
    return float(scale * np.sum(rscales * (estimates - full) ** 2))
