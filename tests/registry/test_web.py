"""The registry on the web, through the app's own client: registration, verification,
sign-in, own data, consent, export and deletion by the JSON API and the pages; cookies,
CSRF, caching and output encoding; and every route tried by every role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tmo.config import WebLimits, settings
from tmo.web.app import create_app

from .conftest import link
from .test_consular import PEOPLE

HTTPS = "https://testserver"


@pytest.fixture
def app_client(world: dict[str, Any], fixture_store: Path) -> Iterator[TestClient]:
    url = world["made"].url.render_as_string(hide_password=False)
    limits = replace(settings(), web=WebLimits(write_per_minute=10_000))  # many writes
    with TestClient(create_app(fixture_store, watch=0, registry_url=url, settings=limits),
                    base_url=HTTPS, raise_server_exceptions=False) as client:
        yield client


def anonymous_token(client: TestClient) -> str:
    return client.get("/api/v1/registry/csrf").json()["data"]["csrf"]


def register(client: TestClient, world: dict[str, Any], **changes: Any) -> Any:
    body = {"name": "Mutale Mwila", "email": "mutale@example.org",
            "password": "a long passphrase", "residence": "GBR",
            "mission": world["london_mission"], "consents": ["crisis_contact"], **changes}
    return client.post("/api/v1/registry/registrations", json=body,
                       headers={"X-CSRF-Token": anonymous_token(client)})


def sign_in(client: TestClient, email: str, password: str) -> str:
    answer = client.post("/api/v1/registry/session", json={"email": email,
                                                          "password": password},
                         headers={"X-CSRF-Token": anonymous_token(client)})
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]["csrf"]


def test_a_registrant_registers_verifies_edits_exports_and_deletes(
        app_client: TestClient, world: dict[str, Any]) -> None:
    c = app_client
    answer = register(c, world)
    assert answer.status_code == 201, answer.text
    user = answer.json()["data"]["user"]
    token = link(world["made"], user).split("token=")[1]
    assert c.post("/api/v1/registry/verify", json={"token": token}).status_code == 200
    csrf = sign_in(c, "mutale@example.org", "a long passphrase")
    me = c.get("/api/v1/registry/me")
    assert me.json()["data"]["registration"]["name"] == "Mutale Mwila"
    assert me.headers["cache-control"] == "no-store"
    assert c.patch("/api/v1/registry/me", json={"city": "Leeds"}).status_code == 403  # CSRF
    fixed = c.patch("/api/v1/registry/me", json={"city": "Leeds"},
                    headers={"X-CSRF-Token": csrf})
    assert fixed.status_code == 200, fixed.text
    bad = c.patch("/api/v1/registry/me?lang=fr", json={"birth_year": "soon", "sex": "x"},
                  headers={"X-CSRF-Token": csrf})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {"birth_year": "un nombre entier attendu",
                                             "sex": "x n’est pas un code valide"}
    withdrawn = c.put("/api/v1/registry/me/consents/crisis_contact", json={"given": False},
                      headers={"X-CSRF-Token": csrf})
    assert withdrawn.status_code == 200
    export = c.get("/api/v1/registry/me/export")
    assert export.headers["content-disposition"].startswith("attachment")
    assert export.json()["registration"]["city"] == "Leeds"
    assert export.json()["consents"][0]["withdrawn_at"] is not None
    gone = c.delete("/api/v1/registry/me", headers={"X-CSRF-Token": csrf})
    assert gone.status_code == 200
    assert c.get("/api/v1/registry/me").status_code == 401


def test_session_cookie_is_secure_httponly_samesite(app_client: TestClient,
                                                    world: dict[str, Any]) -> None:
    answer = app_client.post("/api/v1/registry/session",
                             json={"email": "analyst@registry.test",
                                   "password": "analyst password 1"},
                             headers={"X-CSRF-Token": anonymous_token(app_client)})
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("tmo_registry=")
    for attribute in ("Secure", "HttpOnly", "SameSite=strict", "Path=/"):
        assert attribute.lower() in cookie.lower()
    assert answer.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_registration_needs_the_csrf_token_and_answers_per_field(
        app_client: TestClient, world: dict[str, Any]) -> None:
    body = {"name": "A", "email": "a@example.org", "password": "a long passphrase",
            "residence": "GBR", "mission": world["london_mission"]}
    assert app_client.post("/api/v1/registry/registrations", json=body).status_code == 403
    answer = register(app_client, world, name="x" * 201, email="not-mail", residence="USA",
                      occupation="12", languages=["english"], unexpected=1,
                      birth_year=True)
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {
        "name", "email", "residence", "occupation", "languages", "unexpected", "birth_year"}
    assert register(app_client, world).status_code == 201
    again = register(app_client, world)
    assert again.json()["error"]["fields"] == {"email": "this e-mail is already registered"}


def test_another_sites_page_cannot_post(app_client: TestClient, world: dict[str, Any]) -> None:
    token = anonymous_token(app_client)
    answer = app_client.post("/api/v1/registry/session", json={
        "email": "analyst@registry.test", "password": "analyst password 1"},
        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert answer.status_code == 403


def test_the_form_pages_speak_the_users_language_and_escape_every_field(
        app_client: TestClient, world: dict[str, Any]) -> None:
    page = app_client.get("/registry?lang=fr")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Pays de résidence" in page.text
    assert "Skip to content" not in page.text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    posted = app_client.post("/registry?lang=fr", data={
        "csrf": token, "name": "<script>alert(1)</script>", "email": "x@example.org",
        "password": "short", "residence": "GBR", "mission": str(world["london_mission"])})
    assert posted.status_code == 422
    assert "<script>alert(1)</script>" not in posted.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in posted.text
    assert "12 caractères au moins" in posted.text


def test_countries_are_named_in_the_pages_language(app_client: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry holds ISO codes; its pages name the countries in the page's language
    from the store the app serves (the fixture store names none of the registry's
    countries, so the lexicon stands in here), and a code without a name stays a code."""
    lexicon = app_client.app.state.tmo.current.lexicon  # type: ignore[attr-defined]
    monkeypatch.setattr(type(lexicon), "names_in",
                        lambda self, lang: {"GBR": {"fr": "Royaume-Uni", "es": "Reino Unido"}
                                            .get(lang, "United Kingdom")})
    for lang, name in (("fr", "Royaume-Uni"), ("es", "Reino Unido")):
        page = app_client.get(f"/registry?lang={lang}").text
        assert f'<option value="GBR">{name}</option>' in page
        assert '<option value="IRL">IRL</option>' in page


