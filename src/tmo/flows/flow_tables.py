"""Flow arrays `F[..., i, j, k]` (residence at start i, at end j, birthplace k).

Two representations with the same interface:
- `LowRankFlows`: `F[i, j, k] = Σ_t u_t[i, k] · v_t[j, k] + [i = j] · stay[k, i]`, the
  form of the minimum-migration and unit-seed independence fits and of their convex
  combinations. The origin-destination matrix is a matrix product and the 3-D array
  is only built when asked for, so 3000 × 3000 tables fit in memory.
- `DenseFlows`: an explicit array, from an IPF with a user seed.

`od()` sums over birthplaces and zeroes the diagonal; `outward()`, `returns()` and
`transit()` split it by the birthplace of the movers: leaving the country of birth
(origin = birthplace), going back to it (destination = birthplace), neither.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def zero_diagonal(x: np.ndarray) -> np.ndarray:
    """`x` with `x[..., i, i] = 0`, in place."""
    n = x.shape[-1]
    x[..., np.arange(n), np.arange(n)] = 0.0
    return x


def _diagonal(x: np.ndarray) -> np.ndarray:
    return np.diagonal(x, axis1=-2, axis2=-1)


@dataclass(frozen=True)
class LowRankFlows:
    terms: tuple[tuple[np.ndarray, np.ndarray], ...]
    stay: np.ndarray  # (..., k, i)

    def od(self) -> np.ndarray:
        # contiguous operands: matmul on transposed views is slower
        od = sum(np.ascontiguousarray(u) @ np.ascontiguousarray(np.swapaxes(v, -1, -2))
                 for u, v in self.terms)
        return zero_diagonal(np.array(od, dtype=float))

    def dense(self) -> np.ndarray:
        f = sum(u[..., :, None, :] * v[..., None, :, :] for u, v in self.terms)
        f = np.array(f, dtype=float)
        n = f.shape[-1]
        idx = np.arange(n)
        f[..., idx, idx, :] += np.swapaxes(self.stay, -1, -2)
        return f

    def outward(self) -> np.ndarray:
        """`F[i, j, i]` off the diagonal: movers leaving their country of birth."""
        out = sum(_diagonal(u)[..., :, None] * np.swapaxes(v, -1, -2) for u, v in self.terms)
        return zero_diagonal(np.array(out, dtype=float))

    def returns(self) -> np.ndarray:
        """`F[i, j, j]` off the diagonal: movers going back to their country of birth."""
        out = sum(u * _diagonal(v)[..., None, :] for u, v in self.terms)
        return zero_diagonal(np.array(out, dtype=float))

    def transit(self) -> np.ndarray:
        return self.od() - self.outward() - self.returns()

    def stayers(self) -> np.ndarray:
        """`F[i, i, k]` as `(..., k, i)`."""
        low = sum(np.swapaxes(u * v, -1, -2) for u, v in self.terms)
        return low + self.stay

    def totals(self) -> np.ndarray:
        """`Σ_ij F[i, j, k]` per birthplace `(..., k)`."""
        return sum(u.sum(-2) * v.sum(-2) for u, v in self.terms) + self.stay.sum(-1)

    def margins(self) -> tuple[np.ndarray, np.ndarray]:
        """`(Σ_j F[i, j, k], Σ_i F[i, j, k])`, both as `(..., k, region)` like the stocks."""
        start = sum(np.swapaxes(u * v.sum(-2)[..., None, :], -1, -2) for u, v in self.terms)
        end = sum(np.swapaxes(v * u.sum(-2)[..., None, :], -1, -2) for u, v in self.terms)
        return start + self.stay, end + self.stay

    def scaled(self, weight: np.ndarray) -> LowRankFlows:
        """Every birthplace slice k multiplied by `weight[..., k]`."""
        w = np.asarray(weight, dtype=float)
        terms = tuple((u * w[..., None, :], v) for u, v in self.terms)
        return LowRankFlows(terms, self.stay * w[..., :, None])

    def plus(self, other: LowRankFlows) -> LowRankFlows:
        return LowRankFlows(self.terms + other.terms, self.stay + other.stay)

    def inner(self, other: LowRankFlows) -> np.ndarray:
        """`Σ_ij F[i, j, k] · G[i, j, k]` per birthplace, without the 3-D arrays."""
        low = sum(
            (u1 * u2).sum(-2) * (v1 * v2).sum(-2)
            for u1, v1 in self.terms
            for u2, v2 in other.terms
        )
        low_diag_a = sum(np.swapaxes(u * v, -1, -2) for u, v in self.terms)
        low_diag_b = sum(np.swapaxes(u * v, -1, -2) for u, v in other.terms)
        cross = (low_diag_a * other.stay).sum(-1) + (self.stay * low_diag_b).sum(-1)
        return low + cross + (self.stay * other.stay).sum(-1)


@dataclass(frozen=True)
class DenseFlows:
    array: np.ndarray  # (..., i, j, k)

    def od(self) -> np.ndarray:
        return zero_diagonal(self.array.sum(-1))

    def dense(self) -> np.ndarray:
        return self.array

    def outward(self) -> np.ndarray:
        return zero_diagonal(np.einsum("...iji->...ij", self.array).copy())

    def returns(self) -> np.ndarray:
        return zero_diagonal(np.einsum("...ijj->...ij", self.array).copy())

    def transit(self) -> np.ndarray:
        return self.od() - self.outward() - self.returns()

    def stayers(self) -> np.ndarray:
        return np.swapaxes(np.einsum("...iik->...ik", self.array), -1, -2).copy()

    def totals(self) -> np.ndarray:
        return self.array.sum((-3, -2))

    def margins(self) -> tuple[np.ndarray, np.ndarray]:
        return np.swapaxes(self.array.sum(-2), -1, -2), np.swapaxes(self.array.sum(-3), -1, -2)

    def scaled(self, weight: np.ndarray) -> DenseFlows:
        return DenseFlows(self.array * np.asarray(weight, dtype=float)[..., None, None, :])

    def plus(self, other: Flows) -> DenseFlows:
        return DenseFlows(self.array + other.dense())

    def inner(self, other: Flows) -> np.ndarray:
        return np.einsum("...ijk,...ijk->...k", self.array, other.dense())


Flows = LowRankFlows | DenseFlows


def combine(a: Flows, wa: np.ndarray, b: Flows, wb: np.ndarray) -> Flows:
    """`wa[k] · a + wb[k] · b`, staying low-rank when both are."""
    if isinstance(a, LowRankFlows) and isinstance(b, LowRankFlows):
        return a.scaled(wa).plus(b.scaled(wb))
    return DenseFlows(a.scaled(wa).dense() + b.scaled(wb).dense())


def inner(a: Flows, b: Flows) -> np.ndarray:
    if isinstance(a, LowRankFlows) and isinstance(b, LowRankFlows):
        return a.inner(b)
    return np.einsum("...ijk,...ijk->...k", a.dense(), b.dense())
