"""The remittance page in Chromium (English and French) and the API routes, over the
fixture store's hand-made corridors (tests/fixture_store/figures.py: RPW, BILATERAL_2017):
Germany to Moldova costs 6.0, 5.5, 5.0 and 4.5 % from 2019Q4 to 2020Q3 and carries
US$ 50 million in 2017."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from fastapi.testclient import TestClient

from tmo.web.app import create_app

from ..web.conftest import browser_page, serve
from ..web.test_accessibility import RULES, SVG_CONTRAST

SHOTS = Path(os.environ.get("TMO_SCREENSHOTS", "/tmp"))


@pytest.fixture(scope="module")
def base_url(fixture_store: Path):
    yield from serve(fixture_store)


@pytest.fixture(scope="module")
def client(fixture_store: Path) -> TestClient:
    return TestClient(create_app(fixture_store, watch=0), raise_server_exceptions=False)


def test_the_page_in_english(base_url: str, browser) -> None:
    page = browser_page(browser, base_url)
    page.goto(f"{base_url}/remittances")
    page.select_option("#sender", "DEU")
    page.select_option("#receiver", "MDA")
    page.click("form.search button")
    page.wait_for_selector("#corridor")
    assert page.locator("html").get_attribute("lang") == "en"
    chart = page.locator("#corridor svg.chart")
    assert chart.locator("line.target").count() == 2
    assert chart.locator("path.series").count() == 2  # the corridor and its region
    assert "Germany → Republic of Moldova: 2019Q4 6.0 %" in chart.locator("desc").text_content()
    summary = page.locator("p.summary").first.inner_text()
    assert summary == ("4 quarters from 2019Q4 (6.00 %) to 2020Q3 (4.50 %); average 5.25 %; "
                       "trend -2.00 percentage points a year.")
    money = page.locator("#money").inner_text()
    assert "Money sent in 2017 (World Bank bilateral estimate): US$ 50.0 million." in money
    assert ("Lost to fees: US$ 3.0 million (US$ 50.0 million sent in 2017 at an average cost "
            "of 6.00 % in 2019).") in money
    assert "The volume (2017) and the cost (2019) refer to different years" in money
    senders = page.locator("#from-sender tbody tr").all_inner_texts()
    assert [r.split("\t")[:2] for r in senders] == [["Romania", "3.50 %"],
                                                    ["Republic of Moldova", "4.50 %"]]
    receivers = page.locator("#to-receiver tbody tr").all_inner_texts()
    assert [r.split("\t")[:2] for r in receivers] == [["Italy", "4.00 %"],
                                                      ["Germany", "4.50 %"]]
    assert "The world in 2020Q3: 4 corridors priced" in page.locator("#world").inner_text()
    page.screenshot(path=str(SHOTS / "remittances-en.png"), full_page=True)
    csv_link = page.locator("a", has_text="CSV").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(page.request.get(base_url + csv_link).text())))
    assert [(r["period"], r["cost_pct"]) for r in rows] == [
        ("2019Q4", "6.0"), ("2020Q1", "5.5"), ("2020Q2", "5.0"), ("2020Q3", "4.5")]
    assert page.outside == []
    page.close()


def test_the_page_in_french_has_no_english_and_is_accessible(base_url: str, browser) -> None:
    page = browser_page(browser, base_url)
    page.goto(f"{base_url}/remittances?sender=DEU&receiver=MDA")
    page.click("a[hreflang=fr]")
    page.wait_for_selector("#corridor")
    assert page.locator("html").get_attribute("lang") == "fr"
    text = page.locator("body").inner_text()
    assert "Perdu en frais\u00a0: 3,0 millions de dollars des États-Unis" in text
    assert "Allemagne → République de Moldova" in text
    assert "portent sur des années différentes" in text
    for english in ("Skip to content", "Sending country", "Lost to fees", "Downloads",
                    "cheapest first", "Money sent", "Voting abroad", "Good practices",
                    " row ", "between 3 %"):
        assert english not in text
    page.screenshot(path=str(SHOTS / "remittances-fr.png"), full_page=True)
    assert page.outside == []
    # axe-core's WCAG 2.1 A/AA and best-practice rules, and the chart's contrast, as
    # tests/web/test_accessibility.py checks the other pages
    results = Axe().run(page, options=RULES).response
    assert len(results["passes"]) > 20
    assert [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}"
            for v in results["violations"]] == []
    contrast = page.evaluate(SVG_CONTRAST)
    assert contrast["texts"] > 0
    assert contrast["failures"] == []
    page.close()


def test_api_sdg_and_errors(client: TestClient) -> None:
    doc = client.get("/api/v1/remittances/sdg?quarter=2020Q3").json()
    assert doc["status"] == "ok"
    assert (doc["data"]["priced"], doc["data"]["above_5"], doc["data"]["at_or_below_3"]) == \
        (4, 0, 1)
    missing = client.get("/api/v1/remittances/sdg?quarter=2031Q1")
    assert missing.status_code == 404
    assert missing.json()["error"]["hint"] == "quarters 2011Q1 to 2020Q3"
    assert client.get("/api/v1/remittances/sdg?quarter=2020-3").status_code == 422
    unknown = client.get("/api/v1/remittances/corridors/DEU/XXX")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "unknown country 'XXX'"


def test_api_country_csv_and_world(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/remittances/countries/MDA?format=csv").text)))
    assert {(r["sender"], r["fees_usd"]) for r in rows} == {("DEU", "3000000.0"),
                                                            ("ITA", "12000000.0")}
    world = client.get("/api/v1/remittances/world").json()["data"]
    # fees of the four priced corridors with a volume: DEU-MDA 3 M, ITA-MDA 12 M,
    # USA-PHL 10,000 M x 3 % (priced 2011 and 2020; 2020 is nearer 2017), DEU-ROU
    # 800 M x 3.5 %
    assert world["fees"]["fees"] == pytest.approx(3e6 + 12e6 + 300e6 + 28e6)
    volumes, costs = world["fees"]["sources"]
    assert (volumes["view"], volumes["n_rows"]) == ("remittance_corridors", 4)
    assert (costs["view"], costs["n_rows"]) == ("remittance_costs", 4 + 3 + 2 + 1)


def test_an_unpriced_corridor_says_so_in_the_pages_language(client: TestClient) -> None:
    page = client.get("/remittances?sender=ITA&receiver=PHL&lang=fr")
    assert page.status_code == 200
    assert "Remittance Prices Worldwide ne publie aucun coût pour ce corridor." in page.text
    assert "Corridors du même pays d&#39;envoi (Italie), 2020Q3" in page.text
    assert 'id="corridor"' not in page.text
