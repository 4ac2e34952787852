"""docs/web.md lists exactly the routes the app has: the API's (from its OpenAPI spec)
and the pages'."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from tmo.web import areas, pages

from ..conftest import REPO

DOC = (REPO / "docs" / "web.md").read_text(encoding="utf-8")


def documented(section: str) -> set[str]:
    body = DOC.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(?:(?:GET|POST|PUT|PATCH|DELETE) )?(/[^`?]*)[^`]*` \|", body,
                      flags=re.M)
    return set(rows)


def test_api_routes_are_documented(fixture_client: TestClient) -> None:
    spec = set(fixture_client.get("/openapi.json").json()["paths"])
    assert documented("JSON API") == spec


def test_pages_are_documented() -> None:
    assert documented("Pages") == {r.path for router in (pages.router, areas.router)
                                   for r in router.routes if isinstance(r, APIRoute | Route)}
