"""Pseudo-Bayes flows (`da_pb_closed`), after Azose & Raftery (2019).

The minimum-migration fit and the independence fit meet the same margins `(i, k)`
and `(j, k)`, so any convex combination `F = (1 − w_k) F_min + w_k F_ind` meets them
too. The weight per birthplace k is either fixed or the Bishop-Fienberg-Holland
(1975) risk-minimising choice

    K̂ = (N² − Σx²) / Σ(x − Nλ)²,   w = K̂ / (N + K̂),

with x the minimum table of slice k (stayers included), N its total and Nλ the
independence table. The sums are computed from the low-rank factors, without the
`n × n × n` array. When x = Nλ the choice does not matter and w = 0. `"bfh-pooled"`
applies the same formula to the whole table of a period (all birthplaces together), so
each period gets one weight, the same for every birthplace.
"""

from __future__ import annotations

import numpy as np

from tmo.errors import InputError
from tmo.flows.flow_tables import Flows, combine, inner


def bfh_weight(minimum: Flows, independence: Flows, *, pooled: bool = False) -> np.ndarray:
    """Risk-minimising shrinkage weight towards `independence`, per birthplace `(..., k)`
    (`pooled`: one weight per batch element over all birthplaces, repeated for each k)."""
    xx = inner(minimum, minimum)
    xm = inner(minimum, independence)
    mm = inner(independence, independence)
    n_k = minimum.totals()
    if pooled:
        shape = n_k.shape
        xx, xm, mm, n_k = (a.sum(-1, keepdims=True) for a in (xx, xm, mm, n_k))
        return np.broadcast_to(_bfh(xx, xm, mm, n_k), shape).copy()
    return _bfh(xx, xm, mm, n_k)


def _bfh(xx: np.ndarray, xm: np.ndarray, mm: np.ndarray, n_k: np.ndarray) -> np.ndarray:
    numerator = np.maximum(n_k**2 - xx, 0.0)
    denominator = np.maximum(xx - 2 * xm + mm, 0.0)
    scale = np.maximum(n_k**2, 1.0)
    k_hat = np.zeros_like(n_k)
    ok = denominator > 1e-12 * scale
    np.divide(numerator, denominator, out=k_hat, where=ok)
    w = np.zeros_like(n_k)
    np.divide(k_hat, n_k + k_hat, out=w, where=ok & (n_k + k_hat > 0))
    return w


def fixed_weight(weight: float, shape: tuple[int, ...]) -> np.ndarray:
    if not 0.0 <= float(weight) <= 1.0:
        raise InputError(f"the pseudo-Bayes weight must lie in [0, 1], got {weight!r}")
    return np.full(shape, float(weight))


def pseudo_bayes(
    minimum: Flows, independence: Flows, weight: str | float = "bfh"
) -> tuple[Flows, np.ndarray]:
    """`(1 − w_k) · minimum + w_k · independence` and the weights used."""
    if isinstance(weight, str):
        if weight not in ("bfh", "bfh-pooled"):
            raise InputError(f"weight must be 'bfh', 'bfh-pooled' or a number in [0, 1], "
                             f"got {weight!r}")
        w = bfh_weight(minimum, independence, pooled=weight == "bfh-pooled")
    else:
        w = fixed_weight(weight, minimum.totals().shape)
    return combine(minimum, 1.0 - w, independence, w), w
