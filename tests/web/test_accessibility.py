"""Accessibility of every page in headless Chromium: axe-core's WCAG 2.1 A/AA and
best-practice rules report no violation, chart text and marks have enough contrast, the
charts have a title and a description for screen readers, and the keyboard can skip to
the content. Over the fixture store (hand-made figures); a real page: test_published.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = ["/", "/countries/MDA", "/countries/MDA?lang=fr", "/countries/TUV?lang=es",
         "/corridors", "/corridors/MDA/ITA", "/flows", "/practices",
         "/practices?q=voting+from+abroad", "/practices/ury-postal-remittances",
         "/search?q=Narnia", "/countries?lang=fr", "/explore",
         "/explore?view=chart&countries=MDA&countries=ROU&mode=rel&lang=es",
         "/embed/explore?view=chart&countries=MDA", "/embed/facts/MDA?lang=fr",
         "/areas/UN:908?lang=fr"]
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                 "best-practice"]}}
SVG_CONTRAST = (Path(__file__).with_name("svg_contrast.js")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("url", PAGES)
def test_no_axe_violations(fixture_page, fixture_base_url: str, axe: Axe, url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + url)
    results = axe.run(page, options=RULES).response
    assert results["testEngine"]["name"] == "axe-core"
    assert len(results["passes"]) > 20  # it did run its rules
    problems = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
                for v in results["violations"]]
    assert problems == [], url


@pytest.mark.parametrize("url", ["/", "/countries/MDA", "/countries/USA?lang=es",
                                 "/corridors/MDA/ITA", "/flows", "/explore",
                                 "/explore?view=chart&countries=MDA&countries=ROU"])
def test_chart_contrast(fixture_page, fixture_base_url: str, url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + url)
    found = page.evaluate(SVG_CONTRAST)
    assert found["texts"] > 0
    assert found["failures"] == [], url


def test_contrast_check_can_fail(fixture_page, fixture_base_url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + "/corridors/MDA/ITA")
    page.evaluate("document.querySelectorAll('svg text').forEach(t => t.style.fill = '#ccc')")
    page.evaluate("document.querySelector('svg .series').style.stroke = '#eee'")
    failures = page.evaluate(SVG_CONTRAST)["failures"]
    assert any(f.startswith("text") for f in failures)
    assert any(f.startswith("path.series") for f in failures)


@pytest.mark.parametrize("url", ["/", "/countries/MDA", "/corridors/MDA/ITA", "/flows",
                                 "/explore", "/explore?view=chart&countries=MDA"])
def test_charts_have_a_title_and_a_description(fixture_page, fixture_base_url: str,
                                               url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + url)
    charts = page.locator("svg.chart")
    assert charts.count() > 0
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("role") in ("img", "group")
        assert chart.locator("> title").text_content().strip()
        assert chart.locator("> desc").count() == 1


def test_skip_link_moves_the_keyboard_to_the_content(fixture_page,
                                                     fixture_base_url: str) -> None:
    page = fixture_page
    page.goto(fixture_base_url + "/flows")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
