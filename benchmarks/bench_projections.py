"""Benchmark: every corridor, both sexes, 1,000 draws to 2050 (target: < 60 s on the
2-core machine), in process and on a local two-worker Dask cluster; peak memory of each.

Reads the female and male stocks of the latest IMS revision from a built store (the
projection's inputs, read once), then times the projection alone (fit, draws, quantiles,
destination and origin totals), its rows for the `projections` table, and the same on
the cluster (the cluster's start-up timed apart). The results of the two runs are
checked equal.

    .venv/bin/python benchmarks/bench_projections.py --db PATH [--draws 1000] [--workers 2]

Wall-clock seconds and this process's CPU seconds are both printed: on a machine shared
with other work, the CPU time is what the run costs. Peak memory: the largest resident
set of this process (the in-process run is done first, so it is that run's peak) and of
each Dask worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import distributed
import duckdb
import numpy as np

from tmo import cluster
from tmo.projections.cluster import on_client
from tmo.projections.projection import Settings, combine, in_process, plan
from tmo.projections.stage import Run, read_ceiling, read_inputs, rows
from tmo.store import facts


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: a spawned Dask worker's own, where
    ru_maxrss would carry the peak of the process it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User and system CPU seconds of this process so far (run on each Dask worker too)."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    con = duckdb.connect(str(args.db), read_only=True)
    start = time.perf_counter()
    inputs = read_inputs(con, facts.latest_revision(con))
    settings = Settings(draws=args.draws)
    ceiling, wpp = read_ceiling(con, inputs, settings.targets)
    con.close()
    print(f"read {len(inputs.origins):,} corridors x 2 sexes x {len(inputs.years)} years "
          f"in {time.perf_counter() - start:.1f} s")
    before = peak_mb()
    print(f"load average at the start: {load()}")
    start, cpu = time.perf_counter(), time.process_time()
    here = combine(in_process(plan(inputs, settings, ceiling=ceiling)), len(inputs.origins))
    seconds = time.perf_counter() - start
    print(f"in process: {seconds:.1f} s ({time.process_time() - cpu:.1f} s of CPU; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores) for "
          f"{2 * len(inputs.origins):,} series x "
          f"{args.draws:,} draws x {len(settings.targets)} years; peak RSS "
          f"{peak_mb():,.0f} MB (before: {before:,.0f} MB)")
    start = time.perf_counter()
    frame = rows(Run(inputs, settings, here, seconds, ceiling, wpp), "bench")
    print(f"rows of the table: {len(frame):,} in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    with cluster.local(args.workers) as local, distributed.Client(local) as client:
        up = time.perf_counter() - start
        before_cpu = sum(client.run(cpu_seconds).values())
        start, cpu, at_start = time.perf_counter(), time.process_time(), load()
        there = combine(on_client(client, plan(inputs, settings, ceiling=ceiling)),
                        len(inputs.origins))
        seconds = time.perf_counter() - start
        workers_cpu = sum(client.run(cpu_seconds).values()) - before_cpu
        workers = client.run(peak_mb)
    print(f"Dask, {args.workers} local workers: {seconds:.1f} s (+ {up:.1f} s to start the "
          f"cluster; load average {at_start} then {load()}); CPU: workers {workers_cpu:.1f} s, "
          f"client {time.process_time() - cpu:.1f} s; peak RSS of the workers "
          f"{', '.join(f'{v:,.0f}' for v in workers.values())} MB; client {peak_mb():,.0f} MB")
    pairs = ((here.quantiles, there.quantiles), (here.by_destination, there.by_destination),
             (here.by_origin, there.by_origin), (here.capped, there.capped))
    same = all((a is None and b is None) or (a is not None and b is not None
                                             and np.array_equal(a, b)) for a, b in pairs)
    print(f"results equal: {same}")


if __name__ == "__main__":
    main()
