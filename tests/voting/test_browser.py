"""The Moldova plan page and its voter-information pages in headless Chromium, served by
uvicorn over the real store (UN DESA stocks) with the synthetic registrations shipped
beside the rules (`?registrations=example`), on a desktop and on a phone: the station
list and its search, the maps, the assumptions, the synthetic label, no horizontal
scroll, nothing loaded from another host, axe-core's rules, the print layout. Each page
is photographed into $TMO_SCREENSHOTS (or a temporary folder, printed) for a person to
look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.web.conftest import serve

SIZES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
              "is_mobile": True, "has_touch": True},
}
PLAN = "/voting/MDA?registrations=example"
INFO = "/voting/MDA/info?lang={lang}&registrations=example&election=2025-09-28"
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                     "wcag21aa", "best-practice"]}}


@pytest.fixture(scope="module")
def base_url(store: Path) -> Iterator[str]:
    """The app over the real store, served by uvicorn as `tmo serve` does."""
    yield from serve(store)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("TMO_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("voting-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {path}")  # for the person looking at them
    return path


@pytest.fixture(scope="module")
def plan(base_url: str) -> dict:
    import httpx

    return httpx.get(f"{base_url}/api/v1/voting/plan/MDA?registrations=example",
                     timeout=60).json()["data"]


@pytest.fixture(params=sorted(SIZES))
def device(request, browser, base_url):
    context = browser.new_context(**SIZES[request.param])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    yield request.param, page, outside
    context.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_plan_page(device, base_url, plan, shots):
    name, page, outside = device
    page.goto(base_url + PLAN)
    assert "Republic of Moldova" in page.locator("h1").inner_text()
    assert page.locator("p.synthetic").is_visible()
    assert "SYNTHETIC DATA" in page.locator("p.synthetic").inner_text()  # upper-cased by CSS
    # the maps: the project's world map zoomed to the sites, a circle per site
    maps = page.locator("figure.map svg.plan-map")
    assert maps.count() == 2
    sites = sum(len(c["sites"]) for c in plan["countries"])
    assert maps.nth(0).locator("circle").count() == sites
    width = page.evaluate("document.querySelector('main, body').clientWidth")
    for i in range(2):
        box = maps.nth(i).bounding_box()
        assert box["width"] >= 0.85 * width - 40
        assert box["height"] >= 120
    legend = page.locator("ul.legend").nth(1).inner_text()
    assert "expected voters by country" in legend
    # the assumptions, each with where it comes from
    rows = {r.locator("td").nth(0).inner_text(): r for r in
            page.locator("table.assumptions tbody tr").all()}
    assert rows["Adult share of emigrants"].locator("td").nth(1).inner_text() == "0.87"
    assert rows["Adult share of emigrants"].locator("a").first.inner_text() \
        == "unicef-2021-children"
    assert rows["Capacity: ballots per station"].locator("td").nth(1).inner_text() == "5,000"
    assert "voters abroad in 2024" in rows["Turnout of estimated electors"].inner_text()
    assert "synthetic" in rows["Pre-registrations and last votes by city"].inner_text()
    # the stations table: a row per country of residence
    countries = page.locator("#countries + .table-wrap tbody tr")
    assert countries.count() == len(plan["countries"])
    assert no_sideways_scroll(page)
    assert outside == []
    page.screenshot(path=str(shots / f"plan-{name}.png"), full_page=True)
    for i in range(2):
        maps.nth(i).screenshot(path=str(shots / f"plan-map-{i + 1}-{name}.png"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_voter_information_page(device, base_url, plan, shots, lang):
    name, page, outside = device
    page.goto(base_url + INFO.format(lang=lang))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("p.synthetic").is_visible()
    sections = page.locator("section.country")
    listed = [c for c in plan["countries"] if c["sites"] or c["expected_voters"] >= 1]
    assert sections.count() == len(listed)
    italy = page.locator("#c-ITA")
    assert italy.locator("ul.sites li").count() == len(
        next(c for c in plan["countries"] if c["iso3"] == "ITA")["sites"])
    assert "Milan" in italy.locator("ul.sites").inner_text()
    page.screenshot(path=str(shots / f"info-{lang}-{name}.png"), full_page=True)
    # the search box: a city shows its country with that city only
    search = page.locator("#q")
    assert search.is_visible()
    search.fill("bologna")
    visible = page.locator("section.country:visible")
    assert visible.count() == 1
    assert visible.get_attribute("id") == "c-ITA"
    rows = italy.locator("tr[data-search]:visible")
    assert [r.locator("td").first.inner_text() for r in rows.all()] == ["Bologna"]
    assert not page.locator("#index").is_visible()  # the country links make way
    page.locator("#where").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"info-{lang}-{name}-search.png"))
    search.fill("allemagne" if lang == "fr" else "germany")  # a country: all its stations
    assert page.locator("section.country:visible").get_attribute("id") == "c-DEU"
    search.fill("atlantis")
    assert page.locator("section.country:visible").count() == 0
    assert page.locator("#none").is_visible()
    search.fill("")
    assert page.locator("section.country:visible").count() == len(listed)
    assert no_sideways_scroll(page)
    assert outside == []
    # printed: no search box, no buttons, every country
    page.emulate_media(media="print")
    assert not page.locator("#search").is_visible()
    assert not page.locator("#print").is_visible()
    assert page.locator("section.country:visible").count() == len(listed)
    page.screenshot(path=str(shots / f"info-{lang}-{name}-print.png"), full_page=True)
    page.emulate_media(media="screen")


def test_print_to_pdf(browser, base_url, shots):
    page = browser.new_page()
    page.goto(base_url + INFO.format(lang="fr"))
    pdf = page.pdf(format="A4")
    page.close()
    assert pdf.startswith(b"%PDF")
    (shots / "info-fr.pdf").write_bytes(pdf)


@pytest.mark.parametrize("url", [PLAN, INFO.format(lang="en"), INFO.format(lang="fr"),
                                 "/voting"])
def test_no_axe_violations(browser, base_url, url):
    page = browser.new_page()
    page.goto(base_url + url)
    results = Axe().run(page, options=AXE_RULES).response
    page.close()
    assert len(results["passes"]) > 10
    problems = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
                for v in results["violations"]]
    assert problems == [], url


def test_from_the_site_to_the_voter_information(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.locator("header.site nav").get_by_role("link", name="Voting abroad").click()
    page.wait_for_url("**/voting")
    page.get_by_role("link", name="Stations plan with the synthetic pre-registrations").click()
    page.wait_for_url("**/voting/MDA?registrations=example")
    page.locator("p.info").get_by_role("link", name="Română").click()
    page.wait_for_url("**/voting/MDA/info?lang=ro&registrations=example")
    assert page.locator("h1").inner_text() == "Republica Moldova: votul din străinătate"
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    page.close()
