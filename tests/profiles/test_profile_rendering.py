"""Profiles as a reader sees them: HTML in headless Chromium, PDF pages as images.

Over the fixture store (hand-made figures, tests/fixture_store/figures.py: eight
countries, seven of them on the map); the real store's map and the number of real
countries in a site: test_real_rendering at the end."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.store import facts
from tmo.store.query import connect

from .conftest import need

SECTIONS = ["key-figures", "immigration", "emigration", "corridors", "refugees", "remittances",
            "regional", "policy-framework", "sources"]
MAPPED = 7  # the fixture countries with an outline (Tuvalu is too small for 1:110m)


def write(store: Path, out: Path, country: str, fmt: str, lang: str = "en") -> Path:
    res = CliRunner().invoke(cli, ["profile", country, "--db", str(store), "--format", fmt,
                                   "--lang", lang, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize(("country", "lang", "heading"), [
    ("USA", "en", "Migration Profile: United States"),
    ("TUV", "fr", "Profil migratoire\u00a0: Tuvalu"),
    ("MDA", "es", "Perfil migratorio: República de Moldova"),
])
def test_html_in_chromium(fixture_store: Path, tmp_path: Path, browser, country: str,
                          lang: str, heading: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    html = write(fixture_store, tmp_path / f"{country}.html", country, "html", lang)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri())
    assert page.locator("h1").inner_text().startswith(heading)
    for section in SECTIONS:
        assert page.locator(f"section#{section}").count() == 1, section
    assert page.locator("svg.chart").count() >= 9
    assert page.locator("svg.chart path.series").count() >= 4  # trend lines drawn
    assert page.locator("svg.chart rect.bar").count() >= 2  # top origins/destinations
    # the world map: every fixture country with an outline (real: > 150, at the end)
    assert page.locator("svg.chart path[data-iso3]").count() == MAPPED
    box = page.locator("section#emigration svg.chart").first.bounding_box()
    assert box
    assert box["width"] > 300
    assert box["height"] > 100
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    page.screenshot(path=str(tmp_path / f"{country}.png"), full_page=True)
    page.close()


def test_html_is_usable_on_a_phone(fixture_store: Path, tmp_path: Path, browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(write(fixture_store, tmp_path / "MDA.html", "MDA", "html").as_uri())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "no horizontal scrolling on a phone"
    page.close()


@pytest.mark.parametrize("country", ["DEU", "TUV"])
def test_pdf_pages(fixture_store: Path, tmp_path: Path, country: str) -> None:
    pdf = write(fixture_store, tmp_path / f"{country}.pdf", country, "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run([need("pdftoppm"), "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    text = subprocess.run([need("pdftotext"), str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert f"Page 1 / {len(pages)}" in text
    assert f"Page {len(pages)} / {len(pages)}" in text
    assert "Data notes and sources" in text
    assert "Key figures" in text
    assert "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx" in text


def test_all_profiles_and_index(fixture_store: Path, tmp_path: Path, browser) -> None:
    out = tmp_path / "site"
    res = CliRunner().invoke(cli, ["profiles", "--all", "--db", str(fixture_store), "--out",
                                   str(out), "--lang", "en", "--revision", "2020"])
    assert res.exit_code == 0, res.output
    pages = sorted(out.glob("*.en.html"))
    assert len(pages) == 8  # the fixture's countries (real: 232, at the end)
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    assert page.locator("#countries li a").count() == 8
    # the World and the fixture's two UN regions (area profiles, tests/profiles/test_area.py)
    assert page.locator("#areas li a").count() == 3
    # each region says its kind (a UN region and an SDG region can share a name)
    assert page.locator("#areas li").nth(1).inner_text().startswith(
        "Europe (UN geographic region (M49))")
    assert sorted(p.name for p in (out / "areas").glob("*.en.html")) == [
        "UN900.en.html", "UN908.en.html", "UN923.en.html"]
    moldova = (out / "MDA.en.html").read_text(encoding="utf-8")
    for stem in ("UN900", "UN908", "UN923"):  # the World, Europe, Eastern Europe
        assert f'href="areas/{stem}.en.html"' in moldova
    page.locator("text=Moldova").first.click()
    assert "Moldova" in page.locator("h1").inner_text()
    page.close()


# ------------------------------------------------ the real store

def test_real_rendering(profile_store: Path, tmp_path: Path) -> None:
    """The real figures of the tests above: the world map of a real profile draws every
    country with an outline, and a site of every profile of the 2020 revision (`tmo
    profiles --all --revision 2020`, one page per country of `facts.country_list`) has
    232 pages."""
    html = write(profile_store, tmp_path / "MDA.html", "MDA", "html", "es").read_text(
        encoding="utf-8")
    assert "Perfil migratorio: República de Moldova" in html
    assert len(re.findall(r'<path [^>]*data-iso3="', html)) > 150
    con = connect(profile_store)
    try:
        assert len(facts.country_list(con, "2020")) == 232
    finally:
        con.close()
