"""The indicator explorer over the fixture app: its values are the published rows'
arithmetic (computed here with plain SQL on the store's views), each CSV row's query
returns the rows its value comes from, the state lives in the address, framing is
allowed on the embed route only, and bad states answer 404/422."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}


def rows(client: TestClient, query: str) -> list[dict[str, str]]:
    r = client.get(f"/explore/data.csv?{query}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_map_values_are_the_published_rows_arithmetic(fixture_client: TestClient,
                                                       fixture_web_store: Path) -> None:
    con = duckdb.connect(str(fixture_web_store), read_only=True)
    expected = {code: 100 * stock / pop for code, stock, pop in con.execute(
        """SELECT d.destination, d.stock, p.population FROM destination_stock d
           JOIN population p ON p.country = d.destination AND p.year = d.year
            AND p.sex = d.sex AND p.revision = d.revision AND p.source = 'UN DESA IMS'
           WHERE d.revision = '2024' AND d.year = 2000 AND d.sex = 'total'
             AND d.destination NOT LIKE '%:%'""").fetchall()}
    got = rows(fixture_client, "indicator=immigrant_share&year=2000")
    assert {r["iso3"]: pytest.approx(float(r["value"]), abs=1e-4) for r in got} == expected
    for r in got:  # each row's query returns the two published rows it divides
        stock, pop = (con.execute(q).fetchall() for q in r["source_query"].split("; "))
        assert len(stock) == len(pop) == 1
    con.close()


def test_chart_over_years_absolute_and_relative(fixture_client: TestClient,
                                                fixture_web_store: Path) -> None:
    con = duckdb.connect(str(fixture_web_store), read_only=True)
    stocks = dict(con.execute("""SELECT year, sum(stock) FROM migrant_stock WHERE revision =
        '2024' AND origin = 'MDA' AND sex = 'total' GROUP BY year""").fetchall())
    con.close()
    got = rows(fixture_client, "indicator=emigrant_stock&view=chart&countries=MDA&countries=ROU")
    mda = {int(r["year"]): float(r["value"]) for r in got if r["iso3"] == "MDA"}
    assert mda == stocks
    assert {r["iso3"] for r in got} == {"MDA", "ROU"}
    page = fixture_client.get("/explore/chart.svg?indicator=emigrant_stock&mode=rel"
                              "&countries=MDA").text
    first = min(stocks)
    # the index: each year's stock over the first year's, times 100 (locale: no decimals)
    assert f"{first}: 100</title>" in page
    last = max(stocks)
    assert f"{last}: {100 * stocks[last] / stocks[first]:,.0f}</title>" in page


def test_map_has_a_no_data_class_and_outlines_the_chosen(fixture_client: TestClient) -> None:
    svg = fixture_client.get("/explore/map.svg?indicator=immigrant_share&year=2024"
                             "&countries=MDA&lang=fr").text
    assert svg.startswith("<svg")
    assert ">pas de données</text>" in svg  # the legend's no-data class
    tuv = re.search(r'data-iso3="TUV"', svg)  # Tuvalu has no outline at 1:110m
    assert tuv is None
    mda = re.search(r'<path [^>]*stroke="#1d2733"[^>]*data-iso3="(\w+)"', svg)
    assert mda is not None
    assert mda.group(1) == "MDA"


def test_permalink_restores_the_state(fixture_client: TestClient) -> None:
    query = ("indicator=emigrant_rate&year=2010&countries=MDA&countries=ROU&countries=ITA"
             "&mode=rel&view=chart&lang=es")
    page = fixture_client.get(f"/explore?{query}").text.replace("&amp;", "&")
    assert f'id="permalink" class="wide" readonly value="http://testserver/explore?{query}"' \
        in page
    assert '<option value="emigrant_rate" selected>' in page
    assert '<option selected>2010</option>' in page
    chosen = re.findall(r'<option value="(\w{3})" selected>', page)
    assert chosen == ["MDA", "ROU", "ITA"]
    assert 'id="mode-rel" value="rel" checked' in page
    assert 'aria-current="page">Gráfico</a>' in page
    assert f'src="http://testserver/embed/explore?{query}"' in page


def test_framing_only_on_embed_routes(fixture_client: TestClient) -> None:
    embed = fixture_client.get("/embed/explore?view=chart&countries=MDA")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert 'class="site"' not in embed.text  # the chart alone, its citation and a link
    assert "International Migrant Stock" in embed.text
    full = fixture_client.get("/explore")
    assert full.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in full.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("query", "status"), [
    ("year=1991", 404), ("countries=ZZZ", 404), ("countries=MOLDOVA", 422),
    ("indicator=gdp", 422), ("view=pie", 422), ("mode=log", 422)])
def test_bad_states(fixture_client: TestClient, query: str, status: int) -> None:
    assert fixture_client.get(f"/explore?{query}").status_code == status
    assert fixture_client.get(f"/explore?{query}", headers=HTML).status_code == status


def test_flow_range_across_methods() -> None:
    """The corridor page's range: per period and direction, the lowest and highest flow
    of the stored methods, and which method gives each."""
    from tmo.web.pages import flow_range

    rows = [{"method": m, "period_start": 1990, "period_end": 1995, "origin": o,
             "destination": d, "flow": f}
            for m, o, d, f in (("a", "MDA", "ROU", 10.0), ("b", "MDA", "ROU", 30.0),
                               ("c", "MDA", "ROU", 20.0), ("a", "ROU", "MDA", 5.0),
                               ("b", "ROU", "MDA", 1.0))]
    assert flow_range(rows) == [
        {"period_start": 1990, "period_end": 1995, "origin": "MDA", "destination": "ROU",
         "low": 10.0, "low_method": "a", "high": 30.0, "high_method": "b", "methods": 3},
        {"period_start": 1990, "period_end": 1995, "origin": "ROU", "destination": "MDA",
         "low": 1.0, "low_method": "b", "high": 5.0, "high_method": "a", "methods": 2}]
