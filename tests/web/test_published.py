"""The web app over the real store answers the real published figures (IMS 2024 and
2020, the 2024 origin-destination table, the real country names and map). The routes'
behaviour is tested on the fixture store (test_api.py, test_pages.py, test_snapshots.py,
test_accessibility.py); these are the real-figure assertions of those tests."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import web_state
from tmo.config import settings
from tmo.profiles.context import build_profile
from tmo.web.app import create_app

from .test_api import data


def test_profile_is_the_cli_profile(client: TestClient, web_store: Path) -> None:
    api = data(client, "/api/v1/countries/mda/profile")["data"]
    assert api == build_profile(web_store, "MDA")
    assert api["emigration"]["figures"]["emigrant_stock"]["value"] == 864_257


def test_corridor_both_directions_and_flows(client: TestClient) -> None:
    body = data(client, "/api/v1/corridors/MDA/ITA")["data"]
    assert set(body["stocks"]) == {"MDA->ITA", "ITA->MDA"}
    trend = {r["year"]: r["total"] for r in body["stocks"]["MDA->ITA"]["trend"]}
    assert trend[2024] == 218_594
    assert body["flows"]
    assert {f["origin"] for f in body["flows"]} <= {"MDA", "ITA"}


def test_corridor_download(client: TestClient) -> None:
    r = client.get("/api/v1/corridors/MDA/ITA?format=csv")
    lines = r.text.strip().splitlines()
    assert "MDA,ITA,2024,218594," in r.text
    assert len(lines) == 1 + 2 * 8
    assert ("SELECT * FROM migrant_stock WHERE revision = '2024' AND origin = 'MDA' AND "
            "destination = 'ITA' AND year = 2024") in r.text


def test_flows_of_a_country(client: TestClient) -> None:
    body = data(client, "/api/v1/flows?country=MEX&limit=3")
    assert body["data"]
    assert all("MEX" in (r["origin"], r["destination"]) for r in body["data"])


def test_indicator_table_for_maps(client: TestClient) -> None:
    body = data(client, "/api/v1/indicators/immigrant_share?year=2024")
    by = {r["iso3"]: r for r in body["data"]}
    assert by["DEU"]["stock"] == 16_750_084  # IMS 2024 Table 1, as published
    profile = data(client, "/api/v1/countries/DEU/profile")["data"]
    assert by["DEU"]["value"] == profile["immigration"]["figures"]["immigrant_share"]["value"]


def test_health_reports_the_build(client: TestClient) -> None:
    body = data(client, "/api/v1/health")["data"]
    assert body["stages"] == "build,flows"  # the web store has flows
    assert body["profiles_stored"] >= 230
    assert len(web_state(client).current.documents) >= 230  # every country's profile


def test_other_years_are_built_on_demand(client: TestClient, web_store: Path) -> None:
    body = client.get("/api/v1/countries/DEU/profile?year=2020&revision=2020").json()
    assert body["data"] == build_profile(web_store, "DEU", 2020, "2020")
    assert body["data"]["immigration"]["figures"]["immigrant_stock"]["value"] == 15_762_457


def test_largest_corridor(client: TestClient) -> None:
    r = client.get("/corridors?a=mex&b=usa", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/corridors/MEX/USA"
    page = client.get("/corridors").text
    assert '<a href="/corridors/MEX/USA">' in page  # the largest corridor of 2024
    src = web_state(client).current.cursor().execute(
        "SELECT src_file, src_row FROM migrant_stock WHERE revision = '2024' AND year = 2024 "
        "AND origin = 'MEX' AND destination = 'USA' AND sex = 'total'").fetchone()
    assert src is not None
    assert f"{src[0]}, row {src[1]}" in page  # each figure names its source rows


def test_practice_page(client: TestClient) -> None:
    page = client.get("/practices/ury-postal-remittances").text
    # the practice is written in English only, and its page says so to screen readers
    assert '<h1 lang="en">Cheaper remittances through the postal services' in page
    assert '<a href="/countries/URY?lang=en">' in page  # its countries open their profiles
    assert "final report of the workshop" in page  # the source document by its title
    assert '<a href="/practices/ury-departamento-20?lang=en" lang="en">' in page  # related
    listing = client.get("/practices?q=cheaper+remittances").text
    assert '<a href="/practices/ury-postal-remittances">' in listing


def test_every_name_offered_by_the_search_box_opens_its_country(web_store: Path) -> None:
    # one client searching every name: above the per-client search limit (docs/web.md),
    # so this app allows as many searches as there are names
    cfg = settings()
    cfg = dataclasses.replace(cfg, web=dataclasses.replace(cfg.web, search_per_minute=1000))
    client = TestClient(create_app(web_store, watch=0, settings=cfg))
    offered = web_state(client).current.country_list
    assert len(offered) > 200
    page = client.get("/").text
    assert all(f'<option value="{c["name"]}">' in page.replace("&#39;", "'")
               for c in offered[:20])
    wrong = {}
    for c in offered:
        r = client.get("/search", params={"q": c["name"]}, follow_redirects=False)
        if r.headers.get("location") != f"/countries/{c['iso3']}":
            wrong[c["name"]] = (r.status_code, r.headers.get("location"))
    assert wrong == {}


def test_unknown_name_suggests_the_closest_countries(client: TestClient) -> None:
    r = client.get("/search?q=Narnia", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert '<a href="/countries/ARM">Armenia (ARM)</a>' in r.text


def test_maps_draw_every_country(client: TestClient) -> None:
    home = client.get("/").text
    immigration = home.split('<figure class="map map-imm', 1)[1].split("</figure>", 1)[0]
    assert len(re.findall(r'<path [^>]*data-iso3="', immigration)) > 150
    profile = client.get("/countries/MDA").text
    assert len(re.findall(r'<path [^>]*data-iso3="', profile)) > 150


def test_corridor_page_on_a_phone(page, base_url: str) -> None:
    """In Chromium over the real store (the other pages on a phone: test_pages.py)."""
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(base_url + "/corridors/MDA/ITA")
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_real_pages_are_accessible(page, base_url: str) -> None:
    """axe-core and the chart contrast on real pages (every page on the fixture store:
    test_accessibility.py): the real names, the map's every class, the real corridors."""
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import RULES, SVG_CONTRAST

    page.goto(base_url + "/countries/MDA")
    results = Axe().run(page, options=RULES).response
    assert len(results["passes"]) > 20  # it did run its rules
    assert [v["id"] for v in results["violations"]] == []
    for url in ("/", "/countries/MDA"):
        page.goto(base_url + url)
        assert page.evaluate(SVG_CONTRAST)["failures"] == [], url
