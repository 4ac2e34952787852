"""Benchmark: the full revision comparison of IMS 2020 against 2024 (target: < 5 s).

All corridors, all common years (1990-2020), both sexes and each sex; with the world,
regions and countries, the rank changes, reversed trends and corridors appearing or
vanishing. Timed three ways on a built store: the kernel alone (frames already in
memory), the kernel with its reads from the store, and the whole stage as `tmo build`
runs it (every pair of revisions, IMS and WPP, written to the store on a copy).

    .venv/bin/python benchmarks/bench_revisions.py --db PATH [--repeat 3]

Without --db the store is built first from ../shared/data into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from tmo.config import Settings
from tmo.pipeline import build_store
from tmo.revisions.compare import changes, events
from tmo.revisions.stage import comparisons, ims_release, write_revisions
from tmo.store import changes as store_changes
from tmo.store.schema import create_sql

REPO = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall time, median processor time of this process (less sensitive to other
    work on a shared machine; DuckDB's own threads count too), and the last result."""
    walls: list[float] = []
    cpus: list[float] = []
    out: Any = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "tmo.duckdb"
            build_store(Settings(home=Path(tmp), db_path=db, cache_dir=Path(tmp) / "cache",
                                 source_dir=REPO.parent / "shared" / "data"))
        con = duckdb.connect(str(db), read_only=True)
        old, new = ims_release(con, "2020"), ims_release(con, "2024")
        countries = store_changes.country_codes(con)
        regions = store_changes.un_aggregates(con)

        def kernel() -> tuple[Any, Any]:
            table = changes(old, new, countries=countries, regions=regions)
            return table, events(old, new, table)

        k_sec, k_cpu, (table, found) = timed(kernel, args.repeat)
        r_sec, r_cpu, _ = timed(lambda: (ims_release(con, "2020"), ims_release(con, "2024"),
                                         kernel()), args.repeat)
        a_sec, a_cpu, _ = timed(lambda: comparisons(con), args.repeat)
        con.close()
        copy = Path(tmp) / "copy.duckdb"
        shutil.copy(db, copy)
        write = duckdb.connect(str(copy))
        for name in ("revision_changes", "revision_events"):  # a store older than them
            write.execute(create_sql(name).replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
        w_sec, w_cpu, _ = timed(lambda: write_revisions(write), args.repeat)
        write.close()
    corridors = table[table["level"] == "corridor"]
    print(f"IMS 2020 against 2024: {len(table):,} rows ({len(corridors):,} corridor rows: "
          f"{corridors[['area', 'partner']].drop_duplicates().shape[0]:,} corridors x "
          f"{corridors['year'].nunique()} common years x 3 sexes where published), "
          f"{len(found):,} events")
    load = os.getloadavg()[0]
    print(f"{'what':<58} {'wall s':>7} {'CPU s':>7}   (load average {load:.1f}, "
          f"{os.cpu_count()} cores)")
    for label, wall, cpu in (
            ("kernel (frames in memory)", k_sec, k_cpu),
            ("kernel + reading both revisions from the store", r_sec, r_cpu),
            ("every pair (IMS 2020/2024, WPP 2019/2024), read + kernel", a_sec, a_cpu),
            ("the whole stage, written to the store (on a copy)", w_sec, w_cpu)):
        print(f"{label:<58} {wall:>7.2f} {cpu:>7.2f}")
    print(f"target < 5 s for the full IMS comparison (wall): {'met' if r_sec < 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
