"""Random numbers of the simulation, tied to the corridor rather than to its position
(pure): the uniforms of a corridor come from a generator seeded with the run's seed and a
checksum of the corridor's key, so reordering corridors, splitting them into batches or
running the batches on other machines (Dask) gives the same draws for a fixed seed."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


def key_seeds(keys: Sequence[str]) -> np.ndarray:
    """A stable 32-bit number per key (CRC-32 of its UTF-8 text)."""
    return np.array([zlib.crc32(k.encode("utf-8")) for k in keys], dtype=np.uint64)


def uniforms(seeds: np.ndarray, draws: int, steps: int, seed: int) -> np.ndarray:
    """Uniforms (n, draws, steps) in [0, 1), row i from the generator of (seed, seeds[i])."""
    out = np.empty((len(seeds), draws, steps))
    for i, s in enumerate(np.asarray(seeds, dtype=np.uint64)):
        out[i] = np.random.default_rng([int(seed), int(s)]).random((draws, steps))
    return out


def quantiles(samples: np.ndarray, probs: Sequence[float], axis: int = 1) -> np.ndarray:
    """Quantiles of draws along `axis` (the probs first in the result); monotone in probs."""
    q = np.quantile(samples, np.asarray(probs, dtype=float), axis=axis)
    return np.maximum.accumulate(q, axis=0)
