"""Benchmark: the projected flows' backtest (`tmo projections flows backtest`) on a real
store: reading the published inputs (stocks, population, WPP births and deaths, the
reported flows), then for each jump-off the flows of the published stocks, the stock model
fitted and drawn, and the flows of K simulated futures (da_pb_closed, total), timed apart.

    .venv/bin/python benchmarks/bench_flow_backtest.py --db PATH [--draws K]
        [--jump-off 2015 --jump-off 2010]

Wall-clock and this process's CPU seconds are printed (on a shared machine the CPU time
is what the run costs), and the peak resident memory of this process.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tmo.flows import estimate_store
from tmo.projections import flow_backtest as fb
from tmo.projections.projection import Settings
from tmo.projections.stage import read_inputs
from tmo.store import facts


def _clock() -> tuple[float, float]:
    t = os.times()
    return time.perf_counter(), t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--jump-off", type=int, action="append")
    args = parser.parse_args()
    w0, c0 = _clock()
    con = duckdb.connect(str(args.db), read_only=True)
    published, _ = estimate_store.store_inputs(con, "2024", ("total",))
    inputs = read_inputs(con, "2024")
    reported = pd.DataFrame(facts.reported_flows(con),
                            columns=["year", "origin", "destination", "flow"])
    con.close()
    w1, c1 = _clock()
    print(f"read: {len(published.places)} places, {len(inputs.origins):,} corridors; "
          f"{w1 - w0:.1f} s ({c1 - c0:.1f} s CPU)")

    def estimate(first: int, last: int, known: np.ndarray, unknown: np.ndarray
                 ) -> tuple[np.ndarray, list]:
        od, found = estimate_store.flows_of(published, first, last, known[None], unknown[None])
        return od[0], found

    tables = fb.Published(published.years, published.places, published.known[0],
                          published.unknown[0])
    for jump_off in args.jump_off or [2015]:
        w2, c2 = _clock()
        result = fb.run(tables, estimate, inputs, jump_off, settings=Settings(),
                        flow_draws=args.draws, reported=reported)
        w3, c3 = _clock()
        periods = len(result.periods)
        print(f"from {jump_off}: {args.draws} futures x {periods} periods; "
              f"{w3 - w2:.1f} s ({c3 - c2:.1f} s CPU; "
              f"{(c3 - c2) / (args.draws * periods):.3f} s CPU a future and period, "
              "the published flows and the stock draws included)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
