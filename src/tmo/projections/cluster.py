"""The projection batches on a Dask distributed cluster (the optional extra `dask`).

The batches and `projection.run_batch` are the same as in process; a batch's random
numbers are tied to its corridors and the seed (`tmo.projections.draws`), so the results
equal the in-process ones exactly. A scheduler address (`tcp://host:port`) uses a running
cluster; a number of workers starts a local cluster for the run and stops it after.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from tmo.errors import InputError
from tmo.projections.projection import Batch, Result, run_batch


def _distributed() -> Any:
    try:
        import distributed  # noqa: PLC0415 - the optional extra, only when asked
    except ImportError:
        raise InputError("a Dask cluster needs the optional extra: pip install 'tmo[dask]'",
                         hint="or leave out --workers/--scheduler to run in this process"
                         ) from None
    return distributed


def on_client(client: Any, batches: Sequence[Batch]) -> Iterator[Result]:
    """Run the batches on an open `distributed.Client`; results in the batches' order,
    each fetched and released in turn (the workers run ahead)."""
    futures = client.map(run_batch, list(batches), pure=False)
    for i, future in enumerate(futures):
        result = future.result()
        futures[i] = None
        future.release()
        yield result


def runner(*, scheduler: str | None = None, workers: int | None = None):
    """A runner (batches -> results) on the cluster at `scheduler`, or on a local cluster
    of `workers` processes started for each run."""
    distributed = _distributed()

    def run(batches: Sequence[Batch]) -> Iterator[Result]:
        if scheduler:
            try:
                client = distributed.Client(scheduler, timeout="10s")
            except OSError as exc:
                raise InputError(f"no Dask scheduler answers at {scheduler} ({exc})",
                                 hint="start one with `dask scheduler`, or pass --workers N"
                                 ) from None
            with client:
                yield from on_client(client, batches)
            return
        with distributed.LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                      processes=True, dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            yield from on_client(client, batches)

    return run
