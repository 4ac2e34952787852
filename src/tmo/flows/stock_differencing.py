"""Stock differencing: flows as the change in bilateral stocks (`sd_drop_neg`, `sd_rev_neg`).

Stocks `(..., n, n)`: rows = place of birth, columns = place of residence. Both
diagonals are ignored (native-born). With Δ = S2 − S1:
- drop negatives: `F = max(Δ, 0)`, a flow from birthplace i to residence j;
- reverse negatives: `F = max(Δ, 0) + max(−Δᵀ, 0)`: a fall in the stock of people
  born in j living in i is read as a return flow i → j.
"""

from __future__ import annotations

import numpy as np


def _difference(stock_start: np.ndarray, stock_end: np.ndarray) -> np.ndarray:
    delta = np.asarray(stock_end, dtype=float) - np.asarray(stock_start, dtype=float)
    n = delta.shape[-1]
    delta[..., np.arange(n), np.arange(n)] = 0.0
    return delta


def drop_negatives(stock_start: np.ndarray, stock_end: np.ndarray) -> np.ndarray:
    """Origin-destination flows `max(S2 − S1, 0)` with a zero diagonal."""
    return np.maximum(_difference(stock_start, stock_end), 0.0)


def reverse_negatives(stock_start: np.ndarray, stock_end: np.ndarray) -> np.ndarray:
    """Increases as flows from birthplace to residence, decreases as returns."""
    delta = _difference(stock_start, stock_end)
    return np.maximum(delta, 0.0) + np.maximum(-np.swapaxes(delta, -1, -2), 0.0)
