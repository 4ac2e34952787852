"""Issue #16's path in Chromium over the fixture store: from the home page to the indicator
explorer, change the year (the slider) and the indicator, open a country, compare it with
two others on one chart, download the chart's CSV, SVG and PNG, reopen its permalink in a
new page with the same state (copied by its button), load the embed (and a fact panel's)
in a page of another origin and call the API from there (CORS); then the same path in
French on a phone, and the explorer and the flows laid out for it."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tmo.config import settings
from tmo.web.app import create_app
from tmo.web.wording import INDICATOR_NAMES, words

from .conftest import serve_app

SHOTS = Path("/tmp/tmo-explore")


@pytest.fixture(scope="module")
def sites(fixture_web_store: Path) -> Iterator[tuple[str, str]]:
    """The observatory and another site (another origin) whose page frames the embed and
    calls the API; the observatory lets that origin call its read-only API."""
    target: dict[str, str] = {}

    def other_page(request: Request) -> HTMLResponse:
        base = target["base"]
        lang = request.query_params.get("lang", "en")
        embed = (f"{base}/embed/explore?indicator=immigrant_share&view=chart&countries=MDA"
                 f"&lang={lang}")
        return HTMLResponse(
            f'<!DOCTYPE html><html lang="en"><title>other</title><body>'
            f'<iframe id="frame" src="{embed}" title="embed" width="720" height="460"></iframe>'
            f'<iframe id="facts" src="{base}/embed/facts/MDA?lang={lang}" title="facts" '
            f'width="720" height="520"></iframe>'
            f'<pre id="api">waiting</pre><script>fetch("{base}/api/v1/indicators/'
            f'immigrant_share?year=2024").then(r => r.json()).then(j => '
            f'document.getElementById("api").textContent = j.status + " " + j.data.length)'
            f'.catch(e => document.getElementById("api").textContent = "refused " + e);'
            f"</script></body></html>")

    other = serve_app(Starlette(routes=[Route("/", other_page)]))
    origin = next(other)
    cfg = dataclasses.replace(settings(), cors_origins=(origin,))
    tmo = serve_app(create_app(fixture_web_store, settings=cfg))
    target["base"] = next(tmo)
    yield target["base"], origin
    for server in (tmo, other):
        next(server, None)


def check_downloads(page) -> None:
    """The chart's CSV (its three countries), SVG and PNG (drawn by the browser)."""
    with page.expect_download() as got:
        page.locator("#dl-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text())))
    assert {r["iso3"] for r in rows} == {"MDA", "ROU", "ITA"}
    assert {r["indicator"] for r in rows} == {"emigrant_rate"}
    with page.expect_download() as got:
        page.locator("#dl-svg").click()
    assert Path(got.value.path()).read_text().startswith("<svg")
    with page.expect_download() as got:
        page.locator("#dl-png").click()
    assert Path(got.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def walk(context, base: str, origin: str, lang: str, shots: str) -> None:
    """Issue #16's path in `lang`: from the home page to the explorer, the year by the
    slider, the indicator, a country from the map, three countries on one chart, its
    downloads, its permalink copied and reopened, the embed on another site."""
    w = words(lang)
    suffix = "" if lang == "en" else f"?lang={lang}"
    page = context.new_page()
    page.goto(base + "/" + suffix)
    page.locator("header.site nav a", has_text=w["nav_explore"]).click()
    page.wait_for_url("**/explore" + suffix)
    assert page.locator("html").get_attribute("lang") == lang
    # the year by the slider: the map is fetched for that year and the address follows
    page.locator("#year-slider").fill("0")
    page.wait_for_url("**year=1990*")
    assert page.locator("#figure svg title").first.text_content().endswith(", 1990")
    assert page.locator("#year").input_value() == "1990"
    # the indicator
    page.select_option("#indicator", "emigrant_rate")
    page.get_by_role("button", name=w["apply"]).click()
    page.wait_for_url("**indicator=emigrant_rate*")
    assert page.locator("#figure svg title").first.text_content() \
        == f"{INDICATOR_NAMES['emigrant_rate'][lang]}, 1990"
    page.screenshot(path=str(SHOTS / f"{shots}-map.png"), full_page=True)
    # a country from the map, then back to compare it with two others
    page.locator("#figure svg a[href^='/countries/DEU'] path").click()
    page.wait_for_url("**/countries/DEU" + suffix)
    page.go_back()
    for i, code in enumerate(("MDA", "ROU", "ITA")):
        page.select_option(f"#country-{i}", code)
    page.get_by_role("button", name=w["apply"]).click()
    page.wait_for_url("**countries=ITA*")
    page.locator("nav.tabs a", has_text=w["tab_chart"]).click()
    page.wait_for_url("**view=chart*")
    assert page.locator("#figure svg path.series").count() == 3
    page.screenshot(path=str(SHOTS / f"{shots}-chart.png"), full_page=True)
    check_downloads(page)
    # the permalink, copied by its button and opened in a new page: the same state
    page.locator("#copy").click()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.locator("#permalink").input_value()
    again = context.new_page()
    again.goto(link)
    assert again.locator("html").get_attribute("lang") == lang
    assert again.locator("#indicator").input_value() == "emigrant_rate"
    assert again.locator("#year").input_value() == "1990"
    assert [again.locator(f"#country-{i}").input_value() for i in range(3)] \
        == ["MDA", "ROU", "ITA"]
    assert again.locator("#figure svg title").first.text_content() \
        == page.locator("#figure svg title").first.text_content()
    # another site frames the embed and calls the API
    other = context.new_page()
    other.goto(f"{origin}/?lang={lang}")
    frame = other.frame_locator("#frame")
    assert frame.locator("svg path.series").count() == 1
    assert frame.locator("html").get_attribute("lang") == lang
    facts = other.frame_locator("#facts")  # the fact panel's embed too
    assert facts.locator(".tmo-cards li").count() >= 2
    assert facts.locator("html").get_attribute("lang") == lang
    other.wait_for_function("document.getElementById('api').textContent !== 'waiting'")
    assert other.locator("#api").inner_text().startswith("ok ")
    other.screenshot(path=str(SHOTS / f"{shots}-embed.png"))


def test_explore_compare_share_embed(browser, sites: tuple[str, str]) -> None:
    base, origin = sites
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    walk(context, base, origin, "en", "desktop")
    context.close()


def test_the_same_in_french_on_a_phone(browser, sites: tuple[str, str]) -> None:
    base, origin = sites
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    SHOTS.mkdir(exist_ok=True)
    walk(context, base, origin, "fr", "phone-fr")
    page = context.new_page()
    for path in ("/explore?lang=fr", "/explore?lang=fr&view=chart&countries=MDA&countries=ROU",
                 "/flows?lang=fr", "/countries?lang=fr"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)  # no sideways scroll on a phone
    page.goto(base + "/explore?lang=fr")
    box = page.locator("#figure svg").bounding_box()
    assert box is not None
    assert box["width"] >= 340  # the map fills the phone's width
    page.screenshot(path=str(SHOTS / "phone-map-fr.png"), full_page=True)
    page.goto(base + "/flows?lang=fr")
    page.screenshot(path=str(SHOTS / "phone-flows-fr.png"), full_page=True)
    context.close()
