"""Latency of good-practice search over the curated set.

    .venv/bin/python benchmarks/bench_practices.py [--repeat N] [--mode fulltext|auto]

Prints start-up time (loading and validating the records, building the indexes) and
per-query latency over the evaluation questions of tests/practices/eval_questions.yaml
and its French and Spanish companions (eval_questions.fr.yaml, eval_questions.es.yaml).
Target: under 50 ms per query after start-up.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

from tmo.practices.catalog import load_catalog
from tmo.practices.search import PracticeSearch

EVAL = Path(__file__).resolve().parents[1] / "tests" / "practices"
QUESTIONS = [EVAL / f"eval_questions{suffix}.yaml" for suffix in ("", ".fr", ".es")]
TARGET_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of each question")
    parser.add_argument("--mode", choices=("fulltext", "auto"), default="fulltext")
    args = parser.parse_args()

    questions = [q["question"] for path in QUESTIONS
                 for q in yaml.safe_load(path.read_text(encoding="utf-8"))]

    start = time.perf_counter()
    catalog = load_catalog()
    loaded = time.perf_counter()
    engine = PracticeSearch(catalog, semantic=False if args.mode == "fulltext" else None)
    built = time.perf_counter()

    timings: list[float] = []
    for _ in range(args.repeat):
        for question in questions:
            t0 = time.perf_counter()
            engine.search(question, limit=5)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))]

    print(f"mode                 {engine.mode}")
    print(f"records              {len(catalog)}")
    print(f"start-up: load       {(loaded - start) * 1000:8.1f} ms")
    print(f"start-up: indexes    {(built - loaded) * 1000:8.1f} ms")
    print(f"queries              {len(timings)} ({len(questions)} questions x {args.repeat})")
    print(f"latency mean         {statistics.fmean(timings):8.3f} ms")
    print(f"latency p50          {pct(0.50):8.3f} ms")
    print(f"latency p95          {pct(0.95):8.3f} ms")
    print(f"latency max          {timings[-1]:8.3f} ms")
    verdict = "OK" if pct(0.95) < TARGET_MS else "TOO SLOW"
    print(f"target p95 < {TARGET_MS:.0f} ms  {verdict}")


if __name__ == "__main__":
    main()
