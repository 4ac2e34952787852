"""The pages in a real headless browser (Debian's Chromium through Playwright), against
the app served by uvicorn on localhost, over the fixture store (hand-made figures,
tests/fixture_store/figures.py). The real store's map and suggestions:
test_published.py."""

from __future__ import annotations

import html
from pathlib import Path

MAPPED = 7  # the fixture countries with an outline (Tuvalu is too small for 1:110m)


def test_journey(fixture_page, fixture_base_url: str, tmp_path: Path) -> None:
    page, base_url = fixture_page, fixture_base_url
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text().startswith("Migration from both sides")
    imm_map = page.locator("figure.map-imm svg.chart")
    assert imm_map.is_visible()
    assert imm_map.locator("path[data-iso3]").count() == MAPPED  # real: > 150
    page.locator("label[for=show-emi]").click()
    assert page.locator("figure.map-emi svg.chart").is_visible()
    assert not imm_map.is_visible()
    page.screenshot(path=str(tmp_path / "home.png"))
    # search a country by name
    page.fill("#q", "Moldova")
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/MDA")
    assert "Moldova" in page.locator("h1").inner_text()
    assert page.locator("svg.chart").count() >= 9
    # switch the language
    page.locator("nav.lang a[hreflang=fr]").click()
    page.wait_for_url("**lang=fr")
    assert page.locator("h1").inner_text().startswith("Profil migratoire")
    assert page.locator("html").get_attribute("lang") == "fr"
    # the country's corridors link to their pages: the first is Italy, where 50,000 born
    # in Moldova live; no one born in Italy lives in Moldova (figures.py), so the stock
    # chart has one line and the flows chart both directions
    page.locator("#corridors table a").first.click()
    page.wait_for_url("**/corridors/MDA/ITA*")
    assert page.locator("svg.chart path.series").count() == 3
    # a corridor with people in both directions, picked with the form
    page.goto(base_url + "/corridors")
    page.select_option("#corridor-a", "MDA")
    page.select_option("#corridor-b", "ROU")
    page.get_by_role("button", name="Open corridor").click()
    page.wait_for_url("**/corridors/MDA/ROU")
    assert "Romania" in page.locator("h1").inner_text()
    assert page.locator("svg.chart").count() == 2  # stocks, and flows by period
    assert page.locator("svg.chart path.series").count() == 4  # both directions in each
    rows = page.locator("table tbody tr")
    assert rows.count() == 14  # 7 periods x 2 directions, da_pb_closed
    assert rows.first.inner_text().startswith("1990-1995")
    page.screenshot(path=str(tmp_path / "corridor.png"), full_page=True)
    assert page.outside == []


def test_map_areas_open_their_country(fixture_page, fixture_base_url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + "/")
    area = page.locator("figure.map-imm svg a[href='/countries/DEU']")
    assert area.get_attribute("tabindex") == "-1"  # the search is the keyboard's way in
    area.locator("path").click()  # the middle of Germany
    page.wait_for_url("**/countries/DEU")
    assert "Germany" in page.locator("h1").inner_text()


def test_errors_are_pages_for_browsers(fixture_page, fixture_base_url: str) -> None:
    page, base_url = fixture_page, fixture_base_url
    response = page.goto(base_url + "/search?q=Narnia")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    # the closest fixture country; the real store suggests Armenia (test_published.py)
    page.get_by_role("link", name="Romania (ROU)").click()
    page.wait_for_url("**/countries/ROU")
    response = page.goto(base_url + "/corridors/MDA/MDA")
    assert response.status == 404
    assert "two different countries" in page.inner_text("main")
    response = page.goto(base_url + "/api/v1/countries/ZZZ/profile")  # the API stays JSON
    assert response.status == 404
    assert response.json()["status"] == "error"


def test_flows_and_practices_pages(fixture_page, fixture_base_url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + "/flows?method=da_pb_closed")
    assert page.locator("svg.chart path.flow").count() == 25
    page.goto(fixture_base_url + "/practices?q=cheaper+ways+to+send+money+home")
    first = page.locator("ol.results li h2").first.inner_text()
    assert "remittance" in first.lower() or "postal" in first.lower()


def test_keyboard_reaches_the_search(fixture_page, fixture_base_url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + "/")
    for _ in range(4):  # the skip link, the site's name, then the header's country search
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-q":
            break
    assert page.evaluate("document.activeElement.id") == "site-q"


def test_phone_layout(fixture_page, fixture_base_url: str) -> None:
    page = fixture_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        for url in ("/", "/flows", "/practices"):
            page.goto(fixture_base_url + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 400, url
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_corridor_page_on_a_phone(fixture_page, fixture_base_url: str) -> None:
    page = fixture_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(fixture_base_url + "/corridors/MDA/ITA")
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_a_country_page_by_name_or_small_letters_redirects(fixture_client) -> None:
    for path, target in [("/countries/Moldova", "/countries/MDA"),
                         ("/countries/moldova?lang=fr", "/countries/MDA?lang=fr"),
                         ("/countries/mda", "/countries/MDA"),
                         ("/countries/Republic%20of%20Moldova", "/countries/MDA")]:
        answer = fixture_client.get(path, follow_redirects=False)
        assert answer.status_code == 301, path
        assert answer.headers["location"] == target
    unknown = fixture_client.get("/countries/Atlantis", headers={"accept": "text/html"})
    assert unknown.status_code == 404
    assert "No country matches 'Atlantis'." in html.unescape(unknown.text)
    assert "pattern" not in unknown.text  # no regular expression shown to a visitor


def test_a_country_page_links_its_fact_cards_in_its_language(fixture_client) -> None:
    page = fixture_client.get("/countries/MDA?lang=fr").text
    assert '<a href="/debate?place=MDA&amp;lang=fr"' in page
    assert ">Fiches de faits</a>" in page
    cards = fixture_client.get("/debate?place=MDA&lang=fr")
    assert cards.status_code == 200
    assert "Moldova" in cards.text or "Moldavie" in cards.text
