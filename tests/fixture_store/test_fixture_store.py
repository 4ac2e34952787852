"""The fixture store (tests/conftest.py `fixture_store`): figures computed by hand from
tests/fixture_store/figures.py, read back from the views after the real build.

The expected numbers are written out here, not recomputed from figures.py, so a wrong
file layout, a wrong generator or a wrong reading all show up as a different number.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

COUNTRIES = {"DEU", "ETH", "ITA", "MDA", "PHL", "ROU", "TUV", "USA"}


@pytest.fixture(scope="module")
def con(fixture_store: Path):
    connection = duckdb.connect(str(fixture_store), read_only=True)
    yield connection
    connection.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, f"{len(rows)} rows for {sql} {params}"
    return rows[0][0]


def test_only_the_fixture_countries_and_no_problem_findings(con):
    countries = {r[0] for r in con.execute(
        "SELECT iso3 FROM countries WHERE kind = 'country'").fetchall()}
    assert countries == COUNTRIES
    bad = con.execute("SELECT severity, \"check\", \"where\", message FROM findings "
                      "WHERE severity IN ('error', 'warning')").fetchall()
    # but the two remittance sources, which disagree for 2021 by construction: KNOMAD
    # gives the Philippines 0 (figures.KNOMAD) where WDI gives 36 billion received and
    # 250 million paid, and its World of 2021 sums only Moldova and the Philippines
    assert [b for b in bad if b[1] != "remittance_sources"] == []
    assert sorted(b[2] for b in bad if b[1] == "remittance_sources") == [
        "PHL paid", "PHL received", "WB:WLD paid", "WB:WLD received"]


def test_every_declared_source_has_a_fixture_file(con):
    from tmo.sources.catalog import load_catalog

    editions = dict(con.execute("SELECT DISTINCT source, edition FROM provenance").fetchall())
    assert set(editions) == set(load_catalog())  # a new source needs a file in make.py
    assert editions["ims_od_2024"] == "official"  # the origin-destination workbook
    assert editions["ims_od_2020"] == "canonical-csv"
    assert editions["wpp2024"] == editions["wpp2019"] == "official"  # the WPP CSVs


def test_destination_totals(con):
    sql = ("SELECT stock FROM destination_stock WHERE revision = ? AND year = ? "
           "AND destination = ? AND sex = ?")
    # MDA: 3,000 + 2,000 (ROU) + 400 + 600 (DEU) + 1,000 + 1,000 (Other)
    assert one(con, sql, "2024", 2024, "MDA", "total") == 8_000
    assert one(con, sql, "2024", 2024, "MDA", "female") == 4_400
    assert one(con, sql, "2024", 2024, "MDA", "male") == 3_600
    assert one(con, sql, "2024", 1990, "MDA", "total") == 4_000  # x 5/10
    assert one(con, sql, "2020", 2020, "MDA", "total") == 6_400  # 2020 revision: x 8/10
    assert one(con, sql, "2024", 2024, "DEU", "total") == 110_000
    assert one(con, sql, "2024", 2024, "UN:900", "total") == 619_100  # the World
    assert one(con, sql, "2024", 2024, "UN:908", "total") == 293_000  # Europe
    assert one(con, sql, "2024", 2024, "UN:923", "total") == 33_000  # Eastern Europe
    assert one(con, "SELECT data_type FROM destination_stock WHERE revision = '2020' AND "
               "year = 2020 AND destination = 'PHL' AND sex = 'total'") == "C R"


def test_origin_destination_sums_equal_destination_totals(con):
    off = con.execute("""
        SELECT d.revision, d.year, d.destination, d.sex, d.stock, sum(m.stock)
        FROM destination_stock d JOIN migrant_stock m USING (revision, year, destination, sex)
        GROUP BY ALL HAVING sum(m.stock) <> d.stock""").fetchall()
    assert off == []
    compared = one(con, """SELECT count(DISTINCT (revision, year, destination, sex))
                           FROM migrant_stock""")
    assert compared == 8 * 3 * (8 + 7)  # destinations x sexes x (2024 + 2020 years)
    sexes = con.execute("""
        SELECT revision, year, origin, destination FROM migrant_stock GROUP BY ALL
        HAVING sum(stock) FILTER (WHERE sex = 'total')
               <> sum(stock) FILTER (WHERE sex <> 'total')""").fetchall()
    assert sexes == []


def test_corridor(con):
    sql = ("SELECT stock FROM migrant_stock WHERE revision = ? AND year = ? AND origin = ? "
           "AND destination = ? AND sex = ?")
    assert one(con, sql, "2024", 2024, "MDA", "ITA", "total") == 50_000
    assert one(con, sql, "2024", 2024, "MDA", "ITA", "female") == 30_000
    assert one(con, sql, "2024", 1990, "MDA", "ITA", "total") == 25_000
    assert one(con, sql, "2020", 2020, "MDA", "ITA", "total") == 40_000
    assert one(con, sql, "2024", 2024, "OOO", "MDA", "total") == 2_000  # "Other" origin
    emigrants = one(con, "SELECT sum(stock) FROM migrant_stock WHERE revision = '2024' AND "
                    "year = 2024 AND origin = 'MDA' AND sex = 'total'")
    assert emigrants == 90_000


def test_population(con):
    sql = ("SELECT population FROM population WHERE source = ? AND revision = ? AND year = ? "
           "AND country = ? AND sex = ?")
    assert one(con, sql, "UN DESA IMS", "2024", 2024, "MDA", "total") == 2_500_000
    assert one(con, sql, "UN DESA IMS", "2024", 2024, "MDA", "female") == 1_300_000
    assert one(con, sql, "UN DESA IMS", "2024", 2024, "TUV", "total") == 10_000
    assert one(con, sql, "UN DESA IMS", "2024", 2024, "UN:923", "total") == 22_500_000
    assert one(con, sql, "UN WPP", "2024", 2023, "MDA", "total") == 2_500_000
    assert one(con, sql, "UN WPP", "2019", 2020, "DEU", "male") == 39_500_000
    # IMS 2020 Table 2 publishes ".." for Tuvalu by sex before 2000: no row
    missing = con.execute(sql, ["UN DESA IMS", "2020", 1990, "TUV", "male"]).fetchall()
    assert missing == []
    births = one(con, "SELECT births FROM vital_events WHERE source = 'UN WPP' AND "
                 "revision = '2019' AND year = 2015 AND country = 'MDA'")
    assert births == 200_000  # 5 years x 40 thousand


def test_remittances(con):
    sql = ("SELECT usd FROM remittances WHERE source = ? AND year = ? AND country = ? "
           "AND direction = ?")
    assert one(con, sql, "WDI", 2022, "MDA", "received") == 2_000_000_000
    assert one(con, sql, "WDI", 2022, "MDA", "paid") == 200_000_000
    assert one(con, sql, "KNOMAD", 2022, "MDA", "received") == 2_000_000_000
    # World: 2.0 + 10 + 20 + 10 + 38 + 0.005 + 8 + 0.4 billion
    assert one(con, sql, "WDI", 2022, "WB:WLD", "received") == pytest.approx(88_405_000_000)
    assert one(con, "SELECT usd FROM remittance_corridors WHERE year = 2017 AND "
               "sender = 'ITA' AND receiver = 'MDA'") == 300_000_000
    assert one(con, "SELECT usd FROM gdp WHERE year = 2022 AND country = 'MDA'") == 16e9
    assert one(con, "SELECT cost_pct FROM remittance_costs WHERE period = '2020Q3' AND "
               "sender = 'DEU' AND receiver = 'MDA'") == 4.5
    assert one(con, "SELECT cost_pct FROM remittance_cost_country WHERE year = 2021 AND "
               "country = 'MDA' AND direction = 'to'") == 5.5


def test_refugees(con):
    def total(side: str, iso3: str) -> object:
        return one(con, f"SELECT sum(refugees) FROM refugees WHERE year = 2023 AND {side} = ?",
                   iso3)

    assert total("asylum", "DEU") == 1_300  # 1,000 of unknown origin + 300 from MDA
    assert total("origin", "MDA") == 500  # 300 in DEU + 200 in ITA
    assert total("asylum", "MDA") == 50
    assert one(con, "SELECT refugees FROM refugees WHERE year = 2023 AND origin = 'OOO' "
               "AND asylum = 'DEU'") == 1_000  # UNHCR's UNK
    assert one(con, "SELECT stateless FROM refugees WHERE year = 2023 AND origin = 'XXA' "
               "AND asylum = 'DEU'") == 20


def test_other_sources(con):
    assert one(con, "SELECT flow FROM reported_flows WHERE year = 2022 AND origin = 'ROU' "
               "AND destination = 'DEU'") == 200_000
    shapes = {r[0] for r in con.execute("SELECT iso3 FROM country_shapes").fetchall()}
    assert shapes == COUNTRIES - {"TUV"}  # too small for the 1:110m map, as published
    assert one(con, "SELECT capital FROM countries WHERE iso3 = 'MDA'") == "Chişinău"
    assert one(con, "SELECT value FROM ims_indicator WHERE revision = '2024' AND "
               "indicator = 'migrant_share_pct' AND period = '2024' AND area = 'MDA' AND "
               "sex = 'total'") == pytest.approx(0.32)


def test_profile_of_moldova(fixture_store: Path):
    from tmo.profiles.context import build_profile

    profile = build_profile(fixture_store, "MDA")
    assert (profile["year"], profile["revision"]) == (2024, "2024")
    immigration = profile["immigration"]["figures"]
    emigration = profile["emigration"]["figures"]
    assert immigration["immigrant_stock"]["value"] == 8_000
    assert immigration["immigrant_share"]["value"] == pytest.approx(0.32)
    assert immigration["immigrant_female_share"]["value"] == pytest.approx(55.0)
    assert immigration["immigrant_change_since_1990"]["value"] == pytest.approx(100.0)
    assert emigration["emigrant_stock"]["value"] == 90_000
    assert emigration["emigrant_rate"]["value"] == pytest.approx(3.6)
    assert profile["net_position"]["value"] == -82_000
    assert profile["corridors"][0] == {"partner": "ITA", "immigrants_from": 0,
                                       "emigrants_to": 50_000}
    refugees = profile["refugees"]["figures"]
    assert (refugees["refugees_hosted"]["value"], refugees["refugees_abroad"]["value"]) == \
        (50, 500)
    remittances = profile["remittances"]["figures"]
    assert remittances["remittances_received"]["value"] == 2_000_000_000
    assert remittances["remittances_gdp_share"]["value"] == pytest.approx(12.5)
    regional = {r["area"]: r["immigrant_stock"] for r in profile["regional"]}
    assert regional == {"MDA": 8_000, "UN:923": 33_000, "UN:908": 293_000, "UN:900": 619_100}
