"""Replicate weights built from a design's strata and PSUs (pure kernels).

For surveys whose publisher ships no replicate weights, or to check the Taylor standard
errors against a replication method:

- `jkn`: the stratified delete-one-PSU jackknife: replicate (h, j) drops PSU j of stratum
  h and multiplies the weights of the stratum's other PSUs by n_h/(n_h − 1); rscale
  (n_h − 1)/n_h (Wolter 2007, 4.5; Rust and Rao 1996).
- `jk1`: the unstratified delete-one-PSU jackknife (one stratum), scale (R − 1)/R.
- `brr` / `fay`: balanced repeated replication for designs with exactly two PSUs per
  stratum: the rows of a Hadamard matrix of order R ≥ H (the smallest power of two
  above the number of strata, scipy's Sylvester construction; its first column, all
  ones, is not used) choose a half-sample in every stratum (McCarthy 1969); the chosen
  PSU's weights are multiplied by 2 − rho and the other's by rho (rho = 0 for BRR, Fay's
  0 < rho < 1: Judkins 1990).
- `bootstrap`: the Rao–Wu (1988) rescaling bootstrap with m_h = n_h − 1 PSUs drawn with
  replacement in each stratum, weights multiplied by n_h/(n_h − 1) · (times drawn);
  scale 1/R (Rao, Wu and Yue 1992), from a seeded generator so that a run can be repeated;
  a publisher's bootstrap weights documented with another scale are read with `scale=`.

Each returns a new `Design` carrying `Replicates`; the full-sample weights are kept.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import hadamard  # type: ignore[import-untyped]

from tmo.errors import InputError
from tmo.surveys.design import Design, ReplicateMethod, Replicates, replicate_scale


def with_replicates(design: Design, method: ReplicateMethod, *, rho: float = 0.5,
                    count: int = 200, seed: int = 20260101) -> Design:
    """`design` with replicate weights of `method` made from its strata and PSUs.

    `rho` is used by `fay` only, `count` and `seed` by `bootstrap` only.
    """
    strata, psu, w = design.strata, design.psu, design.weights
    if method == "jkn":
        matrix, rscales = _jackknife(strata, psu, w)
        scale = 1.0
    elif method == "jk1":
        if len(np.unique(strata)) > 1:
            raise InputError("JK1 drops PSUs from one unstratified sample; this design has "
                             "strata", hint="use jkn for a stratified design")
        matrix, rscales = _jackknife(strata, psu, w)
        scale = replicate_scale("jk1", matrix.shape[1])
        rscales = np.ones(matrix.shape[1])
    elif method in ("brr", "fay"):
        matrix = _half_samples(strata, psu, w, rho if method == "fay" else 0.0)
        scale = replicate_scale(method, matrix.shape[1], rho if method == "fay" else 0.0)
        rscales = np.ones(matrix.shape[1])
    elif method == "bootstrap":
        matrix = _bootstrap(strata, psu, w, count, seed)
        scale = replicate_scale("bootstrap", count)
        rscales = np.ones(count)
    else:
        raise InputError(f"unknown replicate method {method!r}")
    reps = Replicates(matrix, method, scale, rscales, rho if method == "fay" else 0.0)
    return Design(design.data, w, strata, psu, design.fpc, reps, design.lonely_psu,
                  design.df, design.source, design.columns)


def _psus_by_stratum(strata: np.ndarray, psu: np.ndarray) -> list[np.ndarray]:
    return [np.unique(psu[strata == h]) for h in np.unique(strata)]


def _jackknife(strata: np.ndarray, psu: np.ndarray, w: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    groups = _psus_by_stratum(strata, psu)
    lonely = [i for i, g in enumerate(groups) if len(g) < 2]
    if lonely:
        raise InputError(f"{len(lonely)} stratum/strata with a single PSU: a jackknife "
                         "cannot drop it", hint="collapse strata first")
    # factors per PSU (rows) and replicate (columns): 1 outside the stratum dropped from,
    # n_h/(n_h − 1) for the stratum's other PSUs, 0 for the PSU dropped
    factors = np.ones((int(psu.max()) + 1, sum(len(g) for g in groups)))
    rscales = []
    r = 0
    for members in groups:
        n_h = len(members)
        for j in members:
            factors[members, r] = n_h / (n_h - 1)
            factors[j, r] = 0.0
            rscales.append((n_h - 1) / n_h)
            r += 1
    return w[:, None] * factors[psu], np.asarray(rscales)


def _half_samples(strata: np.ndarray, psu: np.ndarray, w: np.ndarray,
                  rho: float) -> np.ndarray:
    groups = _psus_by_stratum(strata, psu)
    if any(len(g) != 2 for g in groups):
        raise InputError("BRR needs exactly two PSUs in every stratum",
                         hint="use jkn or bootstrap, or pair PSUs into variance strata")
    order = 1
    while order < len(groups) + 1:
        order *= 2
    signs = hadamard(order)[:, 1:len(groups) + 1]        # R × H, first column dropped
    first = np.zeros(len(w), dtype=bool)
    stratum_index = np.searchsorted(np.unique(strata), strata)
    first_psu = np.array([g[0] for g in groups])
    first = psu == first_psu[stratum_index]
    # unit factor: 2 − rho in the chosen half, rho in the other
    chosen = np.where(first[:, None], signs[:, stratum_index].T > 0,
                      signs[:, stratum_index].T < 0)
    return w[:, None] * np.where(chosen, 2.0 - rho, rho)


def _bootstrap(strata: np.ndarray, psu: np.ndarray, w: np.ndarray, count: int,
               seed: int) -> np.ndarray:
    if count < 2:
        raise InputError(f"a bootstrap needs at least 2 replicates, not {count}")
    rng = np.random.default_rng(seed)
    groups = _psus_by_stratum(strata, psu)
    if any(len(g) < 2 for g in groups):
        raise InputError("a stratum with a single PSU cannot be resampled",
                         hint="collapse strata first")
    factors = np.zeros((int(psu.max()) + 1, count))
    for members in groups:
        n_h = len(members)
        draws = rng.integers(0, n_h, size=(count, n_h - 1))
        times = np.stack([np.bincount(d, minlength=n_h) for d in draws], axis=1)
        factors[members] = times * n_h / (n_h - 1)
    return w[:, None] * factors[psu]
