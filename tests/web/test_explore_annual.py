"""The explorer's indicators from annual sources (`tmo.indicators.annual`) over the fixture
app: each value is the published rows' arithmetic computed here with plain SQL on the
store's views, each CSV row's queries return exactly the rows it is computed from, and
the page offers them with their definition in the visitor's language."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient


def values(client: TestClient, query: str) -> dict[str, tuple[float, str]]:
    r = client.get(f"/explore/data.csv?{query}")
    assert r.status_code == 200, r.text
    return {row["iso3"]: (float(row["value"]), row["source_query"])
            for row in csv.DictReader(io.StringIO(r.text))}


def ims_population(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, float]:
    return dict(con.execute(
        "SELECT country, population FROM population WHERE source = 'UN DESA IMS' AND "
        "revision = '2024' AND sex = 'total' AND year = ?", [year]).fetchall())


@pytest.fixture
def con(fixture_web_store: Path):
    c = duckdb.connect(str(fixture_web_store), read_only=True)
    yield c
    c.close()


def test_refugees_per_1000_and_their_rows(fixture_client: TestClient, con) -> None:
    pop = ims_population(con, 2024)
    unhcr = con.execute("SELECT max(year) FROM refugees WHERE year <= 2024").fetchone()[0]
    hosted = dict(con.execute("SELECT asylum, sum(refugees) FROM refugees WHERE year = ? "
                              "GROUP BY asylum", [unhcr]).fetchall())
    expected = {c: 1000 * v / pop[c] for c, v in hosted.items() if c in pop}
    got = values(fixture_client, "indicator=refugees_hosted_per_1000&year=2024")
    assert {c: pytest.approx(v, abs=1e-4) for c, (v, _) in got.items()} == expected
    assert "ROU" not in got  # UNHCR lists no one in Romania: no data, not 0
    for c, (_, queries) in got.items():
        rows, population = (con.execute(q).fetchall() for q in queries.split("; "))
        assert len(rows) == con.execute("SELECT count(*) FROM refugees WHERE asylum = ? "
                                         "AND year = ?", [c, unhcr]).fetchone()[0]
        assert len(population) == 1
    # no UNHCR year up to 2020 in the fixture: the map year has no value anywhere
    assert values(fixture_client, "indicator=refugees_abroad_per_1000&year=2020") == {}


def test_remittances_as_a_share_of_gdp(fixture_client: TestClient, con) -> None:
    received = con.execute(
        """SELECT r.country, 100 * r.usd / g.usd FROM remittances r JOIN gdp g
           ON g.country = r.country AND g.year = r.year AND g.source = 'WDI'
           WHERE r.source = 'WDI' AND r.direction = 'received' AND r.usd > 0
             AND r.year = (SELECT max(year) FROM remittances x WHERE x.source = 'WDI'
                           AND x.country = r.country AND x.direction = 'received'
                           AND x.usd > 0 AND x.year BETWEEN 2020 AND 2024)
             AND r.country NOT LIKE '%:%'""").fetchall()
    got = values(fixture_client, "indicator=remittances_gdp_share&year=2024")
    assert {c: pytest.approx(v, abs=1e-4) for c, (v, _) in got.items()} == dict(received)
    remit, gdp = (con.execute(q).fetchall() for q in got["MDA"][1].split("; "))
    assert len(remit) == len(gdp) == 1  # MDA: 2022, the latest year with both
    # the store has GDP: the explorer offers shares, not US$
    page = fixture_client.get("/explore?lang=fr").text
    assert 'value="remittances_paid_gdp_share"' in page
    assert 'value="remittances_received"' not in page
    assert fixture_client.get("/explore?indicator=remittances_received").status_code == 404


def test_net_migration_rate(fixture_client: TestClient, con) -> None:
    pop = ims_population(con, 2020)
    net = con.execute(
        """SELECT country, net_migration / period_years FROM vital_events
           WHERE source = 'UN WPP' AND revision = (SELECT max(revision) FROM vital_events)
             AND year <= 2020 AND year + period_years > 2020
             AND country NOT LIKE '%:%'""").fetchall()
    expected = {c: 1000 * v / pop[c] for c, v in net if c in pop and v is not None}
    got = values(fixture_client, "indicator=net_migration_rate&year=2020")
    assert got
    assert {c: pytest.approx(v, abs=1e-4) for c, (v, _) in got.items()} == expected


def test_sources_tab_in_the_visitors_language(fixture_client: TestClient) -> None:
    page = fixture_client.get("/explore?indicator=refugees_hosted_per_1000&view=sources"
                              "&countries=DEU&lang=es").text
    assert "Refugiados bajo el mandato del ACNUR" in page
    assert "population.rda" in page  # the UNHCR file
    assert "FROM refugees WHERE asylum = &#39;DEU&#39;" in page
