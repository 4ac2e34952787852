"""The projections section of the Migration Profile and the web's projections page, over
the tiny fixture store after `tmo projections run`: the stored profile's figures are the
`projections` rows (read here with plain SQL) and the jump-off stock the store's own sum;
the backtest beside them is the stored one; HTML, Markdown and JSON in EN, FR and ES; "no
data", never 0, where the store holds no projection; the page in Chromium."""

from __future__ import annotations

import json
import os
from html import unescape
from pathlib import Path

import duckdb
import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tmo.cli import cli
from tmo.profiles.document import Profile
from tmo.profiles.i18n import Locale, catalogue
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.web.app import create_app

from ..web.test_accessibility import RULES as AXE_RULES

SHOTS = Path(os.environ.get("TMO_SCREENSHOTS", "/tmp"))
COUNTRY = "DEU"


def stored_profile(db: Path, iso3: str) -> Profile:
    con = duckdb.connect(str(db), read_only=True)
    doc = con.execute("SELECT document FROM profiles WHERE iso3 = ?", [iso3]).fetchone()
    con.close()
    assert doc is not None
    return json.loads(doc[0])


@pytest.fixture(scope="module")
def lexicon(fixture_store: Path) -> Lexicon:
    con = duckdb.connect(str(fixture_store), read_only=True)
    try:
        return Lexicon.from_store(con)
    finally:
        con.close()


def test_the_stored_profile_holds_the_projections_rows(projected: Path) -> None:
    section = stored_profile(projected, COUNTRY)["projections"]
    con = duckdb.connect(str(projected), read_only=True)
    rows = con.execute("""SELECT year, median, lower80, upper80, lower95, upper95,
                                 jump_off, jump_off_stock FROM projections
                          WHERE origin = 'UN:900' AND destination = ? AND sex = 'total'
                          ORDER BY year""", [COUNTRY]).fetchall()
    published = con.execute("""SELECT sum(stock) FROM migrant_stock WHERE destination = ?
                               AND sex = 'total' AND year = (SELECT max(year)
                               FROM migrant_stock)""", [COUNTRY]).fetchone()
    coverage = con.execute("""SELECT target, coverage80, coverage95 FROM projection_backtest
                              WHERE level = 'corridor' AND sex = 'total' AND
                              method = 'model' AND band = 'all' ORDER BY target""").fetchall()
    con.close()
    assert published is not None
    imm = section["immigrants"]
    got = [(p["year"], p["median"], p["lower80"], p["upper80"], p["lower95"], p["upper95"])
           for p in imm["series"] if p["sex"] == "total"]
    assert got == [r[:6] for r in rows]
    assert imm["jump_off_stock"] == published[0] == rows[0][7]
    assert section["jump_off"] == rows[0][6]
    assert [(r["target"], r["coverage80"], r["coverage95"])
            for r in section["backtest"]["corridor"]] == coverage
    for p in imm["series"] + section["emigrants"]["series"]:
        assert 0 <= p["lower95"] <= p["lower80"] <= p["median"] <= p["upper80"] <= p["upper95"]
    # the main corridors are the largest at the jump-off, in each direction
    origins = [c["origin"] for c in section["from_origins"]]
    con = duckdb.connect(str(projected), read_only=True)
    largest = [r[0] for r in con.execute(
        """SELECT origin FROM migrant_stock WHERE destination = ? AND sex = 'total'
           AND year = (SELECT max(year) FROM migrant_stock) AND origin <> 'OOO'
           ORDER BY stock DESC, origin LIMIT 3""", [COUNTRY]).fetchall()]
    con.close()
    assert origins == largest
    assert {s["view"] for s in section["sources"]} == {"projections", "projection_backtest"}
    assert all(s["files"] for s in section["sources"])


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_html_and_markdown_in_each_language(projected: Path, lexicon: Lexicon,
                                            lang: str) -> None:
    profile = stored_profile(projected, COUNTRY)
    section = profile["projections"]
    loc = Locale(lang)
    md = render_markdown(profile, lexicon, lang)
    words = catalogue(lang)
    assert f"## {words['projections']}" in md
    assert words["pj_caveat"].split(":")[0] in md  # "a projection, not a forecast"
    first = section["backtest"]["corridor"][0]
    share = loc.percent(100 * first["coverage80"], 0)
    assert loc.t("pj_backtest_year", target=first["target"], c80=share,
                 c95=loc.percent(100 * first["coverage95"], 0),
                 d80=loc.percent(100 * section["backtest"]["destination"][0]["coverage80"], 0),
                 d95=loc.percent(100 * section["backtest"]["destination"][0]["coverage95"], 0)
                 ) in md
    # calibration (PIT) of the first held-out year, from the stored histogram
    pit = first["pit"]
    assert len(pit) == 10
    assert abs(sum(pit) - 1) < 1e-9
    assert loc.t("pj_pit", target=first["target"], low=loc.percent(100 * pit[0], 0),
                 high=loc.percent(100 * pit[-1], 0),
                 middle=loc.percent(100 * sum(pit[3:7]), 0)) in md
    # the immigrants were held at WPP's population (the fixture's 2030); none reached it
    assert {p["wpp_revision"] for p in section["immigrants"]["series"] if "held" in p} == {"2024"}
    assert loc.t("pj_held_never", revision="2024") in md
    p2050 = next(p for p in section["immigrants"]["series"]
                 if p["year"] == 2050 and p["sex"] == "total")
    assert (f"| 2050 | {loc.number(p2050['median'])} | {loc.number(p2050['lower80'])}–"
            f"{loc.number(p2050['upper80'])} |") in md
    text = unescape(render_html(profile, lexicon, lang))
    block = text[text.index('<section id="projections">'):]
    block = block[:block.index("</section>")]
    assert block.count('class="band"') == 4  # 80 % and 95 % fans of both series
    assert block.count('class="median"') == 2
    if lang != "en":
        for key in ("pj_caveat", "pj_method", "pj_band80", "pj_corridors"):
            assert catalogue("en")[key][:30] not in block, key


