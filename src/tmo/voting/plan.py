"""The stations plan of one country's diaspora: how many stations in each country and city of
residence, where, for how many expected voters, and how near the electors they are.

    from tmo.voting.plan import plan_stations
    plan = plan_stations(con, "MDA")                     # rules/moldova.yaml, UN DESA only
    plan = plan_stations(con, "MDA", registrations=cities, past=past_stations)
    plan.as_dict()                                       # what `tmo voting plan` prints

Per country of residence (docs/voting.md gives the model in full):
1. expected voters by criterion: estimated electors x their turnout; pre-registrations x
   the registered turnout; votes at the last election x their factor. The rules' weights
   average the criteria a country has figures for (equal weights over those figures when
   the rules weigh all of them 0, said so in the plan);
2. stations needed = ceil(expected voters / voters per station), none below the rules'
   minimum, and at least one per mission where every mission must have a station;
3. the voters are spread over the cities of the user's file in proportion to the city
   figures (the same weights); without city figures they are placed at the capital, as an
   assumption, and left out of the distance shares;
4. sites: missions (preferred), and cities where the rules allow stations outside missions,
   chosen by p-median (tmo.voting.siting); stations per site from the voters it serves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from tmo.errors import InputError
from tmo.store import facts
from tmo.voting.apportionment import station_count
from tmo.voting.compare import compare
from tmo.voting.electors import CountryElectors, ElectorsAbroad, electors_abroad, unknown
from tmo.voting.inputs import CityFigures, PastStation
from tmo.voting.ruleset import CRITERIA, LAST_ELECTION, Cited, Rules
from tmo.voting.siting import (
    RADII_KM,
    Capacity,
    Demand,
    Site,
    Siting,
    candidates,
    merge_sites,
    place_stations,
)

CITY_CRITERIA = {"pre_registrations": "registrations", "previous_votes": "votes"}


@dataclass(frozen=True)
class Turnout:
    electors: float
    registered: float
    previous: float
    derivation: str  # how the electors' turnout was found

    def as_dict(self) -> dict[str, Any]:
        return {"of_estimated_electors": self.electors, "of_registered": self.registered,
                "of_previous_voters": self.previous, "derivation": self.derivation}


@dataclass(frozen=True)
class CountryPlan:
    electors: CountryElectors
    expected_voters: float
    by_criterion: dict[str, float]  # expected voters from each criterion with figures
    basis: str  # how the criteria were combined
    needed: int  # stations needed by capacity (and missions)
    siting: Siting
    notes: tuple[str, ...] = ()

    @property
    def stations(self) -> int:
        return self.siting.stations

    def as_dict(self, max_ballots: int) -> dict[str, Any]:
        return {"iso3": self.electors.iso3, "name": self.electors.name,
                "electors": self.electors.as_dict(),
                "expected_voters": round(self.expected_voters, 1),
                "expected_by_criterion": {k: round(v, 1) for k, v in self.by_criterion.items()},
                "basis": self.basis, "stations_needed": self.needed,
                "stations": self.stations,
                "sites": [s.as_dict(max_ballots) for s in self.siting.sites],
                "within_km": self.siting.within, "located_voters": self.siting.located_voters,
                "solver": self.siting.solver, "notes": list(self.notes),
                "cities": [r.as_dict() for r in self.siting.cities]}


@dataclass(frozen=True)
class Plan:
    rules: Rules
    year: int | None
    electors: ElectorsAbroad
    turnout: Turnout
    capacity: Capacity
    countries: tuple[CountryPlan, ...]
    seconds: float
    comparison: dict[str, Any] | None = None
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    inputs: dict[str, Any] = field(default_factory=dict)  # the user's files (inputs.describe)

    @property
    def stations(self) -> int:
        return sum(c.stations for c in self.countries)

    @property
    def expected_voters(self) -> float:
        return sum(c.expected_voters for c in self.countries)

    def within(self) -> dict[int, float] | None:
        """Share of located expected voters within each radius of a station, all countries."""
        located = sum(c.siting.located_voters for c in self.countries if c.siting.within)
        if located <= 0:
            return None
        return {r: sum((c.siting.within or {}).get(r, 0.0) * c.siting.located_voters
                       for c in self.countries) / located for r in RADII_KM}

    def over_capacity(self) -> list[dict[str, Any]]:
        return [{"iso3": c.electors.iso3, **s.as_dict(self.capacity.max_ballots)}
                for c in self.countries for s in c.siting.sites
                if s.over_capacity(self.capacity.max_ballots)]

    def unserved(self) -> list[str]:
        """Countries with expected voters but no station."""
        return [c.electors.iso3 for c in self.countries
                if c.expected_voters >= 1 and not c.stations]

    def summary(self) -> dict[str, Any]:
        gaps = [c.siting.solver.get("gap") for c in self.countries if "method" in c.siting.solver]
        known = [g for g in gaps if g is not None]
        return {"countries": len(self.countries),
                "countries_with_stations": sum(1 for c in self.countries if c.stations),
                "stations": self.stations, "expected_voters": round(self.expected_voters, 1),
                "estimated_electors": round(self.electors.total_electors, 1),
                "emigrants": self.electors.total_emigrants, "within_km": self.within(),
                "over_capacity": len(self.over_capacity()), "unserved": self.unserved(),
                "largest_gap": max(known) if known else None,
                "gap_unknown": len(gaps) - len(known), "seconds": round(self.seconds, 3)}

    def as_dict(self) -> dict[str, Any]:
        rules = self.rules
        return {
            "schema": "tmo.voting.plan/1",
            "origin": self.electors.origin, "origin_name": self.electors.origin_name,
            "rules": {"file": rules.path, "country": rules.country,
                      "election_year": self.year,
                      "max_ballots_per_station": self.capacity.max_ballots,
                      "voters_per_station": self.capacity.voters_per_station,
                      "min_expected_voters": self.capacity.min_voters,
                      "max_stations_per_site": self.capacity.max_stations_per_site,
                      "at_every_mission": rules.at_every_mission.value,
                      "outside_missions": rules.outside_missions.value,
                      "weights": {k: c.value for k, c in rules.weights().items()}},
            "stock": {"revision": self.electors.revision, "year": self.electors.year},
            "adult_share": self.electors.adult_share.as_dict(),
            "citizenship_share": self.electors.citizenship_share.as_dict(),
            "turnout": self.turnout.as_dict(),
            "assumptions": list(self.assumptions),
            "summary": self.summary(),
            "over_capacity": self.over_capacity(),
            "countries": [c.as_dict(self.capacity.max_ballots) for c in self.countries],
            "comparison": self.comparison,
            "inputs": self.inputs,
            "citations": self.citations(),
            "voter_information": {k: c.as_dict() for k, c in rules.voter_information.items()},
            "sources": rules.sources,
        }

    def citations(self) -> dict[str, Any]:
        """Where each rule the plan used comes from (value, source keys, note)."""
        rules = self.rules
        cited: dict[str, Cited | None] = {
            "max_ballots_per_station": rules.max_ballots(self.year),
            "voters_per_station": rules.voters_per_station(self.year),
            "min_expected_voters": rules.min_expected_voters,
            "at_every_mission": rules.at_every_mission,
            "outside_missions": rules.outside_missions,
            "max_stations_per_site": rules.max_stations_per_site,
            "turnout_of_estimated_electors": rules.electors_turnout,
            "turnout_of_registered": rules.turnout("of_registered"),
            "turnout_of_previous_voters": rules.turnout("of_previous_voters"),
            "registration_closes_days_before": rules.registration_closes_days_before,
        }
        out: dict[str, Any] = {k: c.as_dict() for k, c in cited.items() if c is not None}
        out["weights"] = {k: c.as_dict() for k, c in rules.weights().items()}
        last = rules.last_election
        if last is not None:
            out["last_election"] = {"sources": list(last.get("source", ())),
                                    "note": last.get("note", "")}
        return out


def plan_stations(con: duckdb.DuckDBPyConnection, origin: str, rules: Rules, *,
                  year: int | None = None, revision: str | None = None,
                  stock_year: int | None = None, registrations: list[CityFigures] | None = None,
                  past: list[PastStation] | None = None, adult_share: float | None = None,
                  citizenship_share: float | None = None, turnout: float | None = None,
                  inputs: dict[str, Any] | None = None) -> Plan:
    """The plan for `origin`'s diaspora under `rules` (see the module's docstring).
    `year` picks the rules in force that election year; the overrides replace the rules'
    assumptions (and say so). `inputs` describes the user's files (`inputs.describe`),
    kept in the plan so that its pages can say where the figures come from and label a
    synthetic file."""
    started = time.perf_counter()
    assumptions: list[str] = []
    adult = _override(rules.adult_share, adult_share, "adult share", assumptions)
    citizens = _override(rules.citizenship_share, citizenship_share, "citizenship share",
                         assumptions)
    electors = electors_abroad(con, origin, adult_share=adult, citizenship_share=citizens,
                               revision=revision, year=stock_year, cities=registrations)
    shares = _resolve_turnout(rules, electors, turnout)
    capacity = Capacity(int(rules.voters_per_station(year).value),
                        int(rules.max_ballots(year).value), int(rules.min_expected_voters.value),
                        _per_site(rules))
    missions = _mission_sites(con, rules)
    capitals = facts.capitals(con)
    names = facts.area_names(con)
    residence = dict(electors.countries)
    for iso3 in sorted(set(missions) - set(residence)):
        residence[iso3] = unknown(iso3, names.get(iso3, iso3))
    countries = tuple(_country_plan(c, rules, shares=shares, capacity=capacity,
                                    missions=missions.get(iso3, []), capital=capitals.get(iso3))
                      for iso3, c in sorted(residence.items()))
    missing = sorted(set(missions) - set(electors.countries))
    if missing:
        assumptions.append(f"no electors figure for {', '.join(missing)} (UN DESA publishes "
                           "none and the registrations file has none): stations at their "
                           "missions only, expected voters unknown")
    comparison = None
    if past is not None:
        comparison = compare({c.electors.iso3: c.siting.sites for c in countries}, past,
                             capacity.max_ballots)
    return Plan(rules, year, electors, shares, capacity, countries,
                time.perf_counter() - started, comparison, tuple(assumptions),
                dict(inputs or {}))


def _override(cited: Cited, value: float | None, label: str, notes: list[str]) -> Cited:
    if value is None:
        return cited
    if not 0 <= value <= 1:
        raise InputError(f"{label} {value} is not a share between 0 and 1")
    notes.append(f"{label} {value} given on the command line (rules: {cited.value})")
    return Cited(value, (), False, f"given by the user (rules file: {cited.value})")


def _per_site(rules: Rules) -> int | None:
    cited = rules.max_stations_per_site
    return int(cited.value) if cited is not None and cited.value else None


def _resolve_turnout(rules: Rules, electors: ElectorsAbroad, override: float | None
                     ) -> Turnout:
    registered = rules.turnout("of_registered")
    previous = rules.turnout("of_previous_voters")
    reg = float(registered.value) if registered else 1.0
    prev = float(previous.value) if previous else 1.0
    if override is not None:
        if not 0 <= override <= 1:
            raise InputError(f"turnout {override} is not a share between 0 and 1")
        return Turnout(override, reg, prev, "given on the command line")
    cited = rules.electors_turnout
    if cited.value != LAST_ELECTION:
        return Turnout(float(cited.value), reg, prev, f"rules file ({', '.join(cited.sources)})")
    last = rules.last_election
    if last is None:
        raise InputError(f"{rules.path}: turnout.of_estimated_electors is 'last_election' but "
                         "the file has no last_election section",
                         hint="add last_election, or give the turnout as a share")
    voters = last.get("voters_abroad")
    if voters is None:
        voters = last["registered_abroad"] * last["turnout"]
        how = (f"{last['registered_abroad']:,} registered abroad x {last['turnout']} turnout "
               f"in {last['year']} = {voters:,.0f} voters")
    else:
        how = f"{voters:,} voters abroad in {last['year']}"
    total = electors.total_electors
    if total <= 0:
        raise InputError("no electors estimated abroad: the last election's turnout cannot "
                         "be computed", hint="give --turnout")
    share = min(1.0, voters / total)
    return Turnout(share, reg, prev,
                   f"{how} / {total:,.0f} estimated electors (UN DESA {electors.revision}, "
                   f"{electors.year}) = {share:.4f}" + (" (capped at 1)" if share == 1 else ""))


def _mission_sites(con: duckdb.DuckDBPyConnection, rules: Rules) -> dict[str, list[Site]]:
    capitals = facts.capitals(con)
    out: dict[str, list[Site]] = {}
    for m in rules.missions:
        if m.in_capital:
            capital = capitals.get(m.country)
            if capital is None:
                raise InputError(f"{rules.path}: the {m.kind} in {m.country} is placed at the "
                                 "capital, but the store has no capital coordinates for it",
                                 hint="give the mission a city, lat and lon")
            site = Site(m.city or capital["capital"], capital["lat"], capital["lon"],
                        (m.kind,), True)
        else:
            assert m.lat is not None
            assert m.lon is not None
            site = Site(m.city or m.country, m.lat, m.lon, (m.kind,), True)
        out.setdefault(m.country, []).append(site)
    return out


def _country_plan(c: CountryElectors, rules: Rules, *, shares: Turnout, capacity: Capacity,
                  missions: list[Site], capital: dict[str, Any] | None) -> CountryPlan:
    by = _expected(c, shares)
    voters = _combine(by, rules)
    _, needed = station_count(voters, capacity.voters_per_station, 1, capacity.min_voters)
    every = bool(rules.at_every_mission.value)
    if every:
        needed = max(needed, len(merge_sites(missions)))
    demand, notes = _demand(c, voters, rules, capital, missions)
    if not by:
        notes.append("no electors figure (UN DESA publishes none for this country and the "
                     "registrations file has none): stations at the missions only")
    sites = candidates(missions, demand, bool(rules.outside_missions.value))
    siting = place_stations(demand, sites, needed, every, capacity)
    if needed and not siting.sites:
        notes.append("no site: no mission here and stations outside missions are not allowed")
    return CountryPlan(c, voters, by, _basis(by, rules), needed, siting, tuple(notes))


def _expected(c: CountryElectors, shares: Turnout) -> dict[str, float]:
    by: dict[str, float] = {}
    if c.electors is not None:
        by["estimated_electors"] = c.electors * shares.electors
    if c.registrations is not None:
        by["pre_registrations"] = c.registrations * shares.registered
    if c.votes is not None:
        by["previous_votes"] = c.votes * shares.previous
    return by


def _weights(by: dict[str, Any], rules: Rules) -> dict[str, float]:
    weights = {k: float(rules.weights()[k].value) for k in by}
    if sum(weights.values()) <= 0:
        return dict.fromkeys(by, 1.0)
    return weights


def _combine(by: dict[str, float], rules: Rules) -> float:
    if not by:
        return 0.0
    weights = _weights(by, rules)
    return sum(weights[k] * v for k, v in by.items()) / sum(weights.values())


def _basis(by: dict[str, float], rules: Rules) -> str:
    if not by:
        return "no figure"
    if len(by) == 1:
        return f"{next(iter(by))} only"
    weights = {k: float(rules.weights()[k].value) for k in by}
    if sum(weights.values()) <= 0:
        return "equal weights over " + ", ".join(by) + " (the rules weigh them all 0)"
    return "weighted mean: " + ", ".join(f"{k} x {w:g}" for k, w in weights.items())


def _demand(c: CountryElectors, voters: float, rules: Rules, capital: dict[str, Any] | None,
            missions: list[Site]) -> tuple[list[Demand], list[str]]:
    """The country's expected voters spread over its cities (or placed at the capital)."""
    notes: list[str] = []
    present = [k for k in CRITERIA if k in CITY_CRITERIA and any(
        getattr(city, CITY_CRITERIA[k]) is not None for city in c.cities)]
    if voters <= 0:
        return [], notes
    if present:
        weights = _weights(dict.fromkeys(present), rules)
        total_w = sum(weights.values())
        share = [0.0] * len(c.cities)
        for k in present:
            values = [getattr(city, CITY_CRITERIA[k]) or 0 for city in c.cities]
            total = sum(values)
            for i, v in enumerate(values):
                share[i] += (weights[k] / total_w) * (v / total if total else 0.0)
        return [Demand(city.place.city, city.place.lat, city.place.lon, voters * s, True)
                for city, s in zip(c.cities, share, strict=True) if s > 0], notes
    if capital is not None:
        notes.append("no city figures: the expected voters are placed at the capital "
                     f"({capital['capital']}), an assumption left out of the distance shares")
        return [Demand(capital["capital"], capital["lat"], capital["lon"], voters, False)], notes
    if missions:
        m = missions[0]
        notes.append(f"no city figures and no capital coordinates: voters placed at {m.city}")
        return [Demand(m.city, m.lat, m.lon, voters, False)], notes
    notes.append("no city figures and no coordinates for this country: no place to plan")
    return [], notes
