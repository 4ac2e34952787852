"""The skills pages in headless Chromium, in English and Spanish: an institution applies,
the ministry verifies it, it publishes an opportunity, sees its anonymised candidate with
the reasons of the score and sends a contact request; the person accepts on their page;
both then see the other's contact. Screenshots go to /tmp/tmo-registry-shots."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from tmo.registry import registrations
from tmo.registry.access import Actor
from tmo.registry.database import transaction
from tmo.registry.models import Mail, User
from tmo.skills import profiles, search

from .conftest import link
from .test_browser import SHOTS, no_axe_violations, site, submit

__all__ = ["site"]  # the fixture, imported

WORDS = {"en": {"apply": "Apply as a domestic institution", "applied": "Applied.",
                "verify": "Verify", "publish": "Publish an opportunity", "ask": "Ask to contact",
                "asked": "Request sent", "accept": "Accept", "sign_in": "Sign in",
                "accepted": "accepted", "meets": "meets every requirement"},
         "es": {"apply": "Solicitar como institución nacional", "applied": "Solicitud recibida.",
                "verify": "Verificar", "publish": "Publicar una oportunidad",
                "ask": "Pedir contacto", "asked": "Solicitud enviada", "accept": "Aceptar",
                "sign_in": "Iniciar sesión", "accepted": "aceptada",
                "meets": "cumple todos los requisitos"}}
PROFILE = {"occupation": "2512", "education": "7", "experience": 9,
           "skills": ["python", "data engineering"], "languages": {"en": "C1"},
           "offers": ["remote_mentoring"], "sector": "software",
           "summary": "I build data pipelines"}


def a_person(world: dict[str, Any]) -> None:
    """Mutale, verified, consenting to domestic institutions, with a skills profile."""
    made = world["made"]
    with transaction(made) as s:
        user = registrations.register(s, {
            "name": "Mutale Mwila", "email": "mutale@example.org",
            "password": "a long passphrase", "residence": "GBR",
            "mission": world["london_mission"], "city": "Leeds", "birth_year": 1984,
            "consents": ["domestic_institutions"]}, "en", "https://x", address="t")
    with transaction(made) as s:
        s.execute(update(User).where(User.id == user).values(
            verified_at=dt.datetime(2026, 1, 1)))
        profiles.save(s, Actor(user, "registrant"), PROFILE, "en")
    search.forget()


def sign_in(page: Any, site: str, email: str, password: str, lang: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/registry/sign-in?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", password)
    submit(page, f"main button:has-text('{WORDS[lang]['sign_in']}')")


def apply_and_be_verified(page: Any, site: str, world: dict[str, Any], lang: str) -> None:
    """The institution applies and opens the link mailed to it; the ministry verifies it."""
    w, made = WORDS[lang], world["made"]
    # the institution applies and opens the link mailed to it
    page.goto(f"{site}/registry/skills/apply?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    page.fill("#name", "University of Zambia")
    page.select_option("#kind", "university")
    page.fill("#email", "hr@univ.test")
    page.fill("#password", "institution pass 1")
    submit(page, f"main button:has-text('{w['apply']}')")
    assert w["applied"] in page.inner_text("main")
    with transaction(made) as s:
        user = s.scalars(select(Mail.user_id).where(Mail.to == "hr@univ.test")).one()
    page.goto(link(made, user) + f"&lang={lang}")
    # the ministry verifies it
    sign_in(page, site, "analyst@registry.test", "analyst password 1", lang)
    page.goto(f"{site}/registry/skills/ministry?lang={lang}")
    submit(page, f"button:has-text('{w['verify']}')")


@pytest.mark.parametrize(("made", "lang"), [("sqlite", "en"), ("postgresql", "es")],
                         indirect=["made"])
def test_an_institution_and_a_person_meet_in_the_browser(browser: Any, site: str,
                                                         world: dict[str, Any],
                                                         lang: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    w = WORDS[lang]
    a_person(world)
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    apply_and_be_verified(page, site, world, lang)
    # it publishes, sees its anonymised candidate and asks
    sign_in(page, site, "hr@univ.test", "institution pass 1", lang)
    page.wait_for_url("**/registry/skills/institution**")
    page.fill("#title", "Data platform")
    page.select_option("#kind", "mentoring")
    page.fill("#required_occupations", "251")
    page.fill("#required_skills", "python")
    page.fill("#languages", "en:B2")
    page.select_option("#mode", "remote_mentoring")
    submit(page, f"main button:has-text('{w['publish']}')")
    page.wait_for_url("**/registry/skills/opportunities/1**")
    card = page.locator(".candidate-card")
    assert card.count() == 1
    shown = page.inner_text("main")
    for secret in ("Mutale", "Mwila", "mutale@", "Leeds", "1984", "data pipelines"):
        assert secret not in shown
    assert w["meets"] in shown
    page.screenshot(path=str(SHOTS / f"skills-candidates.{lang}.png"), full_page=True)
    if lang == "en":
        no_axe_violations(page)
    submit(page, f"button:has-text('{w['ask']}')")
    assert w["asked"] in page.inner_text("main")
    # the person accepts
    sign_in(page, site, "mutale@example.org", "a long passphrase", lang)
    page.goto(f"{site}/registry/skills/me?lang={lang}")
    assert "hr@univ.test" not in page.inner_text("main")
    submit(page, f"button:has-text('{w['accept']}')")
    assert page.locator("a.contact").inner_text() == "hr@univ.test"
    page.screenshot(path=str(SHOTS / f"skills-person.{lang}.png"), full_page=True)
    # and the institution sees hers
    sign_in(page, site, "hr@univ.test", "institution pass 1", lang)
    page.goto(f"{site}/registry/skills/institution?lang={lang}")
    requests = page.inner_text("ul.requests")
    assert "Mutale Mwila" in requests
    assert "mutale@example.org" in requests
    assert w["accepted"] in requests
    page.screenshot(path=str(SHOTS / f"skills-institution.{lang}.png"), full_page=True)
    context.close()