def test_stored_markup_is_shown_as_text_to_officers(app_client: TestClient,
                                                    world: dict[str, Any]) -> None:
    assert register(app_client, world, name='<img src=x onerror="alert(1)">').status_code == 201
    sign_in(app_client, "london@registry.test", "officer password 1")
    page = app_client.get("/registry/officer")
    assert page.status_code == 200
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page.text


ROUTES = [  # method, path, body
    ("GET", "/api/v1/registry/me", None),
    ("GET", "/api/v1/registry/me/export", None),
    ("PATCH", "/api/v1/registry/me", {"city": "X"}),
    ("PUT", "/api/v1/registry/me/consents/news", {"given": True}),
    ("DELETE", "/api/v1/registry/me", None),
    ("GET", "/api/v1/registry/officer/registrants?residence=ZAF", None),
    ("GET", "/api/v1/registry/officer/registrants?name=D", None),
    ("GET", "/api/v1/registry/officer/crisis-contacts.csv?reason=x&residence=ZAF", None),
    ("GET", "/api/v1/registry/officer/dashboard", None),
    ("GET", "/api/v1/registry/aggregates", None),
    ("POST", "/api/v1/registry/missions", {"name": "M", "host": "FRA", "residences": ["FRA"]}),
    ("POST", "/api/v1/registry/invitations", {"email": "n@x.org", "role": "analyst"}),
    # the pages that show or change personal data or aggregates (forms: `data=`)
    ("GET", "/registry/me", None),
    ("POST", "/registry/me", {"action": "save", "city": "Y"}),
    ("GET", "/registry/officer?residence=ZAF", None),
    ("GET", "/registry/officer?name=D", None),
    ("GET", "/registry/aggregates", None),
]
ALLOWED = {  # role -> routes (by index) it may use
    "registrant": {0, 1, 2, 3, 4, 12, 13},
    "london": {5, 6, 7, 8, 14, 15},
    "analyst": {9, 16},
    "admin": {9, 10, 11, 16},
}
# The routes anyone may call (registering, signing in, reading the missions to choose one)
# and those tried elsewhere (signing out; accepting an invitation: test_accounts.py).
OPEN = {("GET", "/api/v1/registry/csrf"), ("GET", "/api/v1/registry/missions"),
        ("POST", "/api/v1/registry/registrations"), ("POST", "/api/v1/registry/verify"),
        ("POST", "/api/v1/registry/session"), ("DELETE", "/api/v1/registry/session"),
        ("POST", "/api/v1/registry/invitations/accept"), ("GET", "/registry"),
        ("POST", "/registry"), ("GET", "/registry/verify"), ("GET", "/registry/sign-in"),
        ("POST", "/registry/sign-in"), ("POST", "/registry/sign-out"),
        # passwordless sign-in (tests/registry/test_links.py)
        ("GET", "/registry/sign-in/link"), ("POST", "/registry/sign-in/link"),
        ("GET", "/registry/sign-in/link/open"), ("POST", "/registry/sign-in/link/open")}


