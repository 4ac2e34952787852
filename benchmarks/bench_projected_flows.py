"""Benchmark: projected flows (`tmo projections flows run`) on a store with projections:
for each scenario, reading the projected stock tables and WPP's medium variant, and the
flow estimation (da_pb_closed, every sex and period), timed apart; then the rows. No
store is written (the atomic write copies the store file; its cost is the file's size).

    .venv/bin/python benchmarks/bench_projected_flows.py --db PATH [--scenario median ...]
        [--draws K [--flow-sex all|total]]

`--draws K`: also the flows of the first K simulated futures (`draw_flows`, the scenario
`draws`) for every sex or the total only, with the CPU seconds per draw.

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

from tmo.projections.flows import DRAW_SEXES, SCENARIOS, draw_flows, flows, frame, read_tables
from tmo.store import projected


def _clock() -> tuple[float, float]:
    t = os.times()
    return time.perf_counter(), t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--draws", type=int, default=0)
    parser.add_argument("--flow-sex", choices=("all", "total"), default="all")
    args = parser.parse_args()
    con = duckdb.connect(str(args.db), read_only=True)
    revision = projected.projected_revisions(con)[-1]
    for scenario in args.scenario or ([] if args.draws else ["median"]):
        w0, c0 = _clock()
        tables = read_tables(con, revision, scenario)
        w1, c1 = _clock()
        od, _ = flows(tables)
        w2, c2 = _clock()
        rows = frame(tables, od)
        w3, c3 = _clock()
        print(f"{scenario}: {len(tables.places)} places x {len(tables.sexes)} sexes x "
              f"{len(tables.years) - 1} periods; read {w1 - w0:.1f} s ({c1 - c0:.1f} s CPU), "
              f"estimate {w2 - w1:.1f} s ({c2 - c1:.1f} s CPU), rows {w3 - w2:.1f} s "
              f"({c3 - c2:.1f} s CPU): {len(rows):,} rows")
    if args.draws:
        sexes = DRAW_SEXES if args.flow_sex == "all" else ("total",)
        w0, c0 = _clock()
        result = draw_flows(con, revision, args.draws, sexes)
        w1, c1 = _clock()
        print(f"draws: {args.draws} futures x {len(result.fixed.sexes)} sexes "
              f"({', '.join(result.fixed.sexes)}): {w1 - w0:.1f} s ({c1 - c0:.1f} s CPU), "
              f"{(c1 - c0) / args.draws:.2f} s CPU a draw (with reading the inputs once)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
