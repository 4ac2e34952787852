"""The flow estimation of one large stock table on a Dask distributed cluster (the
optional extra `dask`, `tmo.cluster`), for `tmo flows --stocks-start ... --workers N |
--scheduler tcp://HOST:PORT`.

The work is cut where demographic accounting is independent, and every piece runs the
kernels of `tmo.flows.methods` and `tmo.flows.demographic_accounting` unchanged:

1. steps 1-3 (native-born, global closure, births and deaths) run here: a few passes
   over the table;
2. step 4 of the closed variants, the two IPF fits of the start and the end table, run
   side by side as two tasks;
3. steps 5-6 (minimum migration, independence, pseudo-Bayes mix) run on blocks of
   birthplaces: each birthplace's layer depends on that birthplace's row of the adjusted
   tables only. A block gives the low-rank factors of its layers and its largest margin
   error;
4. the origin-destination matrix, `od[i, j] = Σ_k u[i, k] v[j, k]`, runs on blocks of
   origins x destinations, each the product of its rows of `u` with its rows of `v`
   (so no task holds a whole factor).

The workers run one BLAS thread each. Everything but the matrix product is then equal to
the bit to an in-process run with one BLAS thread (`OPENBLAS_NUM_THREADS=1`): the same
operations on the same numbers. Two things move the last bits, and nothing else:
- the IPF's matrix-vector products, against an in-process run on more BLAS threads: such
  a run already differs from one on one thread (e.g. 1e-15 relative on the rescaled
  tables, more on the smallest flows, which are differences of them);
- the origin-destination product: OpenBLAS sums `Σ_k` in an order that depends on the
  shape of the block it is given. Any two orders agree within `2n·ε·Σ_k |u[i, k] v[j, k]|`
  (n birthplaces, ε = 2.2e-16), which is `2n·ε` relative to the flow when the terms are
  non-negative (every method but, rarely, the open accounting): the tolerance of
  `tests/flows/test_cluster.py`.

A user seed (`seed=`) and the pooled weight (`weight="bfh-pooled"`) tie the birthplaces
together: those fits run in this process. The flow array is not brought back
(`FlowResult.flows` is None) unless `keep_flows`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tmo.cluster import distributed
from tmo.flows import demographic_accounting as da
from tmo.flows.flow_tables import Flows, LowRankFlows
from tmo.flows.ipf import IpfResult, ipf2
from tmo.flows.methods import InProcess, fit, margin_error

# progress(stage, pieces done, pieces in the stage)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Layers:
    """Steps 5-6 for a block of birthplaces: the factors of its layers (`(..., n, kb)`
    each), the stayers `(..., kb, n)`, the weights `(..., kb)` and the largest margin
    error of the block."""

    flows: LowRankFlows
    weights: np.ndarray | None
    gap: float


def layers(start: np.ndarray, end: np.ndarray, method: str, opts: dict) -> Layers:
    """The layers of the birthplaces whose rows of the adjusted stocks are given."""
    flows, _fits, weights = fit(start, end, method, opts)
    assert isinstance(flows, LowRankFlows)  # unseeded fits are low-rank
    return Layers(flows, weights, margin_error(flows, start, end))


def factor_rows(block: Layers, side: int, lo: int, hi: int) -> tuple[np.ndarray, ...]:
    """Rows `lo:hi` (places) of the block's factors: `u` (side 0) or `v` (side 1) of
    every term, `(..., hi - lo, kb)` each."""
    return tuple(np.ascontiguousarray(term[side][..., lo:hi, :]) for term in block.flows.terms)


def od_block(rows: tuple[int, int], cols: tuple[int, int], n_blocks: int,
             *pieces: tuple[np.ndarray, ...]) -> np.ndarray:
    """The block `rows x cols` of the origin-destination matrix, as `LowRankFlows.od`
    computes the whole matrix (diagonal zeroed): `pieces` are the `u` rows of every
    block of birthplaces (`n_blocks` of them, in order), then their `v` rows."""
    us, vs = pieces[:n_blocks], pieces[n_blocks:]
    terms = [(np.concatenate([u[t] for u in us], axis=-1),
              np.concatenate([v[t] for v in vs], axis=-1)) for t in range(len(us[0]))]
    od = sum(np.ascontiguousarray(u) @ np.ascontiguousarray(np.swapaxes(v, -1, -2))
             for u, v in terms)
    out = np.array(od, dtype=float)
    lo, hi = max(rows[0], cols[0]), min(rows[1], cols[1])
    idx = np.arange(lo, hi)
    out[..., idx - rows[0], idx - cols[0]] = 0.0
    return out


def _summary(block: Layers) -> tuple[np.ndarray | None, float]:
    return block.weights, block.gap


def _joined(blocks: Sequence[Layers]) -> LowRankFlows:
    n_terms = len(blocks[0].flows.terms)
    terms = tuple((np.concatenate([b.flows.terms[t][0] for b in blocks], axis=-1),
                   np.concatenate([b.flows.terms[t][1] for b in blocks], axis=-1))
                  for t in range(n_terms))
    return LowRankFlows(terms, np.concatenate([b.flows.stay for b in blocks], axis=-2))


def cuts(n: int, pieces: int) -> list[tuple[int, int]]:
    """`0..n` in `pieces` contiguous ranges of (nearly) equal length, none empty."""
    edges = np.linspace(0, n, min(max(pieces, 1), max(n, 1)) + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def _quiet(stage: str, done: int, total: int) -> None:
    """No progress shown."""


@dataclass(frozen=True)
class OnCluster(InProcess):
    """The costly steps on the cluster of an open `distributed.Client` (see the module's
    docstring). `pieces`: blocks of birthplaces, and of origins and of destinations
