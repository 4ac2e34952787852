"""Pure measures of concentration and dispersion over shares (numpy in, numbers out)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def shares(values: ArrayLike) -> np.ndarray:
    """Each value's share of the total (empty or all-zero input gives zeros)."""
    arr = np.asarray(values, dtype=float)
    if arr.size and (arr < 0).any():
        raise ValueError("shares of negative values are undefined")
    total = arr.sum()
    return arr / total if total > 0 else np.zeros_like(arr)


def herfindahl(values: ArrayLike) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares, between 1/n and 1.

    1 means everything in one place; 1/n an even spread over n places.
    """
    s = shares(values)
    return float((s**2).sum())


def top_share(values: ArrayLike, k: int = 1) -> float:
    """Combined share of the k largest values."""
    s = np.sort(shares(values))[::-1]
    return float(s[:k].sum())


def effective_number(values: ArrayLike) -> float:
    """1 / HHI: the number of equally sized places giving the same concentration."""
    h = herfindahl(values)
    return 1.0 / h if h > 0 else 0.0
