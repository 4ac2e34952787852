"""Benchmark: flow estimation on synthetic stock tables (a script, not a test).

    .venv/bin/python benchmarks/bench_flows.py [--large 3000] [--repeat 3]

Prints a table of wall times (best of `--repeat`) and peak memory:
1. `da_min_closed` and the independence fit with an inverse-distance seed on one
   200 x 200 period with births and deaths (migest 2.0.5: about 4 s and 18 s);
2. the six methods x 3 sexes x 7 periods on 230 x 230 tables, each method in one
   vectorised call (target: < 10 s in all);
3. one 3000 x 3000 period with `da_min_closed` and `da_pb_closed`: time and the peak
   memory traced by tracemalloc (numpy reports its buffers to it);
4. with `--store PATH` (a built store; it is copied, never written): `tmo flows
   --revision R --method all` (every method, three sexes, every period) end to end and
   `tmo flows validate --revision R`, as subprocesses, the least wall and CPU seconds of
   `--repeat` runs (targets 10 s and 5 s), and the stages of the one pass in this process
   (read, estimate, rows, store; and how much of the store stage is the comparison of the
   flows between revisions, `tmo.revisions.stage.write_flow_revisions`). With
   `--before SRC` (the `src` folder of an older checkout, e.g. from
   `git archive <commit> src`), the same command run the old way, one `tmo flows --method
   M` per method, for comparison in the same run.

The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from tmo.flows import METHODS, estimate
from tmo.flows.estimate_store import estimate_tables, flow_frame, stock_tables
from tmo.pipeline import store_flows
from tmo.revisions.stage import flow_comparisons
from tmo.store.query import connect

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


def run_cli(args: list[str], src: Path | None = None) -> tuple[float, float]:
    """Wall and CPU (user + sys of the child) seconds of one `tmo` command."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tmo.cli", *args], env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"tmo {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def best_cli(args: list[str], store: Path, copy: Path, repeat: int) -> tuple[float, float]:
    """Least wall and least CPU seconds of `repeat` runs, each on a fresh copy."""
    walls, cpus = [], []
    for _ in range(repeat):
        shutil.copyfile(store, copy)
        wall, cpu = run_cli(args)
        walls.append(wall)
        cpus.append(cpu)
    return min(walls), min(cpus)


def store_cases(store: Path, revisions: list[str], before: Path | None, repeat: int) -> None:
    """`tmo flows` and `tmo flows validate` on a copy of a real store (least of `repeat`
    runs), then the stages of the one pass in this process, wall and CPU."""
    with tempfile.TemporaryDirectory() as tmp:
        for rev in revisions:
            copy = Path(tmp) / "tmo.duckdb"
            wall, cpu = best_cli(["flows", "--db", str(copy), "--revision", rev, "--method",
                                  "all"], store, copy, repeat)
            row(f"IMS {rev}: tmo flows --method all (3 sexes)", wall,
                f"CPU {cpu:.1f} s (least of {repeat}); target < 10 s")
            wall, cpu = best_cli(["flows", "validate", "--db", str(copy), "--revision", rev],
                                 store, copy, repeat)
            row(f"IMS {rev}: tmo flows validate (7 methods)", wall,
                f"CPU {cpu:.1f} s (least of {repeat}); target < 5 s")
            if before is not None:
                shutil.copyfile(store, copy)
                walls = cpus = 0.0
                for method in METHODS:
                    try:
                        w, c = run_cli(["flows", "--db", str(copy), "--revision", rev,
                                        "--method", method], before)
                    except SystemExit as exc:  # the old mig_rate aborted on IMS 2020
                        print(f"| before: {method} | – | {str(exc)[:80]} |")
                        continue
                    walls, cpus = walls + w, cpus + c
                row(f"IMS {rev}: before, one tmo flows per method", walls,
                    f"CPU {cpus:.1f} s ({before})")
            shutil.copyfile(store, copy)
            marks = [(time.perf_counter(), _cpu())]
            con = connect(copy)
            tables = stock_tables(con, rev)
            marks.append((time.perf_counter(), _cpu()))
            results, findings = estimate_tables(tables)
            marks.append((time.perf_counter(), _cpu()))
            frame = pd.concat([flow_frame(tables, m, r) for m, r in results.items()],
                              ignore_index=True)
            marks.append((time.perf_counter(), _cpu()))
            con.close()
            store_flows(copy, frame, tables.findings + findings)
            marks.append((time.perf_counter(), _cpu()))
            con = connect(copy)
            flow_comparisons(con)  # the part of the store stage that compares revisions
            con.close()
            marks.append((time.perf_counter(), _cpu()))
            spans = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(marks)]
            row(f"IMS {rev}: stages read / estimate / rows / store", marks[4][0] - marks[0][0],
                " / ".join(f"{w:.2f}" for w, _ in spans[:4]) + " s wall; "
                + " / ".join(f"{c:.2f}" for _, c in spans[:4]) + " s CPU; "
                f"{len(frame):,} flows; of the store stage, comparing the flows with the "
                f"other revision's: {spans[4][0]:.2f} s wall, {spans[4][1]:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store", type=Path, default=None,
                        help="a built store for the `tmo flows` cases (copied)")
    parser.add_argument("--revision", action="append", default=None)
    parser.add_argument("--before", type=Path, default=None,
                        help="src folder of an older checkout to compare with")
    parser.add_argument("--only-store", action="store_true",
                        help="skip the synthetic cases")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores)")
    if args.store is not None:
        print("| case | seconds | note |")
        print("| --- | ---: | --- |")
        store_cases(args.store, args.revision or ["2020", "2024"], args.before, args.repeat)
        if args.only_store:
            print(f"load average at end: {os.getloadavg()[0]:.1f}")
            return

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
