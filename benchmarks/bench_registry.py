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

With --clients C --seconds S it measures registration under load instead: a server of
the registry's routes (uvicorn, real Argon2id hashing) and C clients registering
without pause for S seconds (targets: 50 clients, 60 s, zero failures), then checks
that every acknowledged registration is stored.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.registry.postgres import cluster  # noqa: E402

from tmo.config import settings  # noqa: E402
from tmo.registry import aggregates, consular, demo, organisation  # noqa: E402
from tmo.registry.access import SYSTEM, Actor  # noqa: E402
from tmo.registry.consular import Filters  # noqa: E402
from tmo.registry.database import engine, migrate, transaction  # noqa: E402
from tmo.registry.models import Jurisdiction, Registration, User  # noqa: E402
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


LOAD_SERVER = """
import sys

import uvicorn
from fastapi import FastAPI

from tmo.registry import accounts
from tmo.web import envelope, registry

accounts.REGISTRATIONS_PER_HOUR = 10**9  # every client comes from this one address
app = FastAPI()
envelope.install(app)
registry.install(app, sys.argv[1])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="error")
"""


def serve(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A server of the registry's routes on a free port, once it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    script = folder / "server.py"
    script.write_text(LOAD_SERVER, encoding="utf-8")
    server = subprocess.Popen([sys.executable, str(script), url, str(port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/api/v1/registry/missions").status_code == 200:
                break
        time.sleep(0.1)
    return server, base


def load(url: str, clients: int, seconds: float, folder: Path) -> dict[str, float]:
    """C clients registering for S seconds against a server of the registry's routes."""

    made = engine(url)
    migrate(made)

    with transaction(made) as s:
        organisation.set_origin(s, "ZMB", "Zambia")
        mission = organisation.add_mission(s, SYSTEM, "Load test mission", "GBR",
                                           residences=["GBR"])
    server, base = serve(url, folder)
    ok: list[str] = []
    failures: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            token = c.get("/api/v1/registry/csrf").json()["data"]["csrf"]
            k = 0
            while time.monotonic() < stop:
                email = f"load{n}-{k}@example.org"
                k += 1
                begin = time.perf_counter()
                try:
                    answer = c.post("/api/v1/registry/registrations", json={
                        "name": f"Load {n} {k}", "email": email,
                        "password": "a long passphrase", "residence": "GBR",
                        "mission": mission, "consents": ["statistics"]},
                        headers={"X-CSRF-Token": token,
                                 "Cookie": f"tmo_registry_csrf={token}"})
                    failed = None if answer.status_code == 201 else \
                        f"{answer.status_code} {answer.text[:100]}"
                except httpx.HTTPError as exc:
                    failed = repr(exc)
                with lock:
                    latencies.append(time.perf_counter() - begin)
                    (failures.append(failed) if failed else ok.append(email))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.terminate()
    server.wait()
    with transaction(made) as s:
        stored = set(s.scalars(select(User.email)))
    made.dispose()
    if failures:
        print("first failures:", failures[:3])
    return {"registered": len(ok), "failures": len(failures),
            "lost": len(set(ok) - stored), "per_s": len(ok) / seconds,
            "p95_ms": 1000 * percentile(latencies, 0.95) if latencies else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="store (default: TMO_DB)")
    parser.add_argument("--country", default="ZMB")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=0,
                        help="measure registration under load with this many clients")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    if args.clients:
        print(f"{args.clients} clients registering for {args.seconds:.0f} s")
        print(f"{'backend':<11} {'registered':>10} {'per s':>6} {'p95 ms':>7} "
              f"{'failures':>8} {'lost':>5}")
        for backend in (["sqlite", "postgresql"] if args.backend == "both"
                        else [args.backend]):
            with tempfile.TemporaryDirectory() as tmp, \
                    registry_url(backend, args.pg_url, Path(tmp)) as url:
                r = load(url, args.clients, args.seconds, Path(tmp))
            print(f"{backend:<11} {r['registered']:>10.0f} {r['per_s']:>6.1f} "
                  f"{r['p95_ms']:>7.0f} {r['failures']:>8.0f} {r['lost']:>5.0f}")
        return
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
