"""/practices and /api/v1/practices (issue #16, item 6): questions in French and Spanish,
the page in the visitor's language, and "no close match" with the repository's scope
below the relevance floor; checked in Chromium."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tmo.practices.catalog import load_catalog
from tmo.practices.record import THEMES
from tmo.practices.scope import THEME_NAMES


def test_api_no_close_match_is_an_empty_list_with_a_message(fixture_client: TestClient) -> None:
    body = fixture_client.get("/api/v1/practices", params={"q": "recette de la paella"}).json()
    assert body["status"] == "ok"
    assert body["data"] == []
    assert body["meta"]["count"] == 0
    assert body["meta"]["message"].startswith("Aucune pratique proche de « recette de la paella »")
    english = fixture_client.get("/api/v1/practices",
                                 params={"q": "recette de la paella", "lang": "en"}).json()
    assert english["meta"]["message"].startswith("No close match for 'recette de la paella'")
    found = fixture_client.get("/api/v1/practices",
                               params={"q": "¿cómo abaratar el envío de remesas?"}).json()
    assert found["data"][0]["id"] == "ury-postal-remittances"
    assert "message" not in found["meta"]
    assert fixture_client.get("/api/v1/practices", params={"q": "x", "lang": "de"}
                              ).status_code == 422


def test_practices_page_in_french_with_a_french_question(fixture_page,
                                                         fixture_base_url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + "/practices?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Bonnes pratiques"
    page.fill("#pq", "comment les citoyens à l'étranger peuvent-ils voter ?")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*q=comment.*"))
    assert "lang=fr" in page.url
    ids = [a.get_attribute("href") for a in page.locator("ol.results li h2 a").all()][:2]
    assert set(ids) == {"/practices/mda-out-of-country-voting",
                        "/practices/ecu-out-of-country-voting"}
    # themes in French (the record titles and summaries stay English, marked lang="en")
    themes = page.locator("ul.facets li a").all_inner_texts()
    assert set(themes) <= {THEME_NAMES[t]["fr"] for t in THEMES}
    assert page.locator("ol.results li h2").first.get_attribute("lang") == "en"
    page.screenshot(path="/tmp/practices-fr.png", full_page=True)


def test_practices_page_says_no_close_match_in_its_language(fixture_page,
                                                            fixture_base_url: str) -> None:
    page = fixture_page
    for lang, question, start in (
        ("en", "weather in Paris tomorrow", "No close match for 'weather in Paris tomorrow'"),
        ("fr", "recette de la paella", "Aucune pratique proche de « recette de la paella »"),
        ("es", "¿cuál es la receta de la paella?", "Ninguna práctica se acerca a «¿cuál"),
    ):
        page.goto(fixture_base_url + "/practices?" + f"lang={lang}&q={question}")
        assert page.locator("ol.results li").count() == 0
        message = page.locator("p.no-match").inner_text()
        assert message.startswith(start)
        assert str(len(load_catalog().records)) in message  # the scope: how many practices
    page.screenshot(path="/tmp/practices-es-nomatch.png", full_page=True)


def test_french_and_spanish_pages_have_no_axe_violations(fixture_page,
                                                         fixture_base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from tests.web.test_accessibility import RULES

    axe = Axe()
    page = fixture_page
    for url in ("/practices?lang=fr&q=voter+depuis+l%27%C3%A9tranger",
                "/practices?lang=es&q=receta+de+la+paella"):
        page.goto(fixture_base_url + url)
        violations = axe.run(page, options=RULES).response["violations"]
        assert [f"{v['id']}: {v['help']}" for v in violations] == [], url
