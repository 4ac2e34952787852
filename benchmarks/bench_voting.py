"""Time of a stations plan for Moldova's diaspora across all its countries of residence, and
of the p-median kernels on their own.

    .venv/bin/python benchmarks/bench_voting.py [--db PATH] [--cities N] [--repeat N]

Plans (each the whole pipeline: rules, UN DESA stocks, registrations, sites, stations):
1. UN DESA stocks only (rules/moldova.yaml);
2. with the shipped synthetic registrations file (65 cities, src/tmo/voting/examples);
3. with N synthetic cities (default 600) spread over every country of residence in
   proportion to its emigrants, up to 3 degrees around the capital (a seeded draw), so the
   big countries have p-median choices of 100+ candidate sites.
Kernels: p-median exact (MILP) against the heuristic (greedy + interchange, LP bound) on
random instances. Target: every plan under 5 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tmo.config import settings
from tmo.store import facts
from tmo.store.query import connect
from tmo.voting.inputs import read_registrations
from tmo.voting.plan import Plan, plan_stations
from tmo.voting.pmedian import model, solve_exact, solve_heuristic
from tmo.voting.ruleset import load

EXAMPLE = (Path(__file__).resolve().parents[1] / "src" / "tmo" / "voting" / "examples"
           / "moldova_registrations_synthetic.csv")
TARGET_S = 5.0


def synthetic_cities(con, n: int, seed: int = 19) -> Path:
    """A registrations file of n made-up cities of Moldova's diaspora."""
    rows = facts.emigrant_stock_rows(con, "MDA", facts.latest_revision(con),
                                     facts.default_year(con, facts.latest_revision(con)))
    capitals = facts.capitals(con)
    rows = [r for r in rows if r["destination"] in capitals]
    stock = np.array([r["stock"] for r in rows], dtype=float)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(n, stock / stock.sum())
    path = Path(tempfile.mkdtemp()) / "cities.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "city", "lat", "lon", "registrations", "votes"])
        for row, count in zip(rows, counts, strict=True):
            cap = capitals[row["destination"]]
            for i in range(count):
                lat = float(np.clip(cap["lat"] + rng.uniform(-3, 3), -89, 89))
                lon = float(cap["lon"] + rng.uniform(-3, 3))
                writer.writerow([row["destination"], f"city {i}", f"{lat:.4f}", f"{lon:.4f}",
                                 int(rng.integers(20, 3000)), int(rng.integers(10, 2500))])
    return path


def timed(label: str, repeat: int, run: Callable[[], Plan]) -> float:
    seconds, plan = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        plan = run()
        seconds.append(time.perf_counter() - start)
    assert plan is not None
    summary = plan.summary()
    within = summary["within_km"] or {}
    largest = max(seconds)
    print(f"{label:<34} {statistics.median(seconds):6.2f} s (max {largest:5.2f})  "
          f"{summary['stations']:4d} stations, {summary['countries_with_stations']} countries, "
          f"within 100 km {100 * within.get(100, float('nan')):5.1f} %, largest gap "
          f"{summary['largest_gap']}")
    return largest


def kernels(seed: int = 3) -> None:
    rng = np.random.default_rng(seed)
    for n, p in ((60, 6), (150, 12), (250, 20)):
        xy = rng.uniform(0, 1000, size=(n, 2))
        distance = np.linalg.norm(xy[:, None] - xy[None, :], axis=2)
        mdl = model(distance, rng.integers(1, 1000, size=n), p)
        t0 = time.perf_counter()
        exact = solve_exact(mdl)
        t1 = time.perf_counter()
        heuristic = solve_heuristic(mdl)
        t2 = time.perf_counter()
        print(f"p-median n=m={n:<4d} p={p:<3d} exact {t1 - t0:6.2f} s | heuristic {t2 - t1:6.2f} s,"
              f" {100 * (heuristic.cost / exact.cost - 1):5.2f} % above the optimum, reported gap"
              f" {100 * (heuristic.gap or 0):5.2f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="store (default: TMO_DB)")
    parser.add_argument("--cities", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    con = connect(settings(db=args.db).db_path)
    rules = load("MDA")
    registry, capitals = facts.registry(con), facts.capitals(con)
    many = synthetic_cities(con, args.cities)
    worst = max(
        timed("UN DESA stocks only", args.repeat, lambda: plan_stations(con, "MDA", rules)),
        timed("+ synthetic registrations (65)", args.repeat, lambda: plan_stations(
            con, "MDA", rules, registrations=read_registrations(EXAMPLE, registry, capitals))),
        timed(f"+ {args.cities} synthetic cities", args.repeat, lambda: plan_stations(
            con, "MDA", rules, registrations=read_registrations(many, registry, capitals))),
    )
    kernels()
    print(f"slowest plan {worst:.2f} s: {'OK' if worst < TARGET_S else 'TOO SLOW'} "
          f"(target {TARGET_S:g} s)")
    con.close()


if __name__ == "__main__":
    main()