(default two per worker; the matrix is then pieces² blocks);
    `progress` is told of every piece done."""

    client: Any
    pieces: int | None = None
    progress: Progress = field(default=_quiet)
    keep_flows: bool = False

    def _count(self) -> int:
        return self.pieces or 2 * max(len(self.client.scheduler_info()["workers"]), 1)

    def _wait(self, stage: str, futures: list) -> None:
        self.progress(stage, 0, len(futures))
        for done, _ in enumerate(distributed().as_completed(futures), 1):
            self.progress(stage, done, len(futures))

    def _send(self, arrays: Sequence[np.ndarray]) -> list:
        """The arrays put on the workers apart from the task graph (large arguments in
        the graph are slow and make distributed warn)."""
        return list(self.client.scatter(list(arrays), hash=False))

    def rescale(self, problems: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
                tol: float, max_iter: int) -> list[IpfResult]:
        futures = [self.client.submit(ipf2, *self._send(problem), tol=tol, max_iter=max_iter,
                                      pure=False) for problem in problems]
        self._wait("IPF rescale of the start and end tables", futures)
        return self.client.gather(futures)

    def flows(self, adjusted: da.AdjustedStocks, method: str, opts: dict
              ) -> tuple[np.ndarray, Flows | None, list[IpfResult], np.ndarray | None, float]:
        if opts.get("seed") is not None or opts.get("weight") == "bfh-pooled":
            return super().flows(adjusted, method, opts)  # birthplaces tied together
        n = adjusted.start.shape[-1]
        ranges = cuts(n, self._count())
        blocks = [self.client.submit(layers, *self._send((adjusted.start[..., lo:hi, :],
                                                           adjusted.end[..., lo:hi, :])),
                                     method, opts, pure=False) for lo, hi in ranges]
        # rows of the factors cut on the workers that hold them; each block of the matrix
        # gets only its rows of u and of v: memory O(n²/pieces) per task, not O(n²)
        sides = [[[self.client.submit(factor_rows, block, side, lo, hi, pure=False)
                   for block in blocks] for lo, hi in ranges] for side in (0, 1)]
        cells = [[self.client.submit(od_block, rows, cols, len(blocks), *sides[0][r],
                                     *sides[1][c], pure=False)
                  for c, cols in enumerate(ranges)] for r, rows in enumerate(ranges)]
        summaries = [self.client.submit(_summary, b, pure=False) for b in blocks]
        self._wait("birthplace layers", blocks)
        weights, gaps = zip(*self.client.gather(summaries), strict=True)
        joined = _joined(self.client.gather(blocks)) if self.keep_flows else None
        distributed().wait([f for side in sides for row in side for f in row])
        del blocks, summaries  # the layers, now in rows on the workers, are released
        flat = [cell for row in cells for cell in row]
        self._wait("origin-destination blocks", flat)
        del sides
        od = np.concatenate([np.concatenate(self.client.gather(row), axis=-1)
                             for row in cells], axis=-2)
        return (od, joined, [], None if weights[0] is None else np.concatenate(weights, -1),
                max(gaps))


__all__ = ["Layers", "OnCluster", "cuts", "factor_rows", "layers", "od_block"]
