"""Benchmark: fuzzed requests against the web app (issue #11: no 5xx, no traceback, no
reflected markup). Every route the app declares is called with random path parameters
(valid codes, unknown codes, long, non-ASCII, traversal, markup, SQL-like and numeric
text), random query parameters (those the route declares, and unknown ones), in every
language prefix, with GET, HEAD and the other methods; write routes get random bodies.
Printed: requests, answers by status class, any 5xx (method, path, status) and any
answer that shows a traceback or an unescaped `<script>` it was sent.

In process (the ASGI app with Starlette's test client, server exceptions turned into
500 answers), over the fixture store (built in a temporary folder) unless --db is given:

    .venv/bin/python benchmarks/bench_fuzz_web.py [--requests 20000] [--seed 11] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tmo.config import Settings, WebLimits
from tmo.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fixture_store.make import build_store  # noqa: E402 - the fixture store's files

MARK = "<script>tmo-fuzz</script>"
VALUES = ["MDA", "ROU", "ITA", "FRA", "ETH", "OOO", "UN:900", "WB:HIC", "mda", "XXX", "",
          "A" * 3000, "ü", "日本", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%00", "\x00",
          MARK, "' OR 1=1 --", "1e400", "-1", "0", "2024", "99999999999999999999", "NaN",
          "inf", "null", "[]", "{}", "%", "%%", "?", "#", " ", "\t", "..", "/", "\\", "🙂" * 50]
VALID = ["MDA", "ROU", "ITA", "FRA", "ETH", "DEU", "2024", "2020", "total", "female", "en",
         "fr", "es", "1", "10", "migrant_stock", "stock_differencing"]
LANGS = ["", "", "", "/fr", "/es", "/xx"]
METHODS = ["GET"] * 8 + ["HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


def fixture_db(folder: Path) -> Path:
    return build_store(folder).db_path


def routes(app) -> list[tuple[str, list[str], list[str]]]:
    """(path template, methods, query parameter names) of every route."""
    out = []

    def walk(items, prefix: str = "") -> None:
        for route in items:
            inner = getattr(route, "original_router", None) or getattr(route, "router", None)
            if inner is not None and getattr(route, "path", None) is None:
                walk(inner.routes, prefix + getattr(inner, "prefix", ""))
                continue
            path = getattr(route, "path", None)
            if not path:
                continue
            path = path if path.startswith(prefix) else prefix + path
            query = [p.name for p in getattr(getattr(route, "dependant", None),
                                             "query_params", [])]
            out.append((path, sorted(getattr(route, "methods", None) or {"GET"}), query))

    walk(app.routes)
    return out


def value(rnd: random.Random) -> str:
    """Half the time a value the app knows, else a hostile one."""
    return rnd.choice(VALID) if rnd.random() < 0.5 else rnd.choice(VALUES)


def fill(template: str, rnd: random.Random) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: value(rnd).replace("/", "%2F")
                  if rnd.random() < 0.7 else value(rnd), template)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or fixture_db(Path(tmp))
        limits = WebLimits(pdf_per_minute=10**6, search_per_minute=10**6,
                           write_per_minute=10**6)  # fuzz the routes, not the rate limits
        settings = Settings(home=Path(tmp), db_path=db, cache_dir=Path(tmp) / "cache",
                            source_dir=None, web=limits)
        app = create_app(db, watch=0, settings=settings)
        table = routes(app)
        rnd = random.Random(args.seed)
        statuses: Counter[int] = Counter()
        failures: list[str] = []
        start = time.perf_counter()
        with TestClient(app, raise_server_exceptions=False) as client:
            for _ in range(args.requests):
                template, methods, query = rnd.choice(table)
                method = rnd.choice(METHODS) if rnd.random() < 0.3 else rnd.choice(methods)
                if template.endswith(".pdf") and rnd.random() < 0.95:
                    continue  # each PDF costs seconds; a few suffice
                path = rnd.choice(LANGS) + fill(template, rnd)
                params = {name: value(rnd) for name in query if rnd.random() < 0.5}
                if rnd.random() < 0.2:
                    params[rnd.choice(["q", "page", "limit", "x", MARK])] = rnd.choice(VALUES)
                body = None
                if method in ("POST", "PUT", "PATCH"):
                    body = rnd.choice([b"", b"{}", b"[]", b"\xff\xfe", b'{"a":' * 500,
                                       MARK.encode(), b'{"email":"a@b.c","password":"x"}'])
                try:
                    res = client.request(method, path, params=params, content=body,
                                         headers={"content-type": rnd.choice(
                                             ["application/json", "text/plain",
                                              "application/x-www-form-urlencoded"])})
                except (httpx.InvalidURL, UnicodeError):  # a tab, a NUL in the URL:
                    statuses[0] += 1  # never sent, so not the app's answer
                    continue
                statuses[res.status_code] += 1
                text = res.text if method != "HEAD" else ""
                if res.status_code >= 500 or "Traceback" in text or MARK in text:
                    failures.append(f"{res.status_code} {method} {path} {params}"[:200])
        seconds = time.perf_counter() - start
    total = sum(statuses.values())
    classes = Counter(f"{s // 100}xx" if s else "not sent" for s in statuses.elements())
    print(f"{total:,} requests in {seconds:.0f} s over {len(table)} routes: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(classes.items())))
    print("statuses:", dict(sorted(statuses.items())))
    print(f"failures: {len(failures)}")
    for line in failures[:30]:
        print("  ", line)


if __name__ == "__main__":
    main()
