"""Electors abroad from the fixture store: UN DESA emigrants x adult share x citizenship
share, the user's city figures summed per country, each figure with its source."""

from __future__ import annotations

import pytest

from tmo.errors import NotFound
from tmo.store import facts
from tmo.voting.electors import electors_abroad
from tmo.voting.inputs import read_registrations
from tmo.voting.ruleset import Cited

from .conftest import write_csv

ADULT = Cited(0.8, ("a",), True)
CITIZENS = Cited(0.9, (), False, "assumed")


def test_estimates_from_the_stock(con):
    result = electors_abroad(con, "MDA", adult_share=ADULT, citizenship_share=CITIZENS)
    assert (result.revision, result.year) == ("2024", 2024)
    emigrants = {k: c.emigrants for k, c in result.countries.items()}
    assert emigrants == {"ITA": 50000, "ROU": 20000, "DEU": 10000, "USA": 10000}
    assert result.total_emigrants == 90000
    assert result.countries["ITA"].electors == pytest.approx(50000 * 0.8 * 0.9)
    assert result.total_electors == pytest.approx(90000 * 0.72)
    sources = result.countries["ITA"].sources()
    assert sources["emigrants"].startswith("UN DESA International Migrant Stock 2024, 2024 "
                                           "(migrant_stock: ")
    assert "adult share" in sources["electors"]


def test_an_earlier_revision_and_year(con):
    result = electors_abroad(con, "MDA", adult_share=ADULT, citizenship_share=CITIZENS,
                             revision="2020", year=2020)
    assert result.countries["ITA"].emigrants == 40000  # the fixture's 2020 corridor


def test_city_figures_are_summed_and_cited(con, tmp_path):
    path = write_csv(tmp_path, "r.csv", "country,city,lat,lon,registrations,votes\n"
                     "ITA,Milan,45.46,9.19,3000,2500\nITA,,,,1000,\nPHL,,,,50,40\n")
    cities = read_registrations(path, facts.registry(con), facts.capitals(con))
    result = electors_abroad(con, "MDA", adult_share=ADULT, citizenship_share=CITIZENS,
                             cities=cities)
    italy = result.countries["ITA"]
    assert (italy.registrations, italy.votes) == (4000, 2500)
    assert italy.sources()["registrations"] == "registrations file, lines 2, 3"
    assert italy.sources()["votes"] == "registrations file, lines 2"
    philippines = result.countries["PHL"]  # known only from the file
    assert philippines.emigrants is None
    assert philippines.electors is None
    assert philippines.registrations == 50
    assert result.countries["DEU"].registrations is None


def test_unknown_origin(con):
    with pytest.raises(NotFound, match="unknown country 'XXX'"):
        electors_abroad(con, "XXX", adult_share=ADULT, citizenship_share=CITIZENS)


def test_the_named_queries(con):
    rows = facts.emigrant_stock_rows(con, "MDA", "2024", 2024)
    assert [(r["destination"], r["stock"]) for r in rows] == [
        ("ITA", 50000), ("ROU", 20000), ("DEU", 10000), ("USA", 10000)]
    assert all(r["src_file"] for r in rows)
    capitals = facts.capitals(con)
    assert capitals["ITA"] == {"capital": "Roma (Rome)", "capital_type": "Capital",
                               "lat": 41.89, "lon": 12.48}
    assert "OOO" not in capitals
