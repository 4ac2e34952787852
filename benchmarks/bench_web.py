"""Load benchmark of the profile endpoint on a store the server has never seen (target:
p95 < 50 ms with 50 concurrent clients over every country from the first second, nothing
failing), and of `tmo flows` run while the server answers (target: no failed request, the
new flows served afterwards).

Runs, each with wrk (C; `apt-get install wrk`) from 50 connections on 127.0.0.1, over every
country in turn (a Lua hook checks each answer's status, type and encoding), measuring the
processor time of the server and of the clients:

1. first start: the server is started on a fresh copy of the store and the load begins as
   soon as it answers (the build stored every country's profile, so nothing is built);
2. the same server without compression;
3. during `tmo flows`: the load runs while `tmo flows` writes a new store file and swaps it
   in; afterwards the server must serve the new flows and a new ETag;
4. with `--compare REF`: run 1 again with the code of another commit (e.g. the last one
   before profiles became a build stage), side by side, on the same store copy.

    .venv/bin/python benchmarks/bench_web.py [--db PATH] [--clients 50] [--seconds 20]
        [--compare GITREF]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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
             *headers, base], capture_output=True, text=True, check=False)
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


def serve(db: Path, workers: int, src: Path | None = None
          ) -> tuple[subprocess.Popen, str, list[str], float]:
    """Start `tmo serve` (of the code under `src`, default this checkout); returns the
    process, its address, the countries, and the seconds until it first answered."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **({"PYTHONPATH": str(src)} if src else {})}
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "tmo.cli", "serve", "--db", str(db), "--port", str(port),
         "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=env)
    for _ in range(600):
        try:
            countries = httpx.get(f"{base}/api/v1/countries").json()["data"]["countries"]
            return (server, base, [c["iso3"] for c in countries if c.get("profile", True)
                                   and c["kind"] == "country"],
                    time.perf_counter() - started)
        except httpx.HTTPError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("the server did not start")


def during_flows(server: subprocess.Popen, base: str, db: Path, codes: list[str], *,
                 clients: int, seconds: float) -> tuple[dict, float, dict]:
    """The load while `tmo flows` rewrites the store; the flows run's seconds and what the
    server says afterwards."""
    before = health(base)["fingerprint"]
    out: dict = {}
    load = threading.Thread(target=lambda: out.update(measured(
        server, lambda: wrk(base, codes, clients, seconds, gzip=True))))
    load.start()
    time.sleep(2)
    started = time.perf_counter()
    flows = subprocess.run([sys.executable, "-m", "tmo.cli", "flows", "--db", str(db),
                            "--method", "da_min_closed", "--sex", "total", "--wait", "60"],
                           capture_output=True, text=True, check=False)
    flows_s = time.perf_counter() - started
    load.join()
    if flows.returncode:
        raise SystemExit(f"tmo flows failed: {flows.stderr}")
    time.sleep(1.5)  # the server looks for a new store file every second
    after = health(base)
    rows = httpx.get(f"{base}/api/v1/flows?method=da_min_closed&limit=3").json()["data"]
    return out, flows_s, {"fingerprint changed": after["fingerprint"] != before,
                          "stages": after["stages"], "new flows served": len(rows)}


def worktree(ref: str, into: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", str(into), ref], check=True,
                   capture_output=True, cwd=Path(__file__).resolve().parents[1])
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--compare", default=None, metavar="GITREF")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    source = settings(db=args.db).db_path
    n, secs = args.clients, args.seconds
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tmo.duckdb"  # a copy the server has never opened
        shutil.copy2(source, db)
        server, base, codes, up = serve(db, args.workers)
        try:
            rows.append(line("first start (wrk, gzip)", measured(
                server, lambda: wrk(base, codes, n, secs, gzip=True))))
            rows.append(line("no compression (wrk)", measured(
                server, lambda: wrk(base, codes, n, secs, gzip=False))))
            result, flows_s, after = during_flows(server, base, db, codes, clients=n, seconds=secs)
            rows.append(line("during `tmo flows` (wrk, gzip)", result))
        finally:
            server.terminate()
            server.wait(timeout=10)
        notes.append(f"first answer {up:.1f} s after the start; `tmo flows` (da_min_closed, "
                     f"total) took {flows_s:.1f} s while loaded; afterwards: {after}")
        if args.compare:
            old = Path(tmp) / "old.duckdb"
            shutil.copy2(source, old)
            src = worktree(args.compare, Path(tmp) / "old")
            try:
                server, base, codes, up = serve(old, args.workers, src)
                try:
                    rows.append(line(f"first start, code of {args.compare} (wrk, gzip)",
                                     measured(server, lambda: wrk(base, codes, n, secs,
                                                                  gzip=True))))
                finally:
                    server.terminate()
                    server.wait(timeout=10)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(Path(tmp) / "old")],
                               capture_output=True, cwd=Path(__file__).resolve().parents[1],
                               check=False)
    print(f"store {source}; {len(codes)} countries; {n} clients; {args.workers} worker(s); "
          f"{os.cpu_count()} cores; {secs:.0f} s per run")
    print("\n".join(notes))
    print("| load | requests | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | failed "
          "| server CPU s | clients CPU s |")
    print("| --- |" + " ---: |" * 10)
    print("\n".join(rows))
    print("target: p95 < 50 ms from the first second, nothing failing, also during tmo flows")


if __name__ == "__main__":
    main()
