"""Benchmark: how long `tmo --help` and `tmo --version` take to answer (target: well under
half a second; issue #16), against importing every command as before the lazy table.

Each run starts a fresh `tmo` process; prints the median and the slowest of `--repeat`.

    .venv/bin/python benchmarks/bench_cli.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

EAGER = ("import importlib; from tmo.cli import COMMANDS, cli; "
         "[importlib.import_module('tmo.cli.' + m) for m, _ in COMMANDS.values()]; "
         "cli(['--help'], prog_name='tmo')")


def timed(args: list[str], repeat: int) -> tuple[float, float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    runs = {"tmo --help": [sys.executable, "-m", "tmo.cli", "--help"],
            "tmo --version": [sys.executable, "-m", "tmo.cli", "--version"],
            "every command imported (before)": [sys.executable, "-c", EAGER]}
    print("| run | median s | slowest s |\n| --- | ---: | ---: |")
    for name, command in runs.items():
        median, slowest = timed(command, args.repeat)
        print(f"| {name} | {median:.3f} | {slowest:.3f} |")
    print("target: --help and --version under 0.5 s")


if __name__ == "__main__":
    main()
