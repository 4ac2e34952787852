"""Benchmark: compressed bombs against `tmo build` (target: refused, < 1 GB peak memory).

Also a plain file too large to parse: a 100 MB GeoJSON of 30 million values.

Each bomb is about 1 MB and expands to 1 GiB: a gzipped CSV and an R data file (gzip
members of zeros, repeated), the checksum-free official WPP CSV (read in a default
build), and an .xlsx whose worksheet part deflates to 1 GiB of blanks. Each runs as
`tmo build --source-dir <mirror> --only <source>` in a child process (under a small
probe process, so that getrusage sees that child alone); printed: the answer's first
line, the wall time and the child's peak resident memory. Figures are recorded in
docs/reliability.md ("Limits on inputs").

    .venv/bin/python benchmarks/bench_inputs.py [--limit-bytes 256M]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.reliability import corrupt  # noqa: E402 - the corpus's own bombs

DEST24 = "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
BOMBS: dict[str, tuple[str, str, Callable[[], bytes], bool]] = {
    ".csv.gz (bilateral CSV)": ("ims_od_2024", "ims2024_od_by_sex_long.csv.gz",
                                corrupt.gzip_bomb, True),
    ".csv.gz (WPP, no checksum)": ("wpp2024", "WPP2024_Demographic_Indicators_Medium.csv.gz",
                                   corrupt.gzip_bomb, False),
    ".rda (UNHCR)": ("unhcr", "population.rda",
                     lambda: corrupt.gzip_bomb(prefix=b"RDX3\nX\n"), True),
    ".xlsx (IMS origin-destination, no checksum)": (
        "ims_od_2024", "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
        lambda: corrupt.zip_bomb(DEST24, corrupt.sheet_part(DEST24, "Table 1")), False),
}


def geojson_flood(size: int = 100 * 1024**2) -> bytes:
    """Not compressed, within the bytes limit: a GeoJSON of one polygon whose ring has
    about `size` / 10 positions (about 30 million JSON values). Parsed whole, it would
    take about 2 GiB (a 48 MB one took 1,015 MiB and 45 s before the values were
    counted)."""
    pairs = size // 10
    head = (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            b'{"ISO_A3_EH":"FRA"},"geometry":{"type":"Polygon","coordinates":[[')
    return head + b"[1.5,2.5]," * pairs + b"[1.5,2.5]]]}}]}"


BOMBS[".geojson, 100 MB plain (Natural Earth)"] = (
    "natural_earth", "ne_110m_admin_0_countries.geojson", geojson_flood, True)
PROBE = ("import json, resource, subprocess, sys; "
         "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
         "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
         "r.returncode, r.stderr]))")


def run_bomb(key: str, name: str, make: Callable[[], bytes], allow: bool,
             env: dict[str, str]) -> tuple[int, float, float, int, str]:
    """(bomb bytes, seconds, peak MiB, exit code, first line of the answer)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mirror = corrupt.Mirror(folder / "mirror")
        size = mirror.replace(name, make()).stat().st_size
        cmd = [sys.executable, "-m", "tmo.cli", "build", "--source-dir", str(mirror.root),
               "--db", str(folder / "tmo.duckdb"), "--only", key,
               *(["--allow-changed-checksums"] if allow else [])]
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PROBE, *cmd], capture_output=True,
                              text=True, check=True, env={**env, "TMO_HOME": tmp})
        seconds = time.perf_counter() - start
        kib, code, err = json.loads(done.stdout)
        return size, seconds, kib / 1024, code, err.strip().splitlines()[0][:150]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=None, metavar="TEXT",
                        help="run only the bombs whose label contains TEXT")
    parser.add_argument("--limit-bytes", default=None,
                        help="TMO_MAX_INPUT_BYTES for the builds (default: the default)")
    args = parser.parse_args()
    env = dict(os.environ, COLUMNS="200")
    if args.limit_bytes:
        env["TMO_MAX_INPUT_BYTES"] = args.limit_bytes
    print(f"{'bomb':<46} {'file':>9} {'time':>7} {'peak':>9}  answer")
    for label, (key, name, make, allow) in BOMBS.items():
        if args.only and args.only not in label:
            continue
        size, seconds, peak, code, line = run_bomb(key, name, make, allow, env)
        print(f"{label:<46} {size / 1024**2:>7.2f}MB {seconds:>6.1f}s {peak:>7,.0f}MiB  "
              f"exit {code}: {line}")


if __name__ == "__main__":
    main()
