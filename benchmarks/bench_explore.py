"""Time of the indicator explorer (/explore) on a real store, through the app as a client
sees it: the first map of an indicator after the server opened the store (every year
computed once, then kept), the same page again, a year of the slider (/explore/map.svg),
a chart of three countries, and the CSV of a year with each row's source query.

    .venv/bin/python benchmarks/bench_explore.py [--db PATH] [--repeat N]

Targets on the 2-core development machine: the first map of an indicator under 2 s, a
slider step (one year's map) under 0.3 s, a chart under 0.3 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tmo.config import settings
from tmo.web.app import create_app

TARGETS = {"first map": 2.0, "slider step": 0.3, "chart": 0.3}


def timed(client: TestClient, url: str) -> tuple[float, float]:
    """Wall-clock and processor seconds of one GET (asserting it answered 200)."""
    start, cpu = time.perf_counter(), time.process_time()
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--countries", default="MEX,USA,CAN", help="the chart's (ISO3)")
    args = parser.parse_args()
    db = args.db or settings().db_path
    rows: list[tuple[str, list[tuple[float, float]]]] = []
    for indicator in ("immigrant_share", "emigrant_stock"):
        firsts = []
        for _ in range(args.repeat):  # a new app each time: nothing kept
            client = TestClient(create_app(db, watch=0))
            firsts.append(timed(client, f"/explore?indicator={indicator}"))
        rows.append((f"first map ({indicator})", firsts))
    q = "indicator=immigrant_share"
    rows.append(("same page again", [timed(client, f"/explore?{q}")
                                     for _ in range(args.repeat)]))
    rows.append(("slider step", [timed(client, f"/explore/map.svg?{q}&year={y}")
                                 for y in (1990, 2000, 2010, 2020)[:max(args.repeat, 1)]]))
    chosen = "".join(f"&countries={c}" for c in args.countries.split(","))
    rows.append(("chart", [timed(client, f"/explore?{q}&view=chart{chosen}")
                           for _ in range(args.repeat)]))
    rows.append(("CSV of a year", [timed(client, f"/explore/data.csv?{q}&year=2020")
                                   for _ in range(args.repeat)]))
    print(f"store: {db}")
    print(f"{'what':<32} {'median s':>9} {'max s':>7} {'CPU s':>7}  target")
    for name, runs in rows:
        wall = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        target = next((f"< {t} s" for k, t in TARGETS.items() if name.startswith(k)), "")
        print(f"{name:<32} {statistics.median(wall):>9.3f} {max(wall):>7.3f} {cpu:>7.3f}  "
              f"{target}")


if __name__ == "__main__":
    main()
