"""The pages in a real headless browser (Debian's Chromium through Playwright), against
the app served by uvicorn on localhost."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from tmo.web.app import create_app


@pytest.fixture(scope="module")
def base_url(web_store: Path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(web_store), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str, browser):
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(base_url) or
          r.url.startswith("data:") else outside.append(r.url))
    pg.outside = outside  # type: ignore[attr-defined]
    yield pg
    pg.close()


def test_journey(page, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text().startswith("Migration from both sides")
    imm_map = page.locator("figure.map-imm svg.chart")
    assert imm_map.is_visible() and imm_map.locator("path[data-iso3]").count() > 150
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
    # a corridor page
    page.goto(base_url + "/corridors/MDA/ITA")
    assert "Italy" in page.locator("h1").inner_text()
    assert page.locator("svg.chart path.series").count() == 2
    assert page.locator("table tbody tr").count() >= 1
    page.screenshot(path=str(tmp_path / "corridor.png"), full_page=True)
    assert page.outside == []  # type: ignore[attr-defined]


def test_flows_and_practices_pages(page, base_url: str) -> None:
    page.goto(base_url + "/flows?method=da_pb_closed")
    assert page.locator("svg.chart path.flow").count() == 25
    page.goto(base_url + "/practices?q=cheaper+ways+to+send+money+home")
    first = page.locator("ol.results li h2").first.inner_text()
    assert "remittance" in first.lower() or "postal" in first.lower()


def test_keyboard_reaches_the_search(page, base_url: str) -> None:
    page.goto(base_url + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"


def test_phone_layout(page, base_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/", "/flows", "/practices", "/corridors/MDA/ITA"):
        page.goto(base_url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400, url
    page.set_viewport_size({"width": 1200, "height": 900})
