"""Benchmark: the full Bayesian model (numpyro, NUTS) backtested from 2015 on the latest
IMS revision beside the closed form and the baselines, in one run; the NUTS cost (wall,
CPU, peak memory) and its diagnostics.

    .venv/bin/python benchmarks/bench_bayes.py --db PATH [--draws 1000] [--fit-series 1000]
        [--warmup 300] [--samples 300] [--chains 2] [--out rows.json]

Reads the stocks of the latest revision (and the regions of the destinations) from a
built store, fits the hyperparameters by NUTS on a random subsample of `--fit-series`
series, conditions every corridor's mean on them in closed form, draws, and scores both
models on 2020 and 2024 with `tmo.projections.backtest.run` (the rows of
`tmo projections backtest --model bayes --format json`). Prints the main rows side by
side. Wall-clock and CPU seconds of this process (JAX's threads included); peak memory is
the largest resident set of the process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import duckdb

from tmo.projections import backtest as bt
from tmo.projections import bayes
from tmo.projections.projection import Inputs, Settings
from tmo.projections.stage import read_inputs
from tmo.store import facts

KEYS = ("mae_log", "mape", "wape", "bias_log", "mase", "coverage80", "coverage95",
        "interval_score80", "interval_score95", "crps")


def cpu_seconds() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--jump-off", type=int, default=2015)
    ap.add_argument("--fit-series", type=int, default=bayes.Options.fit_series)
    ap.add_argument("--warmup", type=int, default=bayes.Options.warmup)
    ap.add_argument("--samples", type=int, default=bayes.Options.samples)
    ap.add_argument("--chains", type=int, default=bayes.Options.chains)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    with duckdb.connect(str(args.db), read_only=True) as con:
        rev = facts.revision_or_latest(con, None)
        inputs = read_inputs(con, rev)
        regions = {c.iso3: c.region or "unknown" for c in facts.registry(con).countries()}
    options = bayes.Options(args.fit_series, args.warmup, args.samples, args.chains,
                            progress=True)
    cost: dict[str, Any] = {}

    def other(train: Inputs, settings: Settings, observed: Any) -> Any:
        wall, cpu = time.perf_counter(), cpu_seconds()
        run, post = bayes.project(train, settings, regions, observed, options)
        cost.update(wall=time.perf_counter() - wall, cpu=cpu_seconds() - cpu,
                    nuts_wall=post.diagnostics.seconds, **post.diagnostics.as_dict(),
                    mean_steps=post.extra.get("mean_steps"),
                    rhat_by_site=post.extra.get("rhat"),
                    hyperparameters=post.summary())
        return run

    wall, cpu = time.perf_counter(), cpu_seconds()
    rows = bt.run(inputs, args.jump_off, Settings(draws=args.draws), others={"bayes": other})
    total_wall, total_cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"IMS {rev}, from {args.jump_off}, {args.draws} draws; load {os.getloadavg()[0]:.1f}")
    print(f"Bayesian fit+draws+scores: {cost['wall']:.0f} s wall, {cost['cpu']:.0f} s CPU "
          f"(NUTS and conditioning {cost['nuts_wall']:.0f} s wall); whole backtest "
          f"{total_wall:.0f} s wall, {total_cpu:.0f} s CPU; peak {peak:.0f} MB")
    print(f"NUTS: {cost['divergences']} divergences of {cost['samples']}, max R-hat "
          f"{cost['max_rhat']:.3f}, min ESS {cost['min_ess']:.0f}, mean leapfrog steps "
          f"{cost['mean_steps']:.0f}; problems: {cost['problems'] or 'none'}")
    print("R-hat by site:", {k: round(v, 3) for k, v in cost["rhat_by_site"].items()})
    print("hyperparameters (posterior mean):",
          {k: v["mean"] for k, v in cost["hyperparameters"].items()})
    for r in rows:
        if r["band"] == "all" and r["sex"] == "total":
            print(r["target"], f"{r['level']:11}", f"{r['method']:9}",
                  " ".join(f"{k}={r[k]:.3f}" for k in KEYS if k in r))
    for r in rows:
        if r["band"] != "all" and r["method"] in {"model", "bayes"}:
            print(r["target"], r["band"], f"{r['method']:6}",
                  " ".join(f"{k}={r[k]:.3f}" for k in ("mae_log", "coverage80", "coverage95",
                                                       "crps")))
    if args.out:
        args.out.write_text(json.dumps({"cost": {**cost, "total_wall": total_wall,
                                                 "total_cpu": total_cpu, "peak_mb": peak},
                                        "rows": rows}, default=float))


if __name__ == "__main__":
    main()
