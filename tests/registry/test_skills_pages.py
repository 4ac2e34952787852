"""The skills pages (issue #18) through the app's client, on SQLite and PostgreSQL: an
institution applies and publishes through the pages, sees only anonymised consenting
candidates with the criteria of each score, asks; the person accepts on their page; both
pages then show the other's contact. The full-text and faceted search over consenting
profiles, saved searches and their notification mail. Every page route tried by every
role (the matrix fails when a route is added without its line), and every word in EN, FR
and ES."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select

from tmo.registry.database import transaction
from tmo.registry.models import Mail
from tmo.skills import saved
from tmo.skills.taxonomy import title
from tmo.web.skills_words import CRITERIA_WORDS, WORDS

from .conftest import link
from .test_skills_web import _fresh_index, ministry_verifies, person
from .test_web import anonymous_token, app_client, sign_in

__all__ = ["_fresh_index", "app_client"]  # the fixtures, imported

ROOT = "/registry/skills"
SECRETS = ("Mutale", "Mwila", "mutale@", "Leeds", "1984", "Hidden", "secret-mutale")
FORM = {"action": "publish", "title": "Data platform", "kind": "mentoring",
        "description": "Mentor our engineers building data pipelines",
        "required_occupations": "251", "required_skills": "python", "languages": "en:B2",
        "education": "6", "mode": "remote_mentoring"}


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, page[:500]
    return found.group(1)


def apply_by_page(c: TestClient, world: dict[str, Any], email: str, lang: str = "en") -> None:
    c.cookies.clear()
    form = c.get(f"{ROOT}/apply?lang={lang}")
    applied = c.post(f"{ROOT}/apply?lang={lang}", data={
        "csrf": csrf_of(form.text), "name": "University of Zambia", "kind": "university",
        "sector": "higher education", "email": email, "password": "institution pass 1"})
    assert applied.status_code == 200, applied.text
    assert WORDS[lang]["applied_done"] in applied.text
    with transaction(world["made"]) as s:
        user = s.scalars(select(Mail.user_id).where(Mail.to == email)).one()
    token = link(world["made"], user).split("token=")[1]
    assert c.get(f"/registry/verify?token={token}").status_code == 200


def test_every_word_in_every_language() -> None:
    for words in (WORDS, CRITERIA_WORDS):
        assert set(words["fr"]) == set(words["en"]) == set(words["es"])
        for lang in ("fr", "es"):
            same = [k for k in words["en"] if words["en"][k] == words[lang][k]
                    and len(words["en"][k]) > 12]
            assert not same, (lang, same)  # nothing long left in English


def named(page: str) -> None:
    """The candidate's level and languages named in Spanish (UNESCO UIS; CLDR), not by
    code."""
    level = "7 Nivel de maestría, especialización o equivalente"
    esco = "http://data.europa.eu/esco/isco/C2512"  # ISCO-08 group 2512 as ESCO names it
    assert f'<a href="{esco}" rel="external noopener" title="ESCO">2512</a>' in page
    assert f'<dd style="margin:0" data-code="7">{level}</dd>' in page
    assert '<span data-code="en">inglés</span> C1, <span data-code="es">español</span> B2' \
        in page


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)  # PostgreSQL: the browser walk
def test_publish_match_request_accept_by_the_pages(app_client: TestClient,
                                                  world: dict[str, Any]) -> None:
    c = app_client
    person(c, world, "mutale@example.org", "Mutale Mwila", ["domestic_institutions"])
    person(c, world, "hidden@example.org", "Hidden Banda", ["crisis_contact"])
    apply_by_page(c, world, "hr@univ.test", "es")
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    page = c.get(f"{ROOT}/institution?lang=es")
    assert "solicitada (a la espera del ministerio)" in page.text
    assert FORM["title"] not in page.text
    assert "Publicar" not in page.text
    ministry_verifies(c, 1)
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    page = c.get(f"{ROOT}/institution?lang=es")
    published = c.post(f"{ROOT}/institution?lang=es",
                       data={**FORM, "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert published.status_code == 303
    where = published.headers["location"]
    assert where.startswith(f"{ROOT}/opportunities/1?lang=es")
    shown = c.get(where)
    assert shown.status_code == 200
    assert shown.text.count('class="candidate-card"') == 1  # the one who consents
    for secret in SECRETS:
        assert secret not in shown.text
    reasons = re.findall(r'data-criterion="([a-z_]+)"', shown.text)
    assert reasons == ["required_occupation", "required_skills", "languages", "education",
                       "mode", "text"]
    assert "cumple todos los requisitos" in shown.text
    named(shown.text)
    assert "Candidato 1" in shown.text
    asked = c.post(where, data={"csrf": csrf_of(shown.text), "candidate": "1",
                                "message": "Hola"}, follow_redirects=False)
    assert asked.status_code == 303
    assert WORDS["es"]["asked"] in c.get(asked.headers["location"]).text
    pending = c.get(f"{ROOT}/institution?lang=es")
    assert "pendiente" in pending.text
    assert "mutale@" not in pending.text

    c.cookies.clear()
    sign_in(c, "mutale@example.org", "a long passphrase")
    mine = c.get(f"{ROOT}/me?lang=fr")
    assert "University of Zambia" in mine.text
    assert "hr@univ.test" not in mine.text
    accepted = c.post(f"{ROOT}/me?lang=fr", data={"csrf": csrf_of(mine.text),
                                                  "action": "accept:1"},
                      follow_redirects=False)
    assert accepted.status_code == 303
    mine = c.get(f"{ROOT}/me?lang=fr")
    assert 'href="mailto:hr@univ.test"' in mine.text
    assert "acceptée" in mine.text
    assert "Data platform" in mine.text  # ranked for her, with its reasons
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    theirs = c.get(f"{ROOT}/institution?lang=es")
    assert "Mutale Mwila" in theirs.text
    assert "mailto:mutale@example.org" in theirs.text
    assert "Hidden" not in theirs.text


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)  # PostgreSQL: the browser walk
def test_search_facets_saved_searches_and_their_mail(app_client: TestClient,
                                                     world: dict[str, Any]) -> None:
    c = app_client
    person(c, world, "mutale@example.org", "Mutale Mwila", ["domestic_institutions"])
    person(c, world, "hidden@example.org", "Hidden Banda", ["crisis_contact"])
    apply_by_page(c, world, "hr@univ.test")
    ministry_verifies(c, 1)
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    found = c.get(f"{ROOT}/search?words=pyth+engin&lang=en")
    assert found.status_code == 200
    assert "1 profiles" in found.text
    for secret in SECRETS:
        assert secret not in found.text
    assert '<option value="GBR">GBR (1)</option>' in found.text
    assert f'<option value="2">2 {escape(title("2", "en").text)} (1)</option>' in found.text
    assert '<option value="7">7 Master&#39;s or equivalent level (1)</option>' in found.text
    assert '<option value="es">Spanish (1)</option>' in found.text
    french = c.get(f"{ROOT}/search?words=pyth+engin&lang=fr").text
    assert '<option value="7">7 Master ou niveau équivalent (1)</option>' in french
    assert '<option value="es">espagnol (1)</option>' in french
    major = title("2", "fr")  # ISCO-08 major group 2 by code and ILO title (issue #18)
    marked = ' lang="en"' if major.fallback else ""
    assert f'<option value="2"{marked}>2 {escape(major.text)} (1)</option>' in french
    assert '<option value="6">6 Licence ou niveau équivalent</option>' in \
        c.get(f"{ROOT}/institution?lang=fr").text  # the form's levels
    assert "0 profiles" in c.get(f"{ROOT}/search?words=welding&lang=en").text
    assert "0 profiles" in c.get(f"{ROOT}/search?residence=ZAF&lang=en").text
    bad = c.get(f"{ROOT}/search?residence=zz&lang=fr")
    assert bad.status_code == 422
    saving = c.post(f"{ROOT}/search?lang=en", data={
        "csrf": csrf_of(found.text), "action": "save", "name": "Python engineers",
        "words": "python"}, follow_redirects=False)
    assert saving.status_code == 303
    assert "Python engineers" in c.get(saving.headers["location"]).text
    with transaction(world["made"]) as s:
        assert saved.notify(s, "https://registry.test") == 0  # nothing new since saved
    c.cookies.clear()
    person(c, world, "chanda@example.org", "Chanda Phiri", ["domestic_institutions"])
    with transaction(world["made"]) as s:
        assert saved.notify(s, "https://registry.test") == 1
        mail = s.scalars(select(Mail).where(Mail.to == "hr@univ.test")
                         .order_by(Mail.id.desc())).first()
    assert mail is not None
    assert mail.body.startswith("1 consenting profiles were added or changed")
    assert "Chanda" not in mail.body
    assert "python" not in mail.body
    with transaction(world["made"]) as s:
        assert saved.notify(s, "https://registry.test") == 0  # announced once


ROUTES = [  # method, path, form (None: GET)
    ("GET", f"{ROOT}/me", None),
    ("POST", f"{ROOT}/me", {"action": "consent:on"}),
    ("GET", f"{ROOT}/institution", None),
    ("GET", f"{ROOT}/opportunities/1", None),
    ("POST", f"{ROOT}/opportunities/1", {"candidate": "1"}),
    ("GET", f"{ROOT}/search?words=python", None),
    ("POST", f"{ROOT}/search", {"action": "save", "name": "n", "words": "python"}),
    ("POST", f"{ROOT}/institution", {"action": "close:1"}),  # last: it closes it
    ("GET", f"{ROOT}/ministry", None),
    ("POST", f"{ROOT}/ministry", {"action": "verify:2"}),
]
ALLOWED = {
    "registrant": {0, 1},
    "institution": {2, 3, 4, 5, 6, 7},
    "other_institution": {2, 5, 6},  # not institution 1's opportunity
    "london": set(),
    "analyst": {8, 9},
}
OPEN = {("GET", f"{ROOT}/apply"), ("POST", f"{ROOT}/apply")}


def test_the_matrix_names_every_skills_page() -> None:
    from tmo.web import skills_pages

    declared = {(m, r.path.replace("{opportunity_id}", "1")) for r in skills_pages.pages.routes
                if isinstance(r, APIRoute) for m in r.methods or ()}
    assert declared == {(m, p.split("?")[0]) for m, p, _b in ROUTES} | OPEN


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)
def test_every_skills_page_by_every_role(app_client: TestClient,
                                         world: dict[str, Any]) -> None:
    c = app_client
    person(c, world, "p@example.org", "Daliso Tembo", ["domestic_institutions"])
    apply_by_page(c, world, "hr@univ.test")
    apply_by_page(c, world, "hr@other.test")
    ministry_verifies(c, 1)
    c.cookies.clear()
    sign_in(c, "hr@univ.test", "institution pass 1")
    page = c.get(f"{ROOT}/institution")
    assert c.post(f"{ROOT}/institution", data={**FORM, "csrf": csrf_of(page.text)},
                  follow_redirects=False).status_code == 303
    with transaction(world["made"]) as s:  # the other institution: verified too
        from tmo.registry.access import Actor
        from tmo.skills import institutions

        institutions.decide(s, Actor(world["analyst"].id, "analyst"), 2, True)
    logins = {"registrant": ("p@example.org", "a long passphrase"),
              "institution": ("hr@univ.test", "institution pass 1"),
              "other_institution": ("hr@other.test", "institution pass 1"),
              "london": ("london@registry.test", "officer password 1"),
              "analyst": ("analyst@registry.test", "analyst password 1")}
    for role, (email, password) in logins.items():
        c.cookies.clear()
        csrf = sign_in(c, email, password)
        for index, (method, path, form) in enumerate(ROUTES):
            answer = c.request(method, path, data={**form, "csrf": csrf} if form else None,
                               follow_redirects=False)
            allowed = index in ALLOWED[role]
            assert (answer.status_code < 400) == allowed, (role, method, path,
                                                           answer.status_code)
            if role != "registrant":
                assert "Daliso" not in answer.text
        if role == "institution":  # a state change without the session's token: refused
            assert c.post(f"{ROOT}/institution", data={"action": "close:1"}).status_code == 403
    c.cookies.clear()
    for method, path, form in ROUTES:  # nobody signed in: sent to sign in
        answer = c.request(method, path, data=form, follow_redirects=False)
        assert answer.status_code in (401, 403) or (
            answer.status_code == 303
            and answer.headers["location"].startswith("/registry/sign-in")), (method, path)
    assert anonymous_token(c)


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)
def test_the_notify_command(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from tmo.cli import cli

    monkeypatch.delenv("TMO_PUBLIC_URL", raising=False)
    url = world["made"].url.render_as_string(hide_password=False)
    done = CliRunner().invoke(cli, ["registry", "notify", "--registry", url,
                                    "--base-url", "http://registry.example"])
    assert done.exit_code == 1
    assert "an https:// address" in done.output.splitlines()[0]
    done = CliRunner().invoke(cli, ["registry", "notify", "--registry", url,
                                    "--base-url", "https://registry.example"])
    assert done.exit_code == 0, done.output
    assert done.output == "queued 0 notifications of new matching profiles\n"
