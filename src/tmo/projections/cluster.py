"""The projection batches on a Dask distributed cluster (the optional extra `dask`).

The batches and `projection.run_batch` are the same as in process; a batch's random
numbers are tied to its corridors and the seed (`tmo.projections.draws`), so the results
equal the in-process ones exactly. A scheduler address (`tcp://host:port`) uses a running
cluster; a number of workers starts a local cluster for the run and stops it after
(`tmo.cluster`, shared with `tmo flows`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from tmo import cluster
from tmo.projections.projection import Batch, Result, add_totals, run_batch


def _light(result: Result) -> Result:
    return result.light()


def _totals(result: Result) -> Result:
    return result.totals()


def on_client(client: Any, batches: Sequence[Batch]) -> Iterator[Result]:
    """Run the batches on an open `distributed.Client`. The corridors' results come back
    in the batches' order, each fetched and released in turn; the destination and origin
    totals (tens of MB a batch) are summed on the workers, batch after batch in the same
    order as `projection.combine`, and only their sum comes back."""
    if not batches:
        return
    futures = client.map(run_batch, list(batches), pure=False)
    light = [client.submit(_light, f, pure=False) for f in futures]
    acc = client.submit(_totals, futures[0], pure=False)
    for f in futures[1:]:
        acc = client.submit(add_totals, acc, f, pure=False)
    del futures
    for i, future in enumerate(light):
        yield future.result()
        light[i] = None
        future.release()
    yield acc.result()


def runner(*, scheduler: str | None = None, workers: int | None = None):
    """A runner (batches -> results) on the cluster at `scheduler`, or on a local cluster
    of `workers` processes started for each run."""
    cluster.distributed()  # the extra missing: one clear error now, not at the first run

    def run(batches: Sequence[Batch]) -> Iterator[Result]:
        with cluster.client(scheduler=scheduler, workers=workers) as client:
            yield from on_client(client, batches)

    return run
