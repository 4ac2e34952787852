"""Property-based API tests generated from the OpenAPI spec (schemathesis), over every
operation of the spec: no input gives a server error, every answer keeps the envelope and
matches the schema the spec documents for its status (errors included). Over the fixture
store and a migrated, empty registry, with the write and search limits raised so that
generated requests reach the routes (not all 429). Few examples per operation: generated
path parameters rarely name a stored country, so the answers a request should get
(2xx) are checked by tests/web/test_api_answers.py and tests/registry/test_api_answers.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import response_schema_conformance

from tmo.config import WebLimits
from tmo.config import settings as tmo_settings
from tmo.registry.database import engine, migrate
from tmo.web.app import create_app

EXAMPLES = 6  # per operation


def test_no_server_errors(fixture_web_store: Path, tmp_path: Path) -> None:
    registry = engine(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    migrate(registry)
    registry.dispose()
    limits = replace(tmo_settings(), web=WebLimits(write_per_minute=100_000,
                                                   search_per_minute=100_000))
    app = create_app(fixture_web_store, watch=0, settings=limits,
                     registry_url=f"sqlite:///{tmp_path / 'registry.sqlite'}")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked, statuses = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid spec raises here

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            response = case.call()
            statuses.add(response.status_code)
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            if response.status_code != 304:  # (a revalidated profile: no body)
                case.validate_response(response, checks=[response_schema_conformance])
            kind = response.headers.get("content-type", "")
            kind = kind[0] if isinstance(kind, list) else kind  # schemathesis: header lists
            if kind.startswith("application/json"):
                assert response.json()["status"] in ("ok", "error")
            else:  # the CSV downloads
                assert kind.startswith("text/csv")
                assert response.status_code == 200

        check()
        checked.append(operation.label)
    spec = app.openapi()
    assert len(checked) == sum(len(ops) for ops in spec["paths"].values()), checked
    assert {200, 401, 404, 422} <= statuses  # the registry's refusals reached, not only 404
