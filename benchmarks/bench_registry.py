"""Benchmark: the diaspora registry with many synthetic registrants (targets, issue #17:
an officer's filtered search p95 < 100 ms, the aggregate tables < 2 s, on SQLite and on
PostgreSQL).

Fills a fresh registry with `tmo registry demo`'s synthetic registrants of --country
(their countries of residence follow the store's UN DESA emigrant stocks), then times
--searches officer searches (the officer of the largest mission; filters drawn at
random: a country of its jurisdiction, the start of a name, a sex, crisis-contact
consent, a page) and --repeat runs of the aggregate tables. PostgreSQL: --pg-url, or a
throwaway cluster started as the tests do (tests/registry/postgres.py).

    .venv/bin/python benchmarks/bench_registry.py [--db STORE] [--country ZMB]
        [--n 1000000] [--backend sqlite|postgresql|both] [--searches 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tmo.config import settings  # noqa: E402
from tmo.registry import aggregates, consular, demo  # noqa: E402
from tmo.registry.access import Actor  # noqa: E402
from tmo.registry.consular import Filters  # noqa: E402
from tmo.registry.database import engine, migrate, transaction  # noqa: E402
from tmo.registry.models import Jurisdiction, Registration  # noqa: E402
from tmo.store import facts  # noqa: E402
from tmo.store.query import connect  # noqa: E402


@contextlib.contextmanager
def registry_url(backend: str, pg_url: str | None, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'registry.sqlite'}"
        return
    if pg_url:
        yield pg_url
        return
    from tests.registry.postgres import cluster

    with cluster() as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        yield str(make_url(url).set(database="bench"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(backend: str, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    with registry_url(backend, args.pg_url, folder) as url:
        made = engine(url)
        migrate(made)
        con = connect(args.db)
        start = time.perf_counter()
        try:
            demo.populate(made, con, facts.require_country(con, args.country), args.n)
        finally:
            con.close()
        out["fill_s"] = time.perf_counter() - start
        with transaction(made) as s:
            mission, size = s.execute(
                select(Registration.mission_id, func.count()).group_by(
                    Registration.mission_id).order_by(func.count().desc()).limit(1)).one()
            residences = list(s.scalars(select(Jurisdiction.residence).where(
                Jurisdiction.mission_id == mission)))
        if backend == "postgresql":
            with made.begin() as c:
                c.execute(text("ANALYZE"))
        officer = Actor(-1, "officer", mission)
        rng = random.Random(0)
        times = []
        for _ in range(args.searches):
            filters = Filters(
                residence=rng.choice([None, *residences]),
                name=rng.choice([None, "Synthetic Registrant 1", "Synthetic Registrant 42",
                                 "Synthetic Registrant 9999", "Nobody"]),
                sex=rng.choice([None, "female", "male"]),
                crisis_contact=rng.random() < 0.3)
            begin = time.perf_counter()
            with transaction(made) as s:
                consular.search(s, officer, filters, page=rng.choice([0, 0, 0, 1, 5]))
            times.append(time.perf_counter() - begin)
        out["mission_registrants"] = size
        out["search_p50_ms"] = 1000 * percentile(times, 0.5)
        out["search_p95_ms"] = 1000 * percentile(times, 0.95)
        runs = []
        for _ in range(args.repeat):
            begin = time.perf_counter()
            aggregates.tables(made)
            runs.append(time.perf_counter() - begin)
        out["aggregates_s"] = statistics.median(runs)
        made.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="store (default: TMO_DB)")
    parser.add_argument("--country", default="ZMB")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.db = args.db or settings().db_path
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(f"{args.n:,} synthetic registrants of {args.country}")
    print(f"{'backend':<11} {'fill s':>7} {'mission':>9} {'search p50 ms':>14} "
          f"{'search p95 ms':>14} {'aggregates s':>13}")
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            r = run(backend, args, Path(tmp))
        print(f"{backend:<11} {r['fill_s']:>7.1f} {r['mission_registrants']:>9,.0f} "
              f"{r['search_p50_ms']:>14.1f} {r['search_p95_ms']:>14.1f} "
              f"{r['aggregates_s']:>13.2f}")
    print("targets: search p95 < 100 ms, aggregates < 2 s")


if __name__ == "__main__":
    main()
