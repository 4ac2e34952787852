"""The /debate page and the facts, claims and words API on the fixture store; the page in
Chromium in English, French and Spanish (screenshots in /tmp)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

ENGLISH = re.compile(r"\b(?:the|lived|people|hosted|received|Check|Show|Source:|entries|"
                     r"statement|only|except)\b")


def test_facts_api(fixture_client: TestClient) -> None:
    r = fixture_client.get("/api/v1/facts/MDA?lang=fr")
    assert r.status_code == 200
    cards = r.json()["data"]["cards"]
    assert cards[0]["figure"]["value"] == 8000
    assert cards[0]["text"].startswith("République de Moldova : 8\u202f000 migrants")
    svg = fixture_client.get("/facts/UN:900.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "619,000" in svg.text
    assert fixture_client.get("/api/v1/facts/ATL").status_code == 404
    assert fixture_client.get("/api/v1/facts/MDA?lang=de").status_code == 422
    html = fixture_client.get("/facts/MDA.html?lang=es")
    assert html.text.startswith('<section class="tmo-cards" lang="es"')


def test_claims_and_words_api(fixture_client: TestClient) -> None:
    r = fixture_client.get("/api/v1/claims/check",
                           params={"q": "Moldova hosts 500 refugees.", "lang": "en"})
    data = r.json()["data"]
    assert (data["verdict"], data["figure"]["value"]) == ("wrong", 50)
    r = fixture_client.post("/api/v1/words/check?lang=es",
                            content=b"Detuvieron a 30 inmigrantes ilegales.")
    assert [f["rule"] for f in r.json()["data"]["flags"]] == ["es.ilegal_person"]
    assert fixture_client.post("/api/v1/words/check", content=b"\xff").status_code == 422
    rules = fixture_client.get("/api/v1/words/rules").json()["data"]
    assert "strict" in rules["profiles"]
    assert all(rule["citations"] for rule in rules["rules"])


def test_page_in_three_languages_in_chromium(fixture_page, fixture_base_url: str) -> None:
    queries = {
        "en": "place=MDA&claim=A+third+of+Moldova%27s+population+are+immigrants"
              "&text=40+illegal+immigrants+and+some+refugees&tlang=en",
        "fr": "place=Moldavie&claim=Il+y+a+plus+de+5+000+immigr%C3%A9s+en+Moldavie"
              "&text=Les+clandestins+et+les+r%C3%A9fugi%C3%A9s&tlang=fr",
        "es": "place=mundo&claim=Los+migrantes+roban+empleos"
              "&text=Los+inmigrantes+ilegales&tlang=es",
    }
    verdicts = {"en": "wrong", "fr": "exact", "es": "no verificable"}
    for lang, query in queries.items():
        fixture_page.goto(f"{fixture_base_url}/debate?lang={lang}&{query}")
        assert fixture_page.locator("html").get_attribute("lang") == lang
        assert fixture_page.locator(".tmo-cards li").count() >= 2
        assert verdicts[lang] in fixture_page.locator("#answer").inner_text()
        assert fixture_page.locator("#flags li").count() >= 1
        fixture_page.screenshot(path=f"/tmp/debate-{lang}.png", full_page=True)
        if lang != "en":
            body = fixture_page.locator("main").inner_text()
            # the words checked and the rows cited are data, not the page's language
            body = re.sub(r"“[^”]*”|\([^)]*\)|\S+\.(?:xlsx?|csv|gz|rda)\b", "", body)
            assert not ENGLISH.search(body), ENGLISH.findall(body)
    assert fixture_page.outside == []
    # the SVG download is an image the browser shows
    fixture_page.goto(f"{fixture_base_url}/facts/MDA.svg?lang=es")
    assert "8.000" in fixture_page.content()


def test_page_has_no_axe_violations(fixture_page, fixture_base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    rules = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                     "wcag21aa", "best-practice"]}}
    for query in (("lang=fr&place=MDA&claim=Il+y+a+16+000+immigr%C3%A9s+en+Moldavie"
                  "&text=Les+clandestins&tlang=fr"), "lang=es"):
        fixture_page.goto(f"{fixture_base_url}/debate?{query}")
        results = Axe().run(fixture_page, options=rules).response
        assert len(results["passes"]) > 20
        problems = [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}"
                    for v in results["violations"]]
        assert problems == [], query