def test_the_profile_command_shows_the_section(projected: Path) -> None:
    md = CliRunner().invoke(cli, ["profile", COUNTRY, "--format", "md", "--lang", "fr",
                                  "--db", str(projected)])
    assert md.exit_code == 0, md.output
    assert f"## {catalogue('fr')['projections']}" in md.output


def test_no_projection_says_no_data(fixture_store: Path, lexicon: Lexicon) -> None:
    profile = stored_profile(fixture_store, COUNTRY)
    assert profile["projections"] == {}
    for lang in ("en", "fr", "es"):
        md = render_markdown(profile, lexicon, lang)
        after = md[md.index(f"## {catalogue(lang)['projections']}"):]
        after = after[:after.index("\n## ", 3)]
        assert catalogue(lang)["pj_none"] in after
        assert " 0 " not in after
        assert catalogue(lang)["pj_none"] in render_html(profile, lexicon, lang)


def test_the_web_page(projected: Path, browser) -> None:
    with TestClient(create_app(projected, watch=0)) as client:
        chooser = client.get("/projections", params={"lang": "es"})
        assert chooser.status_code == 200
        assert catalogue("es")["pj_choose"] in chooser.text
        assert client.get("/projections", params={"country": "XXX"}).status_code == 404
        answers = {lang: client.get("/projections", params={"country": COUNTRY,
                                                            "lang": lang})
                   for lang in ("en", "fr", "es")}
    for lang, answer in answers.items():
        assert answer.status_code == 200
        text = unescape(answer.text)
        assert catalogue(lang)["pj_page_intro"] in text
        assert text.count('class="band"') == 4
        if lang != "en":
            assert catalogue("en")["pj_page_intro"] not in text
            assert catalogue("en")["pj_caveat"][:40] not in text
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.set_content(answers["fr"].text)
    chart = page.locator("#projections svg.chart")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 500
    page.screenshot(path=str(SHOTS / "projections.fr.png"), full_page=True)
    results = Axe().run(page, options=AXE_RULES).response
    page.close()
    assert [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}"
            for v in results["violations"]] == []


def test_immigrants_against_the_projected_population() -> None:
    """The share of WPP's projected population, and the years where the upper 95 % bound
    exceeds it, said in words (the two projections do not constrain each other)."""
    from tmo.profiles.outlook import _population_lines

    series = [{"year": y, "sex": "total", "median": m, "lower80": m / 2, "upper80": 2 * m,
               "lower95": m / 4, "upper95": u} for y, m, u in ((2030, 10.0, 40.0),
                                                              (2050, 20.0, 300.0))]
    section = {"immigrants": {"jump_off_stock": 8.0, "series": series},
               "population": {"revision": "2024", "values": [
                   {"year": 2030, "population": 200.0}, {"year": 2050, "population": 250.0}],
                   "sources": []}}
    for lang in ("en", "fr"):
        loc = Locale(lang)
        lines = _population_lines(section, loc, [2030, 2050])
        assert loc.t("pj_share_year", year=2030, share=loc.percent(5.0, 1),
                     low=loc.percent(2.5, 1), high=loc.percent(10.0, 1)) in lines[0]
        assert lines[1] == loc.t("pj_exceeds", years="2050")
    assert _population_lines({"immigrants": section["immigrants"]}, Locale("en"),
                             [2030]) == []


def test_the_backtest_page(projected: Path, fixture_store: Path, browser) -> None:
    """/projections/backtest is the report of the stored backtest: its coverage table holds
    the stored rows' figures (read here with SQL), its PIT charts the stored histograms,
    every word in the page's language; 404 where no backtest is stored."""
    from tmo.projections.report import Words
    from tmo.projections.report import catalogue as report_words

    con = duckdb.connect(str(projected), read_only=True)
    model = con.execute("""SELECT target, coverage80, coverage95, pit1 FROM projection_backtest
                           WHERE method = 'model' AND level = 'corridor' AND sex = 'total'
                           AND band = 'all' ORDER BY target""").fetchall()
    con.close()
    with TestClient(create_app(projected, watch=0)) as client:
        pages = {lang: client.get("/projections/backtest", params={"lang": lang})
                 for lang in ("en", "fr", "es")}
        link = client.get("/projections", params={"country": COUNTRY, "lang": "fr"})
    assert 'href="/projections/backtest?lang=fr"' in link.text
    for lang, answer in pages.items():
        assert answer.status_code == 200, answer.text
        text = unescape(answer.text)
        w = Words(lang)
        assert report_words(lang)["title"] in text
        for _target, c80, c95, pit1 in model:
            assert w.share(c80) in text
            assert w.share(c95) in text
            assert pit1 is not None
        if lang != "en":
            assert report_words("en")["title"] not in text
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.set_content(pages["fr"].text)
    page.screenshot(path=str(SHOTS / "projections_backtest.fr.png"), full_page=True)
    page.close()
    with TestClient(create_app(fixture_store, watch=0)) as client:
        missing = client.get("/projections/backtest")
    assert missing.status_code == 404
    assert "no projection backtest" in missing.text
