"""The pension page (/pensions) walks a person through a CARICOM career of three states in
Chromium and explains the result in English, French and Spanish. The page reads no store
(the app runs over the fixture store)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tmo.web.app import create_app

from ..web.conftest import browser_page, serve


@pytest.fixture(scope="module")
def base_url(fixture_store):
    yield from serve(fixture_store)


@pytest.fixture(scope="module")
def client(fixture_store):
    return TestClient(create_app(fixture_store, watch=0), raise_server_exceptions=False)


def fill(page, row: int, country: str, weeks: str, earnings: str = "") -> None:
    page.select_option(f"#country{row}", country)
    page.fill(f"#weeks{row}", weeks)
    page.fill(f"#earnings{row}", earnings)


def test_a_career_of_three_states_in_three_languages(base_url, browser):
    page = browser_page(browser, base_url)
    page.goto(f"{base_url}/pensions")
    assert page.locator("h1").inner_text() == "Pensions across CARICOM: move, don't lose"
    fill(page, 1, "BRB", "300", "1000")
    fill(page, 2, "TTO", "450", "900")
    fill(page, 3, "GUY", "200", "20000")
    page.fill("#basic", "700")
    page.fill("#claim", "2003-06-01")
    page.click("button[type=submit]")
    page.wait_for_selector("#result")
    barbados = page.locator("#state-BRB").inner_text()
    # 950 weeks: Barbados 40% + 9 x 1% = 49% of 1,000 = 490.00; 300/950 of it = 154.74.
    assert "your 300 weeks here are not enough on their own (the minimum is 500 weeks)" \
        in barbados
    assert "950 weeks count" in barbados
    assert "490.00 BBD" in barbados
    assert "Paid: 154.74 BBD." in barbados
    # Trinidad and Tobago: 700 + 8 x 0.4% x 900 = 728.80; 450/950 = 345.22.
    assert "Paid: 345.22 TTD." in page.locator("#state-TTO").inner_text()
    # Guyana: 40% + 4 x 1% = 44% of 20,000 = 8,800; 200/950 = 1,852.63.
    assert "Paid: 1,852.63 GYD." in page.locator("#state-GUY").inner_text()
    total = page.locator("p.total").inner_text()
    assert total == "In all: 154.74 BBD, 1,852.63 GYD, 345.22 TTD"
    assert page.locator("table.whatif tr").count() == 7
    page.click("details summary")
    assert "Art." not in page.locator("details").inner_text()  # CARICOM: no article numbers
    assert "article number not confirmed" in page.locator("details").inner_text()

    page.click("a[hreflang=fr]")
    page.wait_for_selector("#result")
    assert page.locator("h1").inner_text() == "Retraites dans la CARICOM : bouger sans perdre"
    assert "Versé : 154.74 BBD." in page.locator("#state-BRB").inner_text()
    assert page.locator("#country1").input_value() == "BRB"
    page.click("a[hreflang=es]")
    page.wait_for_selector("#result")
    assert "Pagado: 345.22 TTD." in page.locator("#state-TTO").inner_text()
    assert page.locator("#state-TTO h3").inner_text() == "Trinidad y Tabago"
    assert page.outside == []
    page.close()


def test_a_mistake_is_explained_on_the_page(base_url, browser):
    page = browser_page(browser, base_url)
    page.goto(f"{base_url}/pensions?lang=es")
    fill(page, 1, "BRB", "", "1000")  # the browser checks numbers; the server the rest
    page.click("button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert "Revise el formulario" in alert
    assert "period 1 (BRB): enter the weeks of contributions" in alert
    page.close()


def test_the_form_page_is_prefilled(client):
    text = client.get("/pensions?lang=fr").text
    assert '<option value="BRB" selected>Barbade</option>' in text
    assert 'lang="fr"' in text
