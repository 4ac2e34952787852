"""Flows from migration rates (`mig_rate`).

- Dennett (2016): a global total of flows `M` shared in proportion to the foreign-born
  stocks at the start, `F = M · P / ΣP`, P = S1 with a zero diagonal (rows =
  birthplace = origin, columns = residence = destination).
- Rogers & von Rabenau (1971): the transition matrix G that solves `S1 · G = S2`,
  turned into counts `X[i, j] = G[i, j] · colsum(S1)[i]` with a zero diagonal. It can
  give negative flows; the caller reports them (see `negative_flows`).
"""

from __future__ import annotations

import numpy as np

from tmo.errors import InputError


def _zero_diagonal(x: np.ndarray) -> np.ndarray:
    n = x.shape[-1]
    x[..., np.arange(n), np.arange(n)] = 0.0
    return x


def dennett(stock_start: np.ndarray, total: np.ndarray | float) -> np.ndarray:
    """Share `total` (scalar or one per batch element) over the foreign-born stocks."""
    p = _zero_diagonal(np.array(stock_start, dtype=float))
    p_sum = p.sum(axis=(-2, -1), keepdims=True)
    m = np.asarray(total, dtype=float)[..., None, None]
    share = np.zeros(np.broadcast_shapes(p.shape, p_sum.shape))
    np.divide(p, p_sum, out=share, where=p_sum > 0)
    return m * share


def rogers_von_rabenau(stock_start: np.ndarray, stock_end: np.ndarray) -> np.ndarray:
    """Counts from the transition matrix solving `S1 · G = S2` (may be negative)."""
    s1 = np.asarray(stock_start, dtype=float)
    s2 = np.asarray(stock_end, dtype=float)
    try:
        g = np.linalg.solve(s1, s2)
    except np.linalg.LinAlgError as exc:
        raise InputError(
            "the Rogers-von Rabenau rates need an invertible start stock table; "
            f"stock_start is singular ({exc})"
        ) from exc
    return _zero_diagonal(g * s1.sum(-2)[..., :, None])


def negative_flows(flows: np.ndarray) -> tuple[int, float]:
    """How many flows are negative and the most negative one (0.0 when none)."""
    negative = flows < 0
    return int(negative.sum()), float(flows.min(initial=0.0))
