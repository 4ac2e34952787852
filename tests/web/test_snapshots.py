"""The server over an immutable store: stored profiles answered from the first request
with the build's ETag, and a store swapped in by `tmo flows` picked up while answering.
Over the fixture store (hand-made figures), but for every real country answered at once;
the real store's stored documents and a profile built on demand: test_published.py."""

from __future__ import annotations

import gzip
import json
import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import web_state
from tmo.flows.estimate_store import estimate_revision
from tmo.pipeline import store_flows
from tmo.profiles.context import build_profile
from tmo.store import facts
from tmo.store.query import connect
from tmo.web.app import create_app


def test_stored_profile_is_the_document_with_etag(fixture_client: TestClient,
                                                  fixture_web_store: Path) -> None:
    client = fixture_client
    snap = web_state(client).current
    # every country's default profile, stored by the build: the fixture's eight countries
    # (real: test_published.py::test_health_reports_the_build)
    assert len(snap.documents) == 8
    plain = client.get("/api/v1/countries/TUV/profile", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert json.loads(plain.content)["data"] == build_profile(fixture_web_store, "TUV")
    etag = plain.headers["etag"]
    assert etag == f'"{snap.fingerprint}"'
    again = client.get("/api/v1/countries/TUV/profile",
                       headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    with client.stream("GET", "/api/v1/countries/TUV/profile",
                       headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers["etag"] == f'"{snap.fingerprint}-gz"'
        assert gzip.decompress(b"".join(packed.iter_raw())) == plain.content


def test_other_years_are_built_on_demand(fixture_client: TestClient,
                                        fixture_web_store: Path) -> None:
    body = fixture_client.get("/api/v1/countries/DEU/profile?year=2020&revision=2020").json()
    assert body["data"] == build_profile(fixture_web_store, "DEU", 2020, "2020")
    # 110,000 x 8/10 (figures.py); real: test_published.py
    assert body["data"]["immigration"]["figures"]["immigrant_stock"]["value"] == 88_000


def test_flows_swapped_in_while_serving(fixture_store: Path, tmp_path: Path) -> None:
    """`tmo flows` on the store a server reads: no request fails, and the new flows and
    profiles are served afterwards (the server notices the new file within a second)."""
    db = tmp_path / "tmo.duckdb"
    shutil.copy(fixture_store, db)
    app = create_app(db, watch=0.2)
    failures: list[str] = []
    served = 0
    stop = threading.Event()

    def hammer() -> None:
        nonlocal served
        with TestClient(app) as c:
            while not stop.is_set():
                for url in ("/api/v1/countries/MDA/profile", "/api/v1/flows?limit=5",
                            "/countries/DEU"):
                    r = c.get(url)
                    served += 1
                    # flows answer 404 until the store holding them is served
                    ok = (200, 404) if url.startswith("/api/v1/flows") else (200,)
                    if r.status_code not in ok:
                        failures.append(f"{url}: {r.status_code}")

    with TestClient(app) as client:
        before = web_state(client).current.fingerprint
        assert client.get("/api/v1/flows?limit=5").status_code == 404  # none stored yet
        thread = threading.Thread(target=hammer)
        thread.start()
        try:
            con = connect(db)
            frame, findings, _ = estimate_revision(con, "2024", "da_min_closed", ("total",))
            con.close()
            store_flows(db, frame, findings)
            deadline = time.monotonic() + 10
            while web_state(client).current.fingerprint == before:
                assert time.monotonic() < deadline, "the new store was not picked up"
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(timeout=30)
        flows = client.get("/api/v1/flows?method=da_min_closed&limit=5").json()["data"]
        assert len(flows) == 5
        assert flows[0]["flow"] >= flows[-1]["flow"]
        etag = client.get("/api/v1/countries/MDA/profile").headers["etag"]
        assert before not in etag
    assert served > 10
    assert failures == []


def test_unknown_keys_answer_404(fixture_client: TestClient) -> None:
    r = fixture_client.get("/api/v1/countries/QQQ/profile")
    assert r.status_code == 404
    assert "unknown country" in r.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/countries/MDA/profile", "/countries/MDA"])
def test_real_server_answers_every_country_at_once(base_url: str, path: str,
                                                   web_store: Path) -> None:
    con = connect(web_store)
    codes = [c for c, _ in facts.country_list(con)]
    con.close()
    if path.startswith("/countries"):
        codes = codes[:20]  # pages render HTML per request; the API sends stored bytes
    start = time.perf_counter()
    with httpx.Client(base_url=base_url, timeout=30) as c:
        statuses = [c.get(path.replace("MDA", code)).status_code for code in codes]
    assert set(statuses) == {200}
    assert time.perf_counter() - start < 60
