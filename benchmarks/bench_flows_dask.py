"""Benchmark: `tmo flows` on one large SYNTHETIC stock table (made-up numbers, not a
statistic: 1,000 and 3,100 regions by default, the size of the issue's sub-national
case), in process and on a local two-worker Dask cluster (`tmo.flows.cluster`).

Each run is a fresh Python process, so that its peak memory is its own:
- in process, with the default BLAS threads (all cores) and with one BLAS thread (the
  workers' setting, against which the cluster's result is equal to the bit but for the
  origin-destination product);
- on a local cluster of two single-threaded workers (its start-up timed apart): wall,
  CPU of the client and of the workers, peak resident memory of each.

Times the estimation from the arrays (`estimate` / `estimate_with`, da_pb_closed, the
default method, with births and deaths), not the reading of CSV files nor the writing of
the flows. The origin-destination matrices of the runs are compared: cells equal to the
bit, largest relative difference. `--cli` times the whole command as a user runs it
instead: the synthetic tables written as CSV files (orig, dest, stock; n² rows each),
then `tmo flows --stocks-start ... --out FILE` in process and with `--workers 2` (wall,
CPU of the command and everything it started, the largest peak memory among them).

    .venv/bin/python benchmarks/bench_flows_dask.py [--regions 1000 3100] [--method M] [--cli]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHILD = "--child"


def synthetic(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A made-up table of `n` regions (fixed seed): native-born on the diagonal (about
    60,000 a region), migrants off it (lognormal, most cells small), births and deaths of
    about 1.2 % and 0.9 % of each region's population; a 10 % change of each cell."""
    rng = np.random.default_rng(2026)
    start = np.round(rng.lognormal(2.0, 2.0, (n, n)))
    np.fill_diagonal(start, np.round(rng.lognormal(11.0, 0.8, n)))
    end = np.round(start * rng.lognormal(0.0, 0.1, (n, n)))
    population = start.sum(0)
    return start, end, np.round(population * 0.012), np.round(population * 0.009)


