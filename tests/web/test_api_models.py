"""The API's typed answers: every /api/ route documents its 2xx answer with a schema
(not an untyped object), the country resource, and the rounding rule (estimated persons
to whole persons) checked against the unrounded store rows with plain SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
from fastapi.testclient import TestClient


def test_every_api_route_documents_its_answer(fixture_client: TestClient) -> None:
    """Every /api/ operation (the registry's too) documents its success answer with a
    named schema, or as CSV, never as an untyped object."""
    spec = fixture_client.get("/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in operations.items():
            ok = [c for c in op["responses"] if c.startswith("2")]
            assert len(ok) == 1, (method, path, ok)
            content = op["responses"][ok[0]]["content"]
            if "application/json" in content:
                assert "$ref" in content["application/json"]["schema"], (method, path)
            else:
                assert list(content) == ["text/csv"], (method, path, content)
            checked += 1
    assert checked >= 60, checked

def test_country_resource(fixture_client: TestClient, fixture_web_store: Path) -> None:
    body = fixture_client.get("/api/v1/countries/mda").json()
    assert body["status"] == "ok"
    data = body["data"]
    con = duckdb.connect(str(fixture_web_store), read_only=True)
    name, region = con.execute("SELECT name, region FROM countries WHERE iso3 = 'MDA'"
                               ).fetchall()[0]
    groups = {g for (g,) in con.execute("SELECT DISTINCT group_code FROM country_groups "
                                        "WHERE member = 'MDA'").fetchall()}
    con.close()
    assert (data["iso3"], data["name"], data["region"]) == ("MDA", name, region)
    assert data["profile"] is True
    assert data["links"]["profile"] == "/api/v1/countries/MDA/profile"
    assert {g["group_code"] for g in data["groups"]} <= groups
    assert data["groups"]
    missing = fixture_client.get("/api/v1/countries/ZZZ")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "unknown country 'ZZZ'"


def test_flows_are_whole_persons(fixture_client: TestClient, fixture_web_store: Path) -> None:
    rows = fixture_client.get("/api/v1/flows?limit=5&period_start=2015").json()["data"]
    con = duckdb.connect(str(fixture_web_store), read_only=True)
    for r in rows:
        (raw,) = con.execute(
            "SELECT flow FROM migration_flows WHERE method = ? AND sex = 'total' "
            "AND period_start = ? "
            "AND origin = ? AND destination = ?",
            [r["method"], r["period_start"], r["origin"], r["destination"]]).fetchall()[0]
        assert r["flow"] == round(raw)
        assert r["flow"] != raw or raw == int(raw)  # rounded, not the raw estimate
    con.close()