def call(client: TestClient, method: str, path: str, body: Any, csrf: str | None) -> Any:
    """One request of ROUTES: JSON to the API, a form (with its CSRF field) to a page."""
    if path.startswith("/api/"):
        return client.request(method, path, json=body,
                              headers={"X-CSRF-Token": csrf} if csrf else {})
    data = {**body, "csrf": csrf or ""} if body is not None else None
    return client.request(method, path, data=data, follow_redirects=False)


def test_the_matrix_names_every_registry_route() -> None:
    from tmo.web import registry, registry_pages

    declared = {(m, r.path) for router in (registry.api, registry_pages.pages)
                for r in router.routes if isinstance(r, APIRoute) for m in r.methods or ()}
    tried = {(m, path.split("?")[0].replace("/consents/news", "/consents/{purpose}"))
             for m, path, _b in ROUTES}
    assert declared == tried | OPEN


def test_every_route_by_every_role(app_client: TestClient, world: dict[str, Any]) -> None:
    from .test_consular import peopled

    peopled.__wrapped__(world)  # type: ignore[attr-defined]  # Pretoria's registrants
    for n, (_name, _r, _s, _c) in enumerate(PEOPLE):
        app_client.post("/api/v1/registry/verify", json={"token": link(
            world["made"], world["analyst"].id + 1 + n).split("token=")[1]})
    logins = {"registrant": ("p0@example.org", "a long passphrase"),
              "london": ("london@registry.test", "officer password 1"),
              "analyst": ("analyst@registry.test", "analyst password 1"),
              "admin": ("admin@registry.test", "admin password 1")}
    seen = []
    for role, (email, password) in logins.items():
        app_client.cookies.clear()
        csrf = sign_in(app_client, email, password)
        for index, (method, path, body) in enumerate(ROUTES):
            if method == "DELETE" and role == "registrant":
                continue  # erasing: tried last
            answer = call(app_client, method, path, body, csrf)
            allowed = index in ALLOWED[role]
            seen.append((role, path, answer.status_code))
            assert (answer.status_code < 400) == allowed, (role, method, path, answer.text)
            assert "Daliso" not in answer.text
            assert "Tembo" not in answer.text
    app_client.cookies.clear()
    for method, path, body in ROUTES:  # nobody signed in: refused, or sent to sign in
        answer = call(app_client, method, path, body, None)
        assert answer.status_code in (401, 403) or (
            answer.status_code == 303
            and answer.headers["location"].startswith("/registry/sign-in")), (method, path)
    assert len(seen) == 4 * len(ROUTES) - 1


def test_the_analyst_sees_suppressed_tables_and_the_officer_does_not(
        app_client: TestClient, world: dict[str, Any]) -> None:
    for n in range(12):  # twelve in GBR: shown; one in IRL: hidden, with a partner
        assert register(app_client, world, email=f"a{n}@example.org").status_code == 201
    assert register(app_client, world, email="irl@example.org",
                    residence="IRL").status_code == 201
    sign_in(app_client, "analyst@registry.test", "analyst password 1")
    page = app_client.get("/registry/aggregates?lang=es")
    assert page.status_code == 200
    assert "Diáspora inscrita" in page.text
    data = app_client.get("/api/v1/registry/aggregates").json()["data"]
    rows = {r["residence"]: r for r in data["tables"]["sex"]["rows"]}
    assert rows["IRL"]["total"] is None
    assert rows["GBR"]["total"] is None  # its partner: else 13 - 12 gives IRL away
    assert data["tables"]["sex"]["total"] == 13
    assert app_client.get("/api/v1/registry/aggregates?k=3").status_code == 422  # k >= 10
    app_client.cookies.clear()
    sign_in(app_client, "london@registry.test", "officer password 1")
    assert app_client.get("/registry/aggregates").status_code == 403


def test_a_registry_not_yet_made_says_how_to_make_it(fixture_store: Path,
                                                    tmp_path: Path) -> None:
    app = create_app(fixture_store, watch=0,
                     registry_url=f"sqlite:///{tmp_path / 'none.sqlite'}")
    with TestClient(app, base_url=HTTPS, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/registry/missions")
    assert answer.status_code == 404
    assert "tmo registry init" in answer.json()["error"]["hint"]
    assert not (tmp_path / "none.sqlite").exists()


def test_too_many_failed_sign_ins_answer_429_with_retry_after(
        app_client: TestClient, world: dict[str, Any]) -> None:
    from tmo.registry.database import transaction
    from tmo.registry.models import Attempt

    with transaction(world["made"]) as s:
        s.add_all([Attempt(key=f"signin:{world['analyst'].id}") for _ in range(100)])
    answer = app_client.post("/api/v1/registry/session",
                             json={"email": "analyst@registry.test",
                                   "password": "analyst password 1"},
                             headers={"X-CSRF-Token": anonymous_token(app_client)})
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "3600"
    assert answer.json()["error"]["message"] == \
        "too many failed sign-ins for this account in the last hour"
