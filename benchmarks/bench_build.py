"""Benchmark: the full offline build of the store (target: < 30 s, < 2 GB peak memory).

Runs `tmo build --source-dir ../shared/data` in a child process into a temporary
store, `--repeat` times, and prints wall time and the child's peak resident memory.

    .venv/bin/python benchmarks/bench_build.py [--source-dir ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_once(source_dir: Path, db: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tmo.cli", "build", "--source-dir", str(source_dir),
         "--db", str(db)],
        check=True, stdout=subprocess.DEVNULL, env={**os.environ, "TMO_HOME": str(db.parent)},
    )
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kb, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            db = Path(tmp) / f"bench{i}.duckdb"
            rows.append(run_once(args.source_dir, db))
        size_mb = (Path(tmp) / "bench0.duckdb").stat().st_size / 2**20
    print(f"{'run':>4} {'seconds':>8} {'peak RSS MB':>12}")
    for i, (sec, mb) in enumerate(rows, 1):
        print(f"{i:>4} {sec:>8.2f} {mb:>12.0f}")
    best = min(r[0] for r in rows)
    peak = max(r[1] for r in rows)
    print(f"best {best:.2f} s (target < 30 s); peak {peak:.0f} MB (target < 2048 MB); "
          f"store {size_mb:.1f} MB; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
