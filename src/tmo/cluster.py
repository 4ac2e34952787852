"""A Dask distributed client for the commands that can run on a cluster (the optional
extra `dask`): a running scheduler (`tcp://host:port`) used as given, or a local cluster
of N single-threaded worker processes started for the run and stopped after. What runs
on it is the caller's (`tmo.projections.cluster`, `tmo.flows.cluster`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tmo.errors import InputError

# The environment of a local cluster's worker processes: one thread for numpy, as Dask's
# default, but without Dask's default MALLOC_TRIM_THRESHOLD_, which also turns off glibc's
# adaptive mmap threshold, so that every large temporary array of a kernel is mapped and
# zeroed afresh: the projection kernel took 32.9 s of CPU on two workers with it and
# 15.8 s without (12.7 s in one process; docs/projections.md, "Scale: Dask").
LOCAL_WORKERS = {"distributed.nanny.pre-spawn-environ": {
    "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}}


def distributed() -> Any:
    """The `distributed` package, or one clear error saying how to get it."""
    try:
        import distributed as dist  # noqa: PLC0415 - the optional extra, only when asked
    except ImportError:
        raise InputError("a Dask cluster needs the optional extra: pip install 'tmo[dask]'",
                         hint="or leave out --workers/--scheduler to run in this process"
                         ) from None
    return dist


def check(*, scheduler: str | None, workers: int | None) -> None:
    """Refuse `--workers` below 1, or both options at once."""
    if scheduler and workers is not None:
        raise InputError("--scheduler and --workers: give one of them",
                         hint="--scheduler uses a running cluster; --workers N starts one")
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: expected 1 or more")


@contextmanager
def client(*, scheduler: str | None = None, workers: int | None = None,
           timeout: str = "10s") -> Iterator[Any]:
    """An open `distributed.Client`: on the scheduler at `scheduler` (waiting `timeout`
    for it to answer), else on a local cluster of `workers` processes (default 2) of one
    thread each, closed on exit."""
    dist = distributed()
    if scheduler:
        try:
            opened = dist.Client(scheduler, timeout=timeout)
        except OSError as exc:
            raise InputError(f"no Dask scheduler answers at {scheduler} ({exc})",
                             hint="start one with `dask scheduler`, or pass --workers N"
                             ) from None
        with opened:
            yield opened
        return
    with local(workers or 2) as cluster, dist.Client(cluster) as opened:
        yield opened


@contextmanager
def local(workers: int) -> Iterator[Any]:
    """A local cluster of `workers` single-threaded worker processes (`LOCAL_WORKERS`),
    closed on exit."""
    import dask  # noqa: PLC0415 - with the extra

    # ":0": the scheduler's web server on a free port (None still tries 8787, and warns on
    # the terminal when another cluster holds it)
    with dask.config.set(LOCAL_WORKERS), \
            distributed().LocalCluster(n_workers=workers, threads_per_worker=1,
                                       processes=True, dashboard_address=":0") as cluster:
        yield cluster
