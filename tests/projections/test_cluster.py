"""The projection batches on a local two-worker Dask cluster give exactly the in-process
results for a fixed seed (issue #14, item 5)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from tmo.projections.cluster import on_client
from tmo.projections.projection import Ceiling, Inputs, Settings, combine, in_process, plan


def test_a_local_two_worker_cluster_equals_the_in_process_run(dask_cluster: Any) -> None:
    rng = np.random.default_rng(7)
    n = 120
    years = np.array([1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024], dtype=float)
    base = rng.lognormal(7, 2, (n, 2, 1))
    stocks = np.round(base * np.exp(np.cumsum(rng.normal(0.02, 0.1, (n, 2, 8)), axis=2)))
    inputs = Inputs(np.array([f"O{i % 9}" for i in range(n)]),
                    np.array([f"D{i % 13}" for i in range(n)]), stocks, years)
    settings = Settings(draws=200, seed=11)
    codes = np.unique(inputs.destinations)
    # a ceiling under some destinations' immigrants, so that draws are held
    jump = np.array([stocks[inputs.destinations == c, :, -1].sum(axis=0) for c in codes]).T
    population = np.repeat(jump[:, :, None] * 1.2, len(settings.targets), axis=2)
    ceiling = Ceiling(codes, settings.targets, population)
    batches = plan(inputs, settings, batch=16, ceiling=ceiling)
    here = combine(in_process(batches), n)
    assert here.capped is not None
    assert here.capped.sum() > 0
    # totals are exact sums: the batches in the reverse order give the same bits
    backwards = combine(in_process(batches[::-1]), n)
    np.testing.assert_array_equal(backwards.by_origin, here.by_origin)
    np.testing.assert_array_equal(backwards.by_destination, here.by_destination)
    assert len(dask_cluster.scheduler_info()["workers"]) == 2
    there = combine(on_client(dask_cluster, batches), n)
    np.testing.assert_array_equal(there.quantiles, here.quantiles)
    np.testing.assert_array_equal(there.by_destination, here.by_destination)
    np.testing.assert_array_equal(there.by_origin, here.by_origin)
    np.testing.assert_array_equal(there.capped, here.capped)


def _environment() -> tuple[str | None, str | None]:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")


def test_local_workers_keep_glibc_adaptive_mmap(dask_cluster: Any) -> None:
    """The local cluster's workers run numpy on one thread, without Dask's default
    MALLOC_TRIM_THRESHOLD_ (which doubled the kernel's CPU: tmo.cluster.LOCAL_WORKERS)."""
    assert set(dask_cluster.run(_environment).values()) == {(None, "1")}
