"""Every operation of the registry's JSON API (and its skills side) answers a request that
should succeed with a 2xx answer matching the schema the OpenAPI spec documents for it,
and each refusal on the way (401, 403, 422) matches the error envelope: one whole session
of a registrant, an institution, the ministry's analyst, a consular officer and an
administrator, on SQLite (the routes' behaviour on both databases: test_web.py and
test_skills_web.py). A registry route added without a request here fails the test."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tmo.config import WebLimits, settings
from tmo.web.app import create_app

from ..web.conformance import Conformance
from .conftest import link
from .test_skills_web import API, ask_and_accept, publish
from .test_web import HTTPS, anonymous_token, sign_in


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)
def test_every_registry_operation_answers_as_documented(world: dict[str, Any],
                                                        fixture_store: Path) -> None:
    url = world["made"].url.render_as_string(hide_password=False)
    limits = replace(settings(), web=WebLimits(write_per_minute=10_000))
    c = TestClient(create_app(fixture_store, watch=0, registry_url=url, settings=limits),
                   base_url=HTTPS, raise_server_exceptions=False)
    conformance = Conformance(c.get("/openapi.json").json())
    c.event_hooks = {"request": [], "response": [conformance.hook]}

    def ok(method: str, path: str, body: Any = None, csrf: str | None = None) -> Any:
        answer = c.request(method, path, json=body,
                           headers={"X-CSRF-Token": csrf} if csrf else {})
        assert 200 <= answer.status_code < 300, (method, path, answer.text[:300])
        if "json" not in answer.headers["content-type"]:
            return None  # the crisis-contact CSV
        body = answer.json()
        return body["data"] if "status" in body else body  # the export: no envelope

    # anyone: the taxonomies, the missions; refusals in the envelope
    for path in ("/api/v1/registry/csrf", "/api/v1/registry/missions", f"{API}/taxonomies",
                 f"{API}/taxonomies/isco?lang=fr&level=major"):
        ok("GET", path)
    assert c.get("/api/v1/registry/me").status_code == 401
    assert c.patch("/api/v1/registry/me", json={"city": "x"}).status_code in (401, 403)

    # registrants, an institution verified by the analyst, its opportunity, a contact
    opportunity, csrf = publish(c, world)
    for path in ("/institution", "/opportunities", f"/opportunities/{opportunity}",
                 "/requests"):
        ok("GET", f"{API}{path}")
    top = ok("GET", f"{API}/opportunities/{opportunity}/candidates")["candidates"][0]
    ask_and_accept(c, opportunity, top["profile"]["candidate"], csrf)
    c.cookies.clear()
    csrf = sign_in(c, "hr@univ.test", "institution pass 1")
    ok("PATCH", f"{API}/opportunities/{opportunity}", {"open": False}, csrf)

    # the registrant's own data
    c.cookies.clear()
    mine = sign_in(c, "mutale@example.org", "a long passphrase")
    for path in ("/api/v1/registry/me", "/api/v1/registry/me/export", f"{API}/me/profile",
                 f"{API}/me/opportunities", f"{API}/me/requests"):
        ok("GET", path)
    ok("PATCH", "/api/v1/registry/me", {"city": "Leeds"}, mine)
    ok("PUT", "/api/v1/registry/me/consents/statistics", {"given": True}, mine)
    assert c.patch("/api/v1/registry/me", json={"birth_year": "soon"},
                   headers={"X-CSRF-Token": mine}).status_code == 422
    ok("DELETE", f"{API}/me/profile", None, mine)
    ok("DELETE", "/api/v1/registry/session", None, mine)

    # the analyst, an officer, the administrator
    c.cookies.clear()
    sign_in(c, "analyst@registry.test", "analyst password 1")
    ok("GET", "/api/v1/registry/aggregates")
    ok("GET", f"{API}/aggregates")
    c.cookies.clear()
    sign_in(c, "london@registry.test", "officer password 1")
    ok("GET", "/api/v1/registry/officer/registrants?reason=test")
    ok("GET", "/api/v1/registry/officer/crisis-contacts.csv?reason=test")
    ok("GET", "/api/v1/registry/officer/dashboard")
    c.cookies.clear()
    admin = sign_in(c, "admin@registry.test", "admin password 1")
    ok("POST", "/api/v1/registry/missions", {"name": "Embassy in Paris", "host": "FRA",
                                             "residences": ["FRA"]}, admin)
    user = ok("POST", "/api/v1/registry/invitations", {"email": "new@registry.test",
                                                       "role": "analyst"}, admin)["user"]
    c.cookies.clear()
    token = link(world["made"], user).split("token=")[1]
    ok("POST", "/api/v1/registry/invitations/accept", {"token": token,
                                                       "password": "a new passphrase 1"},
       anonymous_token(c))

    # the registrant leaves
    c.cookies.clear()
    mine = sign_in(c, "mutale@example.org", "a long passphrase")
    ok("DELETE", "/api/v1/registry/me", None, mine)

    left = conformance.all("/api/v1/registry/") - conformance.succeeded()
    assert not left, sorted(left)
    c.close()