def peak_mb() -> float:
    """This process's peak resident memory: VmHWM, not `ru_maxrss`, which a Dask worker
    inherits from the process that started it (here the client, tables and all)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def child(mode: str, n: int, method: str, out: Path) -> dict:
    """One run in this (fresh) process; its origin-destination matrix saved to `out`."""
    from tmo.flows import estimate  # noqa: PLC0415 - after the BLAS threads are set

    tables = synthetic(n)
    report: dict = {"mode": mode, "regions": n, "before_mb": peak_mb(),
                    "load_start": os.getloadavg()[0]}
    if mode.startswith("in process"):
        start, cpu = time.perf_counter(), cpu_seconds()
        result = estimate(*tables, method=method)
        report |= {"wall": time.perf_counter() - start, "cpu": cpu_seconds() - cpu}
    else:
        from tmo import cluster  # noqa: PLC0415
        from tmo.flows.cluster import OnCluster  # noqa: PLC0415
        from tmo.flows.methods import estimate_with  # noqa: PLC0415

        start = time.perf_counter()
        with cluster.client(workers=2) as client:
            report["start_up"] = time.perf_counter() - start
            before = sum(client.run(cpu_seconds).values())
            start, cpu = time.perf_counter(), cpu_seconds()
            result = estimate_with(OnCluster(client), *tables, method=method)
            report |= {"wall": time.perf_counter() - start, "cpu": cpu_seconds() - cpu,
                       "workers_cpu": sum(client.run(cpu_seconds).values()) - before,
                       "workers_mb": sorted(client.run(peak_mb).values())}
    report |= {"peak_mb": peak_mb(), "load_end": os.getloadavg()[0],
               "iterations": result.diagnostics.iterations,
               "margin_error": result.diagnostics.max_margin_error}
    np.save(out, result.od)
    return report


def run(mode: str, n: int, method: str, out: Path) -> dict:
    env = dict(os.environ)
    if mode == "in process, 1 BLAS thread":
        env["OPENBLAS_NUM_THREADS"] = "1"
    done = subprocess.run([sys.executable, __file__, CHILD, mode, str(n), method, str(out)],
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(a: np.ndarray, b: np.ndarray) -> str:
    scale = np.maximum(np.abs(a), np.finfo(float).tiny)
    return (f"{np.mean(a == b):.4%} of cells equal to the bit, largest relative difference "
            f"{float(np.max(np.abs(a - b) / scale)):.2g}")


def describe(r: dict) -> str:
    text = (f"{r['mode']}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU"
            f"{' (client)' if 'workers_cpu' in r else ''}")
    if "workers_cpu" in r:
        text += (f" + {r['workers_cpu']:.1f} s CPU on the workers, + {r['start_up']:.1f} s to "
                 f"start the cluster; peak RSS of the workers "
                 f"{' and '.join(f'{m:,.0f}' for m in r['workers_mb'])} MB, client")
    else:
        text += "; peak RSS"
    return (text + f" {r['peak_mb']:,.0f} MB (before {r['before_mb']:,.0f} MB); load average "
            f"{r['load_start']:.1f} -> {r['load_end']:.1f}; IPF iterations {r['iterations']}")


def write_csv(n: int, folder: Path) -> list[str]:
    """The synthetic tables as the files `tmo flows --stocks-start` reads."""
    import pandas as pd  # noqa: PLC0415

    start, end, births, deaths = synthetic(n)
    labels = np.array([f"SYN{i:04d}" for i in range(n)])
    orig, dest = np.repeat(labels, n), np.tile(labels, n)
    for name, table in (("start", start), ("end", end)):
        pd.DataFrame({"orig": orig, "dest": dest, "stock": table.ravel()}).to_csv(
            folder / f"{name}.csv", index=False)
    pd.DataFrame({"region": labels, "births": births}).to_csv(folder / "b.csv", index=False)
    pd.DataFrame({"region": labels, "deaths": deaths}).to_csv(folder / "d.csv", index=False)
    return ["--stocks-start", str(folder / "start.csv"), "--stocks-end",
            str(folder / "end.csv"), "--births", str(folder / "b.csv"), "--deaths",
            str(folder / "d.csv")]


def command(n: int, method: str, folder: Path) -> None:
    """`tmo flows` on the CSV files, in process and on two local workers."""
    import pandas as pd  # noqa: PLC0415

    files = write_csv(n, folder)
    tmo = str(Path(sys.executable).with_name("tmo"))
    outs: list[pd.DataFrame] = []
    for extra in ([], ["--workers", "2"]):
        out = folder / f"flows{len(outs)}.csv"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start, at_start = time.perf_counter(), os.getloadavg()[0]
        subprocess.run([tmo, "flows", *files, "--method", method, *extra, "--out", str(out)],
                       check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"{n:,} regions, tmo flows {' '.join(extra) or 'in process'}: {wall:.1f} s "
              f"wall, {cpu:.1f} s CPU (the command and its workers); largest peak RSS of "
              f"the command or a worker so far {after.ru_maxrss / 1024:,.0f} MB; load "
              f"average {at_start:.1f} -> "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        outs.append(pd.read_csv(out))
    a, b = outs
    same = a[["origin", "destination"]].equals(b[["origin", "destination"]])
    print(f"{n:,} regions, tmo flows: {len(a):,} flows, the same pairs: {same}; "
          f"{compare(a['flow'].to_numpy(), b['flow'].to_numpy())}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == CHILD:
        mode, n, method, out = sys.argv[2], int(sys.argv[3]), sys.argv[4], Path(sys.argv[5])
        print(json.dumps(child(mode, n, method, out)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, nargs="+", default=[1000, 3100])
    parser.add_argument("--method", default="da_pb_closed")
    parser.add_argument("--cli", action="store_true", help="time the whole command")
    args = parser.parse_args()
    if args.cli:
        print(f"SYNTHETIC stock tables (made-up numbers); {args.method}; {os.cpu_count()} cores")
        for n in args.regions:
            with tempfile.TemporaryDirectory() as tmp:
                command(n, args.method, Path(tmp))
        return
    print(f"SYNTHETIC stock tables (made-up numbers); {args.method}; {os.cpu_count()} cores")
    modes = ("in process", "in process, 1 BLAS thread", "Dask, 2 local workers")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.regions:
            ods = {}
            for i, mode in enumerate(modes):
                out = Path(tmp) / f"od{i}.npy"
                print(f"{n:,} regions, {describe(run(mode, n, args.method, out))}", flush=True)
                ods[mode] = np.load(out)
            print(f"{n:,} regions, Dask against in process on 1 BLAS thread: "
                  f"{compare(ods[modes[1]], ods[modes[2]])}")
            print(f"{n:,} regions, Dask against in process: "
                  f"{compare(ods[modes[0]], ods[modes[2]])}")
            print(f"{n:,} regions, in process on 1 against {os.cpu_count()} BLAS threads: "
                  f"{compare(ods[modes[0]], ods[modes[1]])}", flush=True)


if __name__ == "__main__":
    main()
