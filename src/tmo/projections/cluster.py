"""The projection batches on a Dask distributed cluster (the optional extra `dask`).

The batches and `projection.run_batch` are the same as in process; a batch's random
numbers are tied to its corridors and the seed (`tmo.projections.draws`) and totals are
exact sums (`projection.exact`), so the results equal the in-process ones exactly. A
scheduler address (`tcp://host:port`) uses a running cluster; a number of workers starts
a local cluster for the run and stops it after (`tmo.cluster`, shared with `tmo flows`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from tmo import cluster
from tmo.projections.projection import Batch, Result, add_totals, run_batch


def run_chunk(batches: Sequence[Batch]) -> tuple[list[Result], Result]:
    """Run batches one after the other where they are: the corridors' part of each result,
    and the destination and origin totals of all of them summed here (exact sums: the
    order does not matter, `projection.exact`)."""
    light: list[Result] = []
    acc: Result | None = None
    for b in batches:
        result = run_batch(b)
        light.append(result.light())
        acc = result.totals() if acc is None else add_totals(acc, result)
    assert acc is not None
    return light, acc


def chunks(batches: Sequence[Batch], parts: int) -> list[list[Batch]]:
    """The batches cut into at most `parts` runs of consecutive batches of about equal
    numbers of corridors."""
    sizes = np.cumsum([len(b.index) for b in batches])
    cuts = np.searchsorted(sizes, sizes[-1] * np.arange(1, parts) / parts, side="right")
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < len(batches)}), len(batches)]
    return [list(batches[a:b]) for a, b in itertools.pairwise(bounds)]


def on_client(client: Any, batches: Sequence[Batch]) -> Iterator[Result]:
    """Run the batches on an open `distributed.Client`, in two runs of consecutive batches
    per worker: each run sums its totals where it runs, so only the corridors' quantiles
    and one sum of totals per run (tens of MB) cross between processes. Results come back
    as runs finish; `projection.combine` places corridors by index and adds the runs'
    totals, exactly, so the result equals the in-process one."""
    if not batches:
        return
    workers = max(1, len(client.nthreads()))
    futures = client.map(run_chunk, chunks(batches, 2 * workers), pure=False)
    for future in distributed_completed(futures):
        light, totals = future.result()
        future.release()
        yield from light
        yield totals


def distributed_completed(futures: list[Any]) -> Iterator[Any]:
    """The futures as they finish."""
    return cluster.distributed().as_completed(futures)


def runner(*, scheduler: str | None = None, workers: int | None = None):
    """A runner (batches -> results) on the cluster at `scheduler`, or on a local cluster
    of `workers` processes started for each run."""
    cluster.distributed()  # the extra missing: one clear error now, not at the first run

    def run(batches: Sequence[Batch]) -> Iterator[Result]:
        with cluster.client(scheduler=scheduler, workers=workers) as client:
            yield from on_client(client, batches)

    return run
