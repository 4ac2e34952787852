"""Load benchmark of the profile endpoint (target: p95 < 100 ms with 50 concurrent
clients on this 2-core machine, nothing failing).

Starts `tmo serve` on a free localhost port, sends `--requests` GETs of
/api/v1/countries/{iso3}/profile for every country in turn from `--clients` concurrent
clients, and prints latency percentiles and failures. Traffic stays on 127.0.0.1 and the
run is bounded by the request count and a time limit.

    .venv/bin/python benchmarks/bench_web.py [--db PATH] [--clients 50] [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx

from tmo.config import settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run(base: str, codes: list[str], clients: int, total: int, limit_s: float):
    latencies: list[float] = []
    failures: list[str] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(codes[i % len(codes)])
    deadline = time.perf_counter() + limit_s

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while not queue.empty() and time.perf_counter() < deadline:
                iso3 = queue.get_nowait()
                start = time.perf_counter()
                try:
                    r = await http.get(f"/api/v1/countries/{iso3}/profile")
                    ok = r.status_code == 200 and r.json()["status"] == "ok"
                except httpx.HTTPError as exc:
                    ok, r = False, exc
                latencies.append(time.perf_counter() - start)
                if not ok:
                    failures.append(f"{iso3}: {r}")

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failures, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    db = str(settings(db=args.db).db_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tmo.cli", "serve", "--db", db, "--port", str(port),
         "--workers", str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                codes = [c["iso3"] for c in httpx.get(f"{base}/api/v1/countries").json()
                         ["data"]["countries"] if c["kind"] == "country"]
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        # the first passes over every country fill the workers' profile caches
        warm, _, warm_s = asyncio.run(run(base, codes, args.clients, len(codes) * args.workers,
                                          args.time_limit))
        lat, failures, secs = asyncio.run(run(base, codes, args.clients, args.requests,
                                              args.time_limit))
    finally:
        server.terminate()
        server.wait(timeout=10)
    q = statistics.quantiles(lat, n=100)
    print(f"{args.clients} clients, {len(lat)} requests in {secs:.1f} s "
          f"({len(lat) / secs:.0f} req/s); {len(failures)} failed")
    print(f"latency ms: p50 {1000 * q[49]:.1f}  p95 {1000 * q[94]:.1f}  p99 {1000 * q[98]:.1f}"
          f"  max {1000 * max(lat):.1f}  (target p95 < 100 ms)")
    print(f"cold pass over {len(warm)} countries: {warm_s:.1f} s, "
          f"p95 {1000 * statistics.quantiles(warm, n=100)[94]:.0f} ms")
    for f in failures[:5]:
        print("  failed:", f)


if __name__ == "__main__":
    main()
