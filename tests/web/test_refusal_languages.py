"""Refusals as pages in the visitor's language: the rate limit's 429 page (PDFs, searches,
writes) and the diaspora registry's refusal pages (403, 429) and sign-in failures are in
French and Spanish on French and Spanish pages, with no English word outside what is
marked `lang="en"`; the API keeps its English envelope."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tmo.config import WebLimits, settings
from tmo.registry.database import engine, migrate
from tmo.web.app import create_app, too_many
from tmo.web.messages import translate
from tmo.web.wording import words

from .test_languages import english_on

HTML = {"Accept": "text/html"}


def alert(html: str) -> tuple[str, str]:
    said = re.search(r'<p role="(?:alert|status)"([^>]*)>(.*?)</p>', html, re.S)
    assert said is not None, html[:500]
    return said.group(1), said.group(2)


@pytest.fixture(scope="module")
def strict(fixture_web_store: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The fixture app with one search a minute, and an empty registry."""
    path = tmp_path_factory.mktemp("refusals") / "registry.sqlite"
    made = engine(f"sqlite:///{path}")
    migrate(made)
    made.dispose()
    one = replace(settings(), web=WebLimits(search_per_minute=1, write_per_minute=1000))
    return TestClient(create_app(fixture_web_store, watch=0, settings=one,
                                 registry_url=f"sqlite:///{path}"),
                      base_url="https://testserver", raise_server_exceptions=False)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_rate_limit_page_speaks_the_pages_language(strict: TestClient, lang: str) -> None:
    strict.get(f"/search?q=moldova&lang={lang}", headers=HTML)  # the minute's one search
    refused = strict.get(f"/search?q=moldova&lang={lang}", headers=HTML)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    heading = words(lang)["too_many"]
    assert heading != words("en")["too_many"]
    assert f"<h1>{heading}</h1>" in refused.text
    attributes, message = alert(refused.text)
    assert 'lang="en"' not in attributes
    assert message == translate(f"too many search requests from this address; try again in "
                                f"{refused.headers['retry-after']} s", lang)
    assert f'<html lang="{lang}"' in refused.text
    assert english_on(refused.text) == []


def test_the_api_keeps_its_english_envelope(strict: TestClient) -> None:
    strict.get("/api/v1/practices?q=work&lang=fr")
    refused = strict.get("/api/v1/practices?q=work&lang=fr", headers=HTML)
    assert refused.status_code == 429
    assert refused.json()["error"]["message"].startswith("too many search requests")


@pytest.mark.parametrize("kind", ["pdf", "search", "write"])
def test_every_rate_limit_message_is_translated(kind: str) -> None:
    scope = {"type": "http", "path": "/", "query_string": b"lang=es",
             "headers": [(b"accept", b"text/html")]}
    page = bytes(too_many(scope, 42.0, kind).body).decode()
    attributes, message = alert(page)
    assert 'lang="en"' not in attributes
    assert "42 s" in message
    assert english_on(page) == []


@pytest.mark.parametrize(("lang", "words"), [("fr", "Le jeton de sécurité"),
                                             ("es", "Falta el token de seguridad")])
def test_registry_refusals_speak_the_pages_language(strict: TestClient, lang: str,
                                                    words: str) -> None:
    strict.cookies.clear()
    forged = strict.post(f"/registry/sign-in?lang={lang}",  # no CSRF token: 403
                         data={"email": "a@example.org", "password": "x"})
    assert forged.status_code == 403
    attributes, message = alert(forged.text)
    assert words in message.replace("&#39;", "'")
    assert 'lang="en"' not in attributes
    assert english_on(forged.text) == []


@pytest.mark.parametrize(("lang", "words"), [("fr", "mot de passe incorrect"),
                                             ("es", "contraseña incorrectos")])
def test_a_failed_sign_in_speaks_the_pages_language(strict: TestClient, lang: str,
                                                    words: str) -> None:
    strict.cookies.clear()
    form = strict.get(f"/registry/sign-in?lang={lang}")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    failed = strict.post(f"/registry/sign-in?lang={lang}", data={
        "email": "nobody@example.org", "password": "wrong password", "csrf": token.group(1)})
    assert failed.status_code == 401
    _attributes, message = alert(failed.text)
    assert words in message
    assert english_on(failed.text) == []


def test_an_unknown_refusal_stays_as_raised_marked_english(strict: TestClient) -> None:
    from starlette.requests import Request

    from tmo.web.registry_pages import message_page

    request = Request({"type": "http", "method": "GET", "path": "/registry",
                       "query_string": b"lang=fr", "headers": [], "app": strict.app})
    page = message_page(request, "something new went wrong", 403, raised=True)
    attributes, message = alert(bytes(page.body).decode())
    assert 'lang="en"' in attributes
    assert message == "something new went wrong"
