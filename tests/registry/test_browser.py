"""The registry in headless Chromium, in English and French: a registrant registers,
verifies the e-mail, signs in, edits, withdraws a consent, exports and deletes
everything; an officer signs in, searches and exports the crisis-contact list.
Screenshots go to /tmp/tmo-registry-shots."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tmo.config import WebLimits, settings
from tmo.registry import registrations
from tmo.registry.database import transaction
from tmo.web.app import create_app

from ..web.conftest import serve_app
from .conftest import link

SHOTS = Path("/tmp/tmo-registry-shots")
WORDS = {"en": {"submit": "Register", "sign_in": "Sign in", "save": "Save",
                "export": "Export my data (JSON)", "delete": "Delete everything",
                "withdraw": "Withdraw", "registered": "Registered.",
                "verified": "Your e-mail is verified", "deleted": "has been deleted",
                "search": "Search", "crisis": "Crisis-contact list (CSV)",
                "reason": "Reason for the export"},
         "fr": {"submit": "S’inscrire", "sign_in": "Se connecter", "save": "Enregistrer",
                "export": "Exporter mes données (JSON)", "delete": "Tout supprimer",
                "withdraw": "Retirer", "registered": "Inscription reçue.",
                "verified": "Votre courriel est vérifié", "deleted": "ont été supprimées",
                "search": "Rechercher", "crisis": "Liste de contact de crise (CSV)",
                "reason": "Motif de l’export"}}


RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "best-practice"]}}


def no_axe_violations(page) -> None:
    """axe-core's WCAG 2.1 A/AA and best-practice rules find nothing on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=RULES).response
    assert len(results["passes"]) > 10  # it did run its rules
    problems = [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}"
                for v in results["violations"]]
    assert problems == [], page.url


def submit(page, selector: str) -> None:
    """Click a button that sends a form, and wait for the answer's page."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def site(world: dict[str, Any], fixture_store: Path) -> Iterator[str]:
    url = world["made"].url.render_as_string(hide_password=False)
    limits = replace(settings(), web=WebLimits(write_per_minute=10_000))
    app = create_app(fixture_store, watch=0, registry_url=url, settings=limits)
    for address in serve_app(app):  # Chromium keeps Secure cookies on http://localhost
        yield address.replace("127.0.0.1", "localhost")


# each language once, each backend once: the walk is the same on both (the suite's time)
@pytest.mark.parametrize(("made", "lang"), [("sqlite", "en"), ("postgresql", "fr")],
                         indirect=["made"])
def test_a_registrant_and_an_officer_in_the_browser(browser, site: str,
                                                    world: dict[str, Any],
                                                    lang: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    backend = world["made"].url.get_backend_name()
    context = browser.new_context(accept_downloads=True, viewport={"width": 1000,
                                                                   "height": 900})
    page = context.new_page()
    walk_registrant(page, site, world, lang, backend)
    walk_officer(page, site, world, lang, backend)
    context.close()


def walk_registrant(page, site: str, world: dict[str, Any], lang: str, backend: str) -> None:
    """Register (a refused field first), verify, sign in, edit, withdraw, export, delete."""
    w = WORDS[lang]
    page.goto(f"{site}/registry?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    page.fill("#name", "Natasha Lungu")
    page.fill("#email", f"natasha.{lang}@example.org")
    page.fill("#password", "short")
    page.select_option("#residence", "GBR")
    page.select_option("#mission", str(world["london_mission"]))
    page.check("#consent-crisis_contact")
    submit(page, f"button:has-text('{w['submit']}')")
    assert page.locator("#password-error").is_visible()  # refused, in the page's language
    if lang == "fr":
        assert "12 caractères au moins" in page.locator("#password-error").inner_text()
    page.screenshot(path=str(SHOTS / f"form-error.{lang}.{backend}.png"), full_page=True)
    no_axe_violations(page)
    page.fill("#password", "a long passphrase")
    submit(page, f"button:has-text('{w['submit']}')")
    assert w["registered"] in page.inner_text("main")
    with world["made"].connect() as c:
        user = c.execute(text("SELECT id FROM users WHERE email = :e"),
                         {"e": f"natasha.{lang}@example.org"}).scalar_one()
    page.goto(link(world["made"], user) + f"&lang={lang}")
    assert w["verified"] in page.inner_text("main")
    page.goto(f"{site}/registry/sign-in?lang={lang}")
    page.fill("#email", f"natasha.{lang}@example.org")
    page.fill("#password", "a long passphrase")
    submit(page, f"main button:has-text('{w['sign_in']}')")
    page.wait_for_url("**/registry/me**")
    page.fill("#city", "Manchester")
    submit(page, f"button:has-text('{w['save']}')")
    page.wait_for_url("**/registry/me**")
    assert page.input_value("#city") == "Manchester"
    submit(page, f"button:has-text('{w['withdraw']}')")
    page.screenshot(path=str(SHOTS / f"me.{lang}.{backend}.png"), full_page=True)
    no_axe_violations(page)
    with page.expect_download() as got:
        page.click(f"text={w['export']}")
    exported = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    assert exported["registration"]["city"] == "Manchester"
    assert exported["consents"][0]["withdrawn_at"] is not None
    submit(page, f"button:has-text('{w['delete']}')")
    assert w["deleted"] in page.inner_text("main")
    page.goto(f"{site}/api/v1/registry/me")
    assert '"code":401' in page.content().replace(" ", "")


def walk_officer(page, site: str, world: dict[str, Any], lang: str, backend: str) -> None:
    """The London officer finds a registrant of the mission and exports the crisis list."""
    w = WORDS[lang]
    with transaction(world["made"]) as session:  # someone the officer can find
        registrations.register(session, {
            "name": "Mwila Banda", "email": "mwila@example.org",
            "password": "a long passphrase", "residence": "IRL",
            "mission": world["london_mission"], "city": "Cork", "languages": "en,ny",
            "consents": ["crisis_contact"]}, lang, site)
    page.goto(f"{site}/registry/sign-in?lang={lang}")
    page.fill("#email", "london@registry.test")
    page.fill("#password", "officer password 1")
    submit(page, f"main button:has-text('{w['sign_in']}')")
    page.wait_for_url("**/registry/officer**")
    page.fill("#name", "natasha")
    submit(page, f"button:has-text('{w['search']}')")
    assert "Natasha" not in page.inner_text("main")  # deleted: in no search
    page.fill("#name", "mwi")
    submit(page, f"button:has-text('{w['search']}')")
    assert "mwila@example.org" in page.inner_text("main")
    page.fill("#reason", "exercise")
    with page.expect_download() as got:
        page.click(f"button:has-text('{w['crisis']}')")
    rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))
    assert rows == [["name", "email", "residence", "city", "languages", "synthetic"],
                    ["Mwila Banda", "mwila@example.org", "IRL", "Cork", "en,ny", "False"]]
    page.screenshot(path=str(SHOTS / f"officer.{lang}.{backend}.png"), full_page=True)
    no_axe_violations(page)
