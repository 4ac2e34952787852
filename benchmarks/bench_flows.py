"""Benchmark: flow estimation on synthetic stock tables (a script, not a test).

    .venv/bin/python benchmarks/bench_flows.py [--large 3000] [--repeat 3]

Prints a table of wall times (best of `--repeat`) and peak memory:
1. `da_min_closed` and the independence fit with an inverse-distance seed on one
   200 x 200 period with births and deaths (migest 2.0.5: about 4 s and 18 s);
2. the six methods x 3 sexes x 7 periods on 230 x 230 tables, each method in one
   vectorised call (target: < 10 s in all);
3. one 3000 x 3000 period with `da_min_closed` and `da_pb_closed`: time and the peak
   memory traced by tracemalloc (numpy reports its buffers to it).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import numpy as np

from tmo.flows import estimate

SIX_METHODS = ("sd_drop_neg", "sd_rev_neg", "mig_rate", "da_min_open", "da_min_closed",
               "da_pb_closed")


def synthetic(n: int, batch: tuple[int, ...] = (), seed: int = 1) -> dict[str, np.ndarray]:
    """Gravity-like stocks (rows = birthplace), births, deaths and distances."""
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    pop = rng.lognormal(15, 1.5, n)
    base = pop[:, None] * 0.002 * np.exp(-5 * dist) * rng.lognormal(0, 1, (n, n))
    base *= rng.random((n, n)) < 0.6  # many empty corridors, as in the UN tables
    base[np.arange(n), np.arange(n)] = pop
    start = base * rng.lognormal(0, 0.05, (*batch, n, n))
    end = start * rng.lognormal(0.03, 0.15, (*batch, n, n))
    end[..., np.arange(n), np.arange(n)] = start[..., np.arange(n), np.arange(n)] * 1.02
    residents = start.sum(-2)
    births = residents * rng.uniform(0.03, 0.12, (*batch, n))
    deaths = residents * rng.uniform(0.02, 0.06, (*batch, n))
    seed_matrix = 1.0 / np.where(dist > 0, dist, np.inf)
    seed_matrix[np.arange(n), np.arange(n)] = seed_matrix.max()
    return {"start": start, "end": end, "births": births, "deaths": deaths,
            "inverse_distance": seed_matrix}


T = TypeVar("T")


def best_time(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    return best, out


def traced(run: Callable[[], T]) -> tuple[float, float, T]:
    tracemalloc.start()
    t0 = time.perf_counter()
    out = run()
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, out


def row(label: str, seconds: float, note: str = "") -> None:
    print(f"| {label:<52} | {seconds:>9.3f} | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print("| case | seconds | note |")
    print("| --- | ---: | --- |")
    d = synthetic(200)
    inputs = (d["start"], d["end"], d["births"], d["deaths"])
    cases: list[tuple[str, dict[str, Any], str]] = [  # method, its options, migest's time
        ("da_min_closed", {}, "migest ~4 s"),
        ("da_ind_closed", {"seed": d["inverse_distance"]}, "migest ~18 s"),
        ("da_pb_closed", {"seed": d["inverse_distance"]}, ""),
    ]
    for method, options, ref in cases:
        seconds, result = best_time(partial(estimate, *inputs, method, **options), args.repeat)
        label = f"200x200, 1 period, {method}" + (" + inverse-distance seed" if options else "")
        iterations = result.diagnostics.iterations
        row(label, seconds, f"{ref}; IPF iterations (longest step): {iterations}")

    d = synthetic(230, batch=(3, 7), seed=2)
    inputs = (d["start"], d["end"], d["births"], d["deaths"])
    total = 0.0
    for method in SIX_METHODS:
        seconds, _ = best_time(partial(estimate, *inputs, method), args.repeat)
        total += seconds
        row(f"230x230 x 3 sexes x 7 periods, {method}", seconds)
    row("230x230 x 3 sexes x 7 periods, all six methods", total, "target < 10 s")

    d = synthetic(args.large, seed=3)
    inputs = (d["start"], d["end"], d["births"], d["deaths"])
    del d
    input_mb = sum(x.nbytes for x in inputs) / 2**20
    for method in ("da_min_closed", "da_pb_closed"):
        seconds, peak, result = traced(partial(estimate, *inputs, method))
        row(f"{args.large}x{args.large}, 1 period, {method}", seconds,
            f"peak traced {peak:,.0f} MiB (inputs {input_mb:,.0f} MiB); "
            f"IPF iterations (longest step): {result.diagnostics.iterations}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the whole run: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
