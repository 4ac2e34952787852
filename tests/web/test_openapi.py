"""The OpenAPI spec documents every answer: each /api/ route its error envelope for 404
and 422 (and 400, 413, 429), the flows' methods and sexes as enums, descriptions on the
parameters; the errors answered have that shape. (test_schemathesis.py checks generated
requests' answers against the spec.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from tmo.flows import METHODS
from tmo.web.schemas import ErrorEnvelope, FlowsAnswer


@pytest.fixture(scope="module")
def spec(fixture_client: TestClient) -> dict:
    return dict(fixture_client.get("/openapi.json").json())


def test_every_api_route_documents_its_errors(spec: dict) -> None:
    ref = "#/components/schemas/ErrorEnvelope"
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for code in ("404", "422"):
                schema = op["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": ref}, (method, path, code)


def test_methods_and_sexes_are_enums_with_descriptions(spec: dict) -> None:
    params = {p["name"]: p for p in spec["paths"]["/api/v1/flows"]["get"]["parameters"]}
    schemas = spec["components"]["schemas"]
    assert schemas[params["method"]["schema"]["$ref"].rsplit("/", 1)[1]]["enum"] \
        == list(METHODS)
    assert schemas[params["sex"]["schema"]["$ref"].rsplit("/", 1)[1]]["enum"] \
        == ["total", "female", "male"]
    for name in ("revision", "method", "sex", "period_start", "country", "limit"):
        assert params[name].get("description"), name


@pytest.mark.parametrize(("url", "status"), [
    ("/api/v1/flows?method=da_min_closed", 404),  # known, nothing stored: not 200 and []
    ("/api/v1/flows?period_start=1991", 404),  # no such period: not 200 and []
    ("/api/v1/flows?sex=both", 422),
    ("/api/v1/indicators/immigrant_share?year=2023", 404),
    ("/api/v1/countries/ZZZ/profile", 404),
    ("/api/v1/corridors/MDA/MDA", 422),
])
def test_errors_have_the_documented_shape(fixture_client: TestClient, url: str,
                                          status: int) -> None:
    r = fixture_client.get(url)
    assert r.status_code == status
    body = ErrorEnvelope.model_validate(r.json())
    assert body.error.code == status


def test_answers_have_the_documented_shape(fixture_client: TestClient) -> None:
    answer = FlowsAnswer.model_validate(fixture_client.get("/api/v1/flows?limit=3").json())
    assert len(answer.data) == 3
    with pytest.raises(ValidationError):  # the model rejects what the API never answers
        FlowsAnswer.model_validate({"status": "ok", "data": [{"method": "guess"}]})
