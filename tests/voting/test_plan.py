"""The stations plan on the fixture store, computed by hand (tests/voting/conftest.py:
MDA's emigrants DEU 10,000, ITA 50,000, ROU 20,000, USA 10,000; adult share 0.8, turnout
0.5, 5,000 ballots per station, missions in Rome, Milan, Berlin and Bucharest)."""

from __future__ import annotations

import pytest

from tmo.errors import InputError
from tmo.store import facts
from tmo.voting.inputs import read_past_plan, read_registrations
from tmo.voting.plan import plan_stations
from tmo.voting.ruleset import load

from .conftest import write_csv, write_rules

REGISTRATIONS = ("country,city,lat,lon,registrations,votes\n"
                 "ITA,Milan,45.4642,9.19,3000,2400\n"
                 "ITA,Rome,,,1000,600\n"
                 "ITA,Bergamo,45.6983,9.6773,2000,1000\n")


def _plan(con, rules, tmp_path=None, registrations=None, past=None, **kw):
    registry, capitals = facts.registry(con), facts.capitals(con)
    cities = (read_registrations(write_csv(tmp_path, "r.csv", registrations), registry,
                                 capitals) if registrations else None)
    old = read_past_plan(write_csv(tmp_path, "p.csv", past), registry, capitals) if past else None
    return plan_stations(con, "MDA", rules, registrations=cities, past=old, **kw)


def test_stations_from_the_stock_alone(con, fixture_rules):
    plan = _plan(con, fixture_rules)
    by = {c.electors.iso3: c for c in plan.countries}
    # electors = stock x 0.8; expected voters = electors x 0.5; stations = ceil(/5000)
    assert {k: c.expected_voters for k, c in by.items()} == pytest.approx(
        {"DEU": 4000, "ITA": 20000, "ROU": 8000, "USA": 4000})
    assert {k: c.needed for k, c in by.items()} == {"DEU": 1, "ITA": 4, "ROU": 2, "USA": 1}
    italy = by["ITA"]
    assert [(s.site.city, s.stations) for s in italy.siting.sites] == [
        ("Roma (Rome)", 4), ("Milan", 1)]  # every mission opens; voters sit at the capital
    assert italy.siting.within is None  # placed at the capital: left out of the shares
    assert by["USA"].siting.sites[0].site.kinds == ("city",)  # no mission: a city site
    assert plan.stations == 1 + 5 + 2 + 1
    assert plan.summary()["within_km"] is None
    assert plan.over_capacity() == []


def test_city_figures_weigh_in_and_place_the_voters(con, fixture_rules, tmp_path):
    plan = _plan(con, fixture_rules, tmp_path, REGISTRATIONS)
    italy = next(c for c in plan.countries if c.electors.iso3 == "ITA")
    # three criteria, equal weights: (20,000 + 6,000 + 4,000) / 3 = 10,000 voters
    assert italy.by_criterion == pytest.approx(
        {"estimated_electors": 20000, "pre_registrations": 6000, "previous_votes": 4000})
    assert italy.expected_voters == pytest.approx(10000)
    assert italy.needed == 2
    # city shares: (registrations share + votes share) / 2: Milan (1/2 + 3/5)/2 = 0.55,
    # Rome (1/6 + 3/20)/2 = 0.1583, Bergamo (1/3 + 1/4)/2 = 0.2917
    sites = {s.site.city: s for s in italy.siting.sites}
    assert set(sites) == {"Roma (Rome)", "Milan"}  # both missions; Bergamo goes to Milan
    assert sites["Milan"].voters == pytest.approx(10000 * (0.55 + 0.291667), rel=1e-4)
    assert sites["Milan"].stations == 2
    within = italy.siting.within
    assert within is not None
    # Bergamo is 46 km from Milan: everyone within 50 km
    assert within[50] == pytest.approx(1.0)


def test_outside_missions_not_allowed(con, tmp_path):
    rules = load("MDA", write_rules(tmp_path, **{"stations.outside_missions": False}))
    plan = _plan(con, rules)
    usa = next(c for c in plan.countries if c.electors.iso3 == "USA")
    assert usa.stations == 0
    assert "no mission here" in usa.notes[-1]
    assert "USA" in plan.unserved()


def test_stations_open_outside_missions_where_voters_are(con, tmp_path):
    rules = load("MDA", write_rules(tmp_path, **{"stations.at_every_mission": False}))
    text = REGISTRATIONS + "ITA,Palermo,38.1157,13.3615,6000,6000\n"
    plan = _plan(con, rules, tmp_path, text)
    italy = next(c for c in plan.countries if c.electors.iso3 == "ITA")
    cities = {s.site.city for s in italy.siting.sites}
    assert "Palermo" in cities  # far from any mission and many voters: a site of its own
    assert italy.siting.solver["optimal"]


def test_minimum_voters_closes_small_sites(con, tmp_path):
    rules = load("MDA", write_rules(tmp_path, **{"stations.at_every_mission": False,
                                                 "stations.min_expected_voters": 2500,
                                                 "stations.voters_per_station": 1000}))
    plan = _plan(con, rules, tmp_path, REGISTRATIONS)
    italy = next(c for c in plan.countries if c.electors.iso3 == "ITA")
    assert italy.needed == 10
    assert all(s.voters >= 2500 for s in italy.siting.sites)
    assert italy.siting.solver["tries"] > 1


