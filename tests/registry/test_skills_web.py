"""The skills API (issue #18) through the app's own client, on SQLite and PostgreSQL: an
institution applies, is verified by the ministry, publishes an opportunity, sees only
anonymised consenting candidates, asks to contact one; the person accepts and both see
the other's contact; a withdrawal of consent removes the person at once. And every skills
route tried by every role (the authorisation matrix, which fails when a route is added
without a line here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tmo.registry.database import transaction
from tmo.registry.models import AuditEntry
from tmo.skills import search
from tmo.skills.profiles import ANONYMISED

from .conftest import link
from .test_web import anonymous_token, app_client, register, sign_in

__all__ = ["app_client"]  # the fixture, imported

API = "/api/v1/registry/skills"
PROFILE = {"occupation": "2512", "education": "7", "field": "06", "experience": 9,
           "skills": ["python", "data engineering"], "languages": {"en": "C1", "es": "B2"},
           "offers": ["remote_mentoring", "short_visit"], "sector": "software",
           "summary": "I build data pipelines; write to me at secret-mutale@example.org"}
OPPORTUNITY = {"title": "Data platform for the national statistics office",
               "description": "Mentor our engineers building data pipelines",
               "kind": "mentoring", "required_occupations": ["251"],
               "required_skills": ["python"], "languages": {"en": "B2"},
               "education": "6", "mode": "remote_mentoring"}


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    search.forget()
    yield
    search.forget()


def person(c: TestClient, world: dict[str, Any], email: str, name: str,
           consents: list[str]) -> str:
    """A verified, signed-in registrant with a skills profile; their CSRF token."""
    c.cookies.clear()
    answer = register(c, world, email=email, name=name, city="Leeds", birth_year=1984,
                      consents=consents)
    assert answer.status_code == 201, answer.text
    token = link(world["made"], answer.json()["data"]["user"]).split("token=")[1]
    assert c.post("/api/v1/registry/verify", json={"token": token}).status_code == 200
    csrf = sign_in(c, email, "a long passphrase")
    saved = c.put(f"{API}/me/profile", json=PROFILE, headers={"X-CSRF-Token": csrf})
    assert saved.status_code == 200, saved.text
    return csrf


def institution(c: TestClient, world: dict[str, Any], email: str = "hr@univ.test") -> str:
    """An institution that applied and verified its e-mail, signed in; its CSRF token."""
    c.cookies.clear()
    applied = c.post(f"{API}/institutions", json={
        "name": "University of Zambia", "kind": "university", "sector": "higher education",
        "email": email, "password": "institution pass 1"},
        headers={"X-CSRF-Token": anonymous_token(c)})
    assert applied.status_code == 201, applied.text
    token = link(world["made"], applied.json()["data"]["user"]).split("token=")[1]
    assert c.post("/api/v1/registry/verify", json={"token": token}).status_code == 200
    return sign_in(c, email, "institution pass 1")


def ministry_verifies(c: TestClient, institution_id: int, verified: bool = True) -> None:
    c.cookies.clear()
    csrf = sign_in(c, "analyst@registry.test", "analyst password 1")
    listed = c.get(f"{API}/institutions?state=applied").json()["data"]
    assert institution_id in [i["id"] for i in listed]
    decided = c.post(f"{API}/institutions/{institution_id}/decision",
                     json={"verified": verified}, headers={"X-CSRF-Token": csrf})
    assert decided.status_code == 200, decided.text


def publish(c: TestClient, world: dict[str, Any]) -> tuple[int, str]:
    """Two registrants (one consenting), an institution refused until verified, then its
    opportunity; the opportunity's id and the institution's CSRF token."""
    person(c, world, "mutale@example.org", "Mutale Mwila", ["domestic_institutions"])
    person(c, world, "hidden@example.org", "Hidden Banda", ["crisis_contact"])  # no consent
    csrf = institution(c, world)
    me = c.get(f"{API}/institution").json()["data"]
    assert me["state"] == "applied"
    refused = c.post(f"{API}/opportunities", json=OPPORTUNITY, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403  # not verified yet
    ministry_verifies(c, me["id"])
    c.cookies.clear()
    csrf = sign_in(c, "hr@univ.test", "institution pass 1")
    published = c.post(f"{API}/opportunities", json=OPPORTUNITY,
                       headers={"X-CSRF-Token": csrf})
    assert published.status_code == 201, published.text
    return int(published.json()["data"]["id"]), csrf


def candidates_are_anonymised(c: TestClient, opportunity: int) -> dict[str, Any]:
    found = c.get(f"{API}/opportunities/{opportunity}/candidates?lang=es")
    assert found.status_code == 200, found.text
    candidates = found.json()["data"]["candidates"]
    assert len(candidates) == 1  # the person who did not consent is not there
    top: dict[str, Any] = candidates[0]
    assert set(top["profile"]) == {*ANONYMISED, "note"}
    for secret in ("Mutale", "Mwila", "mutale@", "Leeds", "1984", "Hidden", "secret-mutale"):
        assert secret not in found.text
    assert top["meets_requirements"] is True
    assert top["score"] == pytest.approx(sum(e["contribution"] for e in top["explanation"]))
    assert [e["criterion"] for e in top["explanation"]] == [
        "required_occupation", "required_skills", "languages", "education", "mode", "text"]
    assert top["profile"]["occupation"]["title"] == "Software developers"
    assert top["profile"]["occupation"]["title_language"] == "en"  # no Spanish title held
    assert "inglés" in top["profile"]["occupation"]["note"]
    return top


def ask_and_accept(c: TestClient, opportunity: int, candidate: int, csrf: str) -> None:
    asked = c.post(f"{API}/opportunities/{opportunity}/requests",
                   json={"candidate": candidate, "message": "Hello"},
                   headers={"X-CSRF-Token": csrf})
    assert asked.status_code == 201, asked.text
    again = c.post(f"{API}/opportunities/{opportunity}/requests",
                   json={"candidate": candidate}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 422
    pending = c.get(f"{API}/requests")
    assert pending.json()["data"][0]["contact"] is None
    assert "Mutale" not in pending.text
    c.cookies.clear()
    mutale = sign_in(c, "mutale@example.org", "a long passphrase")
    mine = c.get(f"{API}/me/requests").json()["data"]
    assert mine[0]["institution"]["contact"] is None  # not before accepting
    accepted = c.post(f"{API}/me/requests/{mine[0]['request']}", json={"accept": True},
                      headers={"X-CSRF-Token": mutale})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["data"]["institution"]["contact"] == "hr@univ.test"
    export = c.get("/api/v1/registry/me/export").json()["skills"]  # all that is held
    assert export["profile"]["occupation"]["code"] == "2512"
    assert [r["state"] for r in export["contact_requests"]] == ["accepted"]
    ranked = c.get(f"{API}/me/opportunities").json()["data"]["opportunities"]
    assert ranked[0]["opportunity"]["id"] == opportunity
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    shown = c.get(f"{API}/requests").json()["data"][0]
    assert shown["contact"]["name"] == "Mutale Mwila"
    assert shown["contact"]["email"] == "mutale@example.org"


def test_publish_match_request_accept_and_withdraw(app_client: TestClient,
                                                  world: dict[str, Any]) -> None:
    c = app_client
    opportunity, csrf = publish(c, world)
    top = candidates_are_anonymised(c, opportunity)
    ask_and_accept(c, opportunity, top["profile"]["candidate"], csrf)
    c.cookies.clear()
    mutale = sign_in(c, "mutale@example.org", "a long passphrase")
    withdrawn = c.put("/api/v1/registry/me/consents/domestic_institutions",
                      json={"given": False}, headers={"X-CSRF-Token": mutale})
    assert withdrawn.status_code == 200
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    after = c.get(f"{API}/opportunities/{opportunity}/candidates")
    assert after.json()["data"]["candidates"] == []  # at once
    gone = c.get(f"{API}/requests")
    assert gone.json()["data"][0]["contact"] is None
    assert gone.json()["data"][0]["profile"] is None
    assert "Mutale" not in gone.text
    with transaction(world["made"]) as s:
        actions = set(s.scalars(select(AuditEntry.action)))
    assert {"institution_applied", "institution_verified", "opportunity_published",
            "matched_candidates", "contact_requested", "contact_accepted"} <= actions


ROUTES = [  # method, path, body
    ("GET", f"{API}/me/profile", None),
    ("PUT", f"{API}/me/profile", PROFILE),
    ("GET", f"{API}/me/opportunities", None),
    ("GET", f"{API}/me/requests", None),
    ("POST", f"{API}/me/requests/1", {"accept": False}),
    ("DELETE", f"{API}/me/profile", None),
    ("GET", f"{API}/institutions", None),
    ("POST", f"{API}/institutions/1/decision", {"verified": True}),
    ("GET", f"{API}/institution", None),
    ("GET", f"{API}/opportunities", None),
    ("POST", f"{API}/opportunities", OPPORTUNITY),
    ("GET", f"{API}/opportunities/1", None),
    ("PATCH", f"{API}/opportunities/1", {"open": True}),
    ("GET", f"{API}/opportunities/1/candidates", None),
    ("POST", f"{API}/opportunities/1/requests", {"candidate": 1}),
    ("GET", f"{API}/requests", None),
    ("GET", f"{API}/aggregates", None),
]
ALLOWED = {  # role -> routes (by index) it may use
    "registrant": {0, 1, 2, 3, 4, 5},
    "institution": {8, 9, 10, 11, 12, 13, 14, 15},
    "other_institution": {8, 9, 10, 15},  # its own: none of institution 1's opportunities
    "london": set(),
    "analyst": {6, 7, 16},
    "admin": {6, 7, 16},
}
OPEN = {("GET", f"{API}/taxonomies"), ("GET", f"{API}/taxonomies/isco"),
        ("POST", f"{API}/institutions")}
PATHS = {"/1": "/{x}"}


def test_the_matrix_names_every_skills_route() -> None:
    from tmo.web import skills

    declared = {(m, r.path.replace("{request_id}", "{x}").replace("{institution_id}", "{x}")
                 .replace("{opportunity_id}", "{x}"))
                for r in skills.api.routes if isinstance(r, APIRoute) for m in r.methods or ()}
    tried = {(m, p.replace("/1", "/{x}")) for m, p, _b in ROUTES}
    assert declared == tried | OPEN


def test_every_skills_route_by_every_role(app_client: TestClient,
                                          world: dict[str, Any]) -> None:
    c = app_client
    mutale = person(c, world, "p@example.org", "Daliso Tembo", ["domestic_institutions"])
    institution(c, world, "hr@univ.test")  # institution 1
    institution(c, world, "hr@other.test")  # institution 2
    ministry_verifies(c, 1)
    ministry_verifies(c, 2)
    c.cookies.clear()
    csrf = sign_in(c, "hr@univ.test", "institution pass 1")
    assert c.post(f"{API}/opportunities", json=OPPORTUNITY,
                  headers={"X-CSRF-Token": csrf}).status_code == 201
    asked = c.post(f"{API}/opportunities/1/requests", json={"candidate": 1},
                   headers={"X-CSRF-Token": csrf})
    assert asked.status_code == 201, asked.text
    del mutale
    logins = {"registrant": ("p@example.org", "a long passphrase"),
              "institution": ("hr@univ.test", "institution pass 1"),
              "other_institution": ("hr@other.test", "institution pass 1"),
              "london": ("london@registry.test", "officer password 1"),
              "analyst": ("analyst@registry.test", "analyst password 1"),
              "admin": ("admin@registry.test", "admin password 1")}
    for role, (email, password) in logins.items():
        c.cookies.clear()
        csrf = sign_in(c, email, password)
        for index, (method, path, body) in enumerate(ROUTES):
            if role == "registrant" and method == "DELETE":
                continue  # deleting the profile: tried last
            if role == "institution" and index == 14:
                continue  # asked already (above); a second ask is refused as a duplicate
            answer = c.request(method, path, json=body, headers={"X-CSRF-Token": csrf})
            allowed = index in ALLOWED[role]
            assert (answer.status_code < 400) == allowed, (role, method, path, answer.text)
            assert role == "registrant" or (
                "Daliso" not in answer.text and "p@example.org" not in answer.text), (role, path)
    c.cookies.clear()
    for method, path, body in ROUTES:  # nobody signed in
        answer = c.request(method, path, json=body)
        assert answer.status_code in (401, 403), (method, path)


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)
def test_the_taxonomies_name_the_isced_levels(app_client: TestClient) -> None:
    """The levels' names in the three languages, as UNESCO's UIS code list gives them, with
    their citation."""
    got = app_client.get(f"{API}/taxonomies").json()
    names = got["data"]["isced_level_names"]
    assert set(names) == {"en", "fr", "es"}
    assert all(list(n) == got["data"]["isced_levels"] for n in names.values())
    assert names["en"]["6"] == "Bachelor's or equivalent level"
    assert names["fr"]["7"] == "Master ou niveau équivalent"
    assert names["es"]["2"] == "Educación secundaria baja"
    assert "CL_EDU_LEVEL" in got["meta"]["citations"]["isced_level_names"]
