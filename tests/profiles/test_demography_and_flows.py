"""The Demographic context and the country's flows sections (issue #13): every figure as
the views hold it (checked here with plain SQL over the fixture store), the range across
stored methods, WPP's net migration summed over the same years, reported immigration
summed over the origins the file gives, and "no data" (never 0) where nothing is held,
in EN/FR/ES."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tmo.profiles.country_flows import WORDS, country_flows
from tmo.profiles.country_flows import view as flows_view
from tmo.profiles.demography import demography
from tmo.profiles.demography import view as demography_view
from tmo.profiles.i18n import Locale
from tmo.profiles.untranslated import english
from tmo.store.evidence import Evidence

# made-up flows of two methods for DEU, written into a copy of the fixture store
FLOWS = [("da_pb_closed", 2015, 2020, "ITA", "DEU", 1000.0),
         ("da_pb_closed", 2015, 2020, "ROU", "DEU", 500.0),
         ("da_pb_closed", 2015, 2020, "DEU", "ITA", 300.0),
         ("da_min_closed", 2015, 2020, "ITA", "DEU", 800.0),
         ("da_min_closed", 2015, 2020, "DEU", "ITA", 450.0)]


@pytest.fixture(scope="module")
def con(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("flows") / "flows.duckdb"
    shutil.copy(fixture_store, db)
    c = duckdb.connect(str(db))
    for method, start, end, o, d, f in FLOWS:
        c.execute("INSERT INTO base.migration_flows (revision, method, sex, period_start, "
                  "period_end, origin, destination, flow) VALUES ('2024', ?, 'total', ?, ?, "
                  "?, ?, ?)", [method, start, end, o, d, f])
    yield c
    c.close()


def test_demography_is_the_views_figures(con: duckdb.DuckDBPyConnection) -> None:
    doc = demography(Evidence(con), "DEU")
    pop = dict(doc["population"]["series"]["total"])
    expected = dict(con.execute("SELECT year, population FROM population WHERE source = "
                                "'UN WPP' AND revision = '2024' AND country = 'DEU' AND "
                                "sex = 'total'").fetchall())
    assert pop == {y: float(v) for y, v in expected.items()}
    proj = dict(doc["projection"]["series"]["total"])
    assert doc["projection"]["date"] == "07-01"  # published 1 July: taken as is
    assert proj == dict(con.execute(
        "SELECT year, population FROM population_projection WHERE country = 'DEU' AND "
        "year <= 2050 AND variant = 'medium' AND sex = 'total' AND date = '07-01' AND "
        "revision = ?", [doc["projection"]["revision"]]).fetchall())
    births, deaths, net = con.execute(
        "SELECT sum(births), sum(deaths), sum(net_migration) FROM vital_events WHERE "
        "country = 'DEU' AND revision = '2024' AND year BETWEEN 2010 AND 2014").fetchall()[0]
    period = next(p for p in doc["vital"]["periods"] if p["start"] == 2010)
    assert (period["births"], period["deaths"], period["net_migration"]) == \
        pytest.approx((births, deaths, net))
    assert period["natural_change"] == pytest.approx(births - deaths)
    assert doc["age_structure"] is None
    for part in ("population", "projection", "vital"):
        assert all(s["files"] for s in doc[part]["sources"])


def test_flows_default_method_range_wpp_and_reported(con: duckdb.DuckDBPyConnection) -> None:
    doc = country_flows(Evidence(con), "DEU", "2024")
    est = doc["estimated"]
    assert est["method"] == "da_pb_closed"
    assert est["methods"] == ["da_min_closed",
                                                                  "da_pb_closed"]
    (p,) = est["periods"]
    assert (p["inflow"], p["outflow"]) == (1500.0, 300.0)
    assert p["inflow_range"] == [800.0, 1500.0]
    assert p["outflow_range"] == [300.0, 450.0]
    net = con.execute("SELECT sum(net_migration) FROM vital_events WHERE country = 'DEU' "
                      "AND revision = '2024' AND year BETWEEN 2015 AND 2019").fetchall()[0][0]
    assert doc["wpp_net_migration"]["periods"][0]["net_migration"] == pytest.approx(net)
    reported = dict(con.execute("SELECT year, sum(flow) FROM reported_flows WHERE "
                                "destination = 'DEU' GROUP BY year").fetchall())
    assert {r["year"]: r["flow"] for r in doc["reported"]["years"]} == reported
    fr = flows_view(doc, Locale("fr"), "Allemagne")
    assert fr["rows"][0]["inflow"] == "1\u202f500" or fr["rows"][0]["inflow"].replace(
        "\u00a0", "\u202f") == "1\u202f500"
    assert "fourchette" in fr["rows"][0]["inflow_range"]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_data_is_said_not_zero(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    ev = Evidence(con)
    assert demography(ev, "ZZZ") == {}
    assert country_flows(ev, "ZZZ", "2024") == {}
    for v in (demography_view({}, Locale(lang), "x"), flows_view({}, Locale(lang), "x")):
        assert v["empty"]
        assert "0" not in v["empty"]
    # a country with WPP figures but no estimated or reported flows says so, and shows
    # WPP's net migration with "no data" (never 0) in the estimated columns
    doc = country_flows(ev, "TUV", "2024")
    assert not doc["estimated"]
    assert not doc["reported"]
    assert doc["wpp_net_migration"]
    v = flows_view(doc, Locale(lang), "Tuvalu")
    nodata = Locale(lang).t("not_available")
    assert v["rows"]
    assert all(r["inflow"] == r["net"] == nodata for r in v["rows"])
    assert any(line.startswith(WORDS[lang]["no_reported"]) for line in v["lines"])
    assert any(line.startswith(WORDS[lang]["no_estimates"]) for line in v["lines"])


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_in_french_or_spanish(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    ev, loc = Evidence(con), Locale(lang)
    views = [demography_view(demography(ev, "DEU"), loc, "x"),
             flows_view(country_flows(ev, "DEU", "2024"), loc, "x"),
             flows_view(country_flows(ev, "TUV", "2024"), loc, "x")]

    def words(obj: object) -> list[str]:
        if isinstance(obj, dict):
            return [w for k, v in obj.items() if k not in ("chart", "sources") for w in words(v)]
        if isinstance(obj, list):
            return [w for v in obj for w in words(v)]
        return [obj] if isinstance(obj, str) else []
    text = " ".join(w for v in views for w in words(v))
    assert english(text.replace("da_pb_closed", "").replace("da_min_closed", ""), lang) == []
