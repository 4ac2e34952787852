"""Load benchmark of the profile endpoint (target: p95 < 100 ms with 50 concurrent clients
on this 2-core machine, nothing failing).

Starts `tmo serve` on a free localhost port and sends GETs of
/api/v1/countries/{iso3}/profile for every country in turn from 50 concurrent clients:

1. on a first start, while the server builds every profile (about a minute);
2. once warm, with `Accept-Encoding: gzip` (what browsers and most clients send);
3. once warm, without compression;
4. once warm, from a Python client (httpx, which also decodes and parses every answer):
   on two cores this client needs more processor time than the server, so its figures
   measure the client as much as the server;
5. after a restart, which reads the answers saved by the first start.

The server runs on a copy of the store in a temporary folder, so the first start has no
saved answers and the user's own are untouched. Runs 1-3 and 5 use wrk (C, `apt-get
install wrk`); a Lua hook checks each answer's status, type and encoding. The processor
time of the server and of the clients is measured for every run. Traffic stays on
127.0.0.1.

    .venv/bin/python benchmarks/bench_web.py [--db PATH] [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tmo.config import settings

WRK_SCRIPT = """
local codes = {%(codes)s}
local n = 0
bad = 0  -- a global, so that done() can read it from each thread
local gzip = %(gzip)s
local threads = {}

setup = function(thread) table.insert(threads, thread) end

request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/countries/" .. codes[(n %% #codes) + 1] .. "/profile")
end

response = function(status, headers, body)
  local encoding = headers["Content-Encoding"] or headers["content-encoding"]
  local ctype = headers["Content-Type"] or headers["content-type"] or ""
  if status ~= 200 or not string.find(ctype, "application/json", 1, true)
     or (gzip and encoding ~= "gzip") or (not gzip and encoding ~= nil) then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do wrong = wrong + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, ' ..
    '"max": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d, "wrong": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, wrong))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(base: str) -> dict:
    return httpx.get(f"{base}/api/v1/health", timeout=10).json()["data"]


def wrk(base: str, codes: list[str], clients: int, seconds: float, gzip: bool) -> dict:
    """One wrk run; latencies in ms."""
    script = WRK_SCRIPT % {"codes": ", ".join(f'"{c}"' for c in codes),
                           "gzip": "true" if gzip else "false"}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    headers = ["-H", "Accept-Encoding: gzip"] if gzip else []
    try:
        run = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", f.name,
             *headers, base], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if run.returncode:
        raise SystemExit(f"wrk failed: {run.stderr or run.stdout}")
    out = run.stdout
    result = json.loads(out.strip().splitlines()[-1])
    for key in ("p50", "p90", "p95", "p99", "max"):
        result[key] = result[key] / 1000
    # "wrong" counts every answer that is not a 200 JSON answer, so "status" is inside it
    result["failed"] = sum(result[k] for k in ("connect", "read", "write", "timeout", "wrong"))
    return result


async def python_clients(base: str, codes: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        nonlocal failures
        i = offset
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.perf_counter() < deadline:
                iso3 = codes[i % len(codes)]
                i += clients
                start = time.perf_counter()
                try:
                    r = await http.get(f"/api/v1/countries/{iso3}/profile")
                    ok = r.status_code == 200 and r.json()["data"]["country"]["iso3"] == iso3
                except httpx.HTTPError:
                    ok = False
                latencies.append(1000 * (time.perf_counter() - start))
                failures += not ok

    start = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "seconds": time.perf_counter() - start, "p50": q[49],
            "p90": q[89], "p95": q[94], "p99": q[98], "max": max(latencies),
            "failed": failures}


def tree_cpu(pid: int) -> float:
    """Processor seconds used so far by a process and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = (int(fields[11]) + int(fields[12])) / tick
    family, todo = set(), [pid]
    while todo:
        current = todo.pop()
        family.add(current)
        todo += [child for child, parent in parents.items() if parent == current]
    return sum(times.get(p, 0.0) for p in family)


def measured(server: subprocess.Popen, run) -> dict:
    """Run one load and add the processor seconds of the server and of the clients."""
    server_before = tree_cpu(server.pid)
    mine = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run()
    mine2 = resource.getrusage(resource.RUSAGE_SELF)
    kids2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["server_cpu"] = tree_cpu(server.pid) - server_before
    result["client_cpu"] = sum(getattr(b, f) - getattr(a, f) for a, b in
                               ((mine, mine2), (kids, kids2)) for f in ("ru_utime", "ru_stime"))
    return result


def line(label: str, r: dict) -> str:
    return (f"| {label} | {r['requests']} | {r['requests'] / r['seconds']:.0f} | "
            f"{r['p50']:.1f} | {r['p90']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['max']:.0f} | {r['failed']} | {r['server_cpu']:.1f} | {r['client_cpu']:.1f} |")


def serve(db: Path, workers: int) -> tuple[subprocess.Popen, str, list[str]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "tmo.cli", "serve", "--db", str(db), "--port", str(port),
         "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            countries = httpx.get(f"{base}/api/v1/countries").json()["data"]["countries"]
            return server, base, [c["iso3"] for c in countries if c["kind"] == "country"]
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def warmed(base: str, workers: int) -> dict:
    """Wait until the warm-up is over; with several workers, until several answers in a
    row (each from whichever worker took the connection) say so."""
    streak = 0
    while streak < 4 * workers:
        status = health(base)["profiles"]
        streak = streak + 1 if status["state"] != "warming" else 0
        time.sleep(0.05 if streak else 0.2)
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    source = settings(db=args.db).db_path
    n, secs = args.clients, args.seconds
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # a copy, so that the first start has no saved answers and the user's are untouched
        db = Path(tmp) / "tmo.duckdb"
        shutil.copy2(source, db)
        server, base, codes = serve(db, args.workers)
        try:
            rows.append(line("first start, during the warm-up (wrk, gzip)", measured(
                server, lambda: wrk(base, codes, n, secs, gzip=True))))
            first = warmed(base, args.workers)
            rows.append(line("warm (wrk, gzip)", measured(
                server, lambda: wrk(base, codes, n, secs, gzip=True))))
            rows.append(line("warm (wrk, no compression)", measured(
                server, lambda: wrk(base, codes, n, secs, gzip=False))))
            rows.append(line("warm (httpx, Python)", measured(
                server, lambda: asyncio.run(python_clients(base, codes, n, secs)))))
        finally:
            server.terminate()
            server.wait(timeout=10)
        started = time.perf_counter()
        server, base, codes = serve(db, args.workers)
        try:
            again = warmed(base, args.workers)
            restart_s = time.perf_counter() - started
            rows.append(line("after a restart (wrk, gzip)", measured(
                server, lambda: wrk(base, codes, n, secs, gzip=True))))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"store {source}; {len(codes)} countries; {n} clients; {args.workers} worker(s); "
          f"{os.cpu_count()} cores")
    print(f"first start: {first['ready']}/{first['total']} profiles built in "
          f"{first['seconds']} s ({first['state']}, {len(first['failed'])} failed, "
          + (f"{first['saved']} saved" if "saved" in first else
             f"{first.get('loaded', 0)} read from the worker that built them")
          + (f", {first['error']}" if "error" in first else "") + ")")
    print(f"restart: {again['loaded']} saved profiles read; serving warm {restart_s:.1f} s "
          "after the start")
    print("| load | requests | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | failed "
          "| server CPU s | clients CPU s |")
    print("| --- |" + " ---: |" * 10)
    print("\n".join(rows))
    print("target: p95 < 100 ms, nothing failing")


if __name__ == "__main__":
    main()
