"""Every operation of the JSON API documents its answer with a schema, and a request that
should succeed gets a 2xx answer matching it (over the fixture store; the registry's
operations: tests/registry/test_api_answers.py; the stations plan with the voting tests'
fixture rules). Unlike the schemathesis test, whose
generated requests mostly meet 404 and 422, these reach each route's real answer. A route
added without a line here fails `test_every_operation_answers_as_documented`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from tmo.config import WebLimits, settings
from tmo.voting.ruleset import load
from tmo.web import voting as web_voting
from tmo.web.app import create_app

from ..voting.conftest import write_rules
from .conformance import Conformance

CAREER = Path(__file__).parents[2] / "src/tmo/pensions/examples/caricom-career.json"

# (method, url, body): one request per operation that succeeds on the fixture store
REQUESTS: list[tuple[str, str, Any]] = [
    ("GET", "/api/v1/health", None),
    ("GET", "/api/v1/countries", None),
    ("GET", "/api/v1/countries/MDA", None),
    ("GET", "/api/v1/countries/MDA/profile", None),
    ("GET", "/api/v1/corridors/MDA/ROU", None),
    ("GET", "/api/v1/corridors/MDA/ROU?format=csv", None),
    ("GET", "/api/v1/flows?limit=3", None),
    ("GET", "/api/v1/practices?q=regularisation&limit=3", None),
    ("GET", "/api/v1/practices/arg-migration-law-25871", None),
    ("GET", "/api/v1/indicators/immigrant_share", None),
    ("GET", "/api/v1/voting/apportion?votes=A:6100&votes=B:5000&seats=10", None),
    ("GET", "/api/v1/voting/rules", None),
    ("GET", "/api/v1/voting/rules/MDA", None),
    ("GET", "/api/v1/remittances/corridors/USA/PHL", None),
    ("GET", "/api/v1/remittances/countries/PHL", None),
    ("GET", "/api/v1/remittances/sdg", None),
    ("GET", "/api/v1/remittances/world", None),
    ("GET", "/api/v1/changes", None),
    ("GET", "/api/v1/changes?country=MDA", None),
    ("GET", "/api/v1/whats-new", None),
    ("GET", "/api/v1/facts/MDA", None),
    ("GET", "/api/v1/claims/check?q=Germany+hosts+2+million+migrants+in+2024", None),
    ("GET", "/api/v1/words/rules", None),
    ("POST", "/api/v1/words/check", "Illegal immigrants arrived."),
    ("GET", "/api/v1/pensions/rules", None),
    ("POST", "/api/v1/pensions/assess", CAREER.read_text()),
]
# operations no request can answer with 2xx on the fixture store (their errors are
# checked here and by the schemathesis test)
UNANSWERABLE = {
    ("GET", "/api/v1/projections"): ("/api/v1/projections", {404}),  # nothing projected
    # nothing projected either (its answers: tests/projections/test_projected_flows_shown.py)
    ("GET", "/api/v1/projections/flows"): ("/api/v1/projections/flows?country=MDA", {404}),
}


@pytest.fixture(scope="module")
def checked(fixture_web_store: Path) -> Iterator[tuple[TestClient, Conformance]]:
    limits = replace(settings(), web=WebLimits(write_per_minute=1000))
    client = TestClient(create_app(fixture_web_store, watch=0, settings=limits),
                        raise_server_exceptions=False)
    conformance = Conformance(client.get("/openapi.json").json())
    client.event_hooks = {"request": [], "response": [conformance.hook]}
    yield client, conformance
    client.close()


def test_every_operation_answers_as_documented(checked: tuple[TestClient, Conformance],
                                               tmp_path: Path) -> None:
    client, conformance = checked
    for method, url, body in REQUESTS:
        answer = client.request(method, url, content=body)
        assert 200 <= answer.status_code < 300, (url, answer.text[:300])
    # the stations plan, with rules whose missions sit where the fixture store has
    # capitals (the shipped rules' do not: tests/voting/test_web.py)
    rules = write_rules(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(web_voting, "load", lambda code: load(code, rules))
        for url in ("/api/v1/voting/plan/MDA", "/api/v1/voting/plan/MDA?format=csv"):
            assert client.get(url).status_code == 200, url
    for url, codes in UNANSWERABLE.values():
        assert client.get(url).status_code in codes
    left = conformance.all() - conformance.all("/api/v1/registry/") - conformance.succeeded()
    assert left == set(UNANSWERABLE), sorted(left - set(UNANSWERABLE))


def test_the_answers_are_the_documents_the_commands_print(
        checked: tuple[TestClient, Conformance]) -> None:
    """Typing the spec changed no answer: a document route still answers its document
    (not passed through a model that adds or drops fields)."""
    client, _ = checked
    rules = client.get("/api/v1/voting/rules/MDA").json()
    assert "moldova.yaml" in rules["meta"]["file"]
    assert set(rules["data"]) >= {"schema", "country", "sources"}
    assessed = client.post("/api/v1/pensions/assess?what_if=false",
                           content=CAREER.read_text()).json()["data"]
    assert "what_if" not in assessed  # not filled in as null by a model
    assert assessed["agreement"]["id"] == json.loads(CAREER.read_text())["agreement"]


def test_a_sex_with_no_stored_flows_answers_404(checked: tuple[TestClient, Conformance],
                                               fixture_web_store: Path) -> None:
    """Not 200 with no data: the sexes stored for the method, read with plain SQL."""
    client, _ = checked
    con = duckdb.connect(str(fixture_web_store), read_only=True)
    stored = {s for (s,) in con.execute("SELECT DISTINCT sex FROM migration_flows WHERE "
                                        "method = 'da_pb_closed'").fetchall()}
    con.close()
    for sex in ("total", "female", "male"):
        answer = client.get(f"/api/v1/flows?sex={sex}&limit=1")
        assert answer.status_code == (200 if sex in stored else 404), (sex, stored)
        if sex not in stored:
            assert answer.json()["error"]["hint"] == "stored: " + ", ".join(
                f"sex={s}" for s in sorted(stored))
        else:
            assert answer.json()["data"]
    assert stored != {"total", "female", "male"}  # the fixture stores some sexes only


def test_every_parameter_is_described(checked: tuple[TestClient, Conformance]) -> None:
    _, conformance = checked
    bare = [(path, p["name"]) for path, ops in conformance.spec["paths"].items()
            if path.startswith("/api/") for op in ops.values()
            for p in op.get("parameters", []) if not p.get("description")]
    assert bare == []
