"""The pension page (/pensions) walks a person through a CARICOM career of three states in
Chromium and explains the result in English, French and Spanish. The page reads no store
(the app runs over the fixture store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tmo.cli import cli
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


EXAMPLE = Path(__file__).parents[2] / "src/tmo/pensions/examples/caricom-career.json"


def test_the_api_answers_what_the_command_prints(client):
    """POST /api/v1/pensions/assess with the shipped example career gives, in the envelope,
    the document `tmo pension --format json` prints for it."""
    printed = CliRunner().invoke(cli, ["pension", "--career", str(EXAMPLE), "--format", "json"])
    assert printed.exit_code == 0, printed.output
    answer = client.post("/api/v1/pensions/assess", content=EXAMPLE.read_bytes())
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "ok", "data": json.loads(printed.output)}
    barbados = answer.json()["data"]["states"][0]
    assert barbados["country"] == "BRB"
    assert round(barbados["paid"], 2) == 143.78  # as in test_cli
    bare = client.post("/api/v1/pensions/assess?what_if=false", content=EXAMPLE.read_bytes())
    assert "what_if" not in bare.json()["data"]


def test_the_api_refuses_what_is_not_a_career(client):
    stranger = json.dumps({"agreement": "caricom-1996", "claim_date": "2003-06-01",
                           "periods": [{"country": "XXX", "count": 5, "unit": "year"}]})
    cases = [(b"{not json", "not JSON"), (stranger.encode(), "XXX"),
             (iter([b" " * 60_000] * 2), "over 65,536 bytes")]  # chunked: no length declared
    for body, words in cases:
        answer = client.post("/api/v1/pensions/assess", content=body)
        assert answer.status_code == 422, words
        error = answer.json()["error"]
        assert words in error["message"], error
        assert error.get("hint"), error
    declared = client.post("/api/v1/pensions/assess", content=b" " * (64 * 1024 + 1))
    assert declared.status_code == 413
    unknown = client.post("/api/v1/pensions/assess?agreement=nope", content=EXAMPLE.read_bytes())
    assert unknown.status_code == 422
    assert "caricom-1996" in unknown.json()["error"]["message"] + unknown.json()["error"]["hint"]


def test_the_api_lists_the_shipped_rules_with_sources(client):
    data = client.get("/api/v1/pensions/rules").json()["data"]
    caricom = next(a for a in data["agreements"] if a["id"] == "caricom-1996")
    assert {"BRB", "TTO", "GUY", "JAM"} <= set(caricom["members"])
    assert caricom["sources"]
    assert all(s["url"].startswith("http") for s in caricom["sources"])
    assert {s["country"] for s in data["schemes"]} >= {"BRB", "TTO", "GUY"}