def test_turnout_from_the_last_election(con, tmp_path):
    rules = load("MDA", write_rules(tmp_path, **{
        "turnout.of_estimated_electors": "last_election",
        "last_election": {"year": 2024, "voters_abroad": 18000, "source": ["pravda-2024"]}}))
    plan = _plan(con, rules)
    assert plan.turnout.electors == pytest.approx(18000 / 72000)
    assert plan.turnout.derivation.startswith("18,000 voters abroad in 2024 / 72,000 "
                                              "estimated electors")
    assert plan.expected_voters == pytest.approx(18000)


def test_overrides_are_stated(con, fixture_rules):
    plan = _plan(con, fixture_rules, adult_share=0.5, turnout=1.0)
    assert plan.expected_voters == pytest.approx(90000 * 0.5)
    assert any("adult share 0.5 given on the command line" in a for a in plan.assumptions)
    assert plan.turnout.derivation == "given on the command line"
    with pytest.raises(InputError, match="not a share between 0 and 1"):
        _plan(con, fixture_rules, turnout=2.0)


def test_earlier_ballot_limit_by_election_year(con, fixture_rules):
    assert _plan(con, fixture_rules, year=2016).capacity.max_ballots == 3000
    by = {c.electors.iso3: c.needed for c in _plan(con, fixture_rules, year=2016).countries}
    assert by["ITA"] == 7  # 20,000 / 3,000


def test_max_stations_per_site_sends_voters_to_the_next_site(con, tmp_path):
    """At most 2 stations (10,000 ballots) a site: Rome cannot take Italy's 20,000 expected
    voters, so the capacitated choice sends half of them to Milan."""
    rules = load("MDA", write_rules(tmp_path, **{
        "stations.max_stations_per_site": {"value": 2, "source": ["code-art31"]},
        "stations.outside_missions": False}))
    italy = next(c for c in _plan(con, rules).countries if c.electors.iso3 == "ITA")
    assert italy.siting.solver["capacitated"]
    served = {s.site.city: (s.stations, s.voters) for s in italy.siting.sites}
    assert served == {"Roma (Rome)": (2, pytest.approx(10000)), "Milan": (2, pytest.approx(10000))}


def test_stations_over_capacity_are_flagged(con, tmp_path):
    """At most 1 station a site: two missions cannot hold Italy's 20,000 voters, one
    cannot hold Romania's 8,000; the plan keeps the nearest-site assignment and flags the
    stations over their 5,000 ballots."""
    rules = load("MDA", write_rules(tmp_path, **{
        "stations.max_stations_per_site": {"value": 1, "source": ["code-art31"]},
        "stations.outside_missions": False}))
    plan = _plan(con, rules)
    italy = next(c for c in plan.countries if c.electors.iso3 == "ITA")
    assert not italy.siting.solver["capacitated"]
    rome = next(s for s in italy.siting.sites if s.site.city == "Roma (Rome)")
    assert (rome.stations, rome.voters_per_station) == (1, pytest.approx(20000))
    over = plan.over_capacity()
    assert [(o["iso3"], o["voters_per_station"]) for o in over] == [
        ("ITA", 20000), ("ROU", 8000)]
    assert plan.summary()["over_capacity"] == 2


def test_missions_without_figures_still_open(con, tmp_path):
    from .conftest import MISSIONS

    philippines = {"country": "PHL", "kind": "embassy", "capital": True,
                   "source": ["code-art31"]}
    rules = load("MDA", write_rules(tmp_path, missions=[*MISSIONS, philippines]))
    plan = _plan(con, rules)
    found = next(c for c in plan.countries if c.electors.iso3 == "PHL")
    assert found.stations == 1
    assert found.expected_voters == 0
    assert any("PHL" in a for a in plan.assumptions)


def test_comparison_with_a_past_plan(con, fixture_rules, tmp_path):
    past = ("country,city,lat,lon,stations,voters\n"
            "ITA,Rome,,,2,12000\nITA,Naples,40.85,14.27,1,900\nDEU,Berlin,,,1,\n")
    plan = _plan(con, fixture_rules, tmp_path, past=past)
    comparison = plan.comparison
    assert comparison is not None
    by = {r["iso3"]: r for r in comparison["countries"]}
    assert (by["ITA"]["past_stations"], by["ITA"]["planned_stations"]) == (3, 5)
    assert by["ITA"]["change"] == 2
    statuses = {s["city"]: s["status"] for s in by["ITA"]["sites"]}
    assert statuses == {"Roma (Rome)": "kept", "Milan": "new", "Naples": "closed"}
    assert by["ROU"]["past_stations"] == 0
    assert comparison["past_over_capacity"] == [
        {"iso3": "ITA", "city": "Rome", "stations": 2, "voters": 12000,
         "voters_per_station": 6000.0}]


def test_the_plan_as_a_document(con, fixture_rules, tmp_path):
    document = _plan(con, fixture_rules, tmp_path, REGISTRATIONS).as_dict()
    assert document["schema"] == "tmo.voting.plan/1"
    assert document["rules"]["max_ballots_per_station"] == 5000
    assert document["adult_share"]["value"] == 0.8
    assert document["summary"]["stations"] == sum(c["stations"] for c in document["countries"])
    assert set(document["summary"]["within_km"]) == {50, 100, 300}
    italy = next(c for c in document["countries"] if c["iso3"] == "ITA")
    assert italy["electors"]["sources"]["registrations"] == "registrations file, lines 2, 3, 4"
    assert "pravda-2024" in document["sources"]
